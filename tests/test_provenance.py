"""Provenance and site identity (issue 21): a document names its official original (address,
issuing body, 公开日期, 批复日期) and its pages and downloads say so; data/site.yaml says whose site
it is (主办单位, 联系方式, 网站标识码, ICP and 公安 filing numbers, the data's licence), in the footer
of every page, on 关于 and in every datapackage.json; and without it, the site names no one."""

from __future__ import annotations

import datetime
import importlib.util
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.plugins import PluginCollection

from generator.editing import schema_json
from generator.export.downloads import datapackage
from generator.export.tabular import document_tables
from generator.load.loader import load_site
from generator.render.pages import document_pages

from helpers import DATA, DOCUMENT_FILE, MINIMAL_DOCUMENT, ROOT, build_site, load_document, write, write_document
from sitetools import WANGCHENG

ORIGINAL = MINIMAL_DOCUMENT.replace(
    "form_set: hunan-juesuan-2020\n",
    "form_set: hunan-juesuan-2020\n"
    "published: 2021-06-01\n"
    "approved: 2021-05-20\n"
    "issuer: 测试市测试区医疗保障局\n"
    "original_url: https://www.ceshi.gov.cn/xxgk/2021/juesuan.html?id=1&t=2\n"
    "source: 据测试市测试区医疗保障局公开的原件录入。\n",
)

SITE_YAML = """
name: 测试市医疗保障局预决算公开
publisher: 测试市医疗保障局<b>
contact: 0731-88888888
site_code: "4301000001"
icp: 湘ICP备12345678号-1
public_security: 湘公网安备 43010202000123号
license:
  name: 知识共享署名 4.0 国际许可协议（CC BY 4.0）
  url: https://creativecommons.org/licenses/by/4.0/deed.zh-hans
"""


def problems_of(data_dir: Path) -> list[str]:
    _, problems = load_site(data_dir)
    return [str(p) for p in problems.items]


# ---- a document's original ----


def test_a_document_names_its_original_with_dates_kept_as_dates(data_dir):
    doc = load_document(data_dir, ORIGINAL)
    assert doc.published == datetime.date(2021, 6, 1) and doc.approved == datetime.date(2021, 5, 20)
    assert doc.issuer == "测试市测试区医疗保障局"
    assert doc.original_url == "https://www.ceshi.gov.cn/xxgk/2021/juesuan.html?id=1&t=2"
    assert doc.source_note == "据测试市测试区医疗保障局公开的原件录入。"


def test_approval_after_publication_is_an_error_at_the_approval(data_dir):
    write_document(data_dir, ORIGINAL.replace("approved: 2021-05-20", "approved: 2021-06-02"))
    assert problems_of(data_dir) == [
        f"{data_dir / DOCUMENT_FILE}:6:11: 批复日期 2021-06-02 在公开日期 2021-06-01 之后：先批复、后公开，"
        "请对照原件改正 approved 或 published"
    ]


def test_the_same_day_and_either_date_alone_are_fine(data_dir):
    load_document(data_dir, ORIGINAL.replace("approved: 2021-05-20", "approved: 2021-06-01"))
    load_document(data_dir, ORIGINAL.replace("published: 2021-06-01\n", ""))
    load_document(data_dir, ORIGINAL.replace("approved: 2021-05-20\n", ""))


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("javascript:alert(1)", "'javascript:alert(1)' 不是 http 或 https 网址"),
        ("ftp://www.ceshi.gov.cn/a.pdf", "'ftp://www.ceshi.gov.cn/a.pdf' 不是 http 或 https 网址"),
        ("www.ceshi.gov.cn/a.html", "'www.ceshi.gov.cn/a.html' 不是 http 或 https 网址"),
        ("https：//www.ceshi.gov.cn/", "'https：//www.ceshi.gov.cn/' 的冒号或斜杠是全角的"),
        ('"https://www.ceshi.gov.cn/a b.html"', "中有空格或换行：网址中间不能断开"),
        ("https://", "'https://' 不是 http 或 https 网址"),
    ],
)
def test_an_original_url_is_a_whole_http_address(data_dir, written, said):
    write_document(data_dir, ORIGINAL.replace("https://www.ceshi.gov.cn/xxgk/2021/juesuan.html?id=1&t=2", written))
    found = problems_of(data_dir)
    assert len(found) == 1 and found[0].startswith(f"{data_dir / DOCUMENT_FILE}:8:15: ") and said in found[0], found


def test_a_date_that_is_no_date_is_refused(data_dir):
    write_document(data_dir, ORIGINAL.replace("approved: 2021-05-20", "approved: 2021-02-30"))
    assert problems_of(data_dir) == [
        f"{data_dir / DOCUMENT_FILE}:6:11: 这里应写日期，格式为 年-月-日（如 2021-06-01），却是 '2021-02-30'"
    ]


def docmeta(html: str) -> str:
    return re.search(r'<dl class="gk-docmeta">.*?</dl>', html, re.S).group(0)


def test_the_document_page_shows_its_original_escaped(data_dir):
    doc = load_document(data_dir, ORIGINAL.replace("issuer: 测试市测试区医疗保障局", "issuer: 测试<区>局"))
    site, _ = load_site(data_dir)
    meta = docmeta(document_pages(site, site.documents[0])[0].html)
    assert "<dt>公开日期</dt><dd>2021-06-01</dd>" in meta
    assert "<dt>批复日期</dt><dd>2021-05-20</dd>" in meta
    assert "<dt>发布单位</dt><dd>测试&lt;区&gt;局</dd>" in meta
    assert (
        '<a class="gk-original" href="https://www.ceshi.gov.cn/xxgk/2021/juesuan.html?id=1&amp;t=2" '
        'rel="external noopener">在发布单位的网站查看原件</a><span class="gk-original-host">（www.ceshi.gov.cn）</span>'
    ) in meta
    assert "<dt>来源说明</dt><dd>据测试市测试区医疗保障局公开的原件录入。</dd>" in meta
    assert doc.issuer == "测试<区>局"


def test_a_document_that_names_nothing_says_only_that_its_date_is_not_stated(data_dir):
    site, _ = load_site(data_dir)
    meta = docmeta(document_pages(site, site.documents[0])[0].html)
    assert "<dt>公开日期</dt><dd>原件未载明</dd>" in meta
    for absent in ("批复日期", "发布单位", "原件</dt>", "来源说明", "gk-original"):
        assert absent not in meta


def test_the_datapackage_names_the_original_as_its_source_and_a_licence_only_when_declared(data_dir):
    write(data_dir / "site.yaml", SITE_YAML)
    doc = load_document(data_dir, ORIGINAL)
    site, _ = load_site(data_dir)
    package = datapackage(doc, document_tables(doc), site.info)
    assert package["sources"] == [
        {
            "title": "测试市测试区医疗保障局：2020年度测试区医疗保障局部门决算",
            "path": "https://www.ceshi.gov.cn/xxgk/2021/juesuan.html?id=1&t=2",
        }
    ]
    assert package["licenses"] == [
        {
            "title": "知识共享署名 4.0 国际许可协议（CC BY 4.0）",
            "path": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
        }
    ]
    assert list(package)[-1] == "resources"
    plain = load_document(data_dir, MINIMAL_DOCUMENT)
    bare = datapackage(plain, document_tables(plain))  # no original named, no site.yaml: neither is made up
    assert "sources" not in bare and "licenses" not in bare


# ---- data/site.yaml ----


def test_site_yaml_is_read_and_not_taken_for_a_stray_file(data_dir):
    write(data_dir / "site.yaml", SITE_YAML)
    site, problems = load_site(data_dir)
    assert not problems.items, [str(p) for p in problems.items]
    info = site.info
    assert (info.name, info.publisher, info.contact, info.site_code) == (
        "测试市医疗保障局预决算公开",
        "测试市医疗保障局<b>",
        "0731-88888888",
        "4301000001",
    )
    assert (info.icp, info.public_security) == ("湘ICP备12345678号-1", "湘公网安备 43010202000123号")
    assert info.license_url == "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"


def test_without_site_yaml_the_site_names_no_one(data_dir):
    site, _ = load_site(data_dir)
    assert site.info.publisher is None and site.info.license_url is None and site.info.name is None


def test_mistakes_in_site_yaml_are_reported_at_their_place_in_chinese(data_dir):
    where = write(
        data_dir / "site.yaml",
        """
        publisher: 测试市医疗保障局
        site_code: 43010001
        icp: 湘ICP备案12345678
        public_security: 43010202000123
        licence:
          name: CC BY 4.0
        """,
    )
    assert problems_of(data_dir) == [
        f"{where}:2:12: '43010001' 不是网站标识码：网站标识码是 10 位字母和数字，照政府网站标识码证书抄写，如 4301000001",
        f"{where}:3:6: '湘ICP备案12345678' 不是 ICP 备案号：照工业和信息化部的备案信息抄写，如 湘ICP备12345678号 或 湘ICP备12345678号-1",
        f"{where}:4:18: '43010202000123' 不是公安机关备案号：照备案信息抄写，如 湘公网安备 43010202000123号",
        f"{where}:5:1: 网站信息中没有键 'licence'：是不是要写 'license'？",
    ]


def test_a_licence_needs_its_address(data_dir):
    where = write(data_dir / "site.yaml", "license:\n  name: CC BY 4.0\n  url: creativecommons.org/licenses/by/4.0/\n")
    found = problems_of(data_dir)
    assert len(found) == 1 and found[0].startswith(f"{where}:3:8: 'creativecommons.org/licenses/by/4.0/' 不是 http")


def test_site_yaml_has_its_schema_for_editors():
    assert schema_json.kind_of(Path("data/site.yaml")) == "site"
    assert schema_json.kind_of(Path("data/ceshi-ybj/2020/site.yaml")) == "document"
    assert schema_json.modeline("site") == "# yaml-language-server: $schema=../schemas/site.schema.json"
    written = json.loads((DATA.parent / "schemas" / "site.schema.json").read_text(encoding="utf-8"))
    assert set(written["properties"]) == {
        "name",
        "publisher",
        "contact",
        "site_code",
        "icp",
        "public_security",
        "license",
        "corrections_since",
    }
    assert written["properties"]["publisher"]["description"].startswith("主办单位")


# ---- the built site: footer, 关于, title ----

FOOTER = re.compile(r'<div class="md-copyright">.*?</div>', re.S)


@pytest.fixture(scope="module")
def identified_site(tmp_path_factory) -> Path:
    """The real data/ with a site.yaml, and 望城's 决算 naming its original, built."""
    root = tmp_path_factory.mktemp("identified")
    data = root / "data"
    shutil.copytree(DATA, data)
    write(data / "site.yaml", SITE_YAML)
    document = data / "changsha-wangcheng-ybj" / "2020" / "juesuan.yaml"
    text = document.read_text(encoding="utf-8")
    document.write_text(
        text.replace(
            "form_set: hunan-juesuan-2020\n",
            "form_set: hunan-juesuan-2020\npublished: 2021-06-01\napproved: 2021-05-20\n"
            "issuer: 长沙市望城区医疗保障局\noriginal_url: https://www.wangcheng.gov.cn/zwgk/2021/juesuan.html\n",
            1,
        ),
        encoding="utf-8",
    )
    return build_site(data, root / "site")


# one page of each kind the theme writes: by mkdocs (home, 关于, 404) and poured into a shell
PAGES = ["index.html", "about/index.html", "404.html", f"{WANGCHENG}/index.html", f"{WANGCHENG}/part2/index.html"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_whose_site_it_is_in_its_footer(identified_site, page):
    html = (identified_site / page).read_text(encoding="utf-8")
    footer = FOOTER.search(html).group(0)
    assert "<li>主办单位：测试市医疗保障局&lt;b&gt;</li>" in footer  # escaped: mkdocs' templates are not
    assert "<li>联系方式：0731-88888888</li>" in footer
    assert "<li>网站标识码：4301000001</li>" in footer
    assert '<a href="https://beian.miit.gov.cn/" rel="external noopener">湘ICP备12345678号-1</a>' in footer
    assert (
        '<a href="https://beian.mps.gov.cn/#/query/webSearch?code=43010202000123" rel="external noopener">'
        "湘公网安备 43010202000123号</a>"
    ) in footer
    assert "知识共享署名 4.0 国际许可协议（CC BY 4.0）" in footer
    assert "<title>" in html and "测试市医疗保障局预决算公开</title>" in html


def test_about_says_whose_site_it_is(identified_site):
    html = (identified_site / "about" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    assert '<h2 id="site-info">本站信息' in article
    assert "<li>主办单位：测试市医疗保障局&lt;b&gt;</li>" in article
    assert '按<a href="https://creativecommons.org/licenses/by/4.0/deed.zh-hans" rel="external noopener">' in article
    assert "gongkai:site-info" not in article


def test_the_built_document_names_its_original_and_its_package_its_source(identified_site):
    html = (identified_site / WANGCHENG / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.wangcheng.gov.cn/zwgk/2021/juesuan.html" rel="external noopener"' in html
    assert "<dt>批复日期</dt><dd>2021-05-20</dd>" in html
    folder = identified_site / WANGCHENG / "xiazai"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["sources"][0]["path"] == "https://www.wangcheng.gov.cn/zwgk/2021/juesuan.html"
    assert package["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
    head = json.loads((folder / "changsha-wangcheng-ybj-2020-juesuan.json").read_text(encoding="utf-8"))["document"]
    assert (head["published"], head["approved"], head["issuer"]) == (
        "2021-06-01",
        "2021-05-20",
        "长沙市望城区医疗保障局",
    )
    other = json.loads((identified_site / "wuhan-dongxihu-ybj/2020/yusuan/xiazai/datapackage.json").read_text())
    assert "sources" not in other and other["licenses"] == package["licenses"]


def test_the_packages_with_source_and_licence_validate_with_frictionless(identified_site):
    import frictionless

    report = frictionless.validate(str(identified_site / WANGCHENG / "xiazai" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_without_site_yaml_no_footer_names_anyone_and_about_has_no_site_section(real_site):
    for page in PAGES:
        html = (real_site / page).read_text(encoding="utf-8")
        assert "gk-footer-info" not in html and "主办单位" not in html, page
        assert "公开 · 部门预决算公开</title>" in html
    about = (real_site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'id="site-info"' not in about


def test_the_preview_carries_the_site_s_identity(data_dir):
    """`make serve` (the hook mkdocs loads by path) puts the same into its configuration."""
    spec = importlib.util.spec_from_file_location("gongkai_hook", ROOT / "generator" / "build" / "mkdocs_preview.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    project = data_dir.parent
    write(data_dir / "site.yaml", SITE_YAML)
    shutil.copytree(DATA.parent / "content", project / "content")
    config = SimpleNamespace(
        config_file_path=str(project / "mkdocs.yml"),
        docs_dir=str(project / "docs"),
        nav=None,
        plugins=PluginCollection(),
        extra={},
        site_name="公开 · 部门预决算公开",
    )
    hook.on_config(config)
    assert config.site_name == "测试市医疗保障局预决算公开"
    items = config.extra["gongkai_site"]["items"]
    assert items[0] == {"label": "主办单位", "text": "测试市医疗保障局<b>", "href": None}
    about = (project / "docs" / "about.md").read_text(encoding="utf-8")
    assert "## 本站信息 {#site-info}" in about


@pytest.mark.parametrize("page", PAGES)
def test_the_drawer_names_the_site_as_the_header_does(identified_site, page):
    """Material's navigation heads a phone's drawer with the site's name: on the pages poured into a
    shell too (the shells are made with the site's information: build/site.py make_shells)."""
    html = (identified_site / page).read_text(encoding="utf-8")
    drawer = html[html.index('<label class="md-nav__title" for="__drawer">') :]
    drawer = drawer[: drawer.index("</label>")]
    assert 'title="测试市医疗保障局预决算公开"' in drawer and "公开 · 部门预决算公开" not in drawer
