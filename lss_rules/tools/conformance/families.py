"""The vectors of a rule or check that take more than one line or file, and the helpers they share.

A structural check gets one vector per field it can be broken in (every way a line); a rule on a
key (once per file, once nationally) gets its repeats within a file and across municipalities; a
record rule gets a ``combination`` vector (its boundary lines in the company of a messy register).
Every vector is handed to ``add`` (:func:`lss_rules.tools.conformance.build.build_suite`), which
computes its expected report with the reference evaluator and checks that it is the one intended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from lss_rules.language import model as m
from lss_rules.runtime import python as runtime


def describe(
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


class Twins:
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


def moved_to(ym: m.YearModel, values: Mapping[str, str], code: str) -> dict[str, str]:
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


def structural_vectors(
    ym: m.YearModel, item: m.ActiveCheck, lines: Any, base: Mapping[str, str], fname: str, add: Callable[..., None]
) -> None:
    """One vector per field a structural check can be broken in; every way of breaking it is a line."""
    from lss_rules.meaning import derive

    by_field: dict[str, list[tuple[str, derive.Solution]]] = {}
    for desc, sol in derive.structural(ym, item.check.kind):
        if isinstance(sol, derive.Solution):
            by_field.setdefault(desc.split()[0], []).append((desc, sol))
    for group in by_field.values():
        twins = Twins(lines)
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
    """Unknown values in fields a rule does not read: (field, value, description), one for the check of
    a value's form (LSS-S02 here) and one for the check of a required value (LSS-S03), when the year has them."""
    from lss_rules.meaning import derive

    form = check_id(ym, "value_form")
    required = check_id(ym, "required_value")
    out: list[tuple[str, str, str]] = []
    others = [f for f in ym.fields if f.name not in reads and f.name != lines.pnr]
    for f in others if form is not None else ():
        for bad in derive._bad_forms(lines, f, base):
            values = dict(base)
            values[f.name] = bad
            if [r for r, _ in lines.findings(values)] == [form]:
                out.append((f.name, bad, f"ett okänt värde i {f.name} ({bad!r}, {form})"))
                break
        if out:
            break
    for f in reversed(others) if required is not None else ():
        if f.always_required:
            values = dict(base)
            values[f.name] = ""
            if [r for r, _ in lines.findings(values)] == [required]:
                out.append((f.name, "", f"{f.name} tomt ({required})"))
                break
    return out


def check_id(ym: m.YearModel, kind: str) -> str | None:
    """The id of the year's check of ``kind`` (``value_form``: LSS-S02 in this register), None without one."""
    return next((c.id for c in ym.checks if c.check.kind == kind), None)


def combination_vector(
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
    twins = Twins(lines)
    fname, first = f"{home}.txt", f"{away}.txt"
    neighbour = moved_to(ym, base, away)
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
        values = moved_to(ym, other.mapping, away)
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
            desc = describe(ym, base, own, d)
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


def short_id(ident: str) -> str:
    """A rule's id as the name of a vector says it: ``LSS-R07`` -> ``r07`` (no rule is named in this code)."""
    return ident.rsplit("-", 1)[-1].lower()


def second_number(lines: Any, base: Mapping[str, str]) -> str:
    p = base[lines.pnr]
    same = lines.pool.by_birth_year[int(p[:4])]
    return next(x for x in same if x != p)


def unique_vectors(
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
    other[lines.pnr] = second_number(lines, base)
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
    s02 = check_id(ym, "value_form")
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
            name=f"{short_id(ident)}-repeats-only",
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
            name=f"{short_id(ident)}-unknown-flag",
        )
    repeat = next((r.id for r in ym.rules if r.unique is not None and r.unique.each_flag_in is None), None)
    add(
        ident,
        "inside",
        f"samma {key} och insats två gånger i samma kommun (inte {ident})",
        {f1: [lines.text(base), lines.text(base)]},
        intended=({(f1, 2, repeat)} if repeat else set()),
    )
