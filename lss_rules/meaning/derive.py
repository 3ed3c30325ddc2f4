"""Derive data from one year's typed model: test numbers, valid base records, violations.

Nothing here is written per rule.  Every rule is a ``when``/``require`` pair (or a
``unique`` constraint) over the fields of the year's layout; the solver reads
those expressions and looks for lines on which ``when`` holds and ``require``
fails:

- the *search fields* are the fields the rule reads, closed over the fields
  their own conditions read (``required when``, ``empty unless``,
  ``differs from``), so that setting an hours value also sets its insats flag;
- the *candidates* for a field come from its type (``0``/``1`` for a flag, the
  members of an enum, another municipality code) and from the constants the
  rule compares it with (``c - 1``, ``c``, ``c + 1``: the boundaries); for the
  personnummer, Skatteverket test numbers of the ages the rule compares
  ``age(...)`` with, numbers that fail ``valid_personnummer`` and a death date
  on and after the reference date for ``deceased``;
- the search starts from a valid base record and tries the fewest changes
  first; every candidate line is run through the reference evaluator, and a
  line is kept only when it draws exactly the intended finding.

So the findings attached to every violation are those the rule catalogue's
counting gives (the evaluator implements it), and a new rule or year gets
violations without new code.  The test numbers it draws personnummer from are :mod:`lss_rules.meaning.pool`'s.

One module past 500 lines: the solver's steps (the model read for a rule, the lines it tries, the base
record, the search, the structural violations) share ``Lines`` and ``Solution`` and read best in that order.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from lss_rules.errors import UsageError
from lss_rules.language import model as m
from lss_rules.meaning.evaluate import Evaluator, Line
from lss_rules.meaning.pool import Pool, pool
from lss_rules.runtime import python as runtime

# --------------------------------------------------------------------------- the model, read


def is_flag(f: m.Field) -> bool:
    return isinstance(f.type, m.FlagType)


def pnr_field(ym: m.YearModel) -> str:
    name = next((f.name for f in ym.fields if isinstance(f.type, m.PersonnummerType)), None)
    if name is None:  # pragma: no cover - every register has one
        raise UsageError(f"{ym.year}: postformatet har inget personnummerfält")
    return name


def condition_reads(f: m.Field) -> tuple[str, ...]:
    out = list(m.reads(f.required_when))
    out += [n for n in m.reads(f.empty_unless) if n not in out]
    if f.differs_from is not None and f.differs_from not in out:
        out.append(f.differs_from)
    return tuple(out)


def closure(ym: m.YearModel, names: Iterable[str]) -> tuple[str, ...]:
    """The fields plus, transitively, the fields their conditions read (in layout order)."""
    todo = [n for n in names if n in ym.field_names]
    seen: set[str] = set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        todo += [r for r in condition_reads(ym.field(n)) if r in ym.field_names]
    return tuple(n for n in ym.field_names if n in seen)


def calls(expr: m.Expr | None, func: type[m.Builtin]) -> bool:
    """The expression uses the built-in function ``func`` (a node type: ``m.Age``, ``m.Deceased``, ...)."""
    return expr is not None and any(isinstance(e, func) for e in m.walk(expr))


def rule_exprs(item: m.ActiveRule | m.ActiveCheck) -> tuple[m.Expr, ...]:
    if isinstance(item, m.ActiveCheck):
        return ()
    return tuple(e for e in (item.when, item.require) if e is not None)


def compared_constants(exprs: Iterable[m.Expr], year: int) -> tuple[dict[str, set[int]], set[int]]:
    """Constants each field is compared with, and the ages ``age()``/``birth_year()`` are compared with."""
    fields: dict[str, set[int]] = {}
    ages: set[int] = set()

    def note(side: m.Expr, c: int | None) -> None:
        if c is None:
            return
        match side:
            case m.FieldRef(name=name):
                fields.setdefault(name, set()).add(c)
            case m.Age():
                ages.add(c)
            case m.BirthYear():
                ages.add(year - c)

    for expr in exprs:
        for e in m.walk(expr):
            match e:
                case m.Compare(left=a, right=b):
                    note(a, m.constant(b))
                    note(b, m.constant(a))
                case m.Between(value=v, low=lo, high=hi):
                    note(v, m.constant(lo))
                    note(v, m.constant(hi))
                case m.Member(value=v, options=opts):
                    for o in opts:
                        note(v, m.constant(o) if isinstance(o, m.IntLit) else None)
    return fields, ages


def count_limits(ym: m.YearModel) -> dict[str, int]:
    """The highest value of a count field that no active rule objects to (from ``field > c`` limits)."""
    out: dict[str, int] = {}
    for ar in ym.rules:
        for expr in rule_exprs(ar):
            for e in m.walk(expr):
                if isinstance(e, m.Compare) and isinstance(e.left, m.FieldRef):
                    c = m.constant(e.right)
                    if c is None or not isinstance(ym.field(e.left.name).type, m.CountType):
                        continue
                    limit = {">": c, "<=": c, ">=": c - 1, "<": c - 1}.get(e.op)
                    if limit is not None:
                        out[e.left.name] = min(out.get(e.left.name, limit), limit)
    return out


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True, slots=True)
class Expected:
    """One finding a generated line (or file) must draw."""

    rule: str
    file: int
    line: int | None
    fields: tuple[str, ...] = ()


class Lines:
    """Builds and checks lines of one year with the reference evaluator."""

    def __init__(self, ym: m.YearModel) -> None:
        self.ym = ym
        self.names = ym.field_names
        self.sep = ym.layout.separator
        self.pnr = pnr_field(ym)
        self.pool = pool(ym.reference_date)
        self._ev = Evaluator(ym, {})

    def text(self, values: Mapping[str, str]) -> str:
        return self.sep.join(values[n] for n in self.names)

    def findings(
        self, values: Mapping[str, str], deceased: Mapping[str, dt.date] | None = None
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(rule, fields) of every record-level finding of a line (deceased list given: R02 is checked)."""
        ev = self._ev if not deceased else Evaluator(self.ym, deceased)
        _, found = ev.check_line(0, 1, self.text(values))
        return tuple((f.rule, f.fields) for f in found)

    def parsed(self, values: Mapping[str, str]) -> Line:
        vals: dict[str, int | str | None] = {}
        unknown: set[str] = set()
        for f in self.ym.fields:
            r = values[f.name]
            if r != "" and self._ev.valid_form(f, r):
                vals[f.name] = self._ev.convert(f, r)
            else:
                vals[f.name] = None
                unknown.add(f.name)
        return Line(0, 1, dict(values), vals, unknown)

    def holds(self, expr: m.Expr | None, values: Mapping[str, str]) -> bool:
        return self._ev.holds(expr, self.parsed(values))

    def fix_up(self, values: dict[str, str], keep: Iterable[str] = ()) -> dict[str, str]:
        """Fill or empty the fields whose conditions depend on others (except ``keep``)."""
        keep = set(keep)
        for f in self.ym.fields:
            if f.name in keep:
                continue
            if f.required_when is not None and values[f.name] == "" and self.holds(f.required_when, values):
                values[f.name] = "1"
            elif f.empty_unless is not None and values[f.name] != "" and not self.holds(f.empty_unless, values):
                values[f.name] = ""
        return values

    def age_of(self, pnr: str) -> int:
        return self.ym.year - int(pnr[:4])


# --------------------------------------------------------------------------- base records


def _quiet_flag(ym: m.YearModel) -> str:
    """The flag that the fewest rules and conditions read by name (kontaktperson in the LSS spec)."""
    flags = [f.name for f in ym.fields if is_flag(f)]
    if not flags:  # pragma: no cover
        raise UsageError(f"{ym.year}: postformatet har inga insatser")

    def score(name: str) -> int:
        n = sum(name in condition_reads(f) for f in ym.fields)
        for ar in ym.rules:
            for expr in rule_exprs(ar):
                n += sum(1 for e in m.walk(expr) if isinstance(e, m.FieldRef) and e.name == name)
        return n

    return min(flags, key=score)


@functools.cache
def base_record(ym: m.YearModel) -> dict[str, str]:
    """A valid line with one insats, an adult's test number and nothing optional: the solver's start."""
    lines = Lines(ym)
    codes = sorted(ym.municipalities)
    flag = _quiet_flag(ym)
    values: dict[str, str] = {}
    for f in ym.fields:
        match f.type:
            case m.MunicipalityType():
                values[f.name] = "" if f.optional else codes[0]
            case m.PersonnummerType():
                values[f.name] = ""
            case m.FlagType():
                values[f.name] = "1" if f.name == flag else "0"
            case m.CountType():
                values[f.name] = ""
            case m.EnumType(members=members):
                values[f.name] = str(members[0].value)
    lines.fix_up(values)
    for age in (30, 31, 29, 35, 40, 25, 45, 20, 50, 18, 60):
        for pnr in lines.pool.of_age(ym.year, age)[:3]:
            values[lines.pnr] = pnr
            if not lines.findings(values):
                return values
    raise UsageError(f"{ym.year}: hittar ingen giltig grundpost bland testpersonnumren")  # pragma: no cover


# --------------------------------------------------------------------------- the solver


@dataclass(frozen=True, slots=True)
class Solution:
    """A line (values by field) with the findings it draws; ``deceased`` the death list it needs."""

    values: tuple[tuple[str, str], ...]
    findings: tuple[tuple[str, tuple[str, ...]], ...]
    changed: tuple[str, ...]
    deceased: tuple[tuple[str, str], ...] = ()

    @property
    def mapping(self) -> dict[str, str]:
        return dict(self.values)

    @property
    def deceased_map(self) -> dict[str, dt.date]:
        return {p: dt.date.fromisoformat(d) for p, d in self.deceased}


# a personnummer candidate: (number, date of death or None)
PnrCand = tuple[str, dt.date | None]


def _all_ages(ym: m.YearModel) -> set[int]:
    """Every age any active rule compares with: the ages where rules switch on or off."""
    _, ages = compared_constants((e for ar in ym.rules for e in rule_exprs(ar)), ym.year)
    return ages


def _pnr_candidates(lines: Lines, exprs: tuple[m.Expr, ...], base_pnr: str, forced: bool) -> list[PnrCand]:
    ym = lines.ym
    _, ages = compared_constants(exprs, ym.year)
    near = {a + d for a in ages for d in (-1, 0, 1)}
    # the other rules' boundaries too, so that a line can be moved out of their way
    others = {a + d for a in _all_ages(ym) for d in (-1, 0, 1)} - near
    special: list[PnrCand] = []
    if any(calls(e, m.ValidPersonnummer) for e in exprs) or forced:
        special += [(p, None) for p in _pnr_edges(lines.pool)]
    if any(calls(e, m.Deceased) for e in exprs):
        ref = ym.reference_date
        special.append((base_pnr, ref))  # died on the reference date: deceased
        special.append((base_pnr, ref + dt.timedelta(days=1)))  # died after it: inside
        special.append((base_pnr, ref - dt.timedelta(days=1)))
    out: list[PnrCand] = list(special)
    for age in [*sorted(near), *sorted(others)]:
        nums = lines.pool.of_age(ym.year, age)
        if nums:
            out.append((nums[len(nums) // 2], None))
    return out


def _pnr_edges(numbers: Pool) -> tuple[str, ...]:
    """The numbers at LSS-R01's edges on the pool's reference date: the valid one born last, the first born after
    the date, and the first invalid one of each kind (month 00, day 60, no date).  They read the whole pool (4
    million birth dates for a conformance suite), so they are found once a reference date."""
    edges = _EDGES.get(numbers.reference_date)
    if edges is None:
        ref = numbers.reference_date
        out: list[str] = []
        valid = [p for ps in numbers.by_birth_year.values() for p in ps]
        born = [(runtime.birth_date(p), p) for p in valid]
        last_valid = max(((b, p) for b, p in born if b is not None), default=None)
        if last_valid is not None:
            out.append(last_valid[1])  # born on (or just before) the reference date: inside
        after = sorted(
            (b, p)
            for p in numbers.invalid
            if (b := runtime.birth_date(p)) is not None and b > (ref.year, ref.month, ref.day)
        )
        if after:
            out.append(after[0][1])  # born the first day after the reference date
        for kind in ("00", "60", "date"):
            pick = next((p for p in numbers.invalid if _invalid_kind(p) == kind), None)
            if pick is not None:
                out.append(pick)
        edges = _EDGES[ref] = tuple(out)
    return edges


_EDGES: dict[dt.date, tuple[str, ...]] = {}  # by reference date (the pool is one a date: meaning/pool.py)


def _invalid_kind(pnr: str) -> str:
    if pnr[4:6] == "00":
        return "00"
    if pnr[6:8] == "60":
        return "60"
    if runtime.birth_date(pnr) is None:
        return "date"
    return "later"


def candidates(lines: Lines, name: str, exprs: tuple[m.Expr, ...], base: Mapping[str, str]) -> Sequence[str | PnrCand]:
    """The values worth trying for a field, boundaries first."""
    ym = lines.ym
    f = ym.field(name)
    consts, _ = compared_constants(exprs, ym.year)
    match f.type:
        case m.FlagType():
            return ["0", "1"]
        case m.CountType():
            cs = consts.get(name, set())
            vals = sorted({c + d for c in cs for d in (-1, 0, 1) if c + d >= 0}) or [1]
            return [str(v) for v in vals]
        case m.EnumType(members=members):
            return [str(x.value) for x in members] + ([""] if f.optional else [])
        case m.MunicipalityType():
            codes = sorted(ym.municipalities)
            kommun = next((v for n, v in base.items() if n != name and v in ym.municipalities), codes[0])
            other = next(c for c in codes if c != kommun)
            return [kommun, other] + ([""] if f.optional else [])
        case m.PersonnummerType():
            return list(_pnr_candidates(lines, exprs, base[name], forced=False))
    return []  # pragma: no cover


def search(
    ym: m.YearModel,
    target: str,
    *,
    fields: Iterable[str],
    exprs: tuple[m.Expr, ...] = (),
    forced: Mapping[str, str] | None = None,
    extra: int = 1,
    max_changes: int = 4,
    budget: int = 6000,
) -> list[Solution]:
    """Lines that draw exactly one finding, of ``target``: fewest changes first, then ``extra`` more."""
    lines = Lines(ym)
    base = dict(base_record(ym))
    forced = dict(forced or {})
    base.update(forced)
    fields = list(fields)
    if lines.pnr not in fields:
        fields.append(lines.pnr)  # the age may have to move out of other rules' way
    search_fields = [n for n in fields if n not in forced]
    cands = {n: [c for c in candidates(lines, n, exprs, base) if c != base[n]] for n in search_fields}
    out: list[Solution] = []
    seen: set[tuple[tuple[str, str], ...]] = set()
    found_at: int | None = None
    tried = 0
    for k in range(0, min(len(search_fields), max_changes) + 1):
        if found_at is not None and k > found_at + extra:
            break
        for combo in itertools.combinations(search_fields, k):
            for choice in itertools.product(*(cands[n] for n in combo)):
                tried += 1
                if tried > budget:
                    return out
                values = dict(base)
                deceased: dict[str, dt.date] = {}
                for n, c in zip(combo, choice, strict=True):
                    if isinstance(c, tuple):
                        values[n] = c[0]
                        if c[1] is not None:
                            deceased[c[0]] = c[1]
                    else:
                        values[n] = c
                lines.fix_up(values, keep=(*combo, *forced))
                key = tuple(sorted(values.items())) + tuple((p, d.isoformat()) for p, d in deceased.items())
                if key in seen:
                    continue
                seen.add(key)
                found = lines.findings(values, deceased or None)
                if len(found) == 1 and found[0][0] == target:
                    out.append(
                        Solution(
                            tuple((n, values[n]) for n in lines.names),
                            found,
                            tuple(sorted({*combo, *forced})),
                            tuple((p, d.isoformat()) for p, d in deceased.items()),
                        )
                    )
                    if found_at is None:
                        found_at = k
    return out


def inside(ym: m.YearModel, sol: Solution, exprs: tuple[m.Expr, ...]) -> list[Solution]:
    """Lines one value away from a violation that draw no finding: just inside the rule."""
    lines = Lines(ym)
    base = sol.mapping
    out: list[Solution] = []
    for n in sol.changed:
        for c in candidates(lines, n, exprs, base):
            values = dict(base)
            deceased = dict(sol.deceased_map)
            if isinstance(c, tuple):
                if (c[0], c[1]) == (values[n], deceased.get(values[n])):
                    continue
                deceased.pop(values[n], None)
                values[n] = c[0]
                if c[1] is not None:
                    deceased[c[0]] = c[1]
            else:
                if c == values[n]:
                    continue
                values[n] = c
            lines.fix_up(values, keep=sol.changed)
            if not lines.findings(values, deceased or None):
                out.append(
                    Solution(
                        tuple((k, values[k]) for k in lines.names),
                        (),
                        sol.changed,
                        tuple((p, d.isoformat()) for p, d in deceased.items()),
                    )
                )
    return out


def record_targets(ym: m.YearModel) -> tuple[str, ...]:
    """Rules and checks that one line alone can violate (everything but ``unique`` rules and S05)."""
    out = [c.id for c in ym.checks if c.check.kind != "empty_file"]
    out += [r.id for r in ym.rules if r.unique is None]
    return tuple(out)


def _bad_forms(lines: Lines, f: m.Field, base: Mapping[str, str]) -> list[str]:
    ym = lines.ym
    match f.type:
        case m.MunicipalityType():
            missing = next(f"{c:04d}" for c in range(9999, 0, -1) if f"{c:04d}" not in ym.municipalities)
            code = sorted(ym.municipalities)[0]
            return [missing, code[:3], code + "0", "A" + code[1:]]
        case m.PersonnummerType():
            p = base[f.name]
            return [p[:11], p + "0", p[:8] + "-" + p[8:], p[:11] + "X"]
        case m.FlagType():
            return ["2", "x", "01", " 1"]
        case m.CountType():
            return ["-1", "1.5", "+3", "tio", "1 0"]
        case m.EnumType(members=members):
            vals = [x.value for x in members]
            return [str(max(vals) + 1), str(min(vals) - 1), "x"]
    return []  # pragma: no cover


def structural(ym: m.YearModel, kind: str) -> list[tuple[str, Solution | str]]:
    """Violations of a structural check, by what they show: (description, solution or raw line)."""
    lines = Lines(ym)
    base = base_record(ym)
    ident = next((c.id for c in ym.checks if c.check.kind == kind), None)
    if ident is None:
        return []
    out: list[tuple[str, Solution | str]] = []
    text = lines.text(base)
    match kind:
        case "field_count":
            sep = lines.sep
            return [
                ("ett fält för lite", sep.join(text.split(sep)[:-1])),
                ("ett fält för mycket", text + sep + "0"),
                ("semikolon sist på raden", text + sep),
                ("tom rad", ""),
            ]
        case "value_form":
            for f in ym.fields:
                for bad in _bad_forms(lines, f, base):
                    sols = search(ym, ident, fields=closure(ym, condition_reads(f)), forced={f.name: bad}, extra=0)
                    if sols:
                        out.append((f"{f.name} = {bad!r}", sols[0]))
        case "required_value":
            for f in ym.fields:
                if f.always_required or f.required_when is not None:
                    sols = search(ym, ident, fields=closure(ym, condition_reads(f)), forced={f.name: ""}, extra=0)
                    if sols:
                        out.append((f"{f.name} tomt", sols[0]))
        case "empty_value":
            codes = sorted(ym.municipalities)
            for f in ym.fields:
                if f.empty_unless is None and f.differs_from is None:
                    continue
                tries: list[tuple[str, str]] = []
                if isinstance(f.type, m.MunicipalityType):
                    if f.empty_unless is not None:
                        tries.append((f"{f.name} utan villkor", codes[1]))
                    if f.differs_from is not None:
                        tries.append((f"{f.name} lika med {f.differs_from}", base[f.differs_from]))
                else:
                    tries.append((f"{f.name} = '0' utan villkor", "0"))
                for desc, value in tries:
                    sols = search(ym, ident, fields=closure(ym, condition_reads(f)), forced={f.name: value}, extra=0)
                    if f.differs_from is not None and value == base[f.differs_from]:
                        exprs = tuple(e for e in (f.empty_unless,) if e is not None)
                        sols = search(
                            ym, ident, fields=closure(ym, condition_reads(f)), exprs=exprs, forced={f.name: value}
                        )
                        # where the field may have a value (its condition holds): only ``differs from`` objects
                        sols = [s for s in sols if lines.holds(f.empty_unless, s.mapping)] or sols
                    if sols:
                        out.append((desc, sols[0]))
    return out


@functools.cache
def violations(ym: m.YearModel, target: str) -> tuple[Solution, ...]:
    """Lines drawing exactly one finding of a record-level rule or check (cached per year model)."""
    item = next((a for a in ym.active if a.id == target), None)
    if item is None:
        raise UsageError(f"{target} gäller inte {ym.year}")
    if isinstance(item, m.ActiveCheck):
        return tuple(s for _, s in structural(ym, item.check.kind) if isinstance(s, Solution))
    if item.unique is not None:
        raise UsageError(f"{target} gäller flera rader; använd invalid_files")
    exprs = rule_exprs(item)
    return tuple(search(ym, target, fields=closure(ym, item.reads), exprs=exprs))


def iter_solutions(sols: Iterable[Solution]) -> Iterator[dict[str, str]]:
    for s in sols:
        yield s.mapping
