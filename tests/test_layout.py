"""The house: subpackages by concern, small modules, no cycles, no borrowed private
names, and a README layout table that agrees with the package."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from analysis.settings import PACKAGE, ROOT

MAX_LINES = 550  # "no module over ~500 lines"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for each import of the package's own
    modules, wherever it sits (module level or inside a function)."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "analysis":
                continue
            names = [a.name for a in node.names]
            for name in names:  # "from analysis.x import y" may import the module x.y
                if f"{node.module}.{name}" in modules:
                    found.append((f"{node.module}.{name}", [], node.lineno))
            found.append((node.module, names, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name in modules]
    return found


def test_no_module_is_long():
    long = {n: len(p.read_text().splitlines()) for n, p in _modules().items()}
    assert not {n: k for n, k in long.items() if k > MAX_LINES}


def test_no_module_borrows_another_modules_private_names():
    modules = _modules()
    borrowed = [
        f"{name}:{line} takes {taken} from {target}"
        for name, path in modules.items()
        for target, names, line in _imports(path, modules)
        for taken in names
        if taken.startswith("_") and not taken.startswith("__") and target != name
    ]
    assert not borrowed


def test_the_package_imports_have_no_cycle():
    modules = _modules()
    graph = {
        name: {t for t, _, _ in _imports(path, modules) if t in modules and t != name}
        for name, path in modules.items()
    }
    # A package's __init__ re-exports lazily (PEP 562), so importing it imports nothing.
    graph["analysis"] = set()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles


def test_benchmarks_and_the_generator_live_outside_the_package():
    names = set(_modules())
    assert not {n for n in names if re.search(r"bench|synthetic", n)}
    assert (ROOT / "benchmarks" / "run.py").exists()


def test_the_readme_layout_names_every_subpackage():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    subpackages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    for sub in subpackages:
        assert f"`analysis/{sub}/`" in layout, sub
    for module in sorted(p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("__")):
        assert f"`{module}`" in layout, module
