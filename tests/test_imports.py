"""The import graph of lss_rules: no cycle; no backend imports the CLI or another backend's private names.

Every import counts, also one inside a function (a lazy import is still a dependency:
``Spec.for_year`` once imported ``lss_rules.language.lower`` inside the method, a cycle model <-> lower).
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import lss_rules
import lss_rules.generators


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for prefix, folder in (("lss_rules", Path(lss_rules.__file__).parent),):
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join([prefix, *parts])] = path
    gen = Path(lss_rules.generators.__file__).parent
    for path in gen.rglob("*.py"):
        parts = list(path.relative_to(gen).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(["lss_rules.generators", *parts])] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(module imported, names taken from it) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, ()) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = importlib.util.resolve_name("." * node.level + base, package)
            for a in node.names:
                sub = f"{base}.{a.name}"
                out.append((sub, ()) if sub in MODULES else (base, (a.name,)))
    return [(mod, names) for mod, names in out if mod in MODULES]


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    edges = {a: sorted({b for b, _ in deps if b != a}) for a, deps in GRAPH.items()}
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(a: str) -> None:
        state[a] = 1
        stack.append(a)
        for b in edges[a]:
            if state.get(b) == 1:
                found.append([*stack[stack.index(b) :], b])
            elif b not in state:
                visit(b)
        stack.pop()
        state[a] = 2

    for a in sorted(edges):
        if a not in state:
            visit(a)
    return found


def test_the_scanner_sees_imports():
    assert ("lss_rules.language.model", ()) in GRAPH["lss_rules.language.lower"]
    assert "lss_rules.backends.validator.lower" in MODULES and "lss_rules.generators.strategies" in MODULES


def test_no_import_cycle():
    # a package's __init__ importing its own submodule is no cycle of passes
    cycles = [c for c in _cycles() if not any(x == "lss_rules" or x.endswith("__init__") for x in c)]
    assert cycles == []


def test_backends_do_not_import_the_cli_or_each_others_private_names():
    backends = [n for n in MODULES if n.startswith("lss_rules.backends.")]
    shared = {"lss_rules.backends.validator.ir"}  # the IR and its printers are shared by the code-generating backends
    for name in backends:
        for mod, names in GRAPH[name]:
            assert not mod.startswith("lss_rules.cli"), f"{name} imports {mod}"
            if mod.startswith("lss_rules.backends.") and mod != name and mod not in shared:
                private = [x for x in names if x.startswith("_")]
                assert not private, f"{name} imports {private} from {mod}"
