"""The pipeline in the folders: generator/'s packages import one way, with no cycle.

docs/architecture.md states the rules; these tests hold the code to them, read from the source
with ast (nothing is imported), so that a newcomer can trust the folder names.
"""

import ast
from pathlib import Path

from helpers import ROOT

GENERATOR = ROOT / "generator"
# Each package may import from the packages listed before it, never after (cli.py and __main__.py,
# at the top, may import from all). editing/ and importing/ stand beside the pipeline: they use
# load/ and below, and the build uses editing/ for the form editor's page.
LAYERS = ["core", "source", "load", "check", "export", "render", "editing", "importing", "build", "bench"]
# Within the order, what each package needs and is allowed; anything else is a wrong turn.
ALLOWED = {
    "core": set(),
    "source": {"core"},
    "load": {"core", "source"},
    "check": {"core", "source", "load"},
    "export": {"core"},
    "render": {"core", "export"},  # links to the download files export names; never check/
    "editing": {"core", "source", "load"},
    "importing": {"core", "source", "load"},
    "build": {"core", "source", "load", "check", "export", "render", "editing"},
    "bench": {"core", "source", "load", "build"},
}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path = ROOT) -> list[tuple[str, ast.AST, bool]]:
    """The generator modules *path* imports: (module, node, inside a function)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_function.update(id(sub) for sub in ast.walk(node) if sub is not node)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("generator"):
                continue
            for alias in node.names:  # `from . import urls` imports a module
                candidate = f"{target}.{alias.name}"
                is_module = (root / candidate.replace(".", "/")).with_suffix(".py").exists()
                found.append((candidate if is_module else target, node, id(node) in in_function))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("generator"):
                    found.append((alias.name, node, id(node) in in_function))
    return found


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    return {
        module_name(path, root): {target for target, _, _ in imports(path, root)} - {module_name(path, root)}
        for path in (root / "generator").rglob("*.py")
    }


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else "(top)"


def wrong_turns(edges: dict[str, set[str]]) -> list[str]:
    """Imports of a package from one it may not use (ALLOWED)."""
    wrong = []
    for module, targets in edges.items():
        mine = package_of(module)
        if mine == "(top)":
            continue
        for target in targets:
            theirs = package_of(target)
            if theirs != mine and theirs not in ALLOWED.get(mine, set()):
                wrong.append(f"{module} → {target}")
    return sorted(wrong)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}
    found = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    return found


def render_to_check(edges: dict[str, set[str]]) -> list[str]:
    return [
        f"{module} → {target}"
        for module, targets in edges.items()
        if module.startswith("generator.render")
        for target in targets
        if target.startswith("generator.check")
    ]


def test_only_the_command_line_sits_at_the_top():
    top = sorted(p.name for p in GENERATOR.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "cli.py"]
    assert sorted(p.name for p in GENERATOR.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(LAYERS)


def test_every_package_imports_only_from_the_layers_below_it():
    assert wrong_turns(graph()) == []


def test_the_allowed_imports_follow_the_order_of_the_layers():
    for package, allowed in ALLOWED.items():
        assert all(LAYERS.index(other) < LAYERS.index(package) for other in allowed), package


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_render_imports_nothing_from_check():
    assert render_to_check(graph()) == []


def test_imports_are_at_the_top_of_modules_but_the_command_line():
    """A lazy import hides a dependency (and once hid a cycle): only cli.py defers its commands'
    imports, so that `python -m generator fmt` does not load mkdocs."""
    lazy = [
        f"{path.relative_to(ROOT)}:{node.lineno} {target}"
        for path in GENERATOR.rglob("*.py")
        if path.name != "cli.py"
        for target, node, inside in imports(path)
        if inside
    ]
    assert lazy == []


def test_the_rules_find_a_wrong_turn_and_a_cycle(tmp_path):
    """The checks above can fail: a tree where render and check import each other breaks all three."""
    fake = tmp_path / "generator"
    for layer in LAYERS:
        (fake / layer).mkdir(parents=True)
        (fake / layer / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "check" / "prose.py").write_text("from ..render import pages\n")
    (fake / "render" / "pages.py").write_text("def f():\n    from ..check.prose import x\n")
    edges = graph(tmp_path)
    assert wrong_turns(edges) == [
        "generator.check.prose → generator.render.pages",
        "generator.render.pages → generator.check.prose",
    ]
    assert render_to_check(edges) == ["generator.render.pages → generator.check.prose"]
    assert cycles(edges) == [["generator.check.prose", "generator.render.pages", "generator.check.prose"]]
    assert [inside for _, _, inside in imports(fake / "render" / "pages.py", tmp_path)] == [True]


def test_test_files_share_code_through_helpers_not_each_other():
    """What two test files need is in helpers.py or sitetools.py: a test module imported by another
    runs its module-level fixtures twice and ties the two files' cases together."""
    tests = ROOT / "tests"
    crossed = [
        f"{path.name}:{node.lineno}"
        for path in sorted(tests.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom | ast.Import)
        for name in ([node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names])
        if name.split(".")[0].startswith("test_")
    ]
    assert crossed == []
