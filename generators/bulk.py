"""Fast, realistic synthetic registers without Hypothesis (``lss-rules generate``, benchmarks).

``build_register(2023, persons=40_000, seed=1)`` makes one file per municipality
in a few seconds, with:

- personnummer only from Skatteverket's test lists (``data/``), each used once
  (a person reported by two municipalities keeps one number); a request that
  needs more numbers than the lists hold for that year raises
  :class:`~lss_rules.errors.UsageError`, numbers are never invented;
- insatser drawn like the national figures of 1 October 2021
  (``lss-national-figures.md``), about 1.5 per person, daglig verksamhet often
  together with bostad för vuxna;
- ages that fit each insats (plausible ranges, within what the year's rules
  allow: the allowed ages of a combination of insatser are found by running
  the rules of the year on it, not written down per rule);
- hours and days in plausible ranges below the year's limits, boendekommun
  sometimes set, municipality codes valid that year, and a share of persons
  reported by two municipalities with different insatser.

With ``error_rate=P`` about that share of records carries exactly one finding
each, spread over the year's rules and checks (a repeated personnummer for
LSS-R07, a pair of lines for LSS-R09, structural LSS-S01–S04); the violating
lines come from :mod:`lss_rules.generators.derive` and are checked with the
reference evaluator as they are placed.  ``Register.expected`` is the JSON
report ``lss-rules validate --format json`` gives for the files (file names as
given, e.g. ``0114.txt``).  Output is byte-identical for a seed.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lss_rules.generators import derive

from lss_rules import model as m
from lss_rules import runtime
from lss_rules.errors import UsageError
from lss_rules.evaluate import not_checked, rule_table

#: Persons per insats on 1 October 2021 (SCB/Socialstyrelsen, lss-national-figures.md).  The table has
#: one row "boende, barn" (872) and one "boende, vuxna" (29 551); the split between familjehem and
#: bostad för barn, and between bostad med särskild service and annan särskilt anpassad bostad för
#: vuxna, is not published: 20/80 and 90/10 are our assumptions.
NATIONAL_2021: dict[str, float] = {
    "personlig_assistans": 4948,
    "ledsagarservice": 6669,
    "kontaktperson": 17549,
    "avlosarservice": 4095,
    "korttidsvistelse": 8800,
    "korttidstillsyn": 4565,
    "familjehem": 872 * 0.2,
    "bostad_barn": 872 * 0.8,
    "boende_vuxna": 29551,
    "bostad_vuxna": 29551 * 0.9,
    "annan_bostad": 29551 * 0.1,
    "daglig_verksamhet": 40064,
}

#: Plausible ages (by calendar year) for each insats; the year's rules narrow them further.
PLAUSIBLE_AGES: dict[str, tuple[int, int]] = {
    "personlig_assistans": (1, 64),
    "ledsagarservice": (6, 64),
    "kontaktperson": (7, 64),
    "avlosarservice": (1, 21),
    "korttidsvistelse": (3, 21),
    "korttidstillsyn": (12, 20),
    "familjehem": (2, 20),
    "bostad_barn": (6, 21),
    "boende_vuxna": (20, 64),
    "bostad_vuxna": (20, 64),
    "annan_bostad": (20, 64),
    "daglig_verksamhet": (20, 65),
}

#: Plausible decided hours or days per month: (low, mode, high); clipped to the year's limits.
PLAUSIBLE_COUNTS: dict[str, tuple[int, int, int]] = {
    "personlig_assistans_timmar": (20, 120, 600),
    "ledsagarservice_timmar": (2, 8, 40),
    "avlosarservice_timmar": (2, 12, 44),
    "korttidsvistelse_dygn": (1, 6, 14),
}

#: Number of insatser per person: 1.5 on average (117 113 insatser for 76 712 persons in 2021).
INSATS_COUNTS = ((1, 0.6), (2, 0.29), (3, 0.09), (4, 0.02))
PERSONKRETS_WEIGHTS = {1: 0.88, 2: 0.04, 3: 0.08}
BOENDEKOMMUN_SHARE = 0.12


@dataclass(frozen=True)
class Register:
    """A generated register: file name -> lines in order, and the validate JSON report for them."""

    year: int
    files: dict[str, list[str]]
    expected: dict[str, Any] = field(compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def lines(self) -> int:
        return sum(len(v) for v in self.files.values())


@dataclass(slots=True)
class _Entry:
    text: str
    person: int
    findings: list[tuple[str, tuple[str, ...]]]
    locked: bool = False  # duplicates and error lines are not touched again
    shared: bool = False  # the person has a line in another municipality too


def _check_args(ym_or_year: Any, persons: int, seed: int, municipalities: int, error_rate: float) -> None:
    for name, value in (("persons", persons), ("seed", seed), ("municipalities", municipalities)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(f"{name} ska vara ett heltal, inte {value!r}")
    if persons < 0:
        raise UsageError(f"antalet personer kan inte vara negativt ({persons})")
    if municipalities < 1:
        raise UsageError(f"antalet kommuner ska vara minst 1 ({municipalities})")
    if not isinstance(error_rate, int | float) or not 0.0 <= float(error_rate) <= 1.0:
        raise UsageError(f"felandelen ska vara mellan 0 och 1 ({error_rate!r})")


def year_model(ym_or_year: m.YearModel | int) -> m.YearModel:
    if isinstance(ym_or_year, m.YearModel):
        return ym_or_year
    if isinstance(ym_or_year, bool) or not isinstance(ym_or_year, int):
        raise UsageError(f"år ska vara ett heltal eller en YearModel, inte {ym_or_year!r}")
    from lss_rules.load import load_spec

    spec = load_spec()
    if ym_or_year < spec.first_year:
        raise UsageError(f"registret börjar {spec.first_year}; {ym_or_year} finns inte")
    return spec.for_year(ym_or_year)


class _Builder:
    def __init__(self, ym: m.YearModel, rng: random.Random) -> None:
        self.ym = ym
        self.rng = rng
        self.lines = derive.Lines(ym)
        self.pool = self.lines.pool
        self.flags = [f.name for f in ym.fields if derive.is_flag(f)]
        self.weights = [NATIONAL_2021.get(n, 1000.0) for n in self.flags]
        self.limits = derive.count_limits(ym)
        self.enum = next((f for f in ym.fields if isinstance(f.type, m.EnumType)), None)
        self.codes = sorted(ym.municipalities)
        # buckets of unused numbers by birth year, shuffled once
        self.buckets: dict[int, list[str]] = {}
        for y, nums in self.pool.by_birth_year.items():
            b = list(nums)
            rng.shuffle(b)
            self.buckets[y] = b
        self.invalid = list(self.pool.invalid)
        rng.shuffle(self.invalid)
        self._ages: dict[tuple[frozenset[str], str], tuple[int, ...]] = {}
        self.outside_plausible = 0  # persons given an age the rules allow but that is not typical
        self._template = dict(derive.base_record(ym))
        for f in ym.fields:
            if derive.is_flag(f):
                self._template[f.name] = "0"
            elif isinstance(f.type, m.CountType) or (isinstance(f.type, m.MunicipalityType) and f.optional):
                self._template[f.name] = ""
        self._kommun_fields = [f.name for f in ym.fields if isinstance(f.type, m.MunicipalityType) and not f.optional]
        self._shapes: dict[frozenset[str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # ages at which some rule switches: rules are constant between these cut points
        cuts = {0}
        for c in derive._all_ages(ym):
            cuts.update((c, c + 1))
        self._cuts = sorted(cuts)

    # ---------------------------------------------------------------- persons
    def profile(self, at_least: int = 1) -> list[str]:
        r = self.rng.random()
        k = next((n for n, p in INSATS_COUNTS if (r := r - p) < 0), 1)
        k = max(k, at_least)
        chosen: list[str] = []
        pool = list(self.flags)
        weights = list(self.weights)
        while len(chosen) < k and pool:
            i = self._pick(weights)
            chosen.append(pool.pop(i))
            weights.pop(i)
            # one in four persons has both daglig verksamhet and a bostad for adults
            if len(chosen) == 1 and self.rng.random() < 0.45:
                adult = [p for p in ("bostad_vuxna", "boende_vuxna") if p in pool]
                partner: str | None = None
                if chosen[0] == "daglig_verksamhet" and adult:
                    partner = adult[0]
                elif chosen[0] in ("bostad_vuxna", "boende_vuxna") and "daglig_verksamhet" in pool:
                    partner = "daglig_verksamhet"
                if partner is not None:
                    j = pool.index(partner)
                    chosen.append(pool.pop(j))
                    weights.pop(j)
        return chosen

    def _pick(self, weights: Sequence[float]) -> int:
        cum = list(itertools.accumulate(weights))
        return bisect.bisect_right(cum, self.rng.random() * cum[-1])

    def _shape(self, flags: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """For a set of insatser: the count fields that must be given, the optional codes that may be."""
        key = frozenset(flags)
        got = self._shapes.get(key)
        if got is None:
            values = dict(self._template)
            for n in flags:
                values[n] = "1"
            need = tuple(
                f.name
                for f in self.ym.fields
                if isinstance(f.type, m.CountType)
                and f.required_when is not None
                and self.lines.holds(f.required_when, values)
            )
            may = tuple(
                f.name
                for f in self.ym.fields
                if isinstance(f.type, m.MunicipalityType)
                and f.optional
                and f.empty_unless is not None
                and self.lines.holds(f.empty_unless, values)
            )
            got = self._shapes[key] = (need, may)
        return got

    def values_for(self, kommun: str, pnr: str, flags: Sequence[str], krets: str) -> dict[str, str]:
        values = dict(self._template)
        values[self.lines.pnr] = pnr
        for name in self._kommun_fields:
            values[name] = kommun
        for n in flags:
            values[n] = "1"
        if self.enum is not None:
            values[self.enum.name] = krets
        need, may = self._shape(flags)
        for name in need:
            values[name] = str(self.count(name))
        for name in may:
            if self.rng.random() < BOENDEKOMMUN_SHARE:
                other = self.rng.choice(self.codes)
                if other != kommun:
                    values[name] = other
        return values

    def count(self, name: str) -> int:
        low, mode, high = PLAUSIBLE_COUNTS.get(name, (1, 5, 20))
        limit = self.limits.get(name)
        if limit is not None:
            high = min(high, limit)
            mode = min(mode, high)
            low = min(low, high)
        return round(self.rng.triangular(low, high, mode))

    def allowed_ages(self, flags: Sequence[str], krets: str) -> tuple[int, ...]:
        """Ages at which the year's rules accept this combination (cached), by running them."""
        key = (frozenset(flags), krets)
        got = self._ages.get(key)
        if got is None:
            values = dict(self._template)
            for n in flags:
                values[n] = "1"
            if self.enum is not None:
                values[self.enum.name] = krets
            self.lines.fix_up(values)
            have = sorted(self.ym.year - y for y in self.pool.by_birth_year)
            ages: list[int] = []
            bounds = [*self._cuts, max(have) + 1]
            for lo, hi in itertools.pairwise(bounds):
                inside = [a for a in have if lo <= a < hi]
                if not inside:
                    continue
                values[self.lines.pnr] = self.pool.of_age(self.ym.year, inside[0])[0]
                if not self.lines.findings(values):
                    ages += inside
            got = tuple(sorted(ages))
            self._ages[key] = got
        return got

    def krets(self, flags: Sequence[str]) -> str:
        if self.enum is None:
            return ""
        members = [x.value for x in self.enum.type.members] if isinstance(self.enum.type, m.EnumType) else []
        weights = [PERSONKRETS_WEIGHTS.get(v, 0.05) for v in members]
        return str(members[self._pick(weights)])

    def draw_number(self, ages: Sequence[int]) -> str | None:
        years = [self.ym.year - a for a in ages if self.buckets.get(self.ym.year - a)]
        if not years:
            return None
        i = self._pick([len(self.buckets[y]) for y in years])
        return self.buckets[years[i]].pop()

    def person(self, at_least: int = 1) -> tuple[str, list[str], str]:
        for _ in range(30):
            flags = self.profile(at_least)
            krets = self.krets(flags)
            allowed = self.allowed_ages(flags, krets)
            if not allowed and self.enum is not None:
                krets = str(self.enum.type.members[0].value) if isinstance(self.enum.type, m.EnumType) else krets
                allowed = self.allowed_ages(flags, krets)
            if not allowed:
                continue
            lows, highs = zip(*(PLAUSIBLE_AGES.get(n, (0, 120)) for n in flags), strict=True)
            lo, hi = max(lows), min(highs)
            plausible = [a for a in allowed if lo <= a <= hi]
            pnr = self.draw_number(plausible)
            if pnr is None:
                pnr = self.draw_number(allowed)
                if pnr is not None:
                    self.outside_plausible += 1
            if pnr is not None:
                return pnr, flags, krets
        raise UsageError(
            f"Skatteverkets testpersonnummer räcker inte till fler personer {self.ym.year} "
            "(personnummer hittas aldrig på); minska --persons"
        )


def build_register(
    ym: m.YearModel | int,
    *,
    persons: int,
    seed: int,
    municipalities: int = 10,
    error_rate: float = 0.0,
    shared: float = 0.03,
) -> Register:
    """A synthetic register for a year (see the module docstring).

    ``shared`` is the share of persons reported by two municipalities (with different insatser);
    ``shared=1.0`` gives about two lines per person.
    """
    _check_args(ym, persons, seed, municipalities, error_rate)
    if not 0.0 <= shared <= 1.0:
        raise UsageError(f"andelen delade personer ska vara mellan 0 och 1 ({shared!r})")
    ym = year_model(ym)
    rng = random.Random(seed)
    b = _Builder(ym, rng)
    if persons > b.pool.size:
        raise UsageError(
            f"{persons} personer begärda men Skatteverkets testlistor har bara {b.pool.size} giltiga "
            f"personnummer för {ym.year}; personnummer hittas aldrig på"
        )
    if municipalities > len(b.codes):
        raise UsageError(f"{ym.year} finns bara {len(b.codes)} kommuner ({municipalities} begärda)")
    codes = sorted(rng.sample(b.codes, municipalities))
    size = [rng.paretovariate(1.2) for _ in codes]  # few large municipalities, many small ones
    files: dict[str, list[_Entry]] = {c: [] for c in codes}
    for pid in range(persons):
        two = municipalities > 1 and rng.random() < shared
        pnr, flags, krets = b.person(at_least=2 if two else 1)
        first = codes[b._pick(size)]
        if two and len(flags) >= 2:
            rng.shuffle(flags)
            cut = rng.randint(1, len(flags) - 1)
            second = rng.choice([c for c in codes if c != first])
            for code, part in ((first, flags[:cut]), (second, flags[cut:])):
                vals = b.values_for(code, pnr, sorted(part, key=b.flags.index), krets)
                files[code].append(_Entry(b.lines.text(vals), pid, [], shared=True))
        else:
            vals = b.values_for(first, pnr, flags, krets)
            files[first].append(_Entry(b.lines.text(vals), pid, []))
    if error_rate > 0:
        _inject(ym, b, files, codes, float(error_rate))
    reg = _finish(ym, {f"{c}.txt": v for c, v in files.items()})
    if b.outside_plausible:
        note = (
            f"{b.outside_plausible} av {persons} personer fick en ålder som reglerna godtar men som är ovanlig för "
            "insatserna: testpersonnumren för de vanliga åldrarna tog slut (Skatteverkets listor har få personer "
            "födda 1910–1969 och många födda 1890–1909)"
        )
        reg = Register(reg.year, reg.files, reg.expected, (note,))
    return reg


def _inject(ym: m.YearModel, b: _Builder, files: dict[str, list[_Entry]], codes: list[str], rate: float) -> None:
    rng = b.rng
    total = sum(len(v) for v in files.values())
    wanted = round(rate * total)
    targets = [t for t in derive.record_targets(ym) if _external(ym, t) is False]
    targets = [t for t in targets if t == _count_check(ym) or derive.violations(ym, t)]
    targets += [r.id for r in ym.rules if r.unique is not None and (r.unique.each_flag_in is None or len(codes) > 1)]
    if not targets:
        return
    free = [(c, e) for c in codes for e in files[c] if not e.locked]
    rng.shuffle(free)
    done = 0
    i = 0
    order = list(targets)
    rng.shuffle(order)
    misses = 0
    while done < wanted and free and misses < 10 * len(order):
        target = order[i % len(order)]
        i += 1
        code, entry = free.pop()
        placed = _place(ym, b, files, codes, code, entry, target)
        if placed:
            done += placed
            misses = 0
        else:
            misses += 1
            free.insert(0, (code, entry))


def _external(ym: m.YearModel, ident: str) -> bool:
    return any(r.id == ident and r.rule.scope == "external" for r in ym.rules)


def _count_check(ym: m.YearModel) -> str | None:
    return next((c.id for c in ym.checks if c.check.kind == "field_count"), None)


def _place(
    ym: m.YearModel,
    b: _Builder,
    files: dict[str, list[_Entry]],
    codes: list[str],
    code: str,
    entry: _Entry,
    target: str,
) -> int:
    rng = b.rng
    lines = b.lines
    rule = next((r for r in ym.rules if r.id == target), None)
    if rule is not None and rule.unique is not None:
        key = rule.unique.key
        parts = entry.text.split(lines.sep)
        if rule.unique.each_flag_in is None:  # a repeat in the same file: the later line draws it
            # (a person with a line elsewhere too: that line has other insatser, so no LSS-R09)
            lst = files[code]
            at = lst.index(entry)
            dup = _Entry(entry.text, entry.person, [(target, (key,))], locked=True)
            lst.insert(rng.randint(at + 1, len(lst)), dup)
            entry.locked = True
            return 1
        # the same person and insats from a second municipality: both lines draw it
        if entry.shared:  # the person is in another file already: a copy there would also repeat it
            return 0
        other = rng.choice([c for c in codes if c != code])
        values = dict(zip(lines.names, parts, strict=True))
        for f in ym.fields:
            if isinstance(f.type, m.MunicipalityType) and not f.optional:
                values[f.name] = other
            elif f.differs_from is not None and values[f.name] == values.get(f.differs_from):
                values[f.name] = ""
        members = rule.unique.each_flag_in.members
        flags = tuple(n for n in lines.names if n == key or (n in members and values[n] == "1"))
        entry.findings = [(target, flags)]
        entry.locked = True
        lst = files[other]
        lst.insert(rng.randint(0, len(lst)), _Entry(lines.text(values), entry.person, [(target, flags)], locked=True))
        return 2
    if target == _count_check(ym):
        parts = entry.text.split(lines.sep)
        text = rng.choice([lines.sep.join(parts[:-1]), entry.text + lines.sep + "0", entry.text + lines.sep, ""])
        entry.text, entry.findings, entry.locked = text, [(target, ())], True
        return 1
    sols = list(derive.violations(ym, target))
    rng.shuffle(sols)
    own = dict(zip(lines.names, entry.text.split(lines.sep), strict=True))
    for sol in sols[:4]:
        values = sol.mapping
        base = derive.base_record(ym)
        for f in ym.fields:
            if isinstance(f.type, m.MunicipalityType) and not f.optional and f.name not in sol.changed:
                values[f.name] = own[f.name]
        for f in ym.fields:
            d = f.differs_from
            if d is not None and values[f.name] != "":
                if sol.mapping[f.name] == sol.mapping[d]:
                    values[f.name] = values[d]
                elif values[f.name] == values[d]:
                    values[f.name] = next(c for c in b.codes if c != values[d])
        p = lines.pnr
        sp = sol.mapping[p]
        choices: list[str] = []
        if p not in sol.changed and entry.shared:  # a new person, so the other line stays valid alone
            bucket = b.buckets.get(int(sp[:4]))
            choices = [bucket[-1]] if bucket else []
        elif p not in sol.changed:
            choices = [own[p]]
        elif sp == "":
            choices = [""]
        elif runtime.valid_personnummer(sp, ym.reference_date) if len(sp) == 12 and sp.isdigit() else False:
            bucket = b.buckets.get(int(sp[:4]))
            choices = [bucket[-1]] if bucket else []
        elif len(sp) == 12 and sp.isdigit():  # fails LSS-R01: an unused test number of the same kind
            kind = derive._invalid_kind(sp)
            choices = [x for x in b.invalid if derive._invalid_kind(x) == kind][:1]
        else:  # malformed (LSS-S02): the same malformation of this person's test number
            choices = [_reshape(own[p], sp, base[p])]
        for pnr in choices:
            values[p] = pnr
            found = lines.findings(values)
            if len(found) == 1 and found[0][0] == target:
                if pnr in b.invalid:
                    b.invalid.remove(pnr)
                y = int(pnr[:4]) if pnr[:4].isdigit() else None
                if y is not None and b.buckets.get(y) and b.buckets[y][-1] == pnr:
                    b.buckets[y].pop()
                entry.text, entry.findings, entry.locked = lines.text(values), list(found), True
                return 1
    return 0


def _reshape(own: str, bad: str, base: str) -> str:
    """Apply to ``own`` the malformation that turned ``base`` into ``bad`` (drop, add, insert a character)."""
    if bad == base[:11]:
        return own[:11]
    if bad.startswith(base):
        return own + bad[len(base) :]
    if bad.replace("-", "") == base:
        return own[:8] + "-" + own[8:]
    if bad[:11] == base[:11]:
        return own[:11] + bad[11:]
    return bad


def _finish(ym: m.YearModel, files: Mapping[str, list[_Entry]]) -> Register:
    names = sorted(files)
    lines_by_file = {n: [e.text for e in files[n]] for n in names}
    pnr_at = ym.field_names.index(derive.pnr_field(ym))
    sep = ym.layout.separator
    raw: list[tuple[str, int, int | None, tuple[str, ...], str | None]] = []
    for fi, n in enumerate(names):
        for number, e in enumerate(files[n], start=1):
            for rule, fields in e.findings:
                parts = e.text.split(sep)
                pnr = parts[pnr_at] if len(parts) > pnr_at else None
                raw.append((rule, fi, number, fields, pnr))
        if not files[n]:
            empty = next((c.id for c in ym.checks if c.check.kind == "empty_file"), None)
            if empty is not None:
                raw.append((empty, fi, None, (), None))
    records = [len(files[n]) for n in names]
    from lss_rules.details import detail_table

    lines_of = [lines_by_file[n] for n in names].__getitem__
    report = runtime.build_report(
        ym.year, names, records, raw, rule_table(ym), not_checked(ym, None), details=detail_table(ym), lines_of=lines_of
    )
    return Register(ym.year, lines_by_file, report)


def write_register(
    ym: m.YearModel | int,
    out_dir: str | Path,
    *,
    persons: int,
    seed: int,
    municipalities: int = 10,
    error_rate: float = 0.0,
    shared: float = 0.03,
) -> Register:
    """Build a register and write ``<kommunkod>.txt`` files and ``expected.json`` to ``out_dir``."""
    reg = build_register(
        ym, persons=persons, seed=seed, municipalities=municipalities, error_rate=error_rate, shared=shared
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, lines in reg.files.items():
        text = "".join(line + "\n" for line in lines)
        (out / name).write_bytes(text.encode("utf-8"))
    (out / "expected.json").write_bytes((json.dumps(reg.expected, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return reg


__all__ = ["Register", "build_register", "write_register"]
