"""Fast synthetic registers that look like Sweden's, without Hypothesis (``lss-rules generate``, benchmarks).

``build_register(2021, seed=1)`` makes one file per municipality of the year with the largest register
Skatteverket's test numbers allow with the published shape (:mod:`lss_rules.generators.persons`,
:mod:`lss_rules.generators.population`):

- persons per municipality in proportion to its population (largest remainders, so the order of the
  municipalities by persons is that by population); age, sex and personkrets from the published rates
  × the population; insatser per person dealt out to the published persons per insats and sex, with
  one person in four having both daglig verksamhet and a bostad för vuxna; children's insatser for
  children, at the ages the year's rules allow;
- personnummer only from Skatteverket's test lists (``data/``), each used once (a person reported by
  two municipalities keeps one number); they hold few persons born 1910–1975, so the largest
  realistic register of a year is a few thousand persons (:func:`capacity`).  A larger ``persons``
  raises :class:`~lss_rules.errors.UsageError` naming that number unless ``allow_distortion``, and
  then the shape bends (the notes say so; the profile measures how far); numbers are never invented;
- hours and days in plausible ranges below the year's limits (warning limits included), boendekommun
  sometimes set, municipality codes valid that year, and a share (:data:`SHARED`) of persons reported
  by two municipalities with different insatser (so LSS-R09 does not fire).

With ``error_rate=P`` about that share of records carries exactly one finding each, spread over the
year's rules and checks (a repeated personnummer for LSS-R07, a pair of lines for LSS-R09, structural
LSS-S01–S04); the violating lines come from :mod:`lss_rules.meaning.derive` and are checked with
the reference evaluator as they are placed.  ``Register.expected`` is the JSON report
``lss-rules validate --format json`` gives for the files (file names as given, e.g. ``0114.txt``).
Output is byte-identical for a seed.
"""

from __future__ import annotations

import functools
import itertools
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lss_rules import outdir
from lss_rules.errors import UsageError
from lss_rules.generators import population as pop
from lss_rules.generators.persons import Shape, pick
from lss_rules.language import model as m
from lss_rules.meaning import derive
from lss_rules.meaning.evaluate import not_checked, rule_table
from lss_rules.runtime import python as runtime

#: Plausible decided hours or days per month: (low, mode, high); clipped to the year's limits
#: (warning limits included, so a valid register draws no warning).  Our assumption.
PLAUSIBLE_COUNTS: dict[str, tuple[int, int, int]] = {
    "personlig_assistans_timmar": (20, 120, 600),
    "ledsagarservice_timmar": (2, 8, 40),
    "avlosarservice_timmar": (2, 12, 44),
    "korttidsvistelse_dygn": (1, 6, 14),
}

BOENDEKOMMUN_SHARE = 0.12
#: Share of persons reported by two municipalities (with different insatser).  Not published: our choice.
SHARED = 0.02


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


def _check_args(persons: int | None, seed: int, municipalities: int | None, error_rate: float) -> None:
    for name, value in (("persons", persons), ("seed", seed), ("municipalities", municipalities)):
        if value is None and name != "seed":
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(f"{name} ska vara ett heltal, inte {value!r}")
    if persons is not None and persons < 0:
        raise UsageError(f"antalet personer kan inte vara negativt ({persons})")
    if municipalities is not None and municipalities < 1:
        raise UsageError(f"antalet kommuner ska vara minst 1 ({municipalities})")
    if not isinstance(error_rate, int | float) or not 0.0 <= float(error_rate) <= 1.0:
        raise UsageError(f"felandelen ska vara mellan 0 och 1 ({error_rate!r})")


def year_model(ym_or_year: m.YearModel | int) -> m.YearModel:
    if isinstance(ym_or_year, m.YearModel):
        return ym_or_year
    if isinstance(ym_or_year, bool) or not isinstance(ym_or_year, int):
        raise UsageError(f"år ska vara ett heltal eller en YearModel, inte {ym_or_year!r}")
    from lss_rules.language.load import load_spec

    spec = load_spec()
    if ym_or_year < spec.first_year:
        raise UsageError(f"registret börjar {spec.first_year}; {ym_or_year} finns inte")
    return spec.for_year(ym_or_year)


@functools.lru_cache(maxsize=8)
def shape(ym: m.YearModel) -> Shape:
    """The published shape of a year and its test numbers (cached per year model)."""
    return Shape(ym)


def capacity(ym_or_year: m.YearModel | int) -> int:
    """The largest register of a year drawn with the real shape from Skatteverket's test numbers."""
    return shape(year_model(ym_or_year)).capacity


class _Builder:
    def __init__(self, ym: m.YearModel, rng: random.Random, used: frozenset[str] | set[str] = frozenset()) -> None:
        self.ym = ym
        self.rng = rng
        self.lines = derive.Lines(ym)
        self.pool = self.lines.pool
        self.flags = [f.name for f in ym.fields if derive.is_flag(f)]
        self.limits = derive.count_limits(ym)
        self.enum = next((f for f in ym.fields if isinstance(f.type, m.EnumType)), None)
        self.codes = sorted(ym.municipalities)
        # unused numbers by birth year (for lines with findings), shuffled once
        self.buckets: dict[int, list[str]] = {}
        for y, nums in self.pool.by_birth_year.items():
            b = [x for x in nums if x not in used]
            rng.shuffle(b)
            self.buckets[y] = b
        self.invalid = list(self.pool.invalid)
        rng.shuffle(self.invalid)
        self._template = dict(derive.base_record(ym))
        for f in ym.fields:
            if derive.is_flag(f):
                self._template[f.name] = "0"
            elif isinstance(f.type, m.CountType) or (isinstance(f.type, m.MunicipalityType) and f.optional):
                self._template[f.name] = ""
        self._kommun_fields = [f.name for f in ym.fields if isinstance(f.type, m.MunicipalityType) and not f.optional]
        self._shapes: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]] = {}
        self._ages: dict[tuple[frozenset[str], str], tuple[int, ...]] = {}
        # ages at which some rule switches: rules are constant between these cut points
        cuts = {0}
        for c in derive._all_ages(ym):
            cuts.update((c, c + 1))
        self._cuts = sorted(cuts)

    def allowed_ages(self, flags: Sequence[str], krets: str) -> tuple[int, ...]:
        """Ages at which the year's rules accept this combination (cached), by running them (strategies)."""
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

    def _shape(self, flags: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
        """For a set of insatser: the count fields that must be given, the optional codes that may be,
        and the template with the insatser set."""
        key = tuple(flags)
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
            got = self._shapes[key] = (need, may, values)
        return got

    def values_for(self, kommun: str, pnr: str, flags: Sequence[str], krets: str) -> dict[str, str]:
        need, may, base = self._shape(flags)
        values = dict(base)
        values[self.lines.pnr] = pnr
        for name in self._kommun_fields:
            values[name] = kommun
        if self.enum is not None:
            values[self.enum.name] = krets
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


def build_register(
    ym: m.YearModel | int,
    *,
    persons: int | None = None,
    seed: int,
    municipalities: int | None = None,
    error_rate: float = 0.0,
    shared: float = SHARED,
    allow_distortion: bool = False,
) -> Register:
    """A synthetic register for a year (see the module docstring).

    ``persons`` defaults to the largest realistic register (:func:`capacity`); more is an error unless
    ``allow_distortion``.  ``municipalities`` defaults to every municipality of the year; a number picks
    that many at random.  ``shared`` is the share of persons reported by two municipalities (with
    different insatser); above the share of persons with two or more insatser, persons get one more
    insats to be split (the notes say how many).
    """
    _check_args(persons, seed, municipalities, error_rate)
    if not isinstance(shared, int | float) or not 0.0 <= shared <= 1.0:
        raise UsageError(f"andelen delade personer ska vara mellan 0 och 1 ({shared!r})")
    ym = year_model(ym)
    sh = shape(ym)
    n = sh.capacity if persons is None else persons
    rng = random.Random(seed)
    all_codes = sorted(ym.municipalities)
    if municipalities is not None and municipalities > len(all_codes):
        raise UsageError(f"{ym.year} finns bara {len(all_codes)} kommuner ({municipalities} begärda)")
    people, notes = sh.draw(n, rng, distort=allow_distortion)
    if n > sh.capacity:
        notes.insert(
            0,
            f"{n} personer är fler än de {sh.capacity} som Skatteverkets testpersonnummer räcker till med "
            f"verklig form för {ym.year}: ålders- och könsfördelningen har böjts (se --profile)",
        )
    codes = all_codes if municipalities is None else sorted(rng.sample(all_codes, municipalities))
    popu = pop.municipality_population(codes, municipality_names(), ym.year)
    weights = [max(popu[c], 1) for c in codes]
    sizes = _apportion_sizes(len(people), weights)
    b = _Builder(ym, rng, {p.pnr for p in people})
    # who is reported by two municipalities: persons with two or more insatser first
    want = round(shared * len(people)) if len(codes) > 1 else 0
    multi = [i for i, p in enumerate(people) if len(p.flags) >= 2]
    rng.shuffle(multi)
    twice = set(multi[:want])
    added = 0
    if want > len(twice):
        singles = [i for i, p in enumerate(people) if len(p.flags) < 2]
        rng.shuffle(singles)
        for i in singles:
            if len(twice) >= want:
                break
            more = sh.add_insats(people[i], rng)
            if more is not None:
                people[i] = more
                twice.add(i)
                added += 1
    if added:
        notes.append(
            f"{added} personer fick en insats till för att kunna rapporteras av två kommuner "
            f"(andel delade personer {shared:g})"
        )
    cum = list(itertools.accumulate(weights))
    files: dict[str, list[_Entry]] = {c: [] for c in codes}
    at = 0
    for code, size in zip(codes, sizes, strict=True):
        for pid in range(at, at + size):
            p = people[pid]
            krets = str(p.krets)
            if pid in twice:
                flags = list(p.flags)
                rng.shuffle(flags)
                cut = rng.randint(1, len(flags) - 1)
                second = code
                while second == code:
                    second = codes[pick(cum, rng)]
                for c, part in ((code, flags[:cut]), (second, flags[cut:])):
                    vals = b.values_for(c, p.pnr, tuple(f for f in b.flags if f in part), krets)
                    files[c].append(_Entry(b.lines.text(vals), pid, [], shared=True))
            else:
                vals = b.values_for(code, p.pnr, p.flags, krets)
                files[code].append(_Entry(b.lines.text(vals), pid, []))
        at += size
    for code in codes:  # the second lines were appended in the other files: mix them in
        if any(e.shared for e in files[code]):
            rng.shuffle(files[code])
    if error_rate > 0:
        _inject(ym, b, files, codes, float(error_rate))
    # fewer persons than municipalities: a municipality without persons sends no file
    reg = _finish(ym, {f"{c}.txt": v for c, v in files.items() if v or not people})
    return Register(reg.year, reg.files, reg.expected, tuple(notes))


@functools.cache
def municipality_names() -> dict[str, str]:
    """Municipality code -> name, from the spec's code list (for codes without population of their own)."""
    import csv
    import io
    from importlib import resources

    text = (resources.files("lss_rules.spec") / "data" / "kommuner.csv").read_text(encoding="utf-8")
    return {r["kod"]: r["namn"] for r in csv.DictReader(io.StringIO(text))}


def _apportion_sizes(total: int, weights: list[int]) -> list[int]:
    """Persons per municipality by largest remainders (more inhabitants never means fewer persons); when
    there are enough persons, a municipality whose share rounds to none gets one, taken from those
    furthest above their share (every municipality reports someone)."""
    wsum = sum(weights)
    quota = [total * w / wsum for w in weights]
    out = [int(q) for q in quota]
    order = sorted(range(len(weights)), key=lambda i: (-(quota[i] - out[i]), -weights[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    if total >= len(weights):
        for i in sorted((i for i, k in enumerate(out) if k == 0), key=lambda i: (-weights[i], i)):
            j = max((j for j, k in enumerate(out) if k > 1), key=lambda j: (out[j] - quota[j], -j))
            out[j] -= 1
            out[i] = 1
    return out


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
    from lss_rules.meaning.expected import detail_table

    lines_of = [lines_by_file[n] for n in names].__getitem__
    report = runtime.build_report(
        ym.year, names, records, raw, rule_table(ym), not_checked(ym, None), details=detail_table(ym), lines_of=lines_of
    )
    return Register(ym.year, lines_by_file, report)


def write_register(
    ym: m.YearModel | int,
    out_dir: str | Path,
    *,
    persons: int | None = None,
    seed: int,
    municipalities: int | None = None,
    error_rate: float = 0.0,
    shared: float = SHARED,
    allow_distortion: bool = False,
    force: bool = False,
) -> Register:
    """Build a register and write ``<kommunkod>.txt`` files and ``expected.json`` to ``out_dir``.

    ``out_dir`` must be empty or new unless ``force``; then it must hold only what an earlier
    ``generate`` recorded there, which is removed first (see :mod:`lss_rules.outdir`).
    """
    reg = build_register(
        ym,
        persons=persons,
        seed=seed,
        municipalities=municipalities,
        error_rate=error_rate,
        shared=shared,
        allow_distortion=allow_distortion,
    )

    def files() -> dict[str, bytes]:
        out = {name: "".join(line + "\n" for line in lines).encode("utf-8") for name, lines in reg.files.items()}
        out["expected.json"] = (json.dumps(reg.expected, ensure_ascii=False, indent=2) + "\n").encode()
        return out

    # a non-empty folder only with force, and only what an earlier generate recorded goes; links never followed
    outdir.write_tree(Path(out_dir), "generate", files, force=force)
    return reg


__all__ = ["SHARED", "Register", "build_register", "capacity", "write_register"]
