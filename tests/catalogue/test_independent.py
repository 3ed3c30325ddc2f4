"""A second, independent reading of the rule catalogue, against the compiled validator.

Everything below is written by hand from ``../shared/reference/rule-catalogue.md``
(layouts, reference dates, municipality codes, checks S01–S05, rules R01–R24,
"How findings are counted") without the spec, the model or the evaluator.  The
compiled validator is checked against it on generated files for every layout and
every year in which a severity or limit changes.  Where the catalogue leaves room,
the choices are the ones the README lists under "Interpretations".
"""

from __future__ import annotations

import csv
import datetime as dt
import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_data import reference_file

from lss_rules.backends.python.cache import load_validator

# ---------------------------------------------------------------------------- the catalogue, section 2

FLAGS_1999 = (
    "personlig_assistans",
    "ledsagarservice",
    "kontaktperson",
    "avlosarservice",
    "korttidsvistelse",
    "korttidstillsyn",
    "familjehem",
    "bostad_barn",
    "boende_vuxna",
    "daglig_verksamhet",
)
LAYOUT_1999 = (
    "kommun",
    "personnummer",
    "personkrets",
    *FLAGS_1999[:8],
    "boende_vuxna",
    "boendekommun",
    "daglig_verksamhet",
)
FLAGS_2004 = (*FLAGS_1999[:8], "bostad_vuxna", "annan_bostad", "daglig_verksamhet")
LAYOUT_2004 = ("kommun", "personnummer", *FLAGS_2004)
LAYOUT_2007 = (
    "kommun",
    "personnummer",
    "personkrets",
    "personlig_assistans",
    "personlig_assistans_timmar",
    "ledsagarservice",
    "ledsagarservice_timmar",
    "kontaktperson",
    "avlosarservice",
    "avlosarservice_timmar",
    "korttidsvistelse",
    "korttidsvistelse_dygn",
    "korttidstillsyn",
    "familjehem",
    "bostad_barn",
    "bostad_vuxna",
    "annan_bostad",
    "boendekommun",
    "daglig_verksamhet",
)
HOURS = {
    "personlig_assistans_timmar": "personlig_assistans",
    "ledsagarservice_timmar": "ledsagarservice",
    "avlosarservice_timmar": "avlosarservice",
    "korttidsvistelse_dygn": "korttidsvistelse",
}
HOUSING = ("familjehem", "bostad_barn", "boende_vuxna", "bostad_vuxna", "annan_bostad")


def layout(year: int) -> tuple[str, ...]:
    return LAYOUT_1999 if year <= 2003 else LAYOUT_2004 if year <= 2006 else LAYOUT_2007


def reference_date(year: int) -> dt.date:
    return dt.date(year, 6, 1) if year <= 2000 else dt.date(year, 9, 1) if year <= 2002 else dt.date(year, 10, 1)


@functools.cache  # read once a year, not for every drawn file
def municipalities(year: int) -> frozenset[str]:
    with reference_file("kommuner.csv").open(encoding="utf-8") as f:
        codes = {row["kod"] for row in csv.DictReader(f)}
    with reference_file("kommuner-kodandringar.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            start = int(row["valid_from"][:4]) if row["valid_from"] else 0
            end = int(row["valid_to"][:4]) if row["valid_to"] else 9999
            (codes.add if start <= year <= end else codes.discard)(row["kod"])
    return frozenset(codes)


# ---------------------------------------------------------------------------- the catalogue, section 4


def valid_personnummer(p: str, ref: dt.date) -> bool:
    if len(p) != 12 or not p.isdigit() or not p.isascii() or p[8:11] == "000":
        return False
    year, month, day = int(p[:4]), int(p[4:6]), int(p[6:8])
    if day > 60:
        day -= 60  # samordningsnummer
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    digits = p[2:]
    total = 0
    for i, c in enumerate(digits):
        v = int(c) * (2 if i % 2 == 0 else 1)
        total += v // 10 + v % 10
    return total % 10 == 0 and born <= ref


def severity(rule: str, year: int) -> str | None:
    """The severity of a rule in a year, or None where it does not apply (catalogue table)."""
    if rule in ("LSS-R03", "LSS-R14") and 2004 <= year <= 2006:
        return None
    if rule == "LSS-R13" and year < 2004:
        return None
    if rule == "LSS-R06":
        return "error" if year <= 2019 else "warning"
    if rule == "LSS-R16":
        return "warning"
    if rule in ("LSS-R17", "LSS-R18", "LSS-R19", "LSS-R20"):
        return "warning" if 2007 <= year <= 2020 else None
    if rule in ("LSS-R21", "LSS-R22", "LSS-R23", "LSS-R24"):
        return "error" if year >= 2021 else None
    return "error"


def oracle(year: int, files: list[list[str]], deceased: dict[str, dt.date] | None) -> set[tuple[int, int, str]]:
    """(file index, line or 0, rule) of every finding the catalogue gives."""
    names = layout(year)
    ref = reference_date(year)
    codes = municipalities(year)
    flags = [n for n in names if n in FLAGS_1999 or n in FLAGS_2004]
    out: set[tuple[int, int, str]] = set()
    holders: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (personnummer, insats) -> lines
    for fi, lines in enumerate(files):
        if not lines:
            out.add((fi, 0, "LSS-S05"))
        seen: set[str] = set()
        for n, text in enumerate(lines, 1):
            parts = text.split(";")
            if len(parts) != len(names):
                out.add((fi, n, "LSS-S01"))
                continue
            v = dict(zip(names, parts, strict=True))
            unknown: set[str] = set()

            def found(rule: str, n: int = n, fi: int = fi) -> None:
                if severity(rule, year) is not None:
                    out.add((fi, n, rule))

            for name, value in v.items():
                if name in ("kommun", "boendekommun"):
                    bad = value not in codes
                elif name == "personnummer":
                    bad = not (len(value) == 12 and value.isdigit() and value.isascii())
                elif name == "personkrets":
                    bad = value not in ("1", "2", "3")
                elif name in HOURS:
                    bad = not (value.isdigit() and value.isascii())
                else:
                    bad = value not in ("0", "1")
                optional = name in ("personkrets", "boendekommun") or name in HOURS
                if value == "" and not optional:
                    found("LSS-S03")
                    unknown.add(name)
                elif value != "" and bad:
                    found("LSS-S02")
                    unknown.add(name)
            for hours, flag in HOURS.items():
                if hours in v and flag not in unknown:
                    if v[flag] == "1" and v[hours] == "":
                        found("LSS-S03")
                        unknown.add(hours)
                    if v[flag] == "0" and v[hours] != "":
                        found("LSS-S04")
            if v.get("boendekommun", "") != "":
                housing = [h for h in HOUSING if h in v]
                if not unknown & set(housing) and all(v[h] != "1" for h in housing):
                    found("LSS-S04")
                if not unknown & {"kommun", "boendekommun"} and v["boendekommun"] == v["kommun"]:
                    found("LSS-S04")

            def known(*fields: str, unknown: set[str] = unknown) -> bool:
                return not unknown & set(fields)

            p = v["personnummer"]
            age = year - int(p[:4]) if known("personnummer") else None
            if known("personnummer"):
                if not valid_personnummer(p, ref):
                    found("LSS-R01")
                if deceased is not None and p in deceased and deceased[p] <= ref:
                    found("LSS-R02")
                if p in seen:
                    found("LSS-R07")
                seen.add(p)
            if "personkrets" in v and known("personkrets") and v["personkrets"] == "":
                found("LSS-R03")
            if age is not None and known("korttidstillsyn") and v["korttidstillsyn"] == "1" and not 12 <= age <= 23:
                found("LSS-R04")
            housing = [h for h in HOUSING if h in v]
            if known(*housing) and sum(v[h] == "1" for h in housing) > 1:
                found("LSS-R05")
            if known("daglig_verksamhet", "korttidstillsyn") and v["daglig_verksamhet"] == v["korttidstillsyn"] == "1":
                found("LSS-R06")
            if known(*flags) and all(v[f] != "1" for f in flags):
                found("LSS-R08")
            if known(*flags, "personnummer"):
                for f in flags:
                    if v[f] == "1":
                        holders.setdefault((p, f), []).append((fi, n))
            for rule, field, test in (
                ("LSS-R10", "familjehem", lambda a: a > 25),
                ("LSS-R11", "bostad_barn", lambda a: a > 25),
                ("LSS-R12", "boende_vuxna", lambda a: a < 17),
                ("LSS-R12", "bostad_vuxna", lambda a: a < 17),
                ("LSS-R13", "annan_bostad", lambda a: a < 17),
                ("LSS-R15", "daglig_verksamhet", lambda a: a < 16),
                ("LSS-R16", "daglig_verksamhet", lambda a: a > 70),
            ):
                if field in v and age is not None and known(field) and v[field] == "1" and test(age):
                    found(rule)
            if (
                "personkrets" in v
                and known("personkrets", "daglig_verksamhet")
                and v["daglig_verksamhet"] == "1"
                and v["personkrets"] not in ("1", "2")
            ):
                found("LSS-R14")
            limits = (
                ("LSS-R17", "personlig_assistans_timmar", 175),
                ("LSS-R18", "ledsagarservice_timmar", 45),
                ("LSS-R19", "avlosarservice_timmar", 45),
                ("LSS-R20", "korttidsvistelse_dygn", 11),
                ("LSS-R21", "personlig_assistans_timmar", 744 if year == 2021 else 1488),
                ("LSS-R22", "ledsagarservice_timmar", 744),
                ("LSS-R23", "avlosarservice_timmar", 744),
                ("LSS-R24", "korttidsvistelse_dygn", 31),
            )
            for rule, field, limit in limits:
                if field in v and known(field) and v[field] != "" and int(v[field]) > limit:
                    found(rule)
    for lines_of in holders.values():
        if len({fi for fi, _ in lines_of}) > 1:
            out.update((fi, n, "LSS-R09") for fi, n in lines_of)
    return out


# ---------------------------------------------------------------------------- generated files

YEARS = (1999, 2000, 2001, 2003, 2004, 2006, 2007, 2019, 2020, 2021, 2022, 2023, 2025)
PNRS = (
    "198001012384",  # not a valid check digit
    "198001012380",
    "201001012382",
    "201201012388",
    "195001012385",
    "194001012380",
    "200002292380",
    "199902302386",  # 30 February
    "198001612381",  # samordningsnummer
    "198001010000",
    "1980010123",
    "x",
    "",
)


def _luhn_fix(p: str) -> str:
    """The personnummer with its check digit corrected (so that most are valid)."""
    if len(p) != 12 or not p.isdigit():
        return p
    for d in "0123456789":
        if valid_personnummer(p[:11] + d, dt.date(9999, 1, 1)):
            return p[:11] + d
    return p


VALID_PNRS = tuple(_luhn_fix(p) for p in PNRS[:9])


@functools.cache  # one strategy for the same values: a strategy made afresh is validated again at each draw
def value(name: str, codes: tuple[str, ...], pnrs: tuple[str, ...], clean: bool) -> st.SearchStrategy[str]:
    if name in ("kommun", "boendekommun"):
        good = [*codes[:3], "0140", "0330", "1917", "0331"]
        return st.sampled_from(
            good + ([""] if name == "boendekommun" else []) * 6 if clean else [*good, "9999", "", "01x4"]
        )
    if name == "personnummer":
        return st.sampled_from(pnrs if clean else VALID_PNRS + PNRS)
    if name == "personkrets":
        return st.sampled_from(("1", "2", "3", "") if clean else ("1", "2", "3", "", "4"))
    if name in HOURS:
        limits = ("", "0", "11", "12", "31", "32", "45", "46", "175", "176", "744", "745", "1488", "1489")
        return st.sampled_from(limits if clean else (*limits, "-1", "1.5", "abc"))
    return st.sampled_from(("0", "0", "0", "1") if clean else ("0", "1", "", "2"))


@st.composite
def files(draw, year: int) -> list[list[str]]:
    """One to three municipalities' files: mostly well-formed lines over a few persons, some broken."""
    names = layout(year)
    codes = tuple(sorted(municipalities(year)))
    pnrs = tuple(draw(st.lists(st.sampled_from(VALID_PNRS + PNRS[:3]), min_size=1, max_size=4)))
    out = []
    for _ in range(draw(st.integers(1, 3))):
        lines = []
        for _ in range(draw(st.integers(0, 6))):
            kind = draw(st.integers(0, 12))
            if kind == 0:  # a broken structure
                lines.append(draw(st.sampled_from(("", ";" * len(names), ";".join(["0"] * (len(names) - 1))))))
                continue
            clean = kind > 3
            values = [draw(value(n, codes, pnrs, clean)) for n in names]
            if kind == 12:  # no insats at all
                values = [
                    ("0" if n in FLAGS_1999 or n in FLAGS_2004 else x) for n, x in zip(names, values, strict=True)
                ]
            lines.append(";".join(values))
        out.append(lines)
    return out


DECEASED = {VALID_PNRS[1]: dt.date(1990, 1, 1), VALID_PNRS[2]: dt.date(2100, 1, 1)}


@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_validator_agrees_with_the_catalogue(year, tmp_path, data):
    run = data.draw(files(year))
    deceased = data.draw(st.sampled_from((None, DECEASED)))
    paths = []
    for i, lines in enumerate(run):
        p = tmp_path / f"{i}.txt"
        p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        paths.append(str(p))
    mod = load_validator(year)
    _, findings = mod.validate(paths, deceased)
    got = {(f[1], f[2] or 0, f[0]) for f in findings}
    assert got == oracle(year, run, deceased)
    for f in findings:
        assert mod.RULES[f[0]][0] == severity(f[0], year)


@pytest.mark.long
@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_validator_agrees_with_the_catalogue_many(year, tmp_path, data):
    test_validator_agrees_with_the_catalogue.hypothesis.inner_test(year, tmp_path, data)
