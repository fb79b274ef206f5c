"""The theme's contract (generator/build/theme.py): the places of mkdocs-material's HTML that the page
shells are cut at and that search reads. The installed theme must have them; a theme that moved one
(an upgrade, an override) stops the build with one line saying which, and the site stays as it was."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest

from generator.build import batches, search
from generator.build.publish import MARKER
from generator.build.search import Facets, page_records
from generator.build.site import build, shell_pages
from generator.build.theme import (
    ARTICLE_START,
    CONTENT,
    DEPTHS,
    DESCRIPTION,
    NAV_LIST,
    NAV_START,
    TITLE,
    TOC_LABEL,
    TOC_LIST,
    Shell,
    Shells,
    ThemeError,
    article,
    parse_shells,
    theme_config,
    theme_env,
)
from generator.render.pages import NavEntry

from helpers import DATA, ROOT, previous_site, write

PART = "changsha-wangcheng-ybj/2020/juesuan/part1/"


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[int, str]:
    """The installed theme's page of the shell's Markdown at every depth."""
    return shell_pages(tmp_path_factory.mktemp("shells"), ROOT / "mkdocs.yml")


def config_with_overrides(tmp_path: Path, overrides: dict[str, str]) -> Path:
    """A copy of mkdocs.yml whose custom_dir is a copy of site_overrides/ with *overrides* (file → text)."""
    folder = tmp_path / "overrides"
    shutil.copytree(ROOT / "site_overrides", folder)
    for name, text in overrides.items():
        write(folder / name, text)
    text = (
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("custom_dir: site_overrides", f"custom_dir: {folder}")
    )
    for relative in ("generator/", "data\n", "content\n"):  # paths in mkdocs.yml are relative to it
        text = text.replace(f"  - {relative}", f"  - {ROOT}/{relative}")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def material_template(name: str) -> str:
    import material

    return (Path(material.__file__).parent / "templates" / name).read_text(encoding="utf-8")


def test_the_installed_theme_has_every_place_the_shells_are_cut_at(pages):
    assert sorted(pages) == list(DEPTHS)
    shells = parse_shells(pages)
    content = (
        '<h1 id="gk-title">标题<a class="headerlink" href="#gk-title">¶</a></h1>'
        '<h2 id="s1">一、职责<a class="headerlink" href="#s1">¶</a></h2>'
    )
    poured = Shells(shells, theme_env()).render("a/b/", "标题 <i>", content, "说明 <b> & “引号”")
    assert "GKSHELL" not in poured and "<title>标题 &lt;i&gt;" in poured
    assert '<meta name="description" content="说明 &lt;b&gt; &amp; “引号”">' in poured
    assert 'href="#s1" class="md-nav__link"' in poured  # the menu, rendered with Material's partial
    assert 'href="../../assets/stylesheets/' in poured  # two folders deep
    assert "一、职责" in article(poured, "a/b/")  # and search finds the content in its article
    for depth, page in pages.items():
        assert CONTENT in article(page, str(depth))


@pytest.mark.parametrize(
    "change, said",
    [
        # a class renamed in Material's table of contents
        (lambda page: page.replace(TOC_LABEL, TOC_LABEL.replace("md-nav__title", "md-nav__heading")), "目录的标题"),
        (lambda page: page.replace(TOC_LIST, TOC_LIST.replace('data-md-component="toc"', "")), "目录不在列表"),
        # no table of contents at all
        (lambda page: re.sub(r'<nav class="md-nav md-nav--secondary".*?</nav>', "", page, flags=re.S), "目录的标题"),
        # the article renamed, or gone
        (lambda page: page.replace(ARTICLE_START, '<article class="md-content__inner md-prose">'), "正文"),
        (lambda page: page.replace("</article>", "</div>"), "正文的结束"),
        # the title shown a third time
        (lambda page: page.replace("</footer>", f"<p>{TITLE}</p></footer>"), "<title> 和页头以外"),
        # the navigation (the drawer of a phone, where a document's menu goes) renamed, or its list
        (lambda page: page.replace(NAV_START, '<nav class="md-nav md-nav--main"'), "导航栏"),
        (lambda page: page.replace(NAV_LIST, '<ul class="md-nav__list">'), "导航栏的列表"),
        # the page's description left out of its head, or shown again elsewhere
        (lambda page: re.sub(r'<meta name="description"[^>]*>', "", page), "description"),
        (lambda page: page.replace("</footer>", f"<p>{DESCRIPTION}</p></footer>"), "description"),
        # mkdocs.yml's site_url: Material links each shell to its own placeholder address
        (
            lambda page: page.replace("<head>", '<head><link rel="canonical" href="https://x.org/gk-shell/x/x/">'),
            "site_url",
        ),
    ],
)
def test_a_theme_page_changed_as_an_upgrade_would_is_a_clear_theme_error(pages, change, said):
    changed = change(pages[3])
    assert changed != pages[3]
    with pytest.raises(ThemeError) as raised:
        Shell.parse(changed, "页面外壳 gk-shell/x/x/ ")
    assert raised.value.reason.startswith("主题：页面外壳 gk-shell/x/x/ ") and said in raised.value.reason
    assert "generator/build/theme.py" in raised.value.reason  # where the contract is kept


# ---- a document's menu, in the navigation ----

MENU = NavEntry(
    "2020年部门决算",
    "b/2020/j/index.md",
    (
        NavEntry("第一部分 概况", "b/2020/j/part1.md"),
        NavEntry("第二部分 <决算表>", "b/2020/j/part2.md"),
        NavEntry("第五部分 附件", "b/2020/j/part5/index.md", (NavEntry("附件1 自评表", "b/2020/j/part5/zp.md"),)),
    ),
)
HEADINGS = (
    '<h1 id="gk-title">标题<a class="headerlink" href="#gk-title">¶</a></h1>'
    '<h2 id="s1">一、收入<a class="headerlink" href="#s1">¶</a></h2>'
)


def primary_nav(page: str) -> str:
    start = page.index(NAV_START)
    return page[start : page.index("md-sidebar--secondary", start)]


def test_a_document_s_menu_is_the_first_item_of_the_navigation_in_material_s_markup(pages):
    shells = Shells(parse_shells(pages), theme_env())
    nav = primary_nav(shells.render("b/2020/j/part2/", "标题", HEADINGS, "说明", MENU))
    first = nav[nav.index(NAV_LIST) + len(NAV_LIST) :]
    assert first.lstrip().startswith('<li class="md-nav__item md-nav__item--active md-nav__item--nested">')
    assert 'id="__nav_1" checked' in nav  # the document's level is open in the drawer
    assert '<a href="../" class="md-nav__link' in nav  # the overview, as the section's index
    assert 'href="../part1/" class="md-nav__link"' in nav and 'href="../part5/zp/" class="md-nav__link"' in nav
    assert "第二部分 &lt;决算表&gt;" in nav and "<决算表>" not in nav  # titles from data/ escaped
    # the page itself: marked, with its headings below it (Material's integrated contents)
    assert '<label class="md-nav__link md-nav__link--active" for="__toc">' in nav
    assert '<a href="./" class="md-nav__link md-nav__link--active">' in nav and 'href="#s1"' in nav
    assert nav.index("第二部分") < nav.index('href="#s1"') < nav.index("第五部分")
    assert nav.index("第五部分") < nav.index("首页")  # the site's own items follow


def test_menus_of_one_shape_are_rendered_once_and_each_shows_its_own_titles(pages):
    def other(entry: NavEntry) -> NavEntry:
        return NavEntry(entry.title + "（乙）", entry.src.replace("b/", "c/"), tuple(map(other, entry.children)))

    shared = Shells(parse_shells(pages), theme_env())
    fresh = Shells(parse_shells(pages), theme_env())
    for url in ("b/2020/j/part2/", "b/2020/j/", "b/2020/j/part5/zp/"):
        shared.render(url, "标题", HEADINGS, "说明", MENU)
    for url in ("c/2020/j/part2/", "c/2020/j/", "c/2020/j/part5/zp/"):
        again = shared.render(url, "标题", HEADINGS, "说明", other(MENU))
        assert again == fresh.render(url, "标题", HEADINGS, "说明", other(MENU)), url
        assert "第一部分 概况（乙）" in again and "GKNAV" not in again
    assert len(shared._navs) == 3  # one a shape: three pages each, rendered once


def test_the_menu_is_rendered_with_the_theme_s_partial_and_its_overrides(tmp_path):
    item = material_template("partials/nav-item.html")
    marked = item.replace('class="md-nav__link md-nav__link--active"', 'class="md-nav__link md-nav__link--active gk-x"')
    assert marked != item
    config = config_with_overrides(tmp_path, {"partials/nav-item.html": marked})
    shells = Shells(parse_shells(shell_pages(tmp_path / "work", config)), theme_env(config), theme_config(config))
    assert "md-nav__link--active gk-x" in primary_nav(shells.render("b/2020/j/part1/", "t", HEADINGS, "d", MENU))


def test_a_theme_without_the_partial_of_a_menu_entry_is_a_clear_error(pages):
    import jinja2

    env = jinja2.Environment(loader=jinja2.DictLoader({"partials/toc-item.html": "<li></li>"}))
    with pytest.raises(ThemeError, match="主题中没有模板 partials/nav-item.html"):
        Shells(parse_shells(pages), env)


def test_every_page_of_a_document_carries_its_menu_with_itself_marked(real_site):
    folder = real_site / PART.rsplit("/part1/", 1)[0]
    built = sorted(folder.rglob("index.html"))
    assert len(built) >= 10
    for page in built:
        if "xiazai" in page.parts:
            continue
        nav = primary_nav(page.read_text(encoding="utf-8"))
        assert "第三部分 2020年度部门决算情况说明" in nav and "全文（一页，可打印）" in nav, page
        assert nav.count("md-nav__link--active") >= 1, page


def test_search_reads_a_built_page_s_article_and_a_page_without_text_is_an_error(real_site):
    built = (real_site / PART / "index.html").read_text(encoding="utf-8")
    assert any(record.text for record in page_records(built, PART, Facets()))
    renamed = built.replace(ARTICLE_START, '<article class="md-content__inner">')
    with pytest.raises(ThemeError, match=f"页面 {PART} 中没有正文"):
        page_records(renamed, PART, Facets())
    emptied = built[: built.index(ARTICLE_START) + len(ARTICLE_START)] + built[built.index("</article>") :]
    with pytest.raises(ThemeError, match=f"页面 {PART} 的正文 .* 中没有搜索能取出的文字"):
        page_records(emptied, PART, Facets())


def test_a_theme_error_raised_in_a_worker_reaches_the_build_as_it_was():
    error = pickle.loads(pickle.dumps(ThemeError("页面 x/ 中没有正文")))
    assert isinstance(error, ThemeError) and error.reason == ThemeError("页面 x/ 中没有正文").reason


def untouched_site(tmp_path: Path) -> Path:
    return previous_site(tmp_path / "site")


def assert_one_line_and_the_site_as_it_was(capsys, site: Path, *said: str) -> None:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("主题：") and all(words in err[0] for words in said), err
    assert err[0].endswith("；没有发布，原来的 site/ 未改动")
    assert sorted(p.name for p in site.rglob("*")) == sorted(["index.html", MARKER])
    assert (site / "index.html").read_text(encoding="utf-8") == "the site as it was\n"
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".site")] == []  # nothing half-built left


def test_a_build_with_an_override_that_changes_material_s_article_stops_before_any_worker(
    tmp_path, monkeypatch, capsys
):
    base = material_template("base.html")
    assert base.count(ARTICLE_START) == 1
    config = config_with_overrides(
        tmp_path, {"base.html": base.replace(ARTICLE_START, '<article class="md-content__inner md-typeset gk-x">')}
    )
    site = untouched_site(tmp_path)

    def no_worker(*args, **kwargs):
        raise AssertionError("a batch ran with a theme that does not fit")

    monkeypatch.setattr(batches, "run_batches", no_worker)
    assert build(DATA, site, jobs=2, config_file=config) == 1
    assert_one_line_and_the_site_as_it_was(capsys, site, "页面外壳 gk-shell/ 中没有正文", ARTICLE_START)


def test_a_page_search_finds_no_text_in_stops_the_build_in_one_line(data_dir, tmp_path, monkeypatch, capsys):
    # Every page's text taken away, as if the theme had moved the content out of the article: the
    # first page a worker indexes is the error, which crosses back from the worker process.
    monkeypatch.setattr(search, "_NOT_TEXT", re.compile(r".+", re.S))
    monkeypatch.setattr(batches, "BATCH_DOCUMENTS", 0)  # a batch a bureau, in worker processes
    write(
        data_dir / "qita-ybj" / "bureau.yaml",
        "name: 其他区医疗保障局\nshort_name: 其他区医保局\nregion: 测试省/测试市/其他区\n",
    )
    site = untouched_site(tmp_path)
    assert build(data_dir, site, jobs=2) == 1
    assert_one_line_and_the_site_as_it_was(capsys, site, "页面 ceshi-ybj/", "中没有搜索能取出的文字")


# ---- what else mkdocs refuses is said alike, labelled with where it comes from ----


def test_a_template_error_in_an_override_is_labelled_as_the_theme_s(tmp_path, capsys):
    config = config_with_overrides(tmp_path, {"partials/toc.html": "{% if %}\n"})
    site = untouched_site(tmp_path)
    assert build(DATA, site, config_file=config) == 1
    said = capsys.readouterr().err.strip().splitlines()
    assert said[-1].startswith("主题：模板 ") and "partials/toc.html:1 出错：" in said[-1], said
    assert said[-1].endswith("；没有发布，原来的 site/ 未改动") and "Traceback" not in "".join(said)
    assert sorted(p.name for p in site.rglob("*")) == sorted(["index.html", MARKER])


def test_a_configuration_mkdocs_refuses_is_labelled_with_its_file(tmp_path, capsys, caplog):
    config = config_with_overrides(tmp_path, {})
    config.write_text(config.read_text(encoding="utf-8").replace("name: material", "name: materia"), encoding="utf-8")
    site = untouched_site(tmp_path)
    assert build(DATA, site, config_file=config) == 1
    said = capsys.readouterr().err.strip().splitlines()
    assert (
        said[-1]
        == f"{config}：mkdocs 不接受这份配置：Aborted with a configuration error!；没有发布，原来的 site/ 未改动"
    )
    assert "Unrecognised theme name: 'materia'" in caplog.text  # mkdocs' own reason, logged above it
    assert sorted(p.name for p in site.rglob("*")) == sorted(["index.html", MARKER])
