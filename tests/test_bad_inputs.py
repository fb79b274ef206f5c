"""Every bad input of ../shared/checklists/bad-inputs.md, through the real loader and the command line.

Each case writes a small data tree (the `data_dir` fixture of conftest.py, one bureau and one
document using the real forms), breaks one file, and expects either one problem at the file, line
and column of the bad value, with a message that says what is wrong and what to write, or the
value handled as the checklist says (kept as typed, shown exactly). The expected line and column
are found in the text the test wrote (`place`), not taken from the program.

Checklist line → test (a reviewer can tick the checklist from this list):

YAML structure
- Duplicate key, top level and nested ........ test_yaml_structure[duplicate-*]; test_load.test_duplicate_key_in_a_real_file_points_at_both_lines
- Same key quoted and unquoted ............... test_yaml_structure[quoted-and-unquoted-key]
- %YAML 1.1, then NO, 010, 1:20 .............. test_yaml_1_1_words_stay_the_text_typed
- Multi-document file and an empty file ...... test_yaml_structure[second-document, empty-*, only-a-comment]
- Anchors/aliases, billion laughs, merge key . test_yaml_structure[anchor, alias-*, billion-laughs, merge-key]
- Nesting 400, 500 and 5,000 deep ............ test_deep_nesting_is_one_problem_at_its_line; test_yamlsource.test_deep_nesting_is_refused_cleanly (block 5,000)
- Very large file (10 MB), very long line .... test_a_file_over_the_size_limit_is_refused; test_a_very_long_line_is_loaded_and_shown
- Tabs, CRLF/LF, BOM, UTF-16, GBK, bad UTF-8 . test_tab_indentation_says_so; test_encodings[...]; test_line_endings_and_bom_keep_places_right
- Explicit tags ............................... test_yaml_structure[tag-*]; test_a_python_tag_runs_nothing
- Keys that are numbers/bools, non-string keys test_yaml_structure[number-key, bool-key, list-as-key]; test_number_and_bool_labels_are_kept_as_typed
- Unknown extra keys, "did you mean" ......... test_yaml_structure[typo-*]; test_load.test_each_mistake_is_reported_where_it_is
- Null and empty for required fields ......... test_required_field_without_a_value[...]

Numbers (万元)
- 2549.18, 2,549.18, 2549.1, 2549, 2549.185 .. test_amounts_kept_exactly_and_shown_with_two_decimals; test_refused_amounts
- 1e3, 1_000, 0x1F, 0o10, 010, .5, +5, -0, .nan, .inf . the same two tests
- Full-width, (12.00), 12.00万元, 12,00, 1,23,456.00, 12.345,67 . test_refused_amounts
- NBSP or thin space, trailing %, —/-// for nil, 无 . test_refused_amounts
- '265', 265, 265.0, 2.5e2 ................... test_amounts_kept_exactly_and_shown_with_two_decimals; test_refused_amounts
- Huge values; negative values where disallowed test_amounts_kept_...[1234567890123.45]; test_negative_scores_are_refused
- Totals off by 0.01, 0.05 with 3 rows, 1,000 . test_checks.test_a_rounding_residue_is_a_notice_and_a_larger_miss_an_error
                                                (0.01 → notice, 1000 → error); test_checks.test_three_row_total_off_by_five_hundredths_is_an_error
- Round-half x.xx5 (2.675, 0.125), ROUND_HALF_UP test_half_cents_are_rounded_half_up; test_refused_amounts[2.675]

Text / HTML / Markdown injection (the built site: test_injection.py)
- <script>, onerror, javascript: links, [x](javascript:…), iframe, style, svg onload .
                                                test_injection.test_no_text_from_data_becomes_markup; test_injection.test_nothing_runs_in_the_browser;
                                                test_injection.test_the_preview_escapes_as_the_build_does (make serve); test_properties
- {{ 7*7 }}, {% raw %}, ${...} in any field .. test_injection (every text field); test_render.test_template_syntax_in_data_is_never_evaluated
- Markdown metacharacters in names and cells . test_injection.test_names_and_cells_with_markdown_characters_read_as_typed
- Glossary term with ] or *[, definition with HTML . test_injection.test_a_glossary_term_with_brackets_is_linked_and_listed
- Zero-width, RTL override, control chars ..... test_invisible_characters_are_refused[...]; test_yamlsource.test_control_characters_are_refused
  emoji and rare CJK (𠀀) in names ........... test_emoji_and_rare_cjk_are_kept; test_injection.test_names_and_cells_with_markdown_characters_read_as_typed
  (font/tofu: NOT COVERED — the site uses the reader's fonts, and no font of this machine has CJK Extension B)
- Names with /, .., spaces, ／, CON ........... test_ids_that_windows_or_urls_would_misread[...]; test_region_names_become_safe_folders
- Very long title; empty title ................ test_injection.test_a_very_long_title_fits_a_phone; test_required_field_without_a_value[title-*]

Build / pipeline
- Build with no network ....................... test_the_build_makes_no_network_request
- Build fails midway: previous site untouched . test_cli.test_failed_build_leaves_the_previous_site_whole
- --strict with a broken internal link ........ NOT COVERED: pages of bureaus and documents are not checked by mkdocs
                                                (issue 8, item 4: a link check in the build); test_site checks the links of the built real site
- Two builds, same SOURCE_DATE_EPOCH .......... test_cli.test_two_builds_of_the_same_data_are_byte_identical (the determinism helper owns it)
- Output scan: third-party URLs, CSP meta, <caption>/<th scope>, lang="zh-CN" .
                                                test_site.test_no_page_loads_anything_from_another_host; test_injection.test_every_page_declares_the_policy_and_its_language;
                                                test_injection.test_every_table_has_a_caption_and_scoped_headers
- CSV / XLSX / datapackage .................... not here: the downloads helper's
- Search: 三公, kept terms, punctuation, 2,000 characters, <script> as a query .
                                                test_browser.test_search_finds_what_a_citizen_types; test_injection.test_odd_queries_return_safely

Files, publishing and figures coming in (issue 17)
- --site-dir is/holds/inside data, the checkout, home, cwd, / .. test_fs_safety.test_a_site_folder_that_is_holds_or_is_inside_the_data_folder_is_refused_and_nothing_touched;
                                                test_fs_safety.test_the_project_s_checkout_and_the_root_are_refused_before_anything_is_read; test_fs_safety.test_the_home_directory_and_the_working_directory_are_refused
- --site-dir exists but is no previous site (--force) . test_fs_safety.test_a_folder_that_is_not_a_site_is_replaced_only_with_force
- Symlinked bureau folder / bureau.yaml out of data/ . test_fs_safety.test_a_bureau_folder_linked_out_of_data_is_refused_at_its_path_and_not_published;
                                                test_fs_safety.test_bureau_yaml_linked_to_a_credentials_file_is_refused_and_never_printed
- Document linked to /dev/zero, a FIFO, a huge or growing file . test_fs_safety.test_a_document_that_cannot_be_read_safely_is_refused_without_reading_it[...];
                                                test_fs_safety.test_a_file_that_grows_while_it_is_read_is_read_no_further_than_the_limit
- Planner, check cache and fmt never follow links out . test_fs_safety.test_the_batch_plan_walks_no_folder_linked_out_of_data; test_fs_safety.test_what_check_remembers_depends_on_nothing_outside_data;
                                                test_fs_safety.test_fmt_rewrites_no_file_through_a_link_and_waits_on_no_fifo
- A message quotes only a short excerpt of a file . test_fs_safety.test_a_message_quotes_no_more_than_a_short_excerpt_of_a_file
- Empty or half data/ shrinks the site (--allow-shrink) . test_fs_safety.test_a_build_that_would_publish_fewer_than_half_of_the_documents_or_none_stops; test_fs_safety.test_half_of_the_documents_is_not_a_shrink
- Two files of one stem (juesuan.yaml + .yml) . test_fs_safety.test_two_documents_of_one_name_are_refused_at_the_second
- kill -9 / SIGTERM / Ctrl-C of a build ...... test_fs_safety.test_the_workers_end_when_the_build_is_killed; test_fs_safety.test_a_build_stopped_by_sigterm_or_ctrl_c_stops_its_workers_and_removes_its_work[...]
- Swap in one step; recovery from a killed swap . test_fs_safety.test_the_site_folder_is_replaced_in_one_step; test_fs_safety.test_without_the_exchange_the_swap_is_two_renames_and_still_complete;
                                                test_fs_safety.test_what_a_killed_build_left_is_put_right_by_the_next_build[...]
- Read-only parent, immutable site, full disk, undeletable old file . test_fs_safety.test_a_parent_folder_that_cannot_be_written_stops_the_build_in_one_line;
                                                test_fs_safety.test_a_site_folder_that_cannot_be_renamed_stops_the_build_in_one_line; test_fs_safety.test_a_full_disk_stops_the_build_in_one_line;
                                                test_fs_safety.test_a_file_of_the_old_site_that_cannot_be_deleted_is_left_with_a_warning
- Same bytes without make / without git ...... test_fs_safety.test_a_build_without_source_date_epoch_is_dated_by_the_last_commit_as_make_site_is; test_fs_safety.test_a_build_without_git_is_dated_by_a_fixed_epoch
- Excel import: merged range over amount cells (F8:G8; three 0.00) . test_import.test_a_merge_over_two_amount_cells_is_refused_at_the_cell_it_blanks;
                                                test_import.test_a_merge_over_three_zero_cells_is_refused_at_each_cell_it_blanks; test_import.test_a_merged_footer_total_imports_and_a_label_merged_over_a_total_is_refused
                                                (merges that must keep working: test_import.test_merged_label_cells_in_the_body_still_import)
- Form editor: 2,39 / mis-selected key / full-width digits in a table . test_cms.test_a_figure_the_loader_would_refuse_is_not_saved_and_stays_for_correction;
                                                test_form_rules.test_the_editor_refuses_in_a_table_what_the_loader_refuses_with_its_messages_at_its_lines
- published_as_is names its errors; a new typo still fails . test_check_hardening.test_an_accepted_discrepancy_is_published_and_a_new_error_still_fails;
                                                test_check_hardening.test_a_new_typo_in_a_real_document_published_as_is_fails
- published_as_is: true refused; stale acceptance warned . test_check_hardening.test_published_as_is_true_alone_is_refused_with_what_to_write;
                                                test_check_hardening.test_a_stale_acceptance_is_a_warning_where_it_is_written
- Figure moved into the neighbouring blank cell ... test_audit.test_figures_moved_into_the_neighbouring_blank_cell_on_a_page_are_reported_at_the_first;
                                                test_audit.test_a_figure_moved_into_the_neighbouring_blank_cell_of_{a_csv,the_json,a_sheet}_is_reported_at_it
- U+2028 / U+0085 inside a row ................ test_check_hardening.test_a_line_separator_inside_a_row_is_refused_where_it_is[...]
- Broken link in prose, by check at data line:col . test_check_hardening.test_a_broken_link_in_prose_is_reported_by_check_at_its_section[...];
                                                test_links.test_a_link_typed_into_prose_that_leads_nowhere_stops_the_build
- File-level errors at path:1:1 ............... test_check_hardening.test_file_level_problems_have_a_position
- "\ud800" escape ............................. test_check_hardening.test_an_escaped_surrogate_is_named_as_such
- Form-set chart errors in Chinese ............ test_check_hardening.test_chart_errors_in_a_form_set_are_chinese
- Empty column label .......................... test_check_hardening.test_an_empty_column_label_is_a_problem_at_the_label_not_a_traceback
- Invisible characters, one rule (both sides) . test_check_hardening.test_invisible_characters_are_refused_by_one_rule[...];
                                                test_check_hardening.test_characters_of_chinese_documents_are_kept[...]; test_check_hardening.test_invisible_characters_in_keys_are_refused[...]
- Regions ../../x, …/.., full-width slashes ... test_check_hardening.test_regions_that_are_not_places_are_refused[...]; test_region_names_become_safe_folders
- 决算 form set in a 预算 document ............. test_check_hardening.test_a_form_set_of_another_kind_is_refused
- 20-digit amount .............................. test_check_hardening.test_amounts_beyond_what_the_downloads_carry_exactly_are_refused[...]
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from generator.core.model import FreeTable, IndicatorTable
from generator.core.urls import region_src
from generator.load.loader import load_site
from generator.render.indicators import render_indicator_table
from generator.render.pages import bureau_page
from generator.render.prose import prose
from generator.render.tables import render_form_table, render_free_table

from helpers import (
    AMOUNT_TABLE_DOCUMENT,
    BASE,
    DOCUMENT_FILE,
    MINIMAL_BUREAU,
    MINIMAL_DOCUMENT,
    ROOT,
    SELF_EVALUATION,
    TOTAL_CELL,
    generator_env,
    load_document,
    place,
    write,
)
from helpers import run_generator as run

DOC = DOCUMENT_FILE
BUREAU = "ceshi-ybj/bureau.yaml"


def put(data_dir: Path, text: str | bytes, file: str = DOC) -> None:
    path = data_dir / file
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def problems(data_dir: Path) -> list[tuple[str, int, int, str]]:
    _, found = load_site(data_dir)
    root = str(data_dir) + "/"
    return [(p.mark.path.replace(root, ""), p.mark.line, p.mark.column, p.message) for p in found.sorted()]


def the_problem_at(data_dir: Path, text: str, needle: str, occurrence: int = 1, file: str = DOC) -> str:
    """The message of the problem reported where *needle* is in *text* (which must have been written)."""
    line, column = place(text, needle, occurrence)
    found = problems(data_dir)
    here = [message for path, *at, message in found if path == file and at == [line, column]]
    assert here, f"nothing reported at {file}:{line}:{column}; found {found}"
    return here[0]


# ---- YAML structure ----

SECTION_DUPLICATE = BASE.replace(
    "        body: 负责医疗保障。\n", "        body: 负责医疗保障。\n        title: 重复\n"
)
TWO_DOCUMENTS = BASE + "---\n" + BASE
NEST_FIRST_LEVEL = "lol0"
BILLION_LAUGHS = BASE.replace(
    "year: 2020\n",
    "year: 2020\n"
    + "".join(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}" if i else '"lol"'] * 9) + "]\n" for i in range(9)),
)


@pytest.mark.parametrize(
    "text, needle, occurrence, words",
    [
        pytest.param(
            BASE.replace("year: 2020\n", "year: 2020\nyear: 2020\n"),
            "year",
            2,
            ["键 'year' 重复了", "第 3 行已写过", "删掉一个"],
            id="duplicate-top-level",
        ),
        pytest.param(SECTION_DUPLICATE, "title: 重复", 1, ["键 'title' 重复了", "第 8 行"], id="duplicate-nested"),
        pytest.param(
            BASE.replace(TOTAL_CELL, "{科目名称: 合计, 本年收入合计: 55.11, 本年收入合计: 55.11}"),
            "本年收入合计",
            2,
            ["键 '本年收入合计' 重复了", "第 16 行"],
            id="duplicate-amount",
        ),
        pytest.param(
            BASE.replace("kind: 决算\n", 'kind: 决算\n"kind": 决算\n'),
            '"kind"',
            1,
            ["键 'kind' 重复了", "第 2 行"],
            id="quoted-and-unquoted-key",
        ),
        pytest.param(TWO_DOCUMENTS, "---", 1, ["不止一个 YAML 文档", "只保留一个"], id="second-document"),
        pytest.param("", "", 1, ["文件是空的"], id="empty-file"),
        pytest.param("# 待填\n", "#", 1, ["文件是空的"], id="only-a-comment"),
        pytest.param("---\n", "-", 1, ["文件是空的"], id="empty-document"),
        pytest.param(BASE.replace("kind: 决算", "kind: &k 决算"), "&k", 1, ["不支持锚点（&名称）"], id="anchor"),
        pytest.param(
            BASE.replace("year: 2020\n", "year: 2020\nunit: *k\n"),
            "*k",
            1,
            ["不支持别名（*名称）"],
            id="alias-undefined",
        ),
        pytest.param(BILLION_LAUGHS, "&lol0", 1, ["不支持锚点（&名称）", "请把值完整写出来"], id="billion-laughs"),
        pytest.param(
            BASE.replace("kind: 决算\n", "kind: 决算\n<<: {unit: 万元}\n"),
            "<<",
            1,
            ["不支持合并键（<<）", "请把各个值完整写出来"],
            id="merge-key",
        ),
        pytest.param(
            BASE.replace("kind: 决算", "kind: !!python/object/apply:os.system [ls]"),
            "!!python",
            1,
            ["不支持 YAML 标签", "python/object/apply:os.system", "请删掉它"],
            id="tag-python",
        ),
        pytest.param(
            BASE.replace("kind: 决算", "kind: !foo 决算"), "!foo", 1, ["不支持 YAML 标签（!foo）"], id="tag-local"
        ),
        pytest.param(
            BASE.replace("负责医疗保障。", "!!binary 5Lit5paH"),
            "!!binary",
            1,
            ["不支持 YAML 标签", "binary"],
            id="tag-binary",
        ),
        pytest.param(
            BASE.replace("kind: 决算\n", "kind: 决算\n2024: 二〇二四\n"),
            "2024:",
            1,
            ["公开文件中没有键 '2024'", "可写的键有 title、kind、year"],
            id="number-key",
        ),
        pytest.param(
            BASE.replace("kind: 决算\n", "kind: 决算\ntrue: 是\n"),
            "true:",
            1,
            ["公开文件中没有键 'true'"],
            id="bool-key",
        ),
        pytest.param(
            BASE.replace("kind: 决算\n", "kind: 决算\n? [a, b]\n: 1\n"),
            "[a, b]",
            1,
            ["键只能是文字"],
            id="list-as-key",
        ),
        pytest.param(
            BASE.replace("        body:", "        boddy:"), "boddy", 1, ["是不是要写 'body'？"], id="typo-body"
        ),
        pytest.param(
            BASE.replace("form_set:", "from_set:"), "from_set", 1, ["是不是要写 'form_set'？"], id="typo-form-set"
        ),
    ],
)
def test_yaml_structure(data_dir, text, needle, occurrence, words):
    put(data_dir, text)
    message = the_problem_at(data_dir, text, needle, occurrence)
    assert all(word in message for word in words), message


def test_typos_in_a_performance_table_get_a_suggestion(data_dir):
    text = SELF_EVALUATION.lstrip("\n").replace("score: 20, scored: 19}", "scroe: 20, scored: 19}")
    text = text.replace("budget: 2000", "buget: 2000")
    put(data_dir, text)
    assert "是不是要写 'score'？" in the_problem_at(data_dir, text, "scroe")
    assert "是不是要写 'budget'？" in the_problem_at(data_dir, text, "buget")


def test_duplicate_keys_in_the_bureau_and_glossary_files_too(data_dir):
    bureau = MINIMAL_BUREAU.lstrip("\n") + "name: 另一个名字\n"
    put(data_dir, bureau, BUREAU)
    assert "键 'name' 重复了（第 1 行已写过）" in the_problem_at(data_dir, bureau, "name: 另一个", file=BUREAU)


def test_yaml_1_1_words_stay_the_text_typed(data_dir):
    """%YAML 1.1 makes NO false, 010 eight and 1:20 eighty: here they stay what the clerk typed."""
    text = (
        "%YAML 1.1\n---\n"
        + BASE.replace('科目编码: "208"', "科目编码: 010")
        + (
            "  - title: 第五部分 附件\n"
            "    attachments:\n"
            "      - id: fj\n"
            "        title: 附表\n"
            "        sections:\n"
            "          - title: 表\n"
            "            table:\n"
            "              id: fb\n"
            "              title: NO\n"
            "              grid:\n"
            "                - - NO\n"
            "                  - 010\n"
            "                  - 1:20\n"
            "                  - yes\n"
            "                  - 0x1F\n"
        )
    )
    doc = load_document(data_dir, text)
    assert doc.parts[1].sections[0].table.panels[0].rows[1].cells["科目编码"].text == "010"
    table = doc.parts[2].attachments[0].sections[0].table
    assert isinstance(table, FreeTable) and table.title == "NO"
    assert [cell.text for cell in table.grid[0]] == ["NO", "010", "1:20", "yes", "0x1F"]
    html = str(render_free_table(table))
    assert all(f"<td>{shown}</td>" in html for shown in ["NO", "010", "1:20", "yes", "0x1F"])
    assert "<caption>NO</caption>" in html

    as_is = "%YAML 1.1\n---\n" + BASE.replace("year: 2020\n", "year: 2020\npublished_as_is: NO\n")
    put(data_dir, as_is)
    assert "却是'NO'" in the_problem_at(data_dir, as_is, "NO")  # a list of accepted errors, not a bool


@pytest.mark.parametrize("depth", [400, 500, 5000])
@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_one_problem_at_its_line(data_dir, depth, style):
    if style == "flow":
        nested = "[" * depth + "]" * depth
        text = BASE.replace("负责医疗保障。", nested)
        first = place(text, "[")
    else:
        # A block nested 5,000 deep is 25 MB of indentation: over the size limit (see the test below);
        # test_yamlsource reads one that deep without the limit.
        depth = min(depth, 500)
        nested = "".join("\n" + "  " * (5 + i) + f"k{i}:" for i in range(depth)) + " 1"
        text = BASE.replace(" 负责医疗保障。", nested)
        first = place(text, "k0:")
    put(data_dir, text)
    found = problems(data_dir)
    assert len(found) == 1, found
    path, line, column, message = found[0]
    assert message == "嵌套超过 40 层：请检查缩进"
    if style == "flow":
        assert line == first[0] and first[1] < column < first[1] + depth
    else:
        assert first[0] < line < first[0] + depth


def test_a_file_over_the_size_limit_is_refused(data_dir):
    text = BASE + "# " + "填" * (10 * 1024 * 1024 // 3) + "\n"  # 10 MB of UTF-8
    put(data_dir, text)
    assert problems(data_dir) == [(DOC, 1, 1, "文件超过 4 MiB：请拆成几个文件")]


def test_a_very_long_line_is_loaded_and_shown(data_dir):
    long_line = "长" * 100_000 + "。"
    doc = load_document(data_dir, BASE.replace("负责医疗保障。", long_line))
    assert doc.parts[0].sections[0].body == long_line
    assert f"<p>{long_line}</p>" in str(prose(long_line))


def test_tab_indentation_says_so(data_dir):
    text = BASE.replace("    sections:\n      - title: 一、部门职责", "    sections:\n\t  - title: 一、部门职责")
    put(data_dir, text)
    message = the_problem_at(data_dir, text, "\t")
    assert message == "不能用 Tab 缩进：请把行首的 Tab 换成空格"


@pytest.mark.parametrize(
    "encode, needle, words",
    [
        pytest.param(lambda t: t.encode("utf-16"), "title", ["UTF-16 编码", "请另存为 UTF-8 编码"], id="utf-16"),
        pytest.param(
            lambda t: t.encode("gbk"), "年", ["不是有效的 UTF-8 编码", "GBK", "请另存为 UTF-8 编码"], id="gbk"
        ),
        pytest.param(lambda t: t.encode("gb18030"), "年", ["GBK/GB18030"], id="gb18030"),
        pytest.param(
            lambda t: t.replace("负责医疗保障", "负责\udcff医疗保障").encode("utf-8", "surrogateescape"),
            "负责医疗保障",
            ["不是有效的 UTF-8 编码"],
            id="invalid-utf-8",
        ),
    ],
)
def test_encodings(data_dir, encode, needle, words):
    put(data_dir, encode(BASE))
    where = place(BASE, needle)
    if needle == "负责医疗保障":
        where = (where[0], where[1] + 2)  # the bad byte, after 负责
    found = problems(data_dir)
    assert [(line, column) for _, line, column, _ in found] == [where], found
    assert all(word in found[0][3] for word in words), found


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n", 5).encode(), id="crlf-then-lf"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda t: b"\xef\xbb\xbf" + t.encode(), id="bom"),
        pytest.param(lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode(), id="bom-crlf"),
    ],
)
def test_line_endings_and_bom_keep_places_right(data_dir, encode):
    for text, needle in [
        (BASE.replace("title: 2020年度测试区医疗保障局部门决算", "title: ''"), "''"),  # line 1, after the BOM
        (BASE.replace(TOTAL_CELL, "{科目名称: 合计, 本年收入合计: 55.111}"), "55.111"),  # after the CRLF lines
    ]:
        put(data_dir, encode(text))
        assert the_problem_at(data_dir, text, needle)


def test_a_python_tag_runs_nothing(data_dir, tmp_path):
    witness = tmp_path / "ran"
    text = BASE.replace("kind: 决算", f'kind: !!python/object/apply:os.system ["touch {witness}"]')
    put(data_dir, text)
    assert "不支持 YAML 标签" in the_problem_at(data_dir, text, "!!python")
    assert not witness.exists()


def test_number_and_bool_labels_are_kept_as_typed(data_dir):
    """Where keys are labels (a performance table's facts), 2024, true and 010 are the labels printed."""
    text = SELF_EVALUATION.replace(
        "项目名称: 城乡医疗救助", "2024: 城乡医疗救助\n            true: 是\n            010: 代码"
    )
    doc = load_document(data_dir, text)
    table = next(t for _, t in doc.tables() if isinstance(t, IndicatorTable))
    assert table.facts[:3] == [("2024", "城乡医疗救助"), ("true", "是"), ("010", "代码")]
    html = str(render_indicator_table(table))
    assert all(f">{label}</th>" in html for label in ("2024", "true", "010")), html


@pytest.mark.parametrize("empty", ["~", "null", "", "''"])
@pytest.mark.parametrize(
    "line, file",
    [
        ("title: 2020年度测试区医疗保障局部门决算", DOC),
        ("kind: 决算", DOC),
        ("          form: 公开02表", DOC),
        ("      - title: 一、部门职责", DOC),
        ("name: 测试市测试区医疗保障局", BUREAU),
        ("region: 测试省/测试市/测试区", BUREAU),
    ],
)
def test_required_field_without_a_value(data_dir, line, file, empty):
    original = BASE if file == DOC else MINIMAL_BUREAU.lstrip("\n")
    key = line.split(":")[0]
    text = original.replace(line, f"{key}: {empty}".rstrip())
    put(data_dir, text, file)
    line_no, _ = place(text, key + ":")
    column = len(key) + 3 if empty else len(key) + 2  # the value, or right after the colon when there is none
    found = [p for p in problems(data_dir) if p[:3] == (file, line_no, column)]
    assert len(found) == 1, problems(data_dir)
    name = key.strip(" -")
    assert found[0][3] in (
        f"'{name}' 必须填写，现在是空的：请在冒号后写上值",
        "这里应写文字，却是空的",
        "这里应写 预算、决算、绩效 之一，却是空的",
    ), found


# ---- Numbers (万元) ----


@pytest.mark.parametrize(
    "typed, value, shown",
    [
        ("2549.18", "2549.18", "2,549.18"),
        ("2549.1", "2549.1", "2,549.10"),
        ("2549", "2549", "2,549.00"),
        ("-0", "0", "0.00"),
        ("-0.00", "0", "0.00"),
        ("'265'", "265", "265.00"),
        ("265", "265", "265.00"),
        ("265.0", "265.0", "265.00"),
        ('"0.50"', "0.50", "0.50"),
        ("1234567890123.45", "1234567890123.45", "1,234,567,890,123.45"),  # 15 digits, what Excel keeps
        ("-5", "-5", "-5.00"),
        ("-1234567.8", "-1234567.8", "-1,234,567.80"),
    ],
)
def test_amounts_kept_exactly_and_shown_with_two_decimals(data_dir, typed, value, shown):
    doc = load_document(data_dir, BASE.replace(TOTAL_CELL, f"{{科目名称: 合计, 本年收入合计: {typed}}}"))
    table = doc.parts[1].sections[0].table
    amount = table.panels[0].rows[0].cells["本年收入合计"].amount
    assert isinstance(amount, Decimal) and amount == Decimal(value) and str(amount) != "-0"
    html = str(render_form_table(table, "测试局"))
    first_amount = re.search(r'<td class="gk-num"[^>]*>([^<]*)</td>', html.split("<tbody>")[1]).group(1)
    assert first_amount == shown


FLOW, BLOCK = "flow", "block"


@pytest.mark.parametrize(
    "typed, style, needle, words",
    [
        ("2,549.18", FLOW, "549.18", ["像是被逗号截断的数字的一部分", "金额不要带千分位逗号"]),
        ("2,549.18", BLOCK, "2,549.18", ["带千分位逗号", "请写成 2549.18"]),
        ("2549.185", FLOW, "2549.185", ["超过两位小数"]),
        ("2.675", FLOW, "2.675", ["超过两位小数"]),
        ("1e3", FLOW, "1e3", ["不是金额", "如 2549.18"]),
        ("1_000", FLOW, "1_000", ["不是金额"]),
        ("0x1F", FLOW, "0x1F", ["不是金额"]),
        ("0o10", FLOW, "0o10", ["不是金额"]),
        ("010", FLOW, "010", ["开头多了 0"]),
        (".5", FLOW, ".5", ["不是金额"]),
        ("+5", FLOW, "+5", ["不是金额"]),
        (".nan", FLOW, ".nan", ["不是金额"]),
        (".inf", FLOW, ".inf", ["不是金额"]),
        ("-.inf", FLOW, "-.inf", ["不是金额"]),
        ("２５４９．１８", FLOW, "２５４９．１８", ["用了全角字符", "请写成 2549.18"]),
        ("２，５４９．１８", FLOW, "２，５４９．１８", ["用了全角字符", "请写成 2549.18"]),
        ("－５", FLOW, "－５", ["用了全角字符", "请写成 -5"]),
        ("（12.00）", FLOW, "（12.00）", ["用括号表示负数", "请用负号，如 -12.00"]),
        ("(12.00)", FLOW, "(12.00)", ["用括号表示负数", "请用负号，如 -12.00"]),
        ("12.00万元", FLOW, "12.00万元", ["带了单位", "只写数字"]),
        ("12,00", BLOCK, "12,00", ["用逗号作小数点", "请写成 12.00"]),
        ("1,23,456.00", BLOCK, "1,23,456.00", ["分组逗号", "请写成 123456.00"]),
        ("12.345,67", BLOCK, "12.345,67", ["请写成 12345.67"]),
        ('"2549\u00a0.18"', FLOW, '"2549', ["中间有空格（U+00A0）", "请写成 2549.18"]),
        ('"2\u2009549.18"', FLOW, '"2', ["中间有空格（U+2009）", "请写成 2549.18"]),
        ("12.5%", FLOW, "12.5%", ["不是金额"]),
        ("—", FLOW, "—", ["原件是零就写 0.00，原件是空白就不写这一格"]),
        ("-", FLOW, "-}", ["原件是零就写 0.00，原件是空白就不写这一格"]),
        ("/", FLOW, "/", ["原件是零就写 0.00，原件是空白就不写这一格"]),
        ("无", FLOW, "无", ["原件是零就写 0.00，原件是空白就不写这一格"]),
        ("2.5e2", FLOW, "2.5e2", ["不是金额"]),
        ("NO", FLOW, "NO", ["'NO' 不是金额"]),
        ("[1]", FLOW, "[1]", ["这里应写金额，却是一个列表"]),
    ],
)
def test_refused_amounts(data_dir, typed, style, needle, words):
    if style == FLOW:
        text = BASE.replace(TOTAL_CELL, f"{{科目名称: 合计, 本年收入合计: {typed}}}")
    else:
        text = BASE.replace(TOTAL_CELL, "{科目名称: 合计}").replace(
            "          rows:\n            - {科目名称: 合计}",
            f"          rows:\n            - 科目名称: 合计\n              本年收入合计: {typed}",
        )
    put(data_dir, text)
    message = the_problem_at(data_dir, text, needle)
    assert all(word in message for word in words), message


def test_negative_scores_are_refused(data_dir):
    text = SELF_EVALUATION.lstrip("\n").replace("score: 20, scored: 19}", "score: 20, scored: -19}")
    text = text.replace("total: {score: 100, scored: 98.5}", "total: {score: -100, scored: 98.5}")
    put(data_dir, text)
    assert "'-19' 是负数：分值、得分和误差只能是零或正数" in the_problem_at(data_dir, text, "-19")
    assert "'-100' 是负数：分值、得分和误差只能是零或正数" in the_problem_at(data_dir, text, "-100")
    # An amount may be negative (a 结余 can be): only scores and tolerances cannot.
    put(data_dir, SELF_EVALUATION.replace("transfer: 50", "transfer: -50"))
    assert problems(data_dir) == []


def test_half_cents_are_rounded_half_up(data_dir):
    """0.50 of 400.00 is 0.125%: 0.13% to two places (half up; half-even would say 0.12%); 10.70 is 2.675%."""
    from generator.check.document import check_document
    from generator.core.results import NOTICE, OK, WARNING

    table = (
        "          columns: [决算支出, {label: 占比, type: percent}]\n"
        "          rows:\n"
        "            - {label: 办公费, 决算支出: 0.50, 占比: 0.13%}\n"
        "            - {label: 印刷费, 决算支出: 10.70, 占比: 2.68%}\n"
        "            - {label: 电费, 决算支出: 388.80, 占比: 97.20%}\n"
        "            - {label: 合计, total: true, 决算支出: 400.00, 占比: 100.00%}\n"
    )
    head, _, _ = AMOUNT_TABLE_DOCUMENT.partition("          columns:")
    text = (head + table).replace("日常公用经费30.00万元。其中办公费20.00万元。", "日常公用经费。")
    shares = {
        r.says.split("“")[1].split("”")[0]: r for r in check_document(load_document(data_dir, text)) if "占比" in r.says
    }
    assert [(r.status, r.expected) for r in (shares["办公费"], shares["印刷费"])] == [
        (OK, Decimal("0.13")),
        (OK, Decimal("2.68")),
    ]
    text = text.replace("占比: 0.13%", "占比: 0.12%").replace("占比: 2.68%", "占比: 2.67%")
    shares = {
        r.says.split("“")[1].split("”")[0]: r for r in check_document(load_document(data_dir, text)) if "占比" in r.says
    }
    assert [(r.status, r.expected, r.found) for r in (shares["办公费"], shares["印刷费"])] == [
        (WARNING, Decimal("0.13"), Decimal("0.12")),
        (WARNING, Decimal("2.68"), Decimal("2.67")),
    ]
    # 执行率 (B − C) ÷ A: 0.50 ÷ 400 = 0.125% is printed 0.13%; 0.12% is a near miss of rounding (a
    # notice, as for amounts), 0.11% more than that
    rate = SELF_EVALUATION.replace(
        "budget: 2000, executed: 1950, transfer: 50", "budget: 400, executed: 0.50, transfer: 0"
    )
    for printed, status in (("0.13%", OK), ("0.12%", NOTICE), ("0.11%", WARNING)):
        results = check_document(load_document(data_dir, rate.replace("rate: 95.00%", f"rate: {printed}")))
        assert [(r.status, r.expected) for r in results if "执行率" in r.says] == [(status, Decimal("0.13"))]


# ---- Text ----


@pytest.mark.parametrize(
    "typed, needle, words",
    [
        ('"测试市\\u200b测试区医疗保障局"', '"测试市', ["U+200B", "零宽空格", "在 '测试市' 后面", "请删掉它"]),
        ('"\\u202e局保医区试测"', '"\\u202e', ["U+202E", "倒着显示", "在行首"]),
        ('"测试\\u2066区"', '"测试', ["U+2066", "文字方向控制符"]),
        ('"测试\\ufeff区"', '"测试', ["U+FEFF"]),
        ('"测试\\x07区"', '"测试', ["U+0007", "请删掉它"]),
        ('"测试\\x1b[31m区"', '"测试', ["U+001B"]),
        ("测试\x07区", "\x07", ["U+0007", "控制字符", "请删掉它"]),
    ],
)
def test_invisible_characters_are_refused(data_dir, typed, needle, words):
    text = MINIMAL_BUREAU.lstrip("\n").replace("name: 测试市测试区医疗保障局", f"name: {typed}")
    put(data_dir, text, BUREAU)
    message = the_problem_at(data_dir, text, needle, file=BUREAU)
    assert all(word in message for word in words), message


def test_emoji_and_rare_cjk_are_kept(data_dir):
    name = "测试区😀医保局𠀀（👨\u200d👩\u200d👧）"  # emoji, a joined emoji, CJK Extension B
    write(data_dir / BUREAU, MINIMAL_BUREAU.replace("测试市测试区医疗保障局", name))
    site, found = load_site(data_dir)
    assert not found.items
    assert site.bureaus[0].name == name
    assert f">{name}<" in bureau_page(site, site.bureaus[0]).html


@pytest.mark.parametrize(
    "folder, file, words",
    [
        ("con", DOC.replace("ceshi-ybj", "con"), ["'con' 是 Windows 保留的设备名", "请换一个 id"]),
        ("ceshi-ybj", "ceshi-ybj/2020/nul.yaml", ["'nul' 是 Windows 保留的设备名"]),
        ("CON", "CON/2020/juesuan.yaml", ["只能用小写英文字母、数字和 -"]),
        ("ce shi", "ce shi/2020/juesuan.yaml", ["只能用小写英文字母、数字和 -"]),
        ("ce／shi", "ce／shi/2020/juesuan.yaml", ["只能用小写英文字母、数字和 -"]),
        ("ceshi-ybj", "ceshi-ybj/2020/jue suan.yaml", ["只能用小写英文字母、数字和 -"]),
    ],
)
def test_ids_that_windows_or_urls_would_misread(data_dir, folder, file, words):
    (data_dir / DOC).unlink()
    write(data_dir / folder / "bureau.yaml", MINIMAL_BUREAU)
    write(data_dir / file, MINIMAL_DOCUMENT)
    shown = str(Path(file).parent.parent) if folder != "ceshi-ybj" else file
    found = [message for path, _, _, message in problems(data_dir) if path == shown]
    assert found and all(word in found[0] for word in words), problems(data_dir)


def test_a_section_id_windows_keeps_is_refused_where_it_is_typed(data_dir):
    text = BASE.replace("      - title: 一、部门职责\n", "      - title: 一、部门职责\n        id: aux\n")
    put(data_dir, text)
    assert "'aux' 是 Windows 保留的设备名" in the_problem_at(data_dir, text, "aux")


def test_region_names_become_safe_folders(data_dir):
    assert region_src("..", "..") == "diqu/-/-/index.md"  # never out of diqu/
    assert region_src("CON", "nul") == "diqu/CON-/nul-/index.md"
    assert region_src("湖南省／长沙市", ".hidden") == "diqu/湖南省／长沙市/-hidden/index.md"
    bureau = MINIMAL_BUREAU.lstrip("\n").replace("region: 测试省/测试市/测试区", "region: 测试省 /测试市")
    put(data_dir, bureau, BUREAU)
    assert "不是地区：请按 省/市/区县 写" in the_problem_at(data_dir, bureau, "测试省 /", file=BUREAU)
    bureau = MINIMAL_BUREAU.lstrip("\n").replace("测试省/测试市/测试区", "测试省／测试市")
    put(data_dir, bureau, BUREAU)
    assert "全角" in the_problem_at(data_dir, bureau, "测试省／", file=BUREAU)  # one bogus province otherwise


# ---- the command line, end to end ----


def test_check_reports_every_bad_file_on_one_line_each_and_exits_1(data_dir):
    """Several broken files at once: each problem is one line `path:line:col: 错误：message`."""
    bad = {
        DOC: BASE.replace("year: 2020\n", "year: 2020\nyear: 2020\n"),
        "gbk-ybj/2020/juesuan.yaml": BASE.encode("gbk"),
        "tab-ybj/2020/juesuan.yaml": BASE.replace("    sections:\n      - title: 一", "    sections:\n\t  - title: 一"),
        "deep-ybj/2020/juesuan.yaml": BASE.replace("负责医疗保障。", "[" * 5000 + "]" * 5000),
        "amount-ybj/2020/juesuan.yaml": BASE.replace(TOTAL_CELL, "{科目名称: 合计, 本年收入合计: ２５４９．１８}"),
        "empty-ybj/2020/juesuan.yaml": "",
        "tag-ybj/2020/juesuan.yaml": BASE.replace("kind: 决算", "kind: !!python/object/apply:os.system [ls]"),
    }
    for file, text in bad.items():
        write(data_dir / file.split("/")[0] / "bureau.yaml", MINIMAL_BUREAU)
        put(data_dir, text, file)
    result = run("check", "data", cwd=data_dir.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert all(re.fullmatch(r"data/[^:]+:\d+:\d+: 错误：\S.*", line) for line in lines), lines
    deep_line, deep_start = place(bad["deep-ybj/2020/juesuan.yaml"], "[")
    expected = {
        DOC: (*place(bad[DOC], "year", 2), "键 'year' 重复了"),
        "gbk-ybj/2020/juesuan.yaml": (*place(BASE, "年"), "GBK"),
        "tab-ybj/2020/juesuan.yaml": (*place(bad["tab-ybj/2020/juesuan.yaml"], "\t"), "不能用 Tab 缩进"),
        "deep-ybj/2020/juesuan.yaml": (deep_line, None, "嵌套超过 40 层"),
        "amount-ybj/2020/juesuan.yaml": (*place(bad["amount-ybj/2020/juesuan.yaml"], "２"), "用了全角字符"),
        "empty-ybj/2020/juesuan.yaml": (1, 1, "文件是空的"),
        "tag-ybj/2020/juesuan.yaml": (*place(bad["tag-ybj/2020/juesuan.yaml"], "!!"), "不支持 YAML 标签"),
    }
    expected = {"data/" + file: where for file, where in expected.items()}
    by_file = {line.split(":")[0]: line for line in lines}
    assert set(by_file) == set(expected) and len(lines) == len(expected), lines
    for file, (line, column, words) in expected.items():
        path, at_line, at_column, _ = by_file[file].split(":", 3)
        assert int(at_line) == line and words in by_file[file], by_file[file]
        if column is None:  # somewhere inside the 5,000 brackets
            assert deep_start < int(at_column) < deep_start + 5000
        else:
            assert int(at_column) == column, by_file[file]


# ---- Build / pipeline ----

NO_NETWORK = """
import os, socket

def refuse(*args, **kwargs):
    with open(os.environ["GK_NETWORK_LOG"], "a") as log:
        log.write(repr(args[:2]) + "\\n")
    raise OSError("network is off in this test")

socket.socket.connect = socket.socket.connect_ex = refuse
socket.getaddrinfo = socket.create_connection = refuse
"""


def test_the_build_makes_no_network_request(data_dir, tmp_path):
    """Fonts, dictionaries, assets: nothing is fetched while building (every process, workers too)."""
    hooks = tmp_path / "offline"
    write(hooks / "sitecustomize.py", NO_NETWORK)
    log = tmp_path / "network.log"
    offline = {"PYTHONPATH": os.pathsep.join([str(hooks), str(ROOT)]), "GK_NETWORK_LOG": str(log)}
    result = run("build", "data", "--site-dir", "site", "--jobs", "2", cwd=data_dir.parent, env=offline)
    assert result.returncode == 0, result.stderr
    assert (data_dir.parent / "site" / "index.html").exists()
    assert not log.exists(), log.read_text()
    # the hook is in force: a request does reach it
    probe = subprocess.run(
        [sys.executable, "-c", "import urllib.request; urllib.request.urlopen('http://example.com', timeout=1)"],
        capture_output=True,
        text=True,
        env=generator_env(**offline),
    )
    assert probe.returncode != 0 and log.exists()
