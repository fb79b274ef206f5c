"""`make serve` (mkdocs serve with the hook): a file that does not load shows on the preview's pages."""

import importlib.util
import shutil
from types import SimpleNamespace

from helpers import MINIMAL_BUREAU, MINIMAL_DOCUMENT, ROOT, write, write_document


def hook():
    spec = importlib.util.spec_from_file_location("gongkai_hook", ROOT / "generator" / "build" / "mkdocs_preview.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def preview(project):
    config = SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), docs_dir=str(project / "docs"), nav=None)
    hook().on_config(config)
    return config


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
    assert not any(src.startswith("qita-ybj/2020/") for src in pages)


def test_once_fixed_the_notice_goes(data_dir):
    project = data_dir.parent
    broken = write_document(data_dir, MINIMAL_DOCUMENT.replace("55.11}", "55.111}", 1))
    preview(project)
    assert "处问题" in (project / "docs" / "index.md").read_text(encoding="utf-8")
    shutil.copy(broken, project / "juesuan.bak")
    write(broken, MINIMAL_DOCUMENT)
    preview(project)
    assert "处问题" not in (project / "docs" / "index.md").read_text(encoding="utf-8")
