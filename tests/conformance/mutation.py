"""Mutation analysis of the conformance suite against the compiled validator of a year.

The compiled module (``lss_rules.backends.python.to_python.to_python``, what ``lss-rules compile``
writes) is parsed with :mod:`ast`; every single-point change of the kinds below, made
in the year's own code (not in the runtime it shares with every year), is one
*mutant*:

- an integer inside a comparison moved by +1 or -1 (a literal, or a use of a module-level name
  bound to an integer, ``LIMIT = 1488``, replaced by its value ±1);
- a comparison operator swapped: ``<``↔``<=``, ``>``↔``>=``, ``==``↔``!=``, ``in``↔``not in``;
- ``and``↔``or``;
- a ``not`` dropped.

Each mutant is executed in-process (``exec`` of the mutated tree into a fresh module)
and its ``report()`` is run on the files of every vector of the exported suite; it is
*killed* when some vector's status or set of (file, line, rule, severity) differs
from ``expected.json`` — or when it raises.

A mutant is named by a description that survives a re-layout of the generated code:
the function, the rule comment above it (``# LSS-R04``), the operator and the source
of the changed expression, plus ``#k`` when the same text occurs k times.  Nothing
refers to line numbers.

Run ``python tests/conformance/mutation.py 2023 2005 2001`` (or ``scripts/mutation``)
for the full score; ``tests/conformance/test_mutation.py`` runs a sample.
"""

from __future__ import annotations

import argparse
import ast
import functools
import os
import re
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# functions of the generated module that are not the year's rules: the command line
NOT_RULES = frozenset({"main"})

_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_OP_TEXT = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_RULE_COMMENT = re.compile(r"^\s*#\s*(LSS-[A-Z]\d+)")


@dataclass(frozen=True, slots=True)
class Mutant:
    """One single-point change: the k-th mutation point of the module, and how to name it."""

    point: int  # position among the module's mutation points (in the order of :func:`_points`)
    function: str
    rule: str  # the rule comment above the change ("" when none)
    operator: str  # e.g. "< -> <=", "23 -> 24", "and -> or", "not dropped"
    snippet: str  # the changed expression's source
    occurrence: int = 1

    @property
    def description(self) -> str:
        where = f"{self.function} {self.rule}".rstrip()
        more = f" #{self.occurrence}" if self.occurrence > 1 else ""
        return f"{where}: {self.operator}: {self.snippet}{more}"


# --------------------------------------------------------------------------- finding the mutation points


@functools.cache
def runtime_names() -> frozenset[str]:
    """Top-level functions and classes of the shared runtime: not the year's code."""
    from lss_rules.runtime import python as runtime

    tree = ast.parse(Path(runtime.__file__).read_text(encoding="utf-8"))
    return frozenset(n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef))


def rule_functions(tree: ast.Module) -> list[ast.FunctionDef]:
    skip = runtime_names() | NOT_RULES
    return [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name not in skip]


def _children(node: ast.AST) -> Iterator[ast.AST]:
    yield from ast.iter_child_nodes(node)


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """Depth first, in source order (the order is what numbers the points)."""
    yield node
    for child in _children(node):
        yield from _walk(child)


def _ints_in(compare: ast.Compare) -> list[ast.Constant]:
    out = []
    for n in _walk(compare):
        if isinstance(n, ast.Constant) and type(n.value) is int:
            out.append(n)
    return out


Point = tuple[str, ast.AST, Any, ast.AST]  # (kind, node, detail, the expression to show)


def int_constants(tree: ast.Module) -> dict[str, int]:
    """Module-level names bound to an integer (``LIMIT = 1488``): a comparison may use one instead
    of the literal."""
    out: dict[str, int] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and type(node.value.value) is int
        ):
            out[node.targets[0].id] = node.value.value
    return out


def _points(tree: ast.Module) -> list[tuple[ast.FunctionDef, Point]]:
    """Every mutation point in the year's functions, in a fixed order."""
    out: list[tuple[ast.FunctionDef, Point]] = []
    named = int_constants(tree)
    for fn in rule_functions(tree):
        counted: set[int] = set()
        for node in _walk(fn):
            if isinstance(node, ast.Compare):
                for i, op in enumerate(node.ops):
                    if type(op) in _SWAP:
                        out.append((fn, ("op", node, i, node)))
                for c in _ints_in(node):
                    if id(c) in counted:
                        continue
                    counted.add(id(c))
                    out.append((fn, ("int", c, +1, node)))
                    out.append((fn, ("int", c, -1, node)))
                for n in _walk(node):  # a named integer: this use of it moved by one
                    if isinstance(n, ast.Name) and n.id in named and id(n) not in counted:
                        counted.add(id(n))
                        out.append((fn, ("name", n, (named[n.id], +1), node)))
                        out.append((fn, ("name", n, (named[n.id], -1), node)))
            elif isinstance(node, ast.BoolOp):
                out.append((fn, ("bool", node, None, node)))
            elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
                out.append((fn, ("not", node, None, node)))
    return out


def _snippet(node: ast.AST, width: int = 200) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _rule_above(lines: Sequence[str], fn: ast.FunctionDef, node: ast.AST, parents: dict[int, ast.AST]) -> str:
    """The rule comment (``# LSS-R04``) right above the statement holding the node, or above an
    enclosing statement of the function (innermost first); "" when there is none."""
    at: ast.AST | None = node
    while at is not None and at is not fn:
        if isinstance(at, ast.stmt) and at.lineno >= 2:
            match = _RULE_COMMENT.match(lines[at.lineno - 2])
            if match:
                return match.group(1)
        at = parents.get(id(at))
    return ""


def mutants(source: str) -> list[Mutant]:
    """Every mutant of a compiled module's source, with stable descriptions."""
    tree = ast.parse(source)
    lines = source.splitlines()
    out: list[Mutant] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    parents_of: dict[int, dict[int, ast.AST]] = {}
    for k, (fn, (kind, node, detail, shown)) in enumerate(_points(tree)):
        if kind == "op":
            assert isinstance(node, ast.Compare)
            op = type(node.ops[detail])
            operator = f"{_OP_TEXT[op]} -> {_OP_TEXT[_SWAP[op]]}"
        elif kind == "int":
            assert isinstance(node, ast.Constant)
            operator = f"{node.value} -> {node.value + detail}"
        elif kind == "name":
            assert isinstance(node, ast.Name)
            value, delta = detail
            operator = f"{value} -> {value + delta}"
        elif kind == "bool":
            assert isinstance(node, ast.BoolOp)
            operator = "and -> or" if isinstance(node.op, ast.And) else "or -> and"
        else:
            operator = "not dropped"
        if id(fn) not in parents_of:
            parents_of[id(fn)] = {id(c): p for p in ast.walk(fn) for c in ast.iter_child_nodes(p)}
        rule = _rule_above(lines, fn, node, parents_of[id(fn)])
        snippet = _snippet(shown)
        key = (fn.name, rule, operator, snippet)
        seen[key] = seen.get(key, 0) + 1
        out.append(Mutant(k, fn.name, rule, operator, snippet, seen[key]))
    return out


def mutate(source: str, mutant: Mutant) -> ast.Module:
    """The module's tree with one mutant applied."""
    tree = ast.parse(source)
    fn, (kind, node, detail, _) = _points(tree)[mutant.point]
    assert fn.name == mutant.function
    if kind == "op":
        assert isinstance(node, ast.Compare)
        ops = list(node.ops)
        ops[detail] = _SWAP[type(ops[detail])]()
        node.ops = ops
    elif kind == "int":
        assert isinstance(node, ast.Constant)
        node.value = node.value + detail
    elif kind == "name":
        value, delta = detail
        _replace(tree, node, ast.Constant(value + delta))
    elif kind == "bool":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    else:
        assert isinstance(node, ast.UnaryOp)
        _replace(tree, node, node.operand)
    return ast.fix_missing_locations(tree)


def _replace(tree: ast.Module, target: ast.AST, new: ast.AST) -> None:
    """Put ``new`` where ``target`` is in the tree."""
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, name, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is target:
                        value[i] = new
                        return
    raise AssertionError("a node without a parent")  # pragma: no cover


def load(tree: ast.Module, name: str = "lss_mutant") -> types.ModuleType:
    """Execute a (mutated) module tree into a fresh module object."""
    mod = types.ModuleType(name)
    mod.__file__ = f"<{name}>"
    code = compile(tree, mod.__file__, "exec")
    exec(code, mod.__dict__)
    return mod


# --------------------------------------------------------------------------- running the suite on a module


@dataclass(frozen=True)
class Case:
    """One vector of an exported suite, ready to run in-process."""

    id: str
    rule: str | None
    paths: tuple[str, ...]
    deceased: Any
    status: str
    keys: frozenset[tuple[Any, ...]]


def cases(suite: Path) -> list[Case]:
    from lss_rules.tools.conformance import key_set, load_suite

    _, vectors = load_suite(suite)
    out = []
    for v in vectors:
        paths = tuple(str(v.folder / n) for n in v.files)
        out.append(Case(v.id, v.rule, paths, v.read_deceased(), v.expected["status"], frozenset(key_set(v.expected))))
    return out


def fails(mod: types.ModuleType, case: Case) -> str | None:
    """Why the module's report on a vector differs from the expected one (None: it agrees)."""
    try:
        report = mod.report(list(case.paths), case.deceased)
        got = {(os.path.basename(f["file"]), f["line"], f["rule"], f["severity"]) for f in report["findings"]}
        status = report["status"]
    except Exception as exc:  # a crash kills the mutant as surely as a wrong answer
        return f"{type(exc).__name__}: {exc}"
    if status != case.status:
        return f"status {status}, expected {case.status}"
    if got != case.keys:
        return f"findings differ: missing {sorted(case.keys - got, key=str)}, extra {sorted(got - case.keys, key=str)}"
    return None


def killer(mod: types.ModuleType, run: Sequence[Case], rule: str) -> str | None:
    """The first vector that kills the module (the mutated rule's own vectors first)."""
    ordered = sorted(run, key=lambda c: c.rule != rule) if rule else run
    for case in ordered:
        if fails(mod, case) is not None:
            return case.id
    return None


@dataclass(frozen=True)
class Outcome:
    year: int
    mutants: tuple[Mutant, ...]
    survivors: tuple[Mutant, ...]
    equivalent: tuple[Mutant, ...]  # survivors listed as equivalent
    stale: tuple[str, ...]  # listed equivalents that no longer name a mutant
    killed_by_equivalent: tuple[str, ...]  # listed equivalents that the suite kills (not equivalent)
    seconds: float

    @property
    def killed(self) -> int:
        return len(self.mutants) - len(self.survivors)

    @property
    def score(self) -> float:
        countable = len(self.mutants) - len(self.equivalent)
        return 100.0 * (self.killed / countable) if countable else 100.0

    def line(self) -> str:
        countable = len(self.mutants) - len(self.equivalent)
        return (
            f"{self.year}: {self.killed} of {countable} mutants killed ({self.score:.1f} %), "
            f"{len(self.equivalent)} equivalent, {len(self.mutants)} in all, {self.seconds:.1f} s"
        )


def compiled_source(year: int) -> str:
    from lss_rules.backends.python.to_python import to_python
    from lss_rules.language.load import load_spec

    return to_python(load_spec().for_year(year))


def analyse(
    year: int,
    suite: Path,
    equivalent: dict[str, str],
    *,
    select: Callable[[list[Mutant]], list[Mutant]] = lambda ms: ms,
    source: str | None = None,
) -> Outcome:
    """Run the suite at ``suite`` against (a selection of) the mutants of a year's compiled module."""
    start = time.monotonic()
    source = source if source is not None else compiled_source(year)
    run = cases(suite)
    plain = load(ast.parse(source), f"lss_{year}")
    broken = [c.id for c in run if fails(plain, c) is not None]
    if broken:
        raise AssertionError(f"{year}: the unmutated module fails {broken[:5]}")
    every = mutants(source)
    names = {m.description for m in every}
    chosen = select(every)
    survivors, equiv, not_equiv = [], [], []
    for mu in chosen:
        mod = load(mutate(source, mu), f"lss_{year}_m{mu.point}")
        if killer(mod, run, mu.rule) is None:
            survivors.append(mu)
            if mu.description in equivalent:
                equiv.append(mu)
        elif mu.description in equivalent:
            not_equiv.append(mu.description)
    stale = tuple(d for d in equivalent if d not in names)
    return Outcome(
        year, tuple(chosen), tuple(survivors), tuple(equiv), stale, tuple(not_equiv), time.monotonic() - start
    )


def export_suite(year: int, folder: Path) -> Path:
    from lss_rules.language.load import load_spec
    from lss_rules.tools.conformance import export

    out = folder / str(year)
    export(load_spec().for_year(year), out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from equivalent_mutants import EQUIVALENT  # tests/conformance/equivalent_mutants.py

    p = argparse.ArgumentParser(description="Mutation score of the conformance suite (compiled validator).")
    p.add_argument("years", nargs="*", type=int, default=[2023, 2005, 2001])
    p.add_argument(
        "--suite",
        type=Path,
        help="an exported suite, or a folder with one per year (DIR/2023/...); default: export them afresh",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list every surviving mutant")
    args = p.parse_args(argv)
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for year in args.years:
            if args.suite is None:
                suite = export_suite(year, Path(tmp))
            elif (args.suite / str(year) / "manifest.json").exists():
                suite = args.suite / str(year)
            else:
                suite = args.suite
            out = analyse(year, suite, EQUIVALENT.get(year, {}))
            print(out.line(), flush=True)
            for mu in out.survivors:
                if mu.description not in EQUIVALENT.get(year, {}) or args.verbose:
                    tag = "equivalent" if mu in out.equivalent else "SURVIVED"
                    print(f"  {tag}: {mu.description}")
            for d in out.stale:
                print(f"  stale equivalent (no such mutant): {d}")
            for d in out.killed_by_equivalent:
                print(f"  listed as equivalent but killed: {d}")
            bad += len(out.survivors) - len(out.equivalent) + len(out.stale) + len(out.killed_by_equivalent)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
