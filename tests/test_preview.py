"""`make serve` (mkdocs serve with the hook): a file that does not load shows on the preview's pages."""

import importlib.util
import shutil
from types import SimpleNamespace

from mkdocs.plugins import PluginCollection

from helpers import MINIMAL_BUREAU, MINIMAL_DOCUMENT, ROOT, write, write_document


def hook():
    spec = importlib.util.spec_from_file_location("gongkai_hook", ROOT / "generator" / "build" / "mkdocs_preview.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def preview(project, module=None):
    """One build of the preview; *module*: the hook of the `mkdocs serve` that builds again."""
    config = SimpleNamespace(
        config_file_path=str(project / "mkdocs.yml"),
        docs_dir=str(project / "docs"),
        nav=None,
        plugins=PluginCollection(),
        extra={},
    )
    (module or hook()).on_config(config)
    return config


def docs_pages(project) -> dict[str, str]:
    return {
        p.relative_to(project / "docs").as_posix(): p.read_text(encoding="utf-8")
        for p in (project / "docs").rglob("*.md")
    }


def test_the_page_being_edited_stays_with_its_error_and_is_marked_unpublishable(data_dir):
    project, serving = data_dir.parent, hook()
    document = write_document(data_dir, MINIMAL_DOCUMENT)
    preview(project, serving)
    before = {src: text for src, text in docs_pages(project).items() if src.startswith("ceshi-ybj/2020/juesuan/")}
    assert before and all("不能发布" not in text for text in before.values())
    # the clerk types a full-width colon after a key and saves
    write(document, MINIMAL_DOCUMENT.replace("kind: 决算", "kind： 决算", 1))
    preview(project, serving)
    after = docs_pages(project)
    assert set(before) <= set(after)  # every page of the document is still there: no 404
    place = f"<code>{document}:2:5:</code> 第 2 行第 5 列的全角冒号“：”应为半角“:”后加空格"
    for src in before:
        assert "不能发布：这份文件有 1 处错误，下面是它上次没有错误时的内容" in after[src], src
        assert place in after[src], src
        assert after[src].startswith("---\n") == before[src].startswith("---\n")
    assert f"{document}:2:5: 第 2 行第 5 列的全角冒号" in after["index.md"] and "不能发布" not in after["index.md"]
    write(document, MINIMAL_DOCUMENT)  # corrected: the pages are as before
    preview(project, serving)
    assert {src: text for src, text in docs_pages(project).items() if src in before} == before


def test_a_file_that_never_loaded_has_a_page_of_its_problems_at_its_address(data_dir):
    project = data_dir.parent
    document = write_document(data_dir, MINIMAL_DOCUMENT.replace("kind: 决算", "kind： 决算", 1))
    preview(project)
    page = docs_pages(project)["ceshi-ybj/2020/juesuan/index.md"]
    assert "不能发布：这份文件有 1 处错误，改正之前，这里没有它的内容" in page
    assert f"<code>{document}:2:5:</code> 第 2 行第 5 列的全角冒号" in page


def test_a_broken_file_is_listed_on_every_page_and_the_rest_still_previews(data_dir):
    project = data_dir.parent
    write(data_dir / "qita-ybj" / "bureau.yaml", MINIMAL_BUREAU.replace("测试区", "其他区"))
    write(data_dir / "qita-ybj" / "2020" / "juesuan.yaml", MINIMAL_DOCUMENT.replace("kind: 决算", "kind: 结算"))
    write(data_dir / "qita-ybj" / "2019" / "juesuan.yaml", MINIMAL_DOCUMENT.replace("kind: 决算", "kind: <script>"))
    config = preview(project)
    assert config.nav  # mkdocs gets its menu: serving goes on
    pages = {
        p.relative_to(project / "docs").as_posix(): p.read_text(encoding="utf-8")
        for p in (project / "docs").rglob("*.md")
    }
    problem = "qita-ybj/2020/juesuan.yaml:2:7: &#39;结算&#39;"
    home = pages["index.md"]
    assert "data/ 中有 3 处问题" in home and problem in home and "<script" not in home and "&lt;script&gt;" in home
    document = next(text for src, text in pages.items() if src.startswith("ceshi-ybj/2020/"))
    assert problem in document  # the page the clerk is looking at says it too
    assert document.startswith("---\n")  # after the page's front matter, which still parses
    # the broken document's address shows its problem, marked 不能发布, and nothing else of it
    assert [src for src in pages if src.startswith("qita-ybj/2020/")] == ["qita-ybj/2020/juesuan/index.md"]
    stub = pages["qita-ybj/2020/juesuan/index.md"]
    assert "不能发布" in stub and "qita-ybj/2020/juesuan.yaml:2:7:</code> &#39;结算&#39;" in stub
    assert "<script" not in pages["qita-ybj/2019/juesuan/index.md"]


def test_once_fixed_the_notice_goes(data_dir):
    project = data_dir.parent
    broken = write_document(data_dir, MINIMAL_DOCUMENT.replace("55.11}", "55.111}", 1))
    preview(project)
    assert "处问题" in (project / "docs" / "index.md").read_text(encoding="utf-8")
    shutil.copy(broken, project / "juesuan.bak")
    write(broken, MINIMAL_DOCUMENT)
    preview(project)
    assert "处问题" not in (project / "docs" / "index.md").read_text(encoding="utf-8")


def test_the_preview_leaves_the_loaded_model_as_it_was(data_dir):
    """The preview shows a copy of the site without the files in error; the loaded bureaus and documents keep theirs."""
    from generator.load.loader import load_site

    write(data_dir / "ceshi-ybj" / "2019" / "juesuan.yaml", MINIMAL_DOCUMENT.replace("year: 2020", "year: 2019"))
    write(data_dir / "qita-ybj" / "bureau.yaml", MINIMAL_BUREAU.replace("测试区", "其他区"))
    write(data_dir / "qita-ybj" / "2020" / "juesuan.yaml", MINIMAL_DOCUMENT.replace("kind: 决算", "kind: 结算"))
    site, problems = load_site(data_dir)

    def identities(bureaus):
        return [(id(b), [id(d) for d in b.documents], [id(d.bureau) for d in b.documents]) for b in bureaus]

    loaded = identities(site.bureaus)
    assert problems.errors and sum(len(documents) for _, documents, _ in loaded) == 3
    shown = hook().without_files_in_error(site, problems.errors)
    assert identities(site.bureaus) == loaded
    assert all(d.bureau is b for b in site.bureaus for d in b.documents)
    assert [len(b.documents) for b in shown.bureaus] == [2, 0]  # ceshi's two years; qita's document in error
    assert all(d.bureau is b for b in shown.bureaus for d in b.documents)  # the copies point to the copies
    assert not {id(b) for b in shown.bureaus} & {id(b) for b in site.bureaus}


def test_each_preview_build_registers_its_own_hook_for_its_own_pages(data_dir):
    from generator.build.mkdocs_run import HOOK

    project = data_dir.parent
    first, second = preview(project), preview(project)
    hooks = first.plugins[HOOK], second.plugins[HOOK]
    assert hooks[0] is not hooks[1] and hooks[0].fragments == hooks[1].fragments
    assert hooks[0].on_page_content in first.plugins.events["page_content"]
    assert hooks[0].on_page_content not in second.plugins.events["page_content"]
    assert any("ceshi-ybj/2020/juesuan/" in src for src in hooks[0].fragments)  # the document's tables and prose


def test_each_mkdocs_run_puts_back_the_fragments_of_the_pages_it_was_given(tmp_path):
    """Pages written for one run (the site-wide pages) and then for another (the shells) do not mix:
    each run has the hook of its own pages."""
    from generator.build.mkdocs_run import run_mkdocs, write_pages
    from generator.render.fragments import MARKER
    from generator.render.pages import Page

    marker = MARKER.format(0)
    runs = {}
    for name, table in (("one", "<table><caption>甲表</caption></table>"), ("two", "<p>乙段</p>")):
        page = Page("a/index.md", f"# 页\n\n{marker}\n", {marker: table})
        runs[name] = write_pages([page], tmp_path / f"docs-{name}", stubs=True)
    for name in runs:
        run_mkdocs(tmp_path / f"docs-{name}", tmp_path / f"site-{name}", runs[name])
    one, two = ((tmp_path / f"site-{name}" / "a" / "index.html").read_text(encoding="utf-8") for name in runs)
    assert "<caption>甲表</caption>" in one and "乙段" not in one and "gk-fragment" not in one
    assert "<p>乙段</p>" in two and "甲表" not in two
