"""Hypothesis strategies for LSS data, derived from a year's typed model.

>>> from hypothesis import given
>>> from lss_rules.generators import records, invalid_records
>>> @given(invalid_records(2023, violating="LSS-R04"))
... def test_my_validator(drawn):
...     assert my_findings(drawn.files) == drawn.findings  # doctest: +SKIP

Every strategy returns a :class:`Drawn`: the submission files (file name ->
lines), the death-register extract when one is needed, and the exact findings
(rule, severity, file, line) that the rule catalogue's counting gives.

Nothing is written per rule.  Valid records are drawn structure first (the
municipality, the set of insatser, personkrets), then values (an age the
year's rules accept for that set, found by running the rules; a Skatteverket
test number of that age; hours below the year's limits), so examples shrink
towards one insats, the first municipality and small numbers.  Invalid data
comes from :mod:`lss_rules.meaning.derive`, which reads each rule's
``when``/``require`` expressions and solves for lines on which ``when`` holds
and ``require`` fails; the file and national rules (``unique``) get a repeated
personnummer in one file, or the same person and insats in two
municipalities' files; LSS-R02 gets a deceased-list entry; LSS-S05 an empty
file.  A new rule or year therefore gets strategies without new code.

Arguments are keyword-only and checked when the strategy is made, not when it
is drawn from: a bad one raises :class:`InvalidArgument` (a
:class:`~lss_rules.errors.UsageError`, so also a ``ValueError``, and a
``TypeError``, as Hypothesis' own ``InvalidArgument`` is).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from lss_rules.errors import UsageError
from lss_rules.generators.builder import Builder
from lss_rules.language import model as m
from lss_rules.meaning import derive
from lss_rules.runtime import python as runtime

__all__ = [
    "Drawn",
    "InvalidArgument",
    "invalid_files",
    "invalid_records",
    "records",
    "registers",
]


class InvalidArgument(UsageError, TypeError):
    """A strategy was called with an argument it cannot use."""


@dataclass(frozen=True)
class Drawn:
    """Drawn data: files in order, the deceased list if any, and the exact expected findings."""

    year: int
    files: dict[str, tuple[str, ...]]
    findings: tuple[dict[str, Any], ...] = ()
    deceased: dict[str, dt.date] | None = None

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(line for lines in self.files.values() for line in lines)

    @property
    def line(self) -> str:
        """The only line (for :func:`records` and :func:`invalid_records`)."""
        (only,) = self.lines
        return only

    @property
    def status(self) -> str:
        return runtime.status_of(f["severity"] for f in self.findings)

    @property
    def expected(self) -> dict[str, Any]:
        """``{"year", "status", "findings"}``, as in a conformance vector's expected.json."""
        return {"year": self.year, "status": self.status, "findings": [dict(f) for f in self.findings]}


# --------------------------------------------------------------------------- arguments


def _year_model(ym: Any) -> m.YearModel:
    if isinstance(ym, m.YearModel):
        return ym
    if isinstance(ym, bool) or not isinstance(ym, int):
        raise InvalidArgument(f"första argumentet ska vara ett år eller en YearModel, inte {ym!r}")
    return _load(ym)


@functools.cache
def _load(year: int) -> m.YearModel:
    from lss_rules.language.load import load_spec

    spec = load_spec()
    if year < spec.first_year:
        raise InvalidArgument(f"registret börjar {spec.first_year}; {year} finns inte")
    return spec.for_year(year)


def _int(name: str, value: Any, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name} ska vara ett heltal, inte {value!r}")
    if value < low:
        raise InvalidArgument(f"{name} ska vara minst {low} ({value})")
    return value


def _target(ym: m.YearModel, violating: Any) -> m.ActiveRule | m.ActiveCheck:
    if not isinstance(violating, str):
        raise InvalidArgument(f"violating ska vara ett regel-id som 'LSS-R04', inte {violating!r}")
    item = next((a for a in ym.active if a.id == violating), None)
    if item is None:
        known = ym.spec.ids
        if violating not in known:
            from lss_rules.language.diagnostics import did_you_mean

            hint = did_you_mean(violating, known)
            raise InvalidArgument(f"okänd regel {violating!r}" + (f" ({hint})" if hint else ""))
        raise InvalidArgument(f"{violating} gäller inte {ym.year}")
    return item


@functools.cache
def _builder(ym: m.YearModel) -> Builder:
    return Builder(ym, random.Random(0))


def _finding(ym: m.YearModel, rule: str, file: str, line: int | None) -> dict[str, Any]:
    return {"rule": rule, "severity": ym.severity_of(rule), "file": file, "line": line}


def _sorted(ym: m.YearModel, names: Sequence[str], found: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    order = {a.id: i for i, a in enumerate(ym.active)}
    return tuple(sorted(found, key=lambda f: (names.index(f["file"]), f["line"] or 0, order[f["rule"]])))


# --------------------------------------------------------------------------- valid records


@dataclass(frozen=True)
class _Person:
    pnr: str
    flags: tuple[str, ...]
    krets: str


@st.composite
def _person(draw: st.DrawFn, ym: m.YearModel, exclude: frozenset[str] = frozenset()) -> _Person:
    b = _builder(ym)
    # structure first: which insatser (kept in the drawn order while the rules allow the set)
    wanted = draw(st.lists(st.sampled_from(b.flags), min_size=1, max_size=4, unique=True))
    krets = ""
    if b.enum is not None and isinstance(b.enum.type, m.EnumType):
        krets = str(draw(st.sampled_from([x.value for x in b.enum.type.members])))
    flags: list[str] = []
    for f in wanted:
        if b.allowed_ages([*flags, f], krets):
            flags.append(f)
    if not flags and b.enum is not None and isinstance(b.enum.type, m.EnumType):
        krets = str(b.enum.type.members[0].value)
        flags = [f for f in wanted[:1] if b.allowed_ages([f], krets)]
    if not flags:
        flags = [derive._quiet_flag(ym)]
    # then values: an age the rules accept, a test number of that age
    ages = [a for a in b.allowed_ages(flags, krets) if b.pool.of_age(ym.year, a)]
    age = draw(st.sampled_from(ages))
    numbers = [p for p in b.pool.of_age(ym.year, age) if p not in exclude]
    if not numbers:  # pragma: no cover - only when nearly every number is excluded
        numbers = [p for a in ages for p in b.pool.of_age(ym.year, a) if p not in exclude]
    pnr = draw(st.sampled_from(numbers))
    return _Person(pnr, tuple(sorted(flags, key=b.flags.index)), krets)


@st.composite
def _values(draw: st.DrawFn, ym: m.YearModel, kommun: str, person: _Person, flags: Sequence[str]) -> dict[str, str]:
    b = _builder(ym)
    values = dict(b._template)
    values[b.lines.pnr] = person.pnr
    for name in b._kommun_fields:
        values[name] = kommun
    for n in flags:
        values[n] = "1"
    if b.enum is not None:
        values[b.enum.name] = person.krets
    need, may, _ = b._shape(flags)
    for name in need:
        values[name] = str(draw(st.integers(min_value=0, max_value=b.limits.get(name, 744))))
    for name in may:
        other = [c for c in b.codes if c != kommun]
        values[name] = draw(st.one_of(st.just(""), st.sampled_from(other)))
    return values


def records(year_model_or_year: m.YearModel | int, *, municipality: str | None = None) -> st.SearchStrategy[Drawn]:
    """One valid line (no findings) in a file named ``<kommun>.txt``."""
    ym = _year_model(year_model_or_year)
    b = _builder(ym)
    if municipality is not None and municipality not in ym.municipalities:
        raise InvalidArgument(f"kommunkoden {municipality!r} finns inte {ym.year}")
    kommuner = st.just(municipality) if municipality is not None else st.sampled_from(b.codes)

    @st.composite
    def one(draw: st.DrawFn) -> Drawn:
        kommun = draw(kommuner)
        person = draw(_person(ym))
        values = draw(_values(ym, kommun, person, person.flags))
        return Drawn(ym.year, {f"{kommun}.txt": (b.lines.text(values),)})

    return one()


@st.composite
def _register(
    draw: st.DrawFn,
    ym: m.YearModel,
    min_size: int,
    max_size: int,
    municipalities: int,
    split: bool,
    exclude: frozenset[str] = frozenset(),
) -> tuple[list[str], dict[str, list[str]], list[_Person]]:
    b = _builder(ym)
    codes = sorted(
        draw(st.lists(st.sampled_from(b.codes), min_size=municipalities, max_size=municipalities, unique=True))
    )
    people = draw(st.lists(_person(ym, exclude), min_size=min_size, max_size=max_size, unique_by=lambda p: p.pnr))
    files: dict[str, list[str]] = {c: [] for c in codes}
    for i, person in enumerate(people):
        home = codes[i] if i < len(codes) else codes[draw(st.integers(0, len(codes) - 1))]
        if split and len(codes) > 1 and len(person.flags) > 1 and draw(st.booleans()):
            cut = draw(st.integers(1, len(person.flags) - 1))
            away = draw(st.sampled_from([c for c in codes if c != home]))
            for code, part in ((home, person.flags[:cut]), (away, person.flags[cut:])):
                files[code].append(b.lines.text(draw(_values(ym, code, person, part))))
        else:
            files[home].append(b.lines.text(draw(_values(ym, home, person, person.flags))))
    return codes, files, people


def registers(
    year_model_or_year: m.YearModel | int, *, min_size: int = 2, max_size: int = 20, municipalities: int = 2
) -> st.SearchStrategy[Drawn]:
    """A valid register: ``municipalities`` files, ``min_size``–``max_size`` persons (each file non-empty).

    A person may be reported by two municipalities with different insatser, as in reality.
    """
    ym = _year_model(year_model_or_year)
    _int("min_size", min_size)
    _int("max_size", max_size)
    _int("municipalities", municipalities, 1)
    if max_size < min_size:
        raise InvalidArgument(f"max_size ({max_size}) är mindre än min_size ({min_size})")
    if min_size < municipalities:
        raise InvalidArgument(
            f"min_size ({min_size}) ska vara minst municipalities ({municipalities}): "
            "en kommun utan poster är en tom fil (LSS-S05)"
        )
    if municipalities > len(ym.municipalities):
        raise InvalidArgument(f"{ym.year} finns bara {len(ym.municipalities)} kommuner")
    if max_size > _builder(ym).pool.size:
        raise InvalidArgument(f"max_size {max_size} är fler än testpersonnumren räcker till ({_builder(ym).pool.size})")

    @st.composite
    def one(draw: st.DrawFn) -> Drawn:
        codes, files, _ = draw(_register(ym, min_size, max_size, municipalities, True))
        return Drawn(ym.year, {f"{c}.txt": tuple(files[c]) for c in codes})

    return one()


# --------------------------------------------------------------------------- invalid data


def _line_targets(ym: m.YearModel, item: m.ActiveRule | m.ActiveCheck) -> list[tuple[str, derive.Solution | None]]:
    """Violating lines for a record-level target: solutions, or raw lines for LSS-S01."""
    if isinstance(item, m.ActiveCheck) and item.check.kind == "field_count":
        return [(raw, None) for _, raw in derive.structural(ym, "field_count") if isinstance(raw, str)]
    sols = derive.violations(ym, item.id)
    return [("", s) for s in sols]


@st.composite
def _violating_line(
    draw: st.DrawFn, ym: m.YearModel, item: m.ActiveRule | m.ActiveCheck, kommun: str | None
) -> tuple[str, tuple[str, ...], dict[str, dt.date]]:
    """(line, the rules it draws, deceased entries it needs); values varied where the findings stay."""
    b = _builder(ym)
    lines = b.lines
    options = _line_targets(ym, item)
    raw, sol = draw(st.sampled_from(options))
    if sol is None:
        return raw, (item.id,), {}
    values = sol.mapping
    deceased = sol.deceased_map
    varied = dict(values)
    if kommun is not None:
        for name in b._kommun_fields:
            if name not in sol.changed:
                varied[name] = kommun
        for f in ym.fields:
            d = f.differs_from
            if d is not None and varied[f.name] != "":
                if values[f.name] == values[d]:
                    varied[f.name] = varied[d]
                elif varied[f.name] == varied[d]:
                    varied[f.name] = next(c for c in b.codes if c != varied[d])
    p = lines.pnr
    pnr = values[p]
    if len(pnr) == 12 and pnr.isdigit() and runtime.valid_personnummer(pnr, ym.reference_date):
        other = draw(st.sampled_from(b.pool.by_birth_year[int(pnr[:4])]))
        varied[p] = other
        if pnr in deceased:
            deceased = {other: deceased[pnr]}
    for f in ym.fields:  # hours and days: any value that still draws the same finding
        if isinstance(f.type, m.CountType) and f.name in sol.changed and values[f.name].isdigit():
            v = int(values[f.name])
            varied[f.name] = str(draw(st.integers(min_value=v, max_value=2 * v + 10)))
    expect = sol.findings
    if lines.findings(varied, deceased or None) == expect:
        values = varied
    else:
        deceased = sol.deceased_map
    return lines.text(values), tuple(r for r, _ in expect), deceased


def invalid_records(
    year_model_or_year: m.YearModel | int, *, violating: str = "LSS-R04", municipality: str | None = None
) -> st.SearchStrategy[Drawn]:
    """One line that draws exactly one finding, of ``violating`` (a record rule or LSS-S01–S04)."""
    ym = _year_model(year_model_or_year)
    item = _target(ym, violating)
    if isinstance(item, m.ActiveRule) and item.unique is not None:
        raise InvalidArgument(f"{violating} gäller flera rader eller filer; använd invalid_files")
    if isinstance(item, m.ActiveCheck) and item.check.kind == "empty_file":
        raise InvalidArgument(f"{violating} gäller en hel fil; använd invalid_files")
    if municipality is not None and municipality not in ym.municipalities:
        raise InvalidArgument(f"kommunkoden {municipality!r} finns inte {ym.year}")
    if not _line_targets(ym, item):
        raise InvalidArgument(f"{violating} kan inte brytas av en rad {ym.year}")

    @st.composite
    def one(draw: st.DrawFn) -> Drawn:
        line, rules, deceased = draw(_violating_line(ym, item, municipality))
        kommun = municipality or derive.base_record(ym)[_builder(ym)._kommun_fields[0]]
        name = f"{kommun}.txt"
        return Drawn(ym.year, {name: (line,)}, tuple(_finding(ym, r, name, 1) for r in rules), deceased or None)

    return one()


def invalid_files(
    year_model_or_year: m.YearModel | int,
    *,
    violating: str = "LSS-R07",
    min_size: int = 2,
    max_size: int = 8,
    municipalities: int = 2,
) -> st.SearchStrategy[Drawn]:
    """A register of valid lines plus exactly one violation of ``violating``, of any scope.

    Record rules and LSS-S01–S04: one violating line placed among valid ones.  A file rule
    (``unique`` key): the key repeated later in the same file (a finding on the repeat).  A national
    rule (``unique`` key for each set flag): the same person and insats from two municipalities (a
    finding on both lines).  LSS-R02: a deceased-list entry dated on or before the reference date
    (plus entries after it, which draw nothing).  LSS-S05: an empty file.
    """
    ym = _year_model(year_model_or_year)
    item = _target(ym, violating)
    _int("min_size", min_size, 1)
    _int("max_size", max_size, 1)
    _int("municipalities", municipalities, 1)
    if max_size < min_size:
        raise InvalidArgument(f"max_size ({max_size}) är mindre än min_size ({min_size})")
    if min_size < municipalities:
        raise InvalidArgument(f"min_size ({min_size}) ska vara minst municipalities ({municipalities})")
    national = isinstance(item, m.ActiveRule) and item.unique is not None and item.unique.each_flag_in is not None
    if national and municipalities < 2:
        raise InvalidArgument(f"{violating} gäller flera kommuner: municipalities ska vara minst 2")
    record_level = not (isinstance(item, m.ActiveRule) and (item.unique is not None or item.rule.scope == "external"))
    record_level = record_level and not (isinstance(item, m.ActiveCheck) and item.check.kind == "empty_file")
    if record_level and not _line_targets(ym, item):
        raise InvalidArgument(f"{violating} kan inte brytas {ym.year}")
    b = _builder(ym)

    @st.composite
    def one(draw: st.DrawFn) -> Drawn:
        exclude: frozenset[str] = frozenset()
        bad: tuple[str, tuple[str, ...], dict[str, dt.date]] | None = None
        if record_level:
            bad = draw(_violating_line(ym, item, None))
            parts = bad[0].split(b.lines.sep)
            at = ym.field_names.index(b.lines.pnr)
            exclude = frozenset({parts[at]}) if len(parts) > at else frozenset()
        codes, files, people = draw(_register(ym, min_size, max_size, municipalities, False, exclude))
        found: list[tuple[str, str, int | None]] = []  # rule, code, index (None: whole file)
        deceased: dict[str, dt.date] | None = None
        marks: dict[str, list[tuple[int, str]]] = {c: [] for c in codes}  # code -> (position, rule)
        if bad is not None:
            code = draw(st.sampled_from(codes))
            line, rules, dec = bad
            if b._kommun_fields and line.count(b.lines.sep) == len(ym.field_names) - 1:
                parts = line.split(b.lines.sep)
                k = ym.field_names.index(b._kommun_fields[0])
                if parts[k] in ym.municipalities and parts[k] != code:
                    fixed = list(parts)
                    fixed[k] = code
                    vals = dict(zip(ym.field_names, fixed, strict=True))
                    if b.lines.findings(vals, dec or None) == b.lines.findings(
                        dict(zip(ym.field_names, parts, strict=True)), dec or None
                    ):
                        line = b.lines.sep.join(fixed)
            pos = draw(st.integers(0, len(files[code])))
            files[code].insert(pos, line)
            _shift(marks[code], pos)
            marks[code] += [(pos, r) for r in rules]
            deceased = dec or None
        elif isinstance(item, m.ActiveRule) and item.unique is not None and item.unique.each_flag_in is None:
            code = draw(st.sampled_from(codes))
            src = draw(st.integers(0, len(files[code]) - 1))
            pos = draw(st.integers(src + 1, len(files[code])))
            files[code].insert(pos, files[code][src])
            _shift(marks[code], pos)
            marks[code].append((pos, item.id))
        elif national:
            home = draw(st.sampled_from(codes))
            src = draw(st.integers(0, len(files[home]) - 1))
            away = draw(st.sampled_from([c for c in codes if c != home]))
            values = dict(zip(ym.field_names, files[home][src].split(b.lines.sep), strict=True))
            for name in b._kommun_fields:
                values[name] = away
            for f in ym.fields:
                d = f.differs_from
                if d is not None and values[f.name] != "" and values[f.name] == values[d]:
                    values[f.name] = ""
            pos = draw(st.integers(0, len(files[away])))
            files[away].insert(pos, b.lines.text(values))
            _shift(marks[away], pos)
            marks[away].append((pos, item.id))
            marks[home].append((src, item.id))
        elif isinstance(item, m.ActiveRule):  # external: the death register
            ref = ym.reference_date
            code = draw(st.sampled_from(codes))
            src = draw(st.integers(0, len(files[code]) - 1))
            pnr = files[code][src].split(b.lines.sep)[ym.field_names.index(b.lines.pnr)]
            died = draw(st.dates(min_value=ref - dt.timedelta(days=3650), max_value=ref))
            deceased = {pnr: died}
            others = [p.pnr for p in people if p.pnr != pnr]
            if others:
                later = draw(st.lists(st.sampled_from(others), max_size=3, unique=True))
                for p in later:
                    deceased[p] = draw(
                        st.dates(min_value=ref + dt.timedelta(days=1), max_value=ref + dt.timedelta(days=400))
                    )
            marks[code].append((src, item.id))
        else:  # the empty file
            extra = draw(st.sampled_from([c for c in b.codes if c not in codes]))
            codes = sorted([*codes, extra])
            files[extra] = []
            marks[extra] = [(-1, item.id)]
        names = [f"{c}.txt" for c in codes]
        for c in codes:
            for pos, rule in marks[c]:
                found.append((rule, c, None if pos < 0 else pos))
        out = [_finding(ym, r, f"{c}.txt", None if i is None else i + 1) for r, c, i in found]
        return Drawn(ym.year, {f"{c}.txt": tuple(files[c]) for c in codes}, _sorted(ym, names, out), deceased)

    return one()


def _shift(marks: list[tuple[int, str]], pos: int) -> None:
    """A line was inserted at ``pos``: marks at or after it move down one."""
    for i, (p, r) in enumerate(marks):
        if p >= pos:
            marks[i] = (p + 1, r)
