"""Links between pages: relative to the page's directory URL, as mkdocs would write them."""

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from generator.core import urls

segment = st.sampled_from(["a", "b", "2020", "juesuan", "湖南省", "diqu", "part1"])
source = st.lists(segment, max_size=5).map(lambda parts: "/".join([*parts, "index.md"])) | st.lists(
    segment, min_size=1, max_size=5
).map(lambda parts: "/".join(parts) + ".md")


def by_posixpath(from_src: str, to_src: str) -> str:
    rel = posixpath.relpath("/" + urls.page_url(to_src), "/" + urls.page_url(from_src))
    return "./" if rel == "." else rel + "/"


@given(source, source)
def test_links_are_what_posixpath_relpath_makes(from_src, to_src):
    assert urls.html_link.__wrapped__(from_src, to_src) == by_posixpath(from_src, to_src)


def test_links_with_anchors():
    assert urls.html_link("a/2020/juesuan/index.md", "a/index.md", "x") == "../../#x"
    assert urls.html_link("a/index.md", "a/index.md") == "./"
    assert urls.html_link("index.md", "glossary.md", "三公经费") == "glossary/#三公经费"


@given(source, st.lists(segment, min_size=1, max_size=5).map("/".join))
def test_links_to_folders_are_what_posixpath_relpath_makes(from_src, folder):
    rel = posixpath.relpath("/" + folder, "/" + urls.page_url(from_src))
    assert urls.folder_link.__wrapped__(from_src, folder) == ("" if rel == "." else rel + "/")
