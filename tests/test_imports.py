"""The import graph of lss_rules: no cycle; no backend imports the CLI or another backend's private names.

Every import counts, also one inside a function (a lazy import is still a dependency:
``Spec.for_year`` once imported ``lss_rules.language.lower`` inside the method, a cycle model <-> lower).
"""

from __future__ import annotations

import ast
import importlib.util
import os
from pathlib import Path

import lss_rules


def _modules() -> dict[str, Path]:
    """Every module of the package, as installed or in a checkout (where links join grammar/, spec/ and
    generators/ to it exactly as an install does: followed here, they hold no link back)."""
    out: dict[str, Path] = {}
    root = Path(lss_rules.__file__).parent
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for file in files:
            if file.endswith(".py"):
                path = Path(folder) / file
                parts = list(path.relative_to(root).with_suffix("").parts)
                if parts[-1] == "__init__":
                    parts.pop()
                out[".".join(["lss_rules", *parts])] = path
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


#: The layers of the pipeline, lowest first: a module imports only its own layer and lower ones
#: (docs/reference/architecture.md).  ``errors`` and ``outdir`` are plumbing above the runtime, which imports
#: nothing of lss_rules (compiled modules import it, the standalone module embeds it).
LAYERS = (
    ("runtime", ("lss_rules.runtime",)),
    ("plumbing", ("lss_rules.errors", "lss_rules.outdir")),
    ("language", ("lss_rules.language", "lss_rules.grammar", "lss_rules.spec")),
    ("meaning", ("lss_rules.meaning",)),
    ("backends", ("lss_rules.backends",)),
    ("generators", ("lss_rules.generators",)),
    ("tools", ("lss_rules.tools",)),
    ("cli", ("lss_rules.cli", "lss_rules.__main__")),
)


def _layer(module: str) -> int | None:
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    return None


def _runtime_imports(path: Path) -> set[str]:
    """The modules a file imports outside ``if TYPE_CHECKING:`` (an annotation is no dependency of a layer)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for stmt in node.body
        for n in ast.walk(stmt)
    }
    return {mod for mod, _ in _imports_of(tree, path, typing_only)}


def _imports_of(tree: ast.AST, path: Path, skip: set[int]) -> list[tuple[str, tuple[str, ...]]]:
    name = next(n for n, p in MODULES.items() if p == path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, ()) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            out += [(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base, ()) for a in node.names]
    return [(m, n) for m, n in out if m in MODULES]


def test_every_module_has_a_layer():
    assert [n for n in MODULES if n != "lss_rules" and _layer(n) is None] == []


#: The imports against the layers that remain, each with its reason; the list only shrinks.
UPWARD = {
    # the docs show the default register of the latest year, which the generators build (and cache)
    ("lss_rules.backends.docs.site", "lss_rules.generators.profile"),
    # rule pages show the worked examples' files; reading an example file belongs in the front end
    ("lss_rules.backends.docs.spec_sections", "lss_rules.tools.examples"),
}


def test_each_layer_imports_only_itself_and_lower_layers():
    """runtime < plumbing < language < meaning < backends < generators < tools < cli."""
    wrong = set()
    for name, path in MODULES.items():
        mine = _layer(name)
        if mine is None:
            continue
        for mod in _runtime_imports(path):
            theirs = _layer(mod)
            if theirs is not None and theirs > mine:
                wrong.add((name, mod))
    assert wrong - UPWARD == set(), [
        f"{a} ({LAYERS[_layer(a)][0]}) imports {b} ({LAYERS[_layer(b)][0]})" for a, b in wrong - UPWARD
    ]
    assert UPWARD - wrong == set(), "an exception no longer needed: remove it from UPWARD"


def test_the_runtime_imports_nothing_of_lss_rules():
    for name, path in MODULES.items():
        if _layer(name) == 0:
            assert [m for m in _runtime_imports(path) if _layer(m) != 0] == [], name


def test_validate_does_not_load_the_tools_it_does_not_use(tmp_path: Path) -> None:
    """``lss-rules validate`` as a user starts it loads neither the suite builder nor the docs or the language
    server: the command line builds every command's options at start, and a help text that imported a constant
    of ``tools.conformance`` once cost every validation 60 ms (the package's ``__init__`` loaded the builder)."""
    import subprocess
    import sys

    sample = Path(__file__).resolve().parent.parent / "examples" / "2023" / "1465.txt"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "lss_rules", "validate", "--year", "2023", str(sample)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    heavy = {"lss_rules.tools.conformance.build", "lss_rules.tools.lsp.server", "lss_rules.backends.docs.site"}
    assert "lss_rules.runtime.python" in loaded and loaded & heavy == set()
