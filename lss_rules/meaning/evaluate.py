"""The reference evaluator: the executable meaning of a year's rules.

It walks the :class:`~lss_rules.language.model.YearModel` for every line, the obvious
slow way, and produces the same report as a compiled validator.  The compiled
validators are tested against it (tests/backends/test_python_differential.py).

How findings are counted (rule catalogue, "How findings are counted"):

- a line with LSS-S01 gets no other finding;
- a value with an S02 or S03 finding is *unknown*: a rule (or a part of a
  structural check) that reads that field is not evaluated on that line;
- one finding per rule and line; a ``unique`` rule in a file reports every
  occurrence after the first; across files (national) every involved line;
- status from the severities.

Conditions are three-valued (:mod:`lss_rules.language.truth`): :meth:`Evaluator.eval` gives a
condition True, False or None (unknown: a comparison with an absent value), and a rule
gives a finding where ``when`` is true and ``require`` is false.

>>> from lss_rules.language.load import load_spec
>>> ym = load_spec().for_year(2023)
>>> [f.rule for f in evaluate_lines(ym, ["0114;201001012382;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"])]
[]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, assert_never

from lss_rules.language import model as m
from lss_rules.runtime import python as runtime

Value = int | str | None


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    file: int  # index of the file in the run
    line: int | None  # None for a finding about the whole file
    fields: tuple[str, ...]
    personnummer: str | None = None


@dataclass(slots=True)
class Line:
    """One parsed record line (only lines without LSS-S01)."""

    file: int
    number: int
    raw: dict[str, str]
    values: dict[str, Value]
    unknown: set[str]


class Evaluator:
    """Evaluates one year's model; keep one per run."""

    def __init__(self, ym: m.YearModel, deceased: Mapping[str, dt.date] | None = None) -> None:
        self.ym = ym
        self.deceased = deceased
        self.names = ym.field_names
        self.pnr_field = next((f.name for f in ym.fields if isinstance(f.type, m.PersonnummerType)), None)
        self.parsed: list[list[Line]] = []

    # ------------------------------------------------------------------ values
    def valid_form(self, f: m.Field, raw: str) -> bool:
        match f.type:
            case m.MunicipalityType():
                return len(raw) == 4 and raw.isdigit() and raw.isascii() and raw in self.ym.municipalities
            case m.PersonnummerType():
                return len(raw) == 12 and raw.isdigit() and raw.isascii()
            case m.FlagType():
                return raw in ("0", "1")
            case m.CountType():
                return raw.isdigit() and raw.isascii()
            case m.EnumType(members=members):
                return raw in {str(mm.value) for mm in members}
        return False  # pragma: no cover

    @staticmethod
    def convert(f: m.Field, raw: str) -> Value:
        if isinstance(f.type, m.CountType):
            return runtime.count_value(raw)  # any number of digits: never int() of a long text
        if isinstance(f.type, m.FlagType | m.EnumType):
            return int(raw)
        return raw

    # ------------------------------------------------------------------ expressions
    def eval(self, e: m.Expr, line: Line) -> Any:
        match e:
            case m.IntLit(value=v) | m.StrLit(value=v):
                return v
            case m.FieldRef(name=name):
                return line.values.get(name)
            case m.ParamRef(value=v):
                return v
            case m.GroupRef():
                raise TypeError("a group is only an argument of count()")
            case m.Count(arg=group):
                return sum(1 for n in group.members if line.values.get(n) == 1)
            case m.Present(arg=ref):
                return line.raw.get(ref.name, "") != ""
            case m.Age(arg=ref):
                pnr = self.eval(ref, line)
                return None if pnr is None else self.ym.year - int(pnr[:4])
            case m.BirthYear(arg=ref):
                pnr = self.eval(ref, line)
                return None if pnr is None else int(pnr[:4])
            case m.ValidPersonnummer(arg=ref):
                pnr = self.eval(ref, line)
                return None if pnr is None else runtime.valid_personnummer(pnr, self.ym.reference_date)
            case m.Deceased(arg=ref):
                pnr = self.eval(ref, line)
                if pnr is None:
                    return None
                died = (self.deceased or {}).get(pnr)
                return died is not None and died <= self.ym.reference_date
            case m.Compare(op=op, left=a, right=b):
                x, y = self.eval(a, line), self.eval(b, line)
                if x is None or y is None:
                    return None  # a comparison with an absent value is unknown
                return _compare(op, x, y)
            case m.Between(value=v, low=lo, high=hi):
                x, low, high = self.eval(v, line), self.eval(lo, line), self.eval(hi, line)
                if x is None or low is None or high is None:
                    return None
                return bool(low <= x <= high)
            case m.Member(value=v, options=opts):
                x = self.eval(v, line)
                return None if x is None else x in {o.value for o in opts}
            case m.And(left=a, right=b):
                return _and(self.eval(a, line), self.eval(b, line))
            case m.Or(left=a, right=b):
                return _or(self.eval(a, line), self.eval(b, line))
            case m.Not(operand=o):
                x = self.eval(o, line)
                return None if x is None else not x
            case m.Arith(op=op, left=a, right=b):
                x, y = self.eval(a, line), self.eval(b, line)
                if x is None or y is None:
                    return None
                return x + y if op == "+" else x - y
            case _:
                assert_never(e)

    def holds(self, e: m.Expr | None, line: Line) -> bool:
        """``e`` is true on the line (no condition: true); false or unknown is not."""
        return True if e is None else self.eval(e, line) is True

    def fails(self, e: m.Expr | None, line: Line) -> bool:
        """``e`` is false on the line (no condition: never); true or unknown is not."""
        return e is not None and self.eval(e, line) is False

    # ------------------------------------------------------------------ one line
    def check_line(self, fi: int, number: int, text: str) -> tuple[Line | None, list[Finding]]:
        ym = self.ym
        parts = text.split(ym.layout.separator)
        pnr = None
        if self.pnr_field is not None and len(parts) > self.names.index(self.pnr_field):
            pnr = parts[self.names.index(self.pnr_field)]
        active = {a.id: a for a in ym.active}
        check_by_kind: dict[str, str] = {c.check.kind: c.id for c in ym.checks}
        findings: list[Finding] = []

        def report(kind: str, fields: Iterable[str]) -> None:
            fields = tuple(fields)
            ident = check_by_kind.get(kind)
            if ident is not None and fields is not None:
                findings.append(Finding(ident, fi, number, _in_layout_order(fields, self.names), pnr))

        if len(parts) != len(self.names):
            if "field_count" in check_by_kind:
                report("field_count", ())
            return None, findings

        raw = dict(zip(self.names, parts, strict=True))
        values: dict[str, Value] = {}
        unknown: set[str] = set()
        s02: list[str] = []
        s03: list[str] = []
        s04: list[str] = []
        for f in ym.fields:
            r = raw[f.name]
            if r == "":
                values[f.name] = None
                if f.always_required:
                    s03.append(f.name)
            elif not self.valid_form(f, r):
                values[f.name] = None
                s02.append(f.name)
            else:
                values[f.name] = self.convert(f, r)
        unknown.update(s02, s03)
        line = Line(fi, number, raw, values, unknown)
        conditional: list[str] = []
        for f in ym.fields:
            r = raw[f.name]
            if (
                r == ""
                and f.required_when is not None
                and not set(m.reads(f.required_when)) & unknown
                and self.holds(f.required_when, line)
            ):
                conditional.append(f.name)
            if (
                r != ""
                and f.empty_unless is not None
                and not set(m.reads(f.empty_unless)) & unknown
                and not self.holds(f.empty_unless, line)
            ):
                s04.append(f.name)
            if (
                r != ""
                and f.differs_from is not None
                and f.differs_from in raw
                and f.name not in unknown
                and f.differs_from not in unknown
                and values[f.name] == values[f.differs_from]
                and f.name not in s04
            ):
                s04.append(f.name)
        s03 += conditional
        unknown.update(conditional)
        if s02:
            report("value_form", s02)
        if s03:
            report("required_value", s03)
        if s04:
            report("empty_value", s04)

        for ar in ym.rules:
            if ar.rule.scope not in ("record", "external") or ar.unique is not None:
                continue
            if ar.rule.scope == "external" and self.deceased is None:
                continue
            if set(ar.reads) & unknown:
                continue
            if self.holds(ar.when, line) and self.fails(ar.require, line):
                findings.append(Finding(ar.id, fi, number, _in_layout_order(ar.reads, self.names), pnr))
        del active
        return line, findings

    # ------------------------------------------------------------------ a whole run
    def run(self, files: Sequence[Iterable[str]]) -> tuple[list[int], list[Finding]]:
        """Evaluate files (each an iterable of lines); record counts and findings."""
        ym = self.ym
        findings: list[Finding] = []
        records: list[int] = []
        all_lines: list[list[Line]] = []
        empty_file = next((c.id for c in ym.checks if c.check.kind == "empty_file"), None)
        for fi, lines in enumerate(files):
            parsed: list[Line] = []
            count = 0
            for number, text in enumerate(lines, start=1):
                count = number
                line, found = self.check_line(fi, number, text)
                findings += found
                if line is not None:
                    parsed.append(line)
            records.append(count)
            all_lines.append(parsed)
            if count == 0 and empty_file is not None:
                findings.append(Finding(empty_file, fi, None, ()))
        self.parsed = all_lines  # the lines without LSS-S01, per file: the traces read them (meaning.traced)
        for ar in ym.rules:
            if ar.unique is None:
                continue
            if ar.unique.each_flag_in is None:
                findings += self._unique_in_file(ar, all_lines)
            else:
                findings += self._unique_across_files(ar, all_lines)
        return records, findings

    def _pnr(self, line: Line) -> str | None:
        return line.raw.get(self.pnr_field) if self.pnr_field else None

    def _unique_in_file(self, ar: m.ActiveRule, all_lines: list[list[Line]]) -> list[Finding]:
        assert ar.unique is not None
        key = ar.unique.key
        out = []
        for lines in all_lines:
            seen: set[str] = set()
            for line in lines:
                if set(ar.reads) & line.unknown:
                    continue
                value = line.raw[key]
                if value in seen:
                    out.append(Finding(ar.id, line.file, line.number, (key,), self._pnr(line)))
                seen.add(value)
        return out

    def _unique_across_files(self, ar: m.ActiveRule, all_lines: list[list[Line]]) -> list[Finding]:
        assert ar.unique is not None and ar.unique.each_flag_in is not None
        key = ar.unique.key
        members = ar.unique.each_flag_in.members
        holders: dict[tuple[str, str], list[Line]] = {}
        for lines in all_lines:
            for line in lines:
                if set(ar.reads) & line.unknown:
                    continue
                for flag in members:
                    if line.values.get(flag) == 1:
                        holders.setdefault((line.raw[key], flag), []).append(line)
        involved: dict[tuple[int, int], tuple[Line, set[str]]] = {}
        for (_, flag), lines in holders.items():
            if len({ln.file for ln in lines}) > 1:
                for ln in lines:
                    involved.setdefault((ln.file, ln.number), (ln, set()))[1].add(flag)
        return [
            Finding(ar.id, ln.file, ln.number, _in_layout_order((key, *flags), self.names), self._pnr(ln))
            for ln, flags in involved.values()
        ]


def _and(x: bool | None, y: bool | None) -> bool | None:
    """Kleene's ``and``: false if either is false, else unknown (None) if either is unknown."""
    if x is False or y is False:
        return False
    return None if x is None or y is None else True


def _or(x: bool | None, y: bool | None) -> bool | None:
    """Kleene's ``or``: true if either is true, else unknown (None) if either is unknown."""
    if x is True or y is True:
        return True
    return None if x is None or y is None else False


def _compare(op: str, x: Any, y: Any) -> bool:
    match op:
        case "=":
            return bool(x == y)
        case "!=":
            return bool(x != y)
        case "<":
            return bool(x < y)
        case "<=":
            return bool(x <= y)
        case ">":
            return bool(x > y)
        case ">=":
            return bool(x >= y)
    raise TypeError(op)  # pragma: no cover


def _in_layout_order(fields: Iterable[str], names: tuple[str, ...]) -> tuple[str, ...]:
    fs = set(fields)
    return tuple(n for n in names if n in fs)


# ---------------------------------------------------------------------- reports


def rule_table(ym: m.YearModel) -> dict[str, tuple[str, str]]:
    """Rule id -> (severity, Swedish message with that year's parameters), in report order."""
    return {a.id: (a.severity, a.message) for a in ym.active}


def not_checked(ym: m.YearModel, deceased: Mapping[str, dt.date] | None) -> list[str]:
    return [a.id for a in ym.rules if a.rule.scope == "external" and deceased is None]


def evaluate_files(
    ym: m.YearModel,
    paths: Sequence[str],
    deceased: Mapping[str, dt.date] | None = None,
    *,
    show_personnummer: bool = False,
) -> dict[str, Any]:
    """The JSON report for submission files, computed by the reference evaluator.

    With traces (``validate --explain``'s report): :func:`lss_rules.meaning.traced.evaluate_files_explained`.
    """
    return reference_run(ym, paths, deceased, show_personnummer)[0]


def reference_run(
    ym: m.YearModel,
    paths: Sequence[str],
    deceased: Mapping[str, dt.date] | None = None,
    show_personnummer: bool = False,
    lazy: bool = False,
) -> tuple[dict[str, Any], Evaluator, list[list[str]], list[Finding]]:
    """The report of :func:`evaluate_files` (``lazy``: its findings as the runtime's ``Findings``), and the run
    that made it: the evaluator (its parsed lines), the files' lines and the findings, for the traces."""
    ev = Evaluator(ym, deceased)
    files = [list(runtime.iter_lines(p)) for p in paths]
    records, findings = ev.run(files)
    raw = [(f.rule, f.file, f.line, f.fields, f.personnummer) for f in findings]
    from lss_rules.meaning.expected import detail_table

    report = runtime.build_report(
        ym.year,
        list(paths),
        records,
        raw,
        rule_table(ym),
        not_checked(ym, deceased),
        show_personnummer,
        lazy=lazy,
        details=detail_table(ym),
        lines_of=files.__getitem__,
    )
    return report, ev, files, findings


def evaluate_lines(
    ym: m.YearModel, lines: Iterable[str], deceased: Mapping[str, dt.date] | None = None
) -> list[Finding]:
    """Findings for the lines of one file (a convenience for tests and the REPL)."""
    _, findings = Evaluator(ym, deceased).run([list(lines)])
    return findings
