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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lss_rules import outdir
from lss_rules.errors import UsageError
from lss_rules.generators import population as pop
from lss_rules.generators.builder import Builder, Entry
from lss_rules.generators.inject import inject
from lss_rules.generators.persons import Shape, pick
from lss_rules.language import model as m
from lss_rules.meaning import derive
from lss_rules.meaning.evaluate import not_checked, rule_table
from lss_rules.runtime import python as runtime

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
    b = Builder(ym, rng, {p.pnr for p in people})
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
    files: dict[str, list[Entry]] = {c: [] for c in codes}
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
                    files[c].append(Entry(b.lines.text(vals), pid, [], shared=True))
            else:
                vals = b.values_for(code, p.pnr, p.flags, krets)
                files[code].append(Entry(b.lines.text(vals), pid, []))
        at += size
    for code in codes:  # the second lines were appended in the other files: mix them in
        if any(e.shared for e in files[code]):
            rng.shuffle(files[code])
    if error_rate > 0:
        inject(ym, b, files, codes, float(error_rate))
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


def _finish(ym: m.YearModel, files: Mapping[str, list[Entry]]) -> Register:
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
