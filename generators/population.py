"""What a register of a year looks like in Sweden: the published shape the bulk generator draws from.

Everything comes from the files in ``data/`` (see ``data/PROVENANCE.md``), read once:

- ``kommuner-folkmangd-2020-2024.csv``: population per municipality (SCB, 31 December);
- ``befolkning-alder-kon-2020-2024.csv``: population by single year of age and sex (SCB);
- ``lss-per-10000-personkrets-alder-kon-2021.csv``: persons with an LSS insats per 10,000 inhabitants by
  personkrets, age band and sex, 1 October 2021 (two overlapping sets of age bands);
- ``lss-personer-per-insats-kon-2021.csv``: persons per insats by sex, 1 October 2021,
  ``lss-personer-per-insats-ar.csv``: persons per insats of other years (five insatser in 2004), and
  ``lss-personer-totalt-per-ar.csv``: the headline totals by year (all copied from
  ``lss-national-figures.md``).

The shape of a year: persons by (age, sex, personkrets) are rate × population, the two band sets made
consistent by iterative proportional fitting over single years of age; the population is that of the
year nearest the collection year (2020–2024; before 2020 the age structure and the municipalities of
2020), and the total is the year's headline figure.  Only 2021 has the full table, so for every other
year the shape (rates, insatser per person, personkrets) is carried over from 2021 and scaled to the
year's total (:func:`total_persons` says which figure was used); persons per insats published for the
year itself (2004) replace the 2021 shares of those insatser.  Age is the register's age (collection
year minus birth year): the population of age *a* stands for the persons of register age *a*.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

FIRST_POP_YEAR, LAST_POP_YEAR = 2020, 2024
MAX_AGE = 131  # Skatteverket's lists start with persons born 1890
SEXES = ("women", "men")
KRETSAR = (1, 2, 3)
SOURCE_YEAR = 2021  # the year of the full tables

#: The fields of the register a published insats category stands for, with our split where the
#: statistics give one figure for several fields (not published; an assumption, stated in the README).
CATEGORIES: dict[str, tuple[tuple[str, float], ...]] = {
    "personlig_assistans": (("personlig_assistans", 1.0),),
    "ledsagarservice": (("ledsagarservice", 1.0),),
    "kontaktperson": (("kontaktperson", 1.0),),
    "avlosarservice": (("avlosarservice", 1.0),),
    "korttidsvistelse": (("korttidsvistelse", 1.0),),
    "korttidstillsyn": (("korttidstillsyn", 1.0),),
    "boende_barn": (("familjehem", 0.2), ("bostad_barn", 0.8)),
    "boende_vuxna": (("boende_vuxna", 1.0), ("bostad_vuxna", 0.9), ("annan_bostad", 0.1)),
    "daglig_verksamhet": (("daglig_verksamhet", 1.0),),
}

CATEGORY_LABELS = {
    "personlig_assistans": "personlig assistans",
    "ledsagarservice": "ledsagarservice",
    "kontaktperson": "kontaktperson",
    "avlosarservice": "avlösarservice",
    "korttidsvistelse": "korttidsvistelse",
    "korttidstillsyn": "korttidstillsyn",
    "boende_barn": "boende, barn",
    "boende_vuxna": "boende, vuxna",
    "daglig_verksamhet": "daglig verksamhet",
}

#: "One in four persons has both daglig verksamhet and boende för vuxna" (2021, lss-national-figures.md).
JOINT_DV_BOENDE = 0.25


def _read(name: str) -> str:
    return (resources.files("lss_rules.generators") / "data" / name).read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_read(name))))


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    population: tuple[int, ...]  # 2020 … 2024


@functools.cache
def municipalities() -> dict[str, Municipality]:
    out = {}
    for r in _rows("kommuner-folkmangd-2020-2024.csv"):
        pops = tuple(int(r[f"pop_{y}"]) for y in range(FIRST_POP_YEAR, LAST_POP_YEAR + 1))
        out[r["kommun_kod"]] = Municipality(r["kommun_kod"], r["kommun_namn"], pops)
    return out


def population_year(year: int) -> int:
    """The year of the population figures used for a collection year (the nearest one)."""
    return min(max(year, FIRST_POP_YEAR), LAST_POP_YEAR)


def municipality_population(codes: list[str], names: dict[str, str], year: int) -> dict[str, int]:
    """Population of each code in the year nearest ``year``; a code not in the table (Heby's 1917
    before 2007) takes the population of the municipality of the same name."""
    known = municipalities()
    by_name = {k.name: k for k in known.values()}
    i = population_year(year) - FIRST_POP_YEAR
    out = {}
    for c in codes:
        k = known.get(c) or by_name.get(names.get(c, ""))
        out[c] = k.population[i] if k is not None else 0
    return out


@functools.cache
def population_by_age(year: int) -> dict[tuple[int, str], int]:
    """(age, sex) -> persons; age 110 stands for 110 and older."""
    py = str(population_year(year))
    out: dict[tuple[int, str], int] = {}
    for r in _rows("befolkning-alder-kon-2020-2024.csv"):
        if r["year"] != py:
            continue
        age = int(r["age"].rstrip("+"))
        out[(age, "men")] = int(r["men"])
        out[(age, "women")] = int(r["women"])
    return out


def parse_band(band: str) -> tuple[int, int]:
    if band.endswith("+"):
        return int(band[:-1]), MAX_AGE
    lo, hi = band.split("-")
    return int(lo), int(hi)


@functools.cache
def rates() -> dict[tuple[int, int], dict[tuple[str, int], float]]:
    """Age band -> (sex, personkrets) -> persons per 10,000 inhabitants (2021); 'Samtliga' left out."""
    out: dict[tuple[int, int], dict[tuple[str, int], float]] = {}
    for r in _rows("lss-per-10000-personkrets-alder-kon-2021.csv"):
        if r["age_band"] == "Samtliga":
            continue
        band = parse_band(r["age_band"])
        out[band] = {(s, k): float(r[f"pk{k}_{s}"]) for s in SEXES for k in KRETSAR}
    return out


def band_sets() -> list[list[tuple[int, int]]]:
    """The published band sets: bands that start at 0 begin a new set."""
    sets: list[list[tuple[int, int]]] = []
    for band in rates():
        if band[0] == 0:
            sets.append([])
        sets[-1].append(band)
    return sets


@functools.cache
def fine_bands() -> tuple[tuple[int, int], ...]:
    """The bands both published sets can be cut into (0-6, 7-12, 13-19, 20-22, 23-44, 45-64, 65-79, 80+)."""
    starts = sorted({lo for bands in band_sets() for lo, _ in bands})
    return tuple((lo, hi - 1) for lo, hi in zip(starts, [*starts[1:], MAX_AGE + 1], strict=True))


def band_of(age: int, bands: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> tuple[int, int]:
    return next(b for b in bands if b[0] <= age <= b[1])


def _pop(year: int, age: int, sex: str) -> float:
    """Population of an age; the row 110 stands for 110 and older, so older ages get none of their own."""
    return float(population_by_age(year).get((age, sex), 0))


@functools.cache
def cell_weights(year: int) -> dict[tuple[int, str, int], float]:
    """(age, sex, personkrets) -> expected persons: rate × population, fitted to both band sets,
    scaled to the year's total."""
    sets = band_sets()
    table = rates()
    ages = range(MAX_AGE + 1)
    w = {
        (a, s, k): _pop(year, a, s) * table[band_of(a, sets[0])][(s, k)] / 10_000
        for a in ages
        for s in SEXES
        for k in KRETSAR
    }
    for _ in range(30):
        for bands in (*sets[1:], sets[0]):
            for band in bands:
                lo, hi = band
                for s in SEXES:
                    for k in KRETSAR:
                        want = sum(_pop(year, a, s) for a in range(lo, hi + 1)) * table[band][(s, k)] / 10_000
                        have = sum(w[(a, s, k)] for a in range(lo, hi + 1))
                        f = want / have if have > 0 else 0.0
                        for a in range(lo, hi + 1):
                            w[(a, s, k)] *= f
    scale = total_persons(year)[0] / sum(w.values())
    return {key: v * scale for key, v in w.items() if v > 0}


@functools.cache
def headline_totals() -> dict[int, tuple[int, str, str]]:
    return {
        int(r["year"]): (int(r["persons"]), r["kind"], r["source"]) for r in _rows("lss-personer-totalt-per-ar.csv")
    }


def total_persons(year: int) -> tuple[float, str]:
    """The year's total persons and, in Swedish, where the figure comes from."""
    known = headline_totals()
    if year in known:
        n, kind, _ = known[year]
        return float(n), ("publicerad" if kind == "published" else "härledd ur publicerade tal")
    years = sorted(known)
    if year < years[0]:
        return float(known[years[0]][0]), f"{years[0]} års tal (inget äldre publicerat)"
    if year > years[-1]:
        return float(known[years[-1]][0]), f"{years[-1]} års tal (inget senare publicerat)"
    lo = max(y for y in years if y < year)
    hi = min(y for y in years if y > year)
    t = (year - lo) / (hi - lo)
    return known[lo][0] + t * (known[hi][0] - known[lo][0]), f"interpolerad mellan {lo} och {hi}"


@functools.cache
def per_insats_2021() -> dict[str, dict[str, int]]:
    """Published category -> sex -> persons (2021); 'totalt_personer' is the total."""
    return {
        r["insats"]: {"women": int(r["kvinnor"]), "men": int(r["man"])}
        for r in _rows("lss-personer-per-insats-kon-2021.csv")
    }


@functools.cache
def per_insats_by_year() -> dict[int, dict[str, int]]:
    """Year -> category -> persons, for the years with published persons per insats besides 2021 (2004)."""
    out: dict[int, dict[str, int]] = {}
    for r in _rows("lss-personer-per-insats-ar.csv"):
        out.setdefault(int(r["year"]), {})[r["insats"]] = int(r["persons"])
    return out


def insats_shares(year: int = SOURCE_YEAR) -> dict[str, dict[str, float]]:
    """Category -> sex -> share of all persons (both sexes) who have it: the 2021 table, except the
    categories a year has its own published figure for (2004: five of them, without sex; split
    between the sexes as in 2021)."""
    table = per_insats_2021()
    total = sum(table["totalt_personer"].values())
    out = {c: {s: table[c][s] / total for s in SEXES} for c in CATEGORIES}
    own = per_insats_by_year().get(year, {})
    for c, persons in own.items():
        both = sum(table[c].values())
        out[c] = {s: persons / total_persons(year)[0] * table[c][s] / both for s in SEXES}
    return out


def own_figures(year: int) -> tuple[str, ...]:
    """The categories a year has its own published persons for (besides 2021's full table)."""
    return tuple(per_insats_by_year().get(year, {}))


def men_share() -> float:
    t = per_insats_2021()["totalt_personer"]
    return t["men"] / (t["men"] + t["women"])


def field_targets(fields: list[str], year: int = SOURCE_YEAR) -> dict[str, dict[str, float]]:
    """Field -> sex -> share of persons with it, for the fields a year collects (splits renormalised)."""
    out: dict[str, dict[str, float]] = {}
    shares = insats_shares(year)
    for cat, parts in CATEGORIES.items():
        present = [(f, p) for f, p in parts if f in fields]
        norm = sum(p for _, p in present)
        for f, p in present:
            out[f] = {s: shares[cat][s] * p / norm for s in SEXES}
    return out


def category_of(field: str) -> str | None:
    return next((c for c, parts in CATEGORIES.items() if any(f == field for f, _ in parts)), None)
