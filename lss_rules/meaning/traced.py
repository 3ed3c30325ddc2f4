"""The reference evaluator's traces: every clause of a rule evaluated on one line, on its own.

A trace (docs/reference/sparning.md) shows a rule's ``when`` and ``require`` as a tree of clauses,
each with its truth value on the line.  The Python and JavaScript validators compute those values
with a small interpreter over the year's trace table; this module computes them a second,
independent way — :meth:`Evaluator.eval <lss_rules.meaning.evaluate.Evaluator.eval>` on the
model's own nodes, clause by clause in pre-order (a chain ``a and b and c`` is one clause with
three parts) — and only then hands the values to the runtime's object builder, which adds the
words.  The differential tests (tests/meaning/test_trace_differential.py) compare the two: the
words are shared, the evaluation is not.

>>> from lss_rules.language.load import load_spec
>>> ym = load_spec().for_year(2023)
>>> ev = Evaluator(ym)
>>> line, _ = ev.check_line(0, 1, "0114;201001012382;1;0;;0;;1;0;;0;;1;0;0;0;0;;0")
>>> r04 = next(ar for ar in ym.rules if ar.id == "LSS-R04")
>>> [(c.value, c.unknown) for c in clause_values(ev, r04.when, line)]
[(True, None)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, assert_never

from lss_rules.language import model as m
from lss_rules.meaning.evaluate import Evaluator, Line, reference_run
from lss_rules.runtime import python as runtime


@dataclass(frozen=True, slots=True)
class ClauseValue:
    """One clause's value on a line: what the runtime's object builder gets, in the table's node order."""

    op: str  # "and" | "or" | "not" | "test"
    value: bool | None
    unknown: str | None  # why ``value`` is None: "empty" or "malformed" (the first unknown field the clause reads)
    derived: tuple[tuple[Any, ...], ...]  # tests only: what was computed from the values (see derived_values)


def clause_nodes(e: m.Expr) -> Iterator[tuple[str, m.Expr, int]]:
    """The clauses of a condition in pre-order: (op, node, number of parts); a chain of one operator is one clause."""
    match e:
        case m.And() | m.Or():
            parts = list(_chain(e, type(e)))
            yield ("and" if isinstance(e, m.And) else "or"), e, len(parts)
            for p in parts:
                yield from clause_nodes(p)
        case m.Not(operand=o):
            yield "not", e, 1
            yield from clause_nodes(o)
        case _:
            yield "test", e, 0


def _chain(e: m.Expr, kind: type) -> Iterator[m.Expr]:
    if isinstance(e, kind) and isinstance(e, m.And | m.Or):
        yield from _chain(e.left, kind)
        yield from _chain(e.right, kind)
    else:
        yield e


def clause_values(ev: Evaluator, e: m.Expr | None, line: Line) -> list[ClauseValue]:
    """Every clause of ``e`` evaluated on ``line`` by the reference evaluator, in pre-order ([] for no condition)."""
    if e is None:
        return []
    out = []
    for op, node, _ in clause_nodes(e):
        value = ev.eval(node, line)
        out.append(
            ClauseValue(
                op,
                value,
                None if value is not None else unknown_state(node, line, ev.ym.field_names),
                derived_values(ev, node, line) if op == "test" else (),
            )
        )
    return out


def unknown_clauses(e: m.Expr) -> list[ClauseValue]:
    """Every clause of ``e`` unknown: a line with LSS-S01 has no fields to evaluate them on."""
    return [ClauseValue(op, None, None, ()) for op, _, _ in clause_nodes(e)]


def field_state(name: str, line: Line) -> str:
    """ "value", "empty" or "malformed": how a field stands on the line."""
    if line.values.get(name) is not None:
        return "value"
    return "empty" if line.raw.get(name, "") == "" else "malformed"


def unknown_state(e: m.Expr, line: Line, layout: Sequence[str]) -> str | None:
    """Why a clause is unknown: the state of the first field it reads (layout order) that has no value."""
    reads = set(m.reads(e))
    for name in layout:
        if name in reads and field_state(name, line) != "value":
            return field_state(name, line)
    return None


def derived_values(ev: Evaluator, e: m.Expr, line: Line) -> tuple[tuple[Any, ...], ...]:
    """What a test computes from the line's values, each built-in call once (in the order it is read).

    ``("age", age, year, born)``, ``("birth_year", born)``, ``("count", n, total, (set members...))``,
    ``("valid", ok)``, ``("deceased", dead, date or None)``; a call whose argument is unknown gives None.
    """
    out: dict[tuple[str, ...], tuple[Any, ...] | None] = {}
    for node in m.walk(e):
        match node:
            case m.Age(arg=ref):
                age = ev.eval(node, line)
                born = ev.eval(m.BirthYear(ref), line)
                out.setdefault(("age", ref.name), None if age is None else ("age", age, ev.ym.year, born))
            case m.BirthYear(arg=ref):
                born = ev.eval(node, line)
                out.setdefault(("birth_year", ref.name), None if born is None else ("birth_year", born))
            case m.Count(arg=group):
                n = ev.eval(node, line)
                on = tuple(g for g in group.members if line.values.get(g) == 1)
                out.setdefault(("count", *group.members), ("count", n, len(group.members), on))
            case m.ValidPersonnummer(arg=ref):
                ok = ev.eval(node, line)
                out.setdefault(("valid", ref.name), None if ok is None else ("valid", ok))
            case m.Deceased(arg=ref):
                dead = ev.eval(node, line)
                date = (ev.deceased or {}).get(line.raw.get(ref.name, "")) if dead else None
                out.setdefault(("deceased", ref.name), None if dead is None else ("deceased", dead, date))
            case (
                m.IntLit()
                | m.StrLit()
                | m.FieldRef()
                | m.ParamRef()
                | m.GroupRef()
                | m.Present()
                | m.Compare()
                | m.Between()
                | m.Member()
                | m.And()
                | m.Or()
                | m.Not()
                | m.Arith()
            ):
                pass
            case _:
                assert_never(node)
    return tuple(out.values())  # type: ignore[arg-type]


# ---------------------------------------------------------------------- one rule on one line


@dataclass(frozen=True, slots=True)
class LineTrace:
    """What the reference evaluator found for one rule (or check) on one line, before any words."""

    rule: str
    file: int
    line: int | None
    fired: bool
    skipped: tuple[tuple[str, ...], str] | None  # (unknown fields the rule reads, the check that made them unknown)
    when: list[ClauseValue] | None  # None: no ``when`` (the rule applies to every line)
    require: list[ClauseValue] | None
    fields: tuple[str, ...]  # the fields the rule reads (a check: the finding's), in layout order
    parts: list[str] | int | None  # the line's fields; their number for a line with LSS-S01; None: a whole file
    others: tuple[tuple[int, int], ...] = ()  # unique rules: (file index, line) of the other lines involved


def rule_of(ym: m.YearModel, ident: str) -> m.ActiveRule | m.ActiveCheck | None:
    return next((a for a in ym.active if a.id == ident), None)


def check_id(ym: m.YearModel, kind: str) -> str | None:
    return next((c.id for c in ym.checks if c.check.kind == kind), None)


def skipped_on(ev: Evaluator, ar: m.ActiveRule, line: Line | None) -> tuple[tuple[str, ...], str] | None:
    """Why ``ar`` is not evaluated on ``line``: LSS-S01 (no line), or the unknown fields it reads (S02/S03)."""
    ym = ev.ym
    if line is None:
        return (), check_id(ym, "field_count") or ""
    unknown = tuple(n for n in ym.field_names if n in ar.reads and n in line.unknown)
    if not unknown:
        return None
    malformed = any(field_state(n, line) == "malformed" for n in unknown)
    return unknown, check_id(ym, "value_form" if malformed else "required_value") or ""


def rule_trace(
    ev: Evaluator,
    ar: m.ActiveRule,
    fi: int,
    number: int,
    line: Line | None,
    parts: list[str] | int | None,
    fired: bool,
    others: tuple[tuple[int, int], ...] = (),
) -> LineTrace:
    """The trace of a rule on a parsed line: every clause evaluated here, independently of any validator."""
    skipped = skipped_on(ev, ar, line)
    when = require = None
    if ar.when is not None:
        when = clause_values(ev, ar.when, line) if line is not None else unknown_clauses(ar.when)
    if ar.require is not None:
        require = clause_values(ev, ar.require, line) if line is not None else unknown_clauses(ar.require)
    fields = tuple(n for n in ev.ym.field_names if n in ar.reads)
    return LineTrace(ar.id, fi, number, fired, skipped, when, require, fields, parts, others)


def _parts(ym: m.YearModel, text: str) -> list[str] | int:
    parts = text.split(ym.layout.separator)
    return parts if len(parts) == len(ym.fields) else len(parts)


def others_of(ev: Evaluator, ar: m.ActiveRule, target: Line, lines: list[list[Line]]) -> tuple[tuple[int, int], ...]:
    """The other lines a unique rule's finding on ``target`` involves, found again from the lines themselves.

    In one file (LSS-R07): the first line before it with the same key; across files (LSS-R09): every line in
    another file with the same key and a flag set that ``target`` has set too, in (file, line) order.
    """
    assert ar.unique is not None
    key = ar.unique.key
    counted = [ln for file in lines for ln in file if not set(ar.reads) & ln.unknown and ln.raw[key] == target.raw[key]]
    if ar.unique.each_flag_in is None:
        first = next((ln for ln in counted if ln.file == target.file), None)
        return () if first is None or first is target else ((first.file, first.number),)
    flags = {f for f in ar.unique.each_flag_in.members if target.values.get(f) == 1}
    found = {
        (ln.file, ln.number) for ln in counted if ln.file != target.file and any(ln.values.get(f) == 1 for f in flags)
    }
    return tuple(sorted(found))


def run_traces(
    ev: Evaluator, files: Sequence[Sequence[str]], findings: list[Any]
) -> dict[tuple[str, int, int | None], LineTrace]:
    """The trace of every finding of a run the evaluator has made on ``files`` (``ev.run`` first)."""
    ym = ev.ym
    by_line = {(ln.file, ln.number): ln for file in ev.parsed for ln in file}
    out: dict[tuple[str, int, int | None], LineTrace] = {}
    for f in findings:
        item = rule_of(ym, f.rule)
        line = by_line.get((f.file, f.line)) if f.line is not None else None
        parts: list[str] | int | None = _parts(ym, files[f.file][f.line - 1]) if f.line is not None else None
        if isinstance(item, m.ActiveRule):
            others = others_of(ev, item, line, ev.parsed) if item.unique is not None and line is not None else ()
            out[(f.rule, f.file, f.line)] = rule_trace(ev, item, f.file, f.line, line, parts, True, others)
        else:  # a structural check: its finding's fields are what it saw
            out[(f.rule, f.file, f.line)] = LineTrace(f.rule, f.file, f.line, True, None, None, None, f.fields, parts)
    return out


def explain_line(
    ym: m.YearModel,
    files: Sequence[Callable[[], Iterable[str]]],
    fi: int,
    number: int,
    ident: str,
    deceased: Mapping[str, dt.date] | None = None,
) -> LineTrace | None:
    """One rule (or check) on line ``number`` of file ``fi``: fired or not, and every clause's value there.

    ``files``: per file a function giving its lines afresh (the file is read again, never held: a
    unique rule keeps only the lines with the target's key).  None when the file has fewer lines.
    """
    ev = Evaluator(ym, deceased)
    text = next((t for n, t in enumerate(files[fi](), 1) if n == number), None)
    if text is None:
        return None
    parts = _parts(ym, text)
    line, found = ev.check_line(fi, number, text)
    item = rule_of(ym, ident)
    if isinstance(item, m.ActiveCheck):
        if item.check.kind == "empty_file":
            return LineTrace(ident, fi, number, False, None, None, None, (), parts)
        hit = next((f for f in found if f.rule == ident), None)
        return LineTrace(ident, fi, number, hit is not None, None, None, None, hit.fields if hit else (), parts)
    assert item is not None
    if item.unique is None:
        fired = any(f.rule == ident for f in found)
        return rule_trace(ev, item, fi, number, line, parts, fired)
    if line is None or set(item.reads) & line.unknown:
        return rule_trace(ev, item, fi, number, line, parts, False)
    key = line.raw[item.unique.key]
    index = ym.field_names.index(item.unique.key)
    alike: list[list[Line]] = []
    national = item.unique.each_flag_in is not None
    for i, lines in enumerate(files):
        kept = []
        if national or i == fi:
            for n, t in enumerate(lines(), 1):
                if not national and n > number:
                    break
                cut = t.split(ym.layout.separator)
                if len(cut) > index and cut[index] == key:
                    got, _ = ev.check_line(i, n, t)
                    if got is not None:
                        kept.append(got)
        alike.append(kept)
    target = next(ln for ln in alike[fi] if ln.number == number)
    hits = ev._unique_in_file(item, alike) if not national else ev._unique_across_files(item, alike)
    fired = any(h.file == fi and h.line == number for h in hits)
    others = others_of(ev, item, target, alike) if fired else ()
    return rule_trace(ev, item, fi, number, target, parts, fired, others)


# ---------------------------------------------------------------------- the trace object


def trace_json(
    details: Mapping[str, Any],
    lt: LineTrace,
    paths: Sequence[str],
    show_personnummer: bool = False,
    deceased: Mapping[str, dt.date] | None = None,
) -> dict[str, Any]:
    """The report's ``trace`` object of a reference trace, made by the runtime's builder from its values.

    ``details``: the year's detail table (:func:`lss_rules.meaning.expected.detail_table`, in the
    output's language); ``paths``: the files as the report shows them (for a unique rule's ``others``).
    Only the clauses' values come from here; the words, the values read and what a test derived are
    the runtime's (:func:`lss_rules.runtime.python.trace_object`), so a difference from a validator's
    trace is a difference in evaluation.
    """
    entry = details["traces"][lt.rule]
    kind = entry["kind"]
    skipped = None if lt.skipped is None else {"fields": list(lt.skipped[0]), "why": lt.skipped[1]}
    how: dict[str, Any] = {"fired": lt.fired, "skipped": skipped}
    if kind in ("rule", "unique"):
        values = (_in_table_order(entry["when"], lt.when), _in_table_order(entry["require"], lt.require))
        if kind == "unique":
            how["others"] = [{"file": paths[fi], "line": n} for fi, n in lt.others]
            how["require"] = runtime._test(entry["words"], value=None if skipped else not lt.fired)
        out = runtime.trace_object(entry, values, lt.parts, details, lt.rule, show_personnummer, deceased, **how)
        if kind == "unique" and skipped:  # unknown because the rule was not evaluated: the first such field's state
            states = {v["field"]: v["state"] for v in out["values"]}
            out["require"]["unknown"] = next((states[f] for f in skipped["fields"] if f in states), None)
        return out
    if lt.fired:  # a check's finding: a false test per field it names
        return runtime.finding_trace(lt.rule, list(lt.fields), lt.parts, details, show_personnummer, deceased)
    entry = dict(entry, reads=[])  # a check that did not fire names no field
    return runtime.trace_object(entry, ([], []), lt.parts, details, lt.rule, show_personnummer, deceased, **how)


def _in_table_order(node: Mapping[str, Any] | None, values: Sequence[ClauseValue] | None) -> list[bool | None]:
    """The clauses' values as the runtime's builder takes them, after checking they are the table's clauses."""
    ops: list[str] = []

    def walk(n: Mapping[str, Any]) -> None:
        ops.append(n["op"])
        for child in n.get("clauses", ()):
            walk(child)

    if node is not None:
        walk(node)
    got = [c.op for c in values or ()]
    if got != ops:  # the table and the model disagree on the clauses: a fault here, not in the line
        raise AssertionError(f"clauses {got} are not the trace table's {ops}")
    return [c.value for c in values or ()]


def evaluate_files_explained(
    ym: m.YearModel,
    paths: Sequence[str],
    deceased: Mapping[str, dt.date] | None = None,
    *,
    show_personnummer: bool = False,
) -> dict[str, Any]:
    """The report ``validate --explain`` gives on ``paths`` (``"contract": 2``, each finding's ``trace``),
    made by the reference evaluator: its findings, and every clause's value evaluated here, not by the runtime.

    The runtime's :func:`~lss_rules.runtime.python.explain` marks the report (``contract``, the lines it
    reads again, which findings get a trace); each trace is then :func:`trace_json` of this module's
    evaluation, in place of the runtime's interpreter.
    """
    report, ev, files, findings = reference_run(ym, paths, deceased, show_personnummer, lazy=True)
    report = runtime.explain(report, paths, deceased)
    found = report["findings"]
    traces = run_traces(ev, files, findings)

    def trace(rule: str, fi: int, line: int | None, fields: Any) -> dict[str, Any] | None:
        if line is not None and (fi, line) not in found.lines:
            return None  # as the runtime: a line not read again has no trace
        return trace_json(found.details, traces[(rule, fi, line)], found.paths, found.show_personnummer, deceased)

    found.trace = trace  # this report's traces: the reference's (the Findings object is this report's own)
    report["findings"] = list(found)
    return report
