"""The conformance suite for vendors: export test vectors for a year, run a vendor's validator on them.

A *vector* is a folder with submission files (``<kommunkod>.txt``), a
``deceased.txt`` when the vector needs a death-register extract, and
``expected.json``::

    {"year": 2023, "status": "rejected",
     "findings": [{"rule": "LSS-R04", "severity": "error", "file": "0114.txt", "line": 1}]}

The suite folder holds one folder per vector and ``manifest.json`` (year, spec
version, and for every vector its id, the rule it tests, its kind and what it
shows).  Vectors come from the model-derived solver
(:mod:`lss_rules.meaning.derive`) and fixed seeds, so the suite is the same
between runs:

- for every rule and check in force: lines that violate it at its boundaries
  (``violation``) and lines one value away that do not (``inside``); for a
  structural check one vector per field, every way of breaking it a line;
- for every record rule one ``combination``: its boundary lines after the same
  line with another personnummer (what a validator may remember), with an
  unknown value in a field the rule does not read, with each field it reads
  made unknown, in the second file of a run whose first file breaks every other
  rule and check;
- the file and national rules with several lines and files (a repeat
  personnummer; the same person and insats from two municipalities);
- the counting conventions (``convention``) and the interpretations the README
  lists (``interpretation``), one named vector each;
- the file conventions (``format``: CRLF, a byte-order mark, no final line end);
- a whole valid register (``register``).

Every expected report is computed by the reference evaluator
(:mod:`lss_rules.meaning.evaluate`) and checked against what the solver intended.

The runner calls ``VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] -- FILE...``
in each vector's folder (file names relative, after ``--`` so that none is read as an option),
and compares the status and the
set of (file, line, rule, severity).  Exit code 0 for an accepted report and 1
for a rejected one are part of the protocol, as for ``lss-rules validate``.

A suite is untrusted input (vendors download it): :func:`load_suite` validates it before
anything in it is used, and :func:`junit_xml` is well-formed whatever a vendor prints.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shlex
import stat
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lss_rules.errors import DataError, UsageError
from lss_rules.language import model as m
from lss_rules.runtime import python as runtime

if TYPE_CHECKING:
    from lss_rules.meaning import derive

SUITE_FORMAT = 1
STATUSES = ("accepted", "accepted_with_warnings", "rejected")
MAX_PER_RULE = 8


@dataclass(frozen=True)
class Vector:
    id: str
    rule: str | None
    kind: str  # violation | inside | combination | convention | interpretation | format | register
    tests: str
    files: dict[str, list[str]]
    deceased: dict[str, dt.date] | None = None
    expected: dict[str, Any] = field(default_factory=dict, compare=False)
    raw: dict[str, bytes] | None = None  # the exact bytes of the files, when the form itself is tested

    def file_bytes(self, name: str) -> bytes:
        if self.raw is not None and name in self.raw:
            return self.raw[name]
        return "".join(line + "\n" for line in self.files[name]).encode("utf-8")


# --------------------------------------------------------------------------- the reference answer


def reference_findings(
    ym: m.YearModel, files: Mapping[str, Sequence[str]], deceased: Mapping[str, dt.date] | None
) -> dict[str, Any]:
    """The expected.json of a vector according to a year model (used with mutants in the tests)."""
    from lss_rules.meaning.evaluate import Evaluator, rule_table

    names = list(files)
    _, found = Evaluator(ym, deceased).run([list(files[n]) for n in names])
    table = rule_table(ym)
    order = {r: i for i, r in enumerate(table)}
    found = sorted(found, key=lambda f: (f.file, f.line or 0, order[f.rule]))
    out = [{"rule": f.rule, "severity": table[f.rule][0], "file": names[f.file], "line": f.line} for f in found]
    return {"year": ym.year, "status": runtime.status_of(f["severity"] for f in out), "findings": out}


def key_set(report: Mapping[str, Any]) -> set[tuple[Any, Any, Any, Any]]:
    return {(f["file"], f["line"], f["rule"], f["severity"]) for f in report["findings"]}


def duplicates(report: Mapping[str, Any]) -> list[tuple[Any, Any, Any, Any]]:
    """Findings reported more than once for the same rule, file and line (there is one at most)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in report["findings"]:
        k = (f["file"], f["line"], f["rule"], f["severity"])
        if k in seen and k not in out:
            out.append(k)
        seen.add(k)
    return sorted(out, key=_k)


# --------------------------------------------------------------------------- building the suite


def _describe(
    ym: m.YearModel, base: Mapping[str, str], values: Mapping[str, str], deceased: Mapping[str, dt.date]
) -> str:
    from lss_rules.meaning import derive

    pnr = derive.pnr_field(ym)
    parts = []
    for n in ym.field_names:
        if values[n] == base[n] and not (n == pnr and values[n] in deceased):
            continue
        v = values[n]
        if n == pnr and len(v) == 12 and v.isdigit():
            if runtime.valid_personnummer(v, ym.reference_date):
                text = f"{n} {v} (ålder {ym.year - int(v[:4])} räknat per kalenderår)"
            else:
                text = f"{n} {v} (inte ett korrekt personnummer {ym.reference_date})"
            if v in deceased:
                text += f", avliden {deceased[v].isoformat()}"
            parts.append(text)
        else:
            parts.append(f"{n} = {v!r}")
    return ", ".join(parts) or "grundposten"


def build_suite(ym: m.YearModel) -> list[Vector]:
    """Every vector of a year's suite, in a stable order."""
    from lss_rules.generators.bulk import build_register
    from lss_rules.meaning import derive

    lines = derive.Lines(ym)
    base = derive.base_record(ym)
    codes = sorted(ym.municipalities)
    home, away = base[next(f.name for f in ym.fields if isinstance(f.type, m.MunicipalityType))], None
    away = next(c for c in codes if c != home)
    out: list[Vector] = []

    def add(
        rule: str | None,
        kind: str,
        tests: str,
        files: dict[str, list[str]],
        deceased: dict | None = None,
        intended: set[tuple[Any, ...]] | None = None,
        raw: dict[str, bytes] | None = None,
        name: str | None = None,
        contains: set[tuple[Any, ...]] | None = None,
    ) -> None:
        n = 1 + sum(1 for v in out if v.rule == rule and v.kind == kind)
        ident = f"{rule or kind}-{kind}-{n:02d}" if rule else f"{kind}-{n:02d}"
        if name is not None:
            ident = f"{kind}-{name}"
        expected = reference_findings(ym, files, deceased)
        got = {(f, ln, r) for f, ln, r, _ in key_set(expected)}
        if intended is not None and got != intended:
            raise AssertionError(f"{ident}: the evaluator does not give the intended findings")  # pragma: no cover
        if contains is not None and not contains <= got:
            raise AssertionError(f"{ident}: the evaluator does not give the intended findings")  # pragma: no cover
        out.append(Vector(ident, rule, kind, tests, files, deceased, expected, raw))

    fname = f"{home}.txt"
    # a violation of every rule and check that one line can break: the company of a combination vector
    others = [(t, sols[0]) for t in derive.record_targets(ym) if (sols := derive.violations(ym, t))]
    for item in ym.active:
        ident = item.id
        if isinstance(item, m.ActiveCheck):
            kind = item.check.kind
            if kind == "field_count":
                other = dict(base)
                other[lines.pnr] = _second_number(lines, base)
                for desc, raw in derive.structural(ym, kind):
                    assert isinstance(raw, str)
                    files = {fname: [lines.text(base), raw, lines.text(other)]}
                    add(ident, "violation", f"rad 2: {desc}", files, intended={(fname, 2, ident)})
                continue
            if kind == "empty_file":
                add(ident, "violation", "en tom fil", {fname: []}, intended={(fname, None, ident)})
                add(ident, "inside", "en fil med en post", {fname: [lines.text(base)]}, intended=set())
                continue
        if isinstance(item, m.ActiveRule) and item.unique is not None:
            _unique_vectors(ym, item, lines, base, home, away, add)
            continue
        if isinstance(item, m.ActiveCheck):  # one vector per field it can be broken in, every form a line
            _structural_vectors(ym, item, lines, base, fname, add)
            add(ident, "inside", "grundposten (giltig)", {fname: [lines.text(base)]}, intended=set())
            continue
        spread = _spread(derive.violations(ym, ident), item.reads)
        reads = item.reads
        exprs = derive.rule_exprs(item)
        inside: list[derive.Solution] = []
        for sol in spread:
            dec = sol.deceased_map or None
            desc = _describe(ym, base, sol.mapping, sol.deceased_map)
            add(ident, "violation", desc, {fname: [lines.text(sol.mapping)]}, dec, intended={(fname, 1, ident)})
            inside += derive.inside(ym, sol, exprs)
        insides = _spread(inside, reads)
        for ins in insides:
            desc = _describe(ym, base, ins.mapping, ins.deceased_map)
            add(ident, "inside", desc, {fname: [lines.text(ins.mapping)]}, ins.deceased_map or None, intended=set())
        _combination_vector(ym, item, lines, base, home, away, spread, insides, others, add)
    _named_vectors(ym, lines, base, home, away, add)
    # the file conventions: line ends, byte-order mark, no final line end (all accepted), one file each
    twins = _Twins(lines)
    forms: dict[str, list[str]] = {}
    raws: dict[str, bytes] = {}
    notes = []
    for code, (desc, encode) in zip(
        codes,
        (
            ("CRLF som radslut", lambda t: "".join(x + "\r\n" for x in t).encode("utf-8")),
            ("UTF-8 med byte-order mark", lambda t: b"\xef\xbb\xbf" + "".join(x + "\n" for x in t).encode("utf-8")),
            ("ingen radslutstecken efter sista raden", lambda t: "\n".join(t).encode("utf-8")),
        ),
        strict=False,
    ):
        two = []
        for _ in range(2):
            values = _moved(ym, base, code)
            values[lines.pnr] = twins.fresh(base[lines.pnr])
            two.append(lines.text(values))
        forms[f"{code}.txt"] = two
        raws[f"{code}.txt"] = encode(two)
        notes.append(f"{code}.txt: {desc}")
    add(None, "format", "filformat: " + "; ".join(notes), forms, intended=set(), raw=raws)
    reg = build_register(ym, persons=120, seed=3, municipalities=4)
    add(
        None,
        "register",
        f"ett giltigt register: {reg.lines} poster i {len(reg.files)} kommuner (frö 3)",
        reg.files,
        intended=set(),
    )
    from lss_rules.tools.examples import example_cases  # the spec's worked examples of the year, named

    for ident, rule, tests, files, deceased in example_cases(ym):
        out.append(Vector(ident, rule, "example", tests, files, deceased, reference_findings(ym, files, deceased)))
    return out


class _Twins:
    """Personnummer for the lines of one vector: another valid number of the same birth year (so the
    same age) where a line must not repeat a person, the line's own number where it must (invalid,
    deceased)."""

    def __init__(self, lines: Any) -> None:
        self.lines = lines
        self.used: set[str] = set()

    def fresh(self, pnr: str) -> str:
        year = int(pnr[:4]) if pnr[:4].isdigit() else -1
        for x in self.lines.pool.by_birth_year.get(year, ()):
            if x not in self.used and x != pnr:
                self.used.add(x)
                return x
        return pnr  # pragma: no cover - hundreds of numbers a year

    def plain(self, pnr: str, deceased: Mapping[str, dt.date]) -> bool:
        ref = self.lines.ym.reference_date
        return len(pnr) == 12 and pnr.isdigit() and pnr not in deceased and runtime.valid_personnummer(pnr, ref)

    def like(self, pnr: str, deceased: Mapping[str, dt.date] = {}) -> str:
        """A fresh number of the same age, or the number itself when the line is about that number."""
        return self.fresh(pnr) if self.plain(pnr, deceased) else pnr

    def claim(self, values: dict[str, str], deceased: Mapping[str, dt.date], dead: dict[str, dt.date]) -> None:
        """Give a line's deceased number its date in the vector's death list (a fresh number of the
        same age when the number already has another date there)."""
        pnr = self.lines.pnr
        for p, date in deceased.items():
            if p in dead and dead[p] != date:
                p2 = self.fresh(p)
                if values[pnr] == p:
                    values[pnr] = p2
                p = p2
            dead[p] = date
            self.used.add(p)

    def own(self, pnr: str, deceased: Mapping[str, dt.date] = {}) -> str:
        """The number itself the first time, then a fresh one of the same age."""
        if pnr in self.used and self.plain(pnr, deceased):
            return self.fresh(pnr)
        self.used.add(pnr)
        return pnr


def _moved(ym: m.YearModel, values: Mapping[str, str], code: str) -> dict[str, str]:
    """A line as another municipality reports it: the municipality it had set to ``code`` wherever it
    occurs (an invalid or missing code is left as it is)."""
    out = dict(values)
    kommun = next((values[f.name] for f in ym.fields if isinstance(f.type, m.MunicipalityType)), None)
    if kommun not in ym.municipalities:
        return out
    for f in ym.fields:
        if isinstance(f.type, m.MunicipalityType) and values[f.name] == kommun:
            out[f.name] = code
    return out


def _structural_vectors(
    ym: m.YearModel, item: m.ActiveCheck, lines: Any, base: Mapping[str, str], fname: str, add: Callable[..., None]
) -> None:
    """One vector per field a structural check can be broken in; every way of breaking it is a line."""
    from lss_rules.meaning import derive

    by_field: dict[str, list[tuple[str, derive.Solution]]] = {}
    for desc, sol in derive.structural(ym, item.check.kind):
        if isinstance(sol, derive.Solution):
            by_field.setdefault(desc.split()[0], []).append((desc, sol))
    for group in by_field.values():
        twins = _Twins(lines)
        rows: list[str] = []
        notes: list[str] = []
        dead: dict[str, dt.date] = {}
        broken: set[tuple[Any, ...]] = set()
        for desc, sol in group:
            values = sol.mapping
            values[lines.pnr] = twins.own(values[lines.pnr], sol.deceased_map)
            twins.claim(values, sol.deceased_map, dead)
            if lines.pnr in sol.changed and values[lines.pnr] != base[lines.pnr]:
                # first the same line with a valid number: the validator may remember it
                twin = dict(values)
                twin[lines.pnr] = twins.fresh(base[lines.pnr])
                rows.append(lines.text(twin))
                notes.append(f"rad {len(rows)}: som nästa rad med ett giltigt personnummer")
            rows.append(lines.text(values))
            notes.append(f"rad {len(rows)}: {desc}")
            broken.add((fname, len(rows), item.id))
        add(
            item.id,
            "violation",
            "; ".join(notes),
            {fname: rows},
            dead or None,
            intended=broken,
        )


def _noise(ym: m.YearModel, lines: Any, base: Mapping[str, str], reads: Sequence[str]) -> list[tuple[str, str, str]]:
    """Unknown values in fields a rule does not read: (field, value, description), one S02 and one S03."""
    from lss_rules.meaning import derive

    out: list[tuple[str, str, str]] = []
    others = [f for f in ym.fields if f.name not in reads and f.name != lines.pnr]
    for f in others:
        for bad in derive._bad_forms(lines, f, base):
            values = dict(base)
            values[f.name] = bad
            if [r for r, _ in lines.findings(values)] == ["LSS-S02"]:
                out.append((f.name, bad, f"ett okänt värde i {f.name} ({bad!r}, LSS-S02)"))
                break
        if out:
            break
    for f in reversed(others):
        if f.always_required:
            values = dict(base)
            values[f.name] = ""
            if [r for r, _ in lines.findings(values)] == ["LSS-S03"]:
                out.append((f.name, "", f"{f.name} tomt (LSS-S03)"))
                break
    return out


def _combination_vector(
    ym: m.YearModel,
    item: m.ActiveRule,
    lines: Any,
    base: Mapping[str, str],
    home: str,
    away: str,
    sols: Sequence[Any],
    insides: Sequence[Any],
    others: Sequence[tuple[str, Any]],
    add: Callable[..., None],
) -> None:
    """Every boundary line of a rule (both sides) in the company of a messy register.

    Each boundary line comes after the same line with another personnummer of the same age (the
    line the validator may remember), and again with an unknown value in a field the rule does not
    read (LSS-S02, LSS-S03: the rule still applies); then the first violation with each field the
    rule reads made unknown (the rule is silent). The file is the second of a national run.
    """
    from lss_rules.meaning import derive

    ident = item.id
    pnr = lines.pnr
    reads = derive.closure(ym, item.reads)
    noise = _noise(ym, lines, base, reads)
    twins = _Twins(lines)
    fname, first = f"{home}.txt", f"{away}.txt"
    neighbour = _moved(ym, base, away)
    neighbour[pnr] = twins.fresh(base[pnr])
    rows: list[str] = []
    notes: list[str] = []
    dead: dict[str, dt.date] = {}
    must: set[tuple[Any, ...]] = set()
    first_own: dict[str, str] | None = None
    first_d: dict[str, dt.date] = {}
    # the first file of the run: a violation of every other rule and check (another municipality)
    beside: list[str] = [lines.text(neighbour)]
    for other_id, other in others:
        if other_id == ident:
            continue
        values = _moved(ym, other.mapping, away)
        p = values[pnr]
        if p in other.deceased_map:  # a number of its own in the death list
            values[pnr] = twins.fresh(p)
            dead[values[pnr]] = other.deceased_map[p]
        else:
            values[pnr] = twins.like(p)
        beside.append(lines.text(values))
        must.add((first, len(beside), other_id))

    def put(values: Mapping[str, str], note: str) -> int:
        rows.append(lines.text(values))
        notes.append(f"rad {len(rows)}: {note}")
        return len(rows)

    for word, group in (("bryter mot", sols), ("inom", insides)):
        for sol in group:
            own = sol.mapping
            own[pnr] = twins.own(own[pnr], sol.deceased_map)
            twins.claim(own, sol.deceased_map, dead)
            d = {own[pnr]: dead[own[pnr]]} if own[pnr] in dead else {}
            twin = dict(own)
            twin[pnr] = twins.fresh(own[pnr]) if own[pnr][:4].isdigit() else own[pnr]
            k = put(twin, "som nästa rad med ett annat personnummer (samma ålder)")
            desc = _describe(ym, base, own, d)
            at = put(own, f"{word} {ident}: {desc}")
            if word == "bryter mot":
                must.add((fname, at, ident))
                if first_own is None:
                    first_own, first_d = own, d
            for field_name, value, what in noise:
                noisy = dict(own)
                noisy[pnr] = twins.like(own[pnr], d)
                noisy[field_name] = value
                at = put(noisy, f"som rad {k + 1} med {what}")
                if word == "bryter mot":
                    must.add((fname, at, ident))
    if first_own is not None:
        for r in item.reads:
            f = ym.field(r)
            for value in [*derive._bad_forms(lines, f, base)[:1], ""]:
                if value == first_own[r]:
                    continue
                values = dict(first_own)
                if r != pnr:
                    values[pnr] = twins.like(values[pnr], first_d)
                values[r] = value
                what = "tomt" if value == "" else f"okänt ({value!r})"
                put(values, f"som den första brytande raden med {r} {what}: {ident} läser {r} och tiger")
    add(
        ident,
        "combination",
        "; ".join(notes) + f". Filen kommer efter {first} i samma körning, där rad 2– bryter mot var sin "
        "annan regel eller kontroll.",
        {first: beside, fname: rows},
        dead or None,
        contains=must,
    )


def _named_vectors(
    ym: m.YearModel, lines: Any, base: Mapping[str, str], home: str, away: str, add: Callable[..., None]
) -> None:
    """A vector for each interpretation the README lists and each counting convention."""
    from lss_rules.meaning import derive

    active = {a.id: a for a in ym.active}
    pnr = lines.pnr
    f1, f2 = f"{home}.txt", f"{away}.txt"
    twins = _Twins(lines)
    twins.used.add(base[pnr])
    flags = [f.name for f in ym.fields if derive.is_flag(f)]

    # empty personkrets: LSS-R03, and LSS-R14 still reads it (an empty value is known)
    # (the solver may find no line breaking a rule a spec rewrote: then the vector is left out, never an IndexError)
    if "LSS-R03" in active and "LSS-R14" in active and (r14 := derive.violations(ym, "LSS-R14")):
        r03 = active["LSS-R03"]
        assert isinstance(r03, m.ActiveRule)
        sol = r14[0]
        values = sol.mapping
        values[r03.reads[0]] = ""
        add(
            None,
            "interpretation",
            f"tom {r03.reads[0]} och daglig verksamhet: LSS-R03 och LSS-R14 på samma rad",
            {f1: [lines.text(values)]},
            intended={(f1, 1, "LSS-R03"), (f1, 1, "LSS-R14")},
            name="empty-personkrets-r14",
        )
    # hours: S02 and S04 together; hours above the limit with the flag 0: S04 and the limit rule
    limits = derive.count_limits(ym)
    hours = next(
        (f for f in ym.fields if isinstance(f.type, m.CountType) and f.empty_unless is not None and f.name in limits),
        None,
    )
    if hours is not None:
        values = dict(base)
        values[hours.name] = "abc"
        add(
            None,
            "interpretation",
            f"{hours.name} = 'abc' med insatsen 0: både LSS-S02 och LSS-S04",
            {f1: [lines.text(values)]},
            intended={(f1, 1, "LSS-S02"), (f1, 1, "LSS-S04")},
            name="s02-with-s04",
        )
        values[hours.name] = str(limits[hours.name] + 1)
        limit_rule = next(r.id for r in ym.rules if r.unique is None and r.reads == (hours.name,) and r.id in active)
        add(
            None,
            "interpretation",
            f"{hours.name} = {values[hours.name]} (över gränsen) med insatsen 0: LSS-S04 och {limit_rule}",
            {f1: [lines.text(values)]},
            intended={(f1, 1, "LSS-S04"), (f1, 1, limit_rule)},
            name="hours-with-flag-0",
        )
    # a trailing blank line is a line (LSS-S01); a final line end is optional
    text = lines.text(base)
    add(
        None,
        "interpretation",
        "en tom rad efter sista posten: LSS-S01 på rad 2",
        {f1: [text, ""]},
        intended={(f1, 2, "LSS-S01")},
        raw={f1: (text + "\n\n").encode("utf-8")},
        name="trailing-blank-line",
    )
    # age from the first four digits, also when the number fails LSS-R01 (a wrong check digit)
    aged_rules = (
        r
        for r in ym.rules
        if r.unique is None and r.id in active and any(derive.calls(e, m.Age) for e in derive.rule_exprs(r))
    )
    found = next(((r, sols[0]) for r in aged_rules if (sols := derive.violations(ym, r.id))), None)
    if found is not None and "LSS-R01" in active:
        aged, sol = found
        values = sol.mapping
        p = values[pnr]
        values[pnr] = p[:11] + str((int(p[11]) + 1) % 10)
        add(
            None,
            "interpretation",
            f"personnummer {values[pnr]} med fel kontrollsiffra (LSS-R01): åldern räknas ändå ur de fyra "
            f"första siffrorna ({ym.year - int(p[:4])} år), {aged.id}",
            {f1: [lines.text(values)]},
            intended={(f1, 1, "LSS-R01"), (f1, 1, aged.id)},
            name="age-from-first-four-digits",
        )
    # one finding per rule and line: two unknown values, two missing ones
    bad = [(n, v) for n in flags if base[n] == "0" for v in ("2",)][:2]
    empty = [n for n in flags if base[n] == "0"][-2:]
    if len(bad) == 2 and len(empty) == 2:
        one = dict(base)
        for n, v in bad:
            one[n] = v
        two = dict(base)
        two[pnr] = twins.fresh(base[pnr])
        for n in empty:
            two[n] = ""
        add(
            None,
            "convention",
            f"rad 1: två okända värden ({', '.join(n for n, _ in bad)}): ett LSS-S02; rad 2: två tomma "
            f"obligatoriska fält ({', '.join(empty)}): ett LSS-S03 (ett fynd per regel och rad)",
            {f1: [lines.text(one), lines.text(two)]},
            intended={(f1, 1, "LSS-S02"), (f1, 2, "LSS-S03")},
            name="one-finding-per-rule-and-line",
        )
    # a line with the wrong number of fields gets LSS-S01 and nothing else (not LSS-R07, not LSS-R09);
    # a line without a separator in a national run
    if "LSS-R09" in active and "LSS-R07" in active:
        sep = lines.sep
        short = sep.join(text.split(sep)[:-1])
        long = text + sep + "1"
        add(
            None,
            "convention",
            f"{f1}: rad 1 en post, rad 2 samma personnummer med ett fält för lite, rad 3 ett fält för mycket, "
            f"rad 4 utan semikolon; {f2}: samma person och insats. LSS-S01 på rad 2–4 och inget annat där; "
            f"LSS-R09 på {f1} rad 1 och {f2} rad 1",
            {f1: [text, short, long, "x"], f2: [lines.text(_moved(ym, base, away))]},
            intended={
                (f1, 1, "LSS-R09"),
                (f1, 2, "LSS-S01"),
                (f1, 3, "LSS-S01"),
                (f1, 4, "LSS-S01"),
                (f2, 1, "LSS-R09"),
            },
            name="s01-nothing-else",
        )
        # LSS-R09 on every line of the person in every file (LSS-R07 too on the repeat in the same file)
        other = dict(base)
        other[pnr] = twins.fresh(base[pnr])
        add(
            None,
            "convention",
            f"samma person och insats två gånger i {f1} (rad 1 och 3) och en gång i {f2}: LSS-R09 på alla "
            f"tre raderna, LSS-R07 på {f1} rad 3",
            {f1: [text, lines.text(other), text], f2: [lines.text(_moved(ym, base, away))]},
            intended={(f1, 1, "LSS-R09"), (f1, 3, "LSS-R09"), (f1, 3, "LSS-R07"), (f2, 1, "LSS-R09")},
            name="r09-every-line-every-file",
        )


def _second_number(lines: Any, base: Mapping[str, str]) -> str:
    p = base[lines.pnr]
    same = lines.pool.by_birth_year[int(p[:4])]
    return next(x for x in same if x != p)


def _signature(sol: Any, reads: Sequence[str]) -> tuple[Any, ...]:
    """What a solution shows about a rule: the values of the fields the rule reads that it changed."""
    return tuple((n, v) for n, v in sol.values if n in sol.changed and n in reads) + tuple(sol.deceased)


def _spread(sols: Sequence[derive.Solution], reads: Sequence[str]) -> list[derive.Solution]:
    """At most MAX_PER_RULE solutions that show different things (boundary values come first)."""
    picked: list[derive.Solution] = []
    seen: set[tuple[Any, ...]] = set()
    for s in sols:
        sig = _signature(s, reads)
        if sig not in seen:
            seen.add(sig)
            picked.append(s)
    return picked[:MAX_PER_RULE]


def _unique_vectors(
    ym: m.YearModel,
    ar: m.ActiveRule,
    lines: Any,
    base: Mapping[str, str],
    home: str,
    away: str,
    add: Callable[..., None],
) -> None:
    from lss_rules.meaning import derive

    assert ar.unique is not None
    ident = ar.id
    key = ar.unique.key
    flags = [f.name for f in ym.fields if derive.is_flag(f)]
    kommun = [f.name for f in ym.fields if isinstance(f.type, m.MunicipalityType) and not f.optional]
    other = dict(base)
    other[lines.pnr] = _second_number(lines, base)
    set_flag = next(n for n in flags if base[n] == "1")
    members = ar.unique.each_flag_in.members if ar.unique.each_flag_in is not None else ()
    # the same key with a different insats (valid for the base's age)
    alt = dict(base)
    for n in flags:
        if n == set_flag:
            continue
        alt = dict(base)
        alt[set_flag] = "0"
        alt[n] = "1"
        lines.fix_up(alt)
        if not lines.findings(alt):
            break
    moved = dict(base)
    moved_alt = dict(alt)
    for n in kommun:
        moved[n] = away
        moved_alt[n] = away
    f1, f2 = f"{home}.txt", f"{away}.txt"
    s02 = next((c.id for c in ym.checks if c.check.kind == "value_form"), None)
    quiet = next((n for n in flags if base[n] == "0"), None)
    if ar.unique.each_flag_in is None:  # once per file
        add(
            ident,
            "violation",
            f"samma {key} två gånger i en fil (rad 1 och 3)",
            {f1: [lines.text(base), lines.text(other), lines.text(alt)]},
            intended={(f1, 3, ident)},
        )
        add(
            ident,
            "convention",
            f"samma {key} tre gånger i en fil: {ident} på varje förekomst efter den första, inte på den första",
            {f1: [lines.text(base), lines.text(base), lines.text(alt)]},
            intended={(f1, 2, ident), (f1, 3, ident)},
            name="r07-repeats-only",
        )
        if s02 is not None and quiet is not None:
            broken = dict(alt)
            broken[quiet] = "2"
            add(
                ident,
                "violation",
                f"samma {key} två gånger i en fil; den andra raden har ett ogiltigt värde i {quiet} "
                f"(deltar ändå, {ident} läser bara {key})",
                {f1: [lines.text(base), lines.text(broken)]},
                intended={(f1, 2, ident), (f1, 2, s02)},
            )
        add(
            ident,
            "interpretation",
            f"samma {key} i två kommuners filer med olika insatser: en fil är en kommuns inlämning, "
            f"{ident} gäller inom en fil",
            {f1: [lines.text(base)], f2: [lines.text(moved_alt)]},
            intended=set(),
            name="file-is-municipality",
        )
        return
    shared = [n for n in members if base.get(n) == "1"]
    add(
        ident,
        "violation",
        f"samma {key} och samma insats ({', '.join(shared)}) från två kommuner: båda raderna",
        {f1: [lines.text(other), lines.text(base)], f2: [lines.text(moved)]},
        intended={(f1, 2, ident), (f2, 1, ident)},
    )
    if len(codes := sorted(ym.municipalities)) > 2:
        third = next(c for c in codes if c not in (home, away))
        moved3 = dict(moved)
        for n in kommun:
            moved3[n] = third
        f3 = f"{third}.txt"
        add(
            ident,
            "violation",
            f"samma {key} och insats från tre kommuner",
            {f1: [lines.text(base)], f2: [lines.text(moved)], f3: [lines.text(moved3)]},
            intended={(f1, 1, ident), (f2, 1, ident), (f3, 1, ident)},
        )
    add(
        ident,
        "inside",
        f"samma {key} från två kommuner med olika insatser",
        {f1: [lines.text(base)], f2: [lines.text(moved_alt)]},
        intended=set(),
    )
    if s02 is not None and quiet is not None:
        broken = dict(moved)
        broken[quiet] = "2"
        add(
            ident,
            "interpretation",
            f"samma {key} och insats från två kommuner, men den ena raden har ett ogiltigt värde i {quiet}: "
            f"den raden deltar inte i {ident}",
            {f1: [lines.text(base)], f2: [lines.text(broken)]},
            intended={(f2, 1, s02)},
            name="r09-unknown-flag",
        )
    repeat = next((r.id for r in ym.rules if r.unique is not None and r.unique.each_flag_in is None), None)
    add(
        ident,
        "inside",
        f"samma {key} och insats två gånger i samma kommun (inte {ident})",
        {f1: [lines.text(base), lines.text(base)]},
        intended=({(f1, 2, repeat)} if repeat else set()),
    )


def export(ym: m.YearModel, out_dir: Path, *, force: bool = False) -> dict[str, Any]:
    """Write the suite (one folder per vector + manifest.json); returns the manifest.

    ``out_dir`` must be empty or new unless ``force``: then it must hold only what an earlier
    export recorded there, which is removed first, so no old vector stays beside the new ones.
    Nothing is written through a symbolic link or outside ``out_dir`` (:mod:`lss_rules.outdir`).
    """
    from lss_rules import outdir

    manifest: dict[str, Any] = {}
    outdir.write_tree(out_dir, "conformance export", lambda: _suite_files(ym, manifest), force=force)
    return manifest


def _suite_files(ym: m.YearModel, manifest: dict[str, Any]) -> dict[str, bytes]:
    """Every file of the suite (``VECTOR/NAME`` and ``manifest.json``); fills in ``manifest``."""
    vectors = build_suite(ym)
    files: dict[str, bytes] = {}
    manifest |= {
        "format": SUITE_FORMAT,
        "year": ym.year,
        "spec_version": ym.spec.digest,
        "reference_date": ym.reference_date.isoformat(),
        "protocol": "VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] -- FILE... (i vektorns mapp)",
        "rules": [a.id for a in ym.active],
        "vectors": [],
    }
    for v in vectors:
        for name in v.files:
            files[f"{v.id}/{name}"] = v.file_bytes(name)
        if v.deceased is not None:
            text = "".join(f"{p};{d.isoformat()}\n" for p, d in sorted(v.deceased.items()))
            files[f"{v.id}/deceased.txt"] = text.encode("utf-8")
        files[f"{v.id}/expected.json"] = _dumps(v.expected)
        manifest["vectors"].append(
            {
                "id": v.id,
                "rule": v.rule,
                "kind": v.kind,
                "tests": v.tests,
                "files": list(v.files),
                "deceased": v.deceased is not None,
            }
        )
    files["manifest.json"] = _dumps(manifest)
    return files


def _dumps(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- reading a suite


@dataclass(frozen=True)
class SuiteVector:
    id: str
    rule: str | None
    kind: str
    tests: str
    folder: Path
    files: tuple[str, ...]
    deceased: bool
    expected: dict[str, Any]

    def read_files(self) -> dict[str, list[str]]:
        return {n: list(runtime.iter_lines(self.folder / n)) for n in self.files}

    def read_deceased(self) -> dict[str, dt.date] | None:
        return runtime.read_deceased(self.folder / "deceased.txt") if self.deceased else None


#: The most bytes read of a suite's manifest.json and of one expected.json.
MAX_MANIFEST_BYTES = 32 << 20
MAX_EXPECTED_BYTES = 8 << 20


class SuiteError(DataError):
    """A conformance suite that cannot be used: one line naming the file and the problem (exit code 2)."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{runtime.clean_path(str(path))}: {problem}")


def load_suite(suite: Path) -> tuple[dict[str, Any], list[SuiteVector]]:
    """The manifest and the vectors of a suite folder, checked as untrusted input.

    A suite is downloaded, not written by the user: manifest.json and every expected.json
    are validated against the schemas in ``lss_rules/schemas/`` (``suite-manifest``,
    ``suite-expected``); every vector folder and file is a plain name directly inside the
    suite folder, a real folder or regular file there (no symbolic link, device or FIFO);
    the JSON files are read up to a size limit.  Anything else is :class:`SuiteError`.
    """
    if not suite.is_dir():
        if not suite.exists():
            raise SuiteError(
                suite, "ingen konformitetssvit (mappen finns inte); skapa en med `lss-rules conformance export`"
            )
        raise SuiteError(suite, "är ingen mapp; ange mappen från `lss-rules conformance export`")
    root = suite.resolve()
    path = suite / "manifest.json"
    if not os.path.lexists(path):
        raise SuiteError(
            suite, "ingen konformitetssvit (manifest.json saknas); skapa en med `lss-rules conformance export`"
        )
    manifest = _load_json(path, MAX_MANIFEST_BYTES, "suite-manifest")
    vectors = []
    seen: set[str] = set()
    for i, v in enumerate(manifest["vectors"]):
        ident = v["id"]
        if ident in seen:
            raise SuiteError(path, f"vectors[{i}].id: {ident} förekommer två gånger")
        seen.add(ident)
        folder = _inside(root, suite / ident, path, dir_wanted=True)
        for name in v["files"]:
            _inside(root, folder / name, path, dir_wanted=False)
        if v.get("deceased"):
            _inside(root, folder / "deceased.txt", path, dir_wanted=False)
        expected = _load_json(folder / "expected.json", MAX_EXPECTED_BYTES, "suite-expected")
        if expected["year"] != manifest["year"]:
            raise SuiteError(folder / "expected.json", f"year {expected['year']} men sviten gäller {manifest['year']}")
        vectors.append(
            SuiteVector(
                ident,
                v.get("rule"),
                v.get("kind", ""),
                v.get("tests", ""),
                folder,
                tuple(v["files"]),
                bool(v.get("deceased")),
                expected,
            )
        )
    return manifest, vectors


def _inside(root: Path, path: Path, named_in: Path, *, dir_wanted: bool) -> Path:
    """``path`` (a plain name under a folder of ``root``) exists there as a real folder or regular file."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise SuiteError(path, f"saknas (nämns i {named_in.name})") from None
    except OSError as exc:
        raise SuiteError(path, f"kan inte läsas ({runtime.os_error_text(exc)})") from None
    if stat.S_ISLNK(st.st_mode):
        raise SuiteError(path, "är en symbolisk länk; en svit får bara innehålla vanliga filer och mappar")
    if dir_wanted and not stat.S_ISDIR(st.st_mode):
        raise SuiteError(path, "ska vara en mapp")
    if not dir_wanted and not stat.S_ISREG(st.st_mode):
        raise SuiteError(path, "ska vara en vanlig fil (inte en mapp, enhet eller FIFO)")
    if root not in path.resolve().parents:  # the schema allows only plain names: this never happens
        raise SuiteError(path, "ligger utanför sviten")  # pragma: no cover
    return path


def read_capped(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file, not following a symbolic link; SuiteError for anything else."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise SuiteError(path, "saknas") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SuiteError(path, "är en symbolisk länk; en svit får bara innehålla vanliga filer") from None
        raise SuiteError(path, f"kan inte läsas ({runtime.os_error_text(exc)})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SuiteError(path, "ska vara en vanlig fil (inte en mapp, enhet eller FIFO)")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise SuiteError(path, f"kan inte läsas ({runtime.os_error_text(exc)})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise SuiteError(path, f"är större än {limit >> 20} MiB; en svit har inte så stora filer")
    return b"".join(chunks)


def _load_json(path: Path, limit: int, schema_name: str) -> Any:
    """A suite's JSON file, parsed and valid against ``lss_rules/schemas/<schema_name>.schema.json``."""
    data = read_capped(path, limit)
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SuiteError(path, f"är inte UTF-8 (byte {exc.start})") from None
    except RecursionError:
        raise SuiteError(path, "är för djupt nästlad för att vara en svitfil") from None
    except json.JSONDecodeError as exc:  # its own text is English ("Expecting value"): where, in Swedish
        raise SuiteError(path, f"är inte JSON (rad {exc.lineno}, kolumn {exc.colno})") from None
    except ValueError as exc:
        raise SuiteError(path, f"är inte JSON ({_one_line(str(exc))})") from None
    try:
        problem = _schema_problem(doc, schema_name)
    except RecursionError:
        raise SuiteError(path, "är för djupt nästlad för att vara en svitfil") from None
    if problem is not None:
        raise SuiteError(path, f"följer inte schemat {schema_name}.schema.json: {problem}")
    return doc


def _schema_problem(doc: Any, name: str) -> str | None:
    """Where and how ``doc`` first breaks the schema, in Swedish; None when it follows it.

    Checked in one pass that stops at the first failure (:mod:`lss_rules.tools.jsoncheck`): python-jsonschema's
    ``uniqueItems`` over a list of numbers and strings compared every pair (72 s for a 218 KB manifest).
    """
    from lss_rules.tools.jsoncheck import first_problem

    problem = first_problem(doc, _schema(name))
    if problem is None:
        return None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem.path).lstrip(".")
    expected = problem.expected
    what = {
        "type": lambda: f"ska vara {_types(expected)}",
        "required": lambda: f"'{expected}' saknas",
        "pattern": lambda: (
            "är inget enkelt namn (bokstäver, siffror, . _ -; inte / eller ..)"
            if "A-Za-z0-9._-" in str(expected)
            else f"har fel form (mönster {expected})"
        ),
        "enum": lambda: "ska vara en av " + ", ".join(map(str, expected)),
        "const": lambda: f"ska vara {expected}",
        "uniqueItems": lambda: "har samma värde två gånger",
        "maxItems": lambda: f"har fler än {expected} element",
        "maxLength": lambda: f"är längre än {expected} tecken",
        "minimum": lambda: f"ska vara minst {expected}",
        "maximum": lambda: f"ska vara högst {expected}",
    }[problem.keyword]()
    return f"{where or '(hela filen)'} {what}"


def _types(value: Any) -> str:
    words = {
        "object": "ett objekt",
        "array": "en lista",
        "string": "en sträng",
        "integer": "ett heltal",
        "boolean": "true eller false",
        "null": "null",
    }
    names = [value] if isinstance(value, str) else list(value)
    return " eller ".join(words.get(n, n) for n in names)


def _one_line(text: str, limit: int = 160) -> str:
    text = runtime.printable(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SCHEMAS: dict[str, Any] = {}


def _schema(name: str) -> Any:
    """The package's schema ``lss_rules/schemas/<name>.schema.json`` (read once)."""
    import importlib.resources

    if name not in _SCHEMAS:
        text = importlib.resources.files("lss_rules.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
        _SCHEMAS[name] = json.loads(text)
    return _SCHEMAS[name]


# --------------------------------------------------------------------------- running a vendor


@dataclass(frozen=True)
class Result:
    vector: SuiteVector
    passed: bool
    reason: str
    seconds: float
    output: str = ""


def compare(expected: Mapping[str, Any], got: Any) -> str | None:
    """None when ``got`` (a parsed report) matches; else why not, in Swedish."""
    problem = contract_problem(got)
    if problem is not None:
        return f"utdata följer inte rapportformatet: {problem}"
    reasons = []
    if got["status"] != expected["status"]:
        reasons.append(f"status {got['status']} men väntat {expected['status']}")
    twice = duplicates(got)
    if twice:
        reasons.append("samma fynd mer än en gång (ett fynd per regel och rad): " + "; ".join(_fmt(f) for f in twice))
    want, have = key_set(expected), key_set(got)
    missing, extra = sorted(want - have, key=_k), sorted(have - want, key=_k)
    if missing:
        reasons.append("saknade fynd: " + "; ".join(_fmt(f) for f in missing))
    if extra:
        reasons.append("oväntade fynd: " + "; ".join(_fmt(f) for f in extra))
    return ". ".join(reasons) or None


def _k(f: tuple[Any, ...]) -> tuple[str, int, str, str]:
    return (str(f[0]), -1 if f[1] is None else int(f[1]), str(f[2]), str(f[3]))


def _fmt(f: tuple[Any, ...]) -> str:
    where = "hela filen" if f[1] is None else f"rad {f[1]}"
    return f"{f[2]} ({f[3]}) {f[0]} {where}"


def contract_problem(got: Any) -> str | None:
    if not isinstance(got, dict):
        return "inte ett JSON-objekt"
    if got.get("status") not in STATUSES:
        return f"status ska vara en av {', '.join(STATUSES)}"
    findings = got.get("findings")
    if not isinstance(findings, list):
        return "findings ska vara en lista"
    for i, f in enumerate(findings):
        if not isinstance(f, dict):
            return f"findings[{i}] är inte ett objekt"
        for key in ("rule", "severity", "file"):
            if not isinstance(f.get(key), str):
                return f"findings[{i}].{key} saknas eller är inte en sträng"
        if "line" not in f or not (
            f["line"] is None or (isinstance(f["line"], int) and not isinstance(f["line"], bool))
        ):
            return f"findings[{i}].line ska vara ett heltal eller null"
    return None


class VendorCannotStart(DataError):
    """The vendor command cannot be started at all: said once, and the run ends (exit code 2)."""


def vendor_args(vector: SuiteVector, year: int, command: Sequence[str]) -> list[str]:
    """The vendor's command line for a vector: options, then ``--``, then the file names (never options)."""
    args = [*command, "--year", str(year), "--format", "json"]
    if vector.deceased:
        args += ["--deceased", "deceased.txt"]
    return [*args, "--", *vector.files]


def _tail(stderr: str, lines: int = 3, limit: int = 300) -> str:
    """The last lines of a vendor's standard error, on one printable line."""
    last = [runtime.printable(x.strip()) for x in stderr.strip().splitlines()[-lines:] if x.strip()]
    text = " | ".join(last)
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def run_vector(vector: SuiteVector, year: int, command: Sequence[str], timeout: float) -> Result:
    args = vendor_args(vector, year, command)
    start = time.monotonic()
    try:
        proc = subprocess.run(args, cwd=vector.folder, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Result(vector, False, f"tidsgränsen {timeout:g} s överskreds", time.monotonic() - start)
    except OSError as exc:
        raise VendorCannotStart(
            f"kommandot {runtime.printable(command[0])} kunde inte startas: {runtime.os_error_text(exc)}"
        ) from None
    seconds = time.monotonic() - start
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")
    output = f"--- standard ut ---\n{stdout[-3000:]}\n--- standard fel ---\n{stderr[-3000:]}"
    tail = _tail(stderr)
    code = f"avslutningskod {proc.returncode}" + (f", standard fel: {tail}" if tail else ", inget på standard fel")
    if proc.returncode not in (0, 1):
        return Result(
            vector,
            False,
            f"kommandot avslutades med kod {proc.returncode}" + (f": {tail}" if tail else ""),
            seconds,
            output,
        )
    try:
        got = json.loads(stdout)
    except (ValueError, RecursionError):
        head = _one_line(stdout.strip().splitlines()[0], 80) if stdout.strip() else "(ingen utdata)"
        return Result(vector, False, f"utdata är inte JSON: {head} ({code})", seconds, output)
    try:
        reason = compare(vector.expected, got)
    except RecursionError:
        reason = "utdata följer inte rapportformatet: för djupt nästlad"
    if reason is None:
        want_rc = 1 if got["status"] == "rejected" else 0
        if proc.returncode != want_rc:
            reason = f"avslutningskod {proc.returncode} men status {got['status']} (väntat kod {want_rc})"
    elif reason.startswith("utdata följer inte"):
        reason += f" ({code})"
    return Result(vector, reason is None, reason or "", seconds, output)


def run_suite(
    suite: Path,
    command: str,
    *,
    timeout: float = 60.0,
    progress: Callable[[Result], None] | None = None,
    jobs: int | None = None,
) -> tuple[dict[str, Any], list[Result]]:
    """Run the vendor's command on every vector, ``jobs`` at a time (default: the number of cores).

    Results (and ``progress`` calls) come in the manifest's order whatever finishes first.
    """
    try:
        argv = shlex.split(command)
    except ValueError as exc:  # shlex says it in English: "No closing quotation", "No escaped character"
        why = "ett citattecken stängs inte" if "quotation" in str(exc) else "ett \\ står sist"
        raise UsageError(f"--cmd kan inte delas upp i ord: {why}") from None
    if not argv:
        raise UsageError("--cmd är tomt")
    # the command runs in each vector's folder: relative paths that exist here are made absolute
    # (absolute, not resolved: a venv's python is a symlink that must stay one)
    argv = [os.path.abspath(a) if ("/" in a or a.startswith(".")) and Path(a).exists() else a for a in argv]
    if timeout <= 0:
        raise UsageError(f"--timeout ska vara större än 0 ({timeout:g})")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs ska vara minst 1 ({jobs})")
    manifest, vectors = load_suite(suite)
    year = int(manifest["year"])
    results = []
    pool = ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1)
    try:
        for r in pool.map(lambda v: run_vector(v, year, argv, timeout), vectors):
            results.append(r)
            if progress is not None:
                progress(r)
    finally:  # a command that cannot start ends the run: the vectors not begun are not tried
        pool.shutdown(wait=True, cancel_futures=True)
    return manifest, results


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids (NUL, ESC, \\v, U+FFFE...) written as ``\\xNN``/``\\uNNNN``."""
    return _NOT_XML.sub(lambda m: ascii(m.group())[1:-1], text)


def junit_xml(manifest: Mapping[str, Any], results: Sequence[Result]) -> bytes:
    """JUnit XML (one testcase per vector) for a CI system; well-formed whatever a vendor printed."""
    failed = sum(1 for r in results if not r.passed)
    suite = ET.Element(
        "testsuite",
        name=f"lss-conformance-{manifest['year']}",
        tests=str(len(results)),
        failures=str(failed),
        errors="0",
        skipped="0",
        time=f"{sum(r.seconds for r in results):.3f}",
    )
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="year", value=str(manifest["year"]))
    ET.SubElement(props, "property", name="spec_version", value=xml_text(str(manifest.get("spec_version", ""))))
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=xml_text(f"lss.{r.vector.rule or 'register'}"),
            name=xml_text(r.vector.id),
            time=f"{r.seconds:.3f}",
        )
        if not r.passed:
            fail = ET.SubElement(case, "failure", message=xml_text(r.reason), type="mismatch")
            fail.text = xml_text(f"{r.vector.tests}\n{r.reason}\n\n{r.output}")
    root = ET.Element("testsuites", tests=str(len(results)), failures=str(failed))
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
