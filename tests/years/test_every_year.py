"""Every year 1999–2025: a valid file is accepted, each rule in force is drawn by a violating file, and a
rule not in force is not drawn (rule catalogue §2–§4).

The sweep runs through the reference evaluator and, when it exists, through `lss-rules validate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from years_support import YEARS, Lines, aged, rules_of, run_engines

from lss_rules.runtime.python import status_of

Files = list[list[str]]
# A recipe builds the files of a submission that violates one rule, for any year's layout; None when the
# year's layout cannot express the violation (a field it needs is not collected that year).
Recipe = Callable[[Lines], "tuple[Files, dict[str, dt.date] | None] | None"]


def _files(*files: list[str]) -> tuple[Files, None]:
    return list(files), None


def _wrong_check_digit(pnr: str) -> str:
    return pnr[:-1] + str((int(pnr[-1]) + 1) % 10)


def _vuxen(b: Lines) -> str:
    return "boende_vuxna" if b.has("boende_vuxna") else "bostad_vuxna"


def _s04(b: Lines) -> tuple[Files, None] | None:
    if b.has("boendekommun"):  # a boendekommun without any housing insats
        return _files([b.line(boendekommun="0180")])
    if b.has("personlig_assistans_timmar"):
        return _files([b.line(personlig_assistans_timmar="0")])
    return None


def _hours(flag: str, hours_field: str, value: str) -> Recipe:
    def recipe(b: Lines) -> tuple[Files, None] | None:
        if not b.has(hours_field):
            return None
        return _files([b.line(**{flag: "1", hours_field: value})])

    return recipe


def _needs(field: str, recipe: Recipe) -> Recipe:
    return lambda b: recipe(b) if b.has(field) else None


def _r02(b: Lines) -> tuple[Files, dict[str, dt.date]]:
    pnr = aged(b.ym.year, 40)
    return [[b.line()]], {pnr: b.ym.reference_date - dt.timedelta(days=1)}


def _r09(b: Lines) -> tuple[Files, None]:
    return _files([b.line()], [b.line(kommun="0115")])


RECIPES: dict[str, Recipe] = {
    "LSS-S01": lambda b: _files([b.line() + ";0"]),
    "LSS-S02": lambda b: _files([b.line(personlig_assistans="2")]),
    "LSS-S03": lambda b: _files([b.line(kommun="")]),
    "LSS-S04": _s04,
    "LSS-S05": lambda b: _files([]),
    "LSS-R01": lambda b: _files([b.line(personnummer=_wrong_check_digit(aged(b.ym.year, 40)))]),
    "LSS-R02": _r02,
    "LSS-R03": _needs("personkrets", lambda b: _files([b.line(personkrets="")])),
    "LSS-R04": lambda b: _files([b.line(age=40, korttidstillsyn="1", kontaktperson="0")]),
    "LSS-R05": lambda b: _files([b.line(age=20, familjehem="1", bostad_barn="1")]),
    "LSS-R06": lambda b: _files([b.line(age=18, daglig_verksamhet="1", korttidstillsyn="1")]),
    "LSS-R07": lambda b: _files([b.line(), b.line()]),
    "LSS-R08": lambda b: _files([b.line(kontaktperson="0")]),
    "LSS-R09": _r09,
    "LSS-R10": lambda b: _files([b.line(age=30, familjehem="1", kontaktperson="0")]),
    "LSS-R11": lambda b: _files([b.line(age=30, bostad_barn="1", kontaktperson="0")]),
    "LSS-R12": lambda b: _files([b.line(age=15, **{_vuxen(b): "1"})]),
    "LSS-R13": _needs("annan_bostad", lambda b: _files([b.line(age=15, annan_bostad="1")])),
    "LSS-R14": _needs("personkrets", lambda b: _files([b.line(daglig_verksamhet="1", personkrets="3")])),
    "LSS-R15": lambda b: _files([b.line(age=14, daglig_verksamhet="1")]),
    "LSS-R16": lambda b: _files([b.line(age=75, daglig_verksamhet="1")]),
    "LSS-R17": _hours("personlig_assistans", "personlig_assistans_timmar", "200"),
    "LSS-R18": _hours("ledsagarservice", "ledsagarservice_timmar", "50"),
    "LSS-R19": _hours("avlosarservice", "avlosarservice_timmar", "50"),
    "LSS-R20": _hours("korttidsvistelse", "korttidsvistelse_dygn", "12"),
    "LSS-R21": _hours("personlig_assistans", "personlig_assistans_timmar", "2000"),
    "LSS-R22": _hours("ledsagarservice", "ledsagarservice_timmar", "800"),
    "LSS-R23": _hours("avlosarservice", "avlosarservice_timmar", "800"),
    "LSS-R24": _hours("korttidsvistelse", "korttidsvistelse_dygn", "40"),
}


# a recipe for a limit in force from 2021 also exceeds the 2007–2020 warning limit of the same insats
ALSO_DRAWS = {"LSS-R21": "LSS-R17", "LSS-R22": "LSS-R18", "LSS-R23": "LSS-R19", "LSS-R24": "LSS-R20"}


def test_every_rule_has_a_recipe(spec):
    assert set(RECIPES) == set(spec.ids)


def _valid_files(b: Lines) -> Files:
    """A varied valid register: insatser of each kind at fitting ages, hours where the layout has them."""
    lines = [
        b.line(),
        b.line(age=20, daglig_verksamhet="1", personlig_assistans="1", personlig_assistans_timmar="100"),
        b.line(age=14, korttidstillsyn="1", kontaktperson="0"),
        b.line(age=10, familjehem="1", kontaktperson="0", boendekommun="0115"),
        b.line(age=30, **{_vuxen(b): "1"}),
    ]
    return [lines, [b.line(age=41, kommun="0115")]]


@pytest.mark.parametrize("year", YEARS)
def test_valid_register_is_accepted(year, lines_for, tmp_path):
    b = lines_for(year)
    for engine, report in run_engines(b.ym, _valid_files(b), tmp_path):
        assert report["findings"] == [], (engine, report["findings"])
        assert report["status"] == "accepted", engine


def _check_year(year: int, b: Lines, tmp_path: Any) -> list[str]:
    problems: list[str] = []
    ym = b.ym
    for ident, recipe in RECIPES.items():
        severity = ym.severity_of(ident)
        built = recipe(b)
        if built is None:
            if ident == "LSS-S04" and severity is not None:
                # in force, but no field of the 2004–2006 layout can be "must be empty": nothing to violate
                if any(f.empty_unless is not None or f.differs_from is not None for f in ym.fields):
                    problems.append(f"{ident}: the layout has a must-be-empty field but the recipe found none")
                continue
            if severity is not None:
                problems.append(f"{ident} is in force ({severity}) but the layout cannot express its recipe")
            continue
        files, deceased = built
        expected = {x for x in (ident, ALSO_DRAWS.get(ident)) if x is not None and ym.severity_of(x) is not None}
        for engine, report in run_engines(ym, files, tmp_path / ident, deceased):
            found = rules_of(report)
            if set(found) != expected:
                problems.append(f"{engine}: the {ident} recipe drew {sorted(set(found))}, expected {sorted(expected)}")
            if severity is None:
                if ident in found:
                    problems.append(f"{engine}: {ident} is not in force in {year} but was drawn: {found}")
                continue
            hits = [f for f in report["findings"] if f["rule"] == ident]
            if not hits:
                problems.append(f"{engine}: {ident} ({severity}) not drawn; found {found}")
                continue
            if any(f["severity"] != severity for f in hits):
                problems.append(f"{engine}: {ident} drawn with {hits[0]['severity']}, expected {severity}")
            expected_status = status_of(f["severity"] for f in report["findings"])
            if report["status"] != expected_status:
                problems.append(f"{engine}: {ident} status {report['status']}, expected {expected_status}")
            if severity == "warning" and set(found) == {ident} and report["status"] != "accepted_with_warnings":
                problems.append(f"{engine}: {ident} alone should give accepted_with_warnings")
            if severity == "error" and report["status"] != "rejected":
                problems.append(f"{engine}: {ident} is an error but the status is {report['status']}")
    return problems


@pytest.mark.parametrize("year", YEARS)
def test_each_rule_drawn_exactly_in_its_years(year, lines_for, tmp_path):
    problems = _check_year(year, lines_for(year), tmp_path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("year", YEARS)
def test_rules_in_force_follow_the_catalogue(year, year_model):
    """The severities of rule catalogue §4, year by year."""
    ym = year_model(year)
    expected: dict[str, str | None] = {f"LSS-S0{i}": "error" for i in range(1, 6)}
    for i in (1, 2, 4, 5, 7, 8, 9, 10, 11, 12, 15):
        expected[f"LSS-R{i:02d}"] = "error"
    expected["LSS-R16"] = "warning"
    expected["LSS-R03"] = expected["LSS-R14"] = None if 2004 <= year <= 2006 else "error"
    expected["LSS-R06"] = "error" if year <= 2019 else "warning"
    expected["LSS-R13"] = "error" if year >= 2004 else None
    for i in (17, 18, 19, 20):
        expected[f"LSS-R{i}"] = "warning" if 2007 <= year <= 2020 else None
    for i in (21, 22, 23, 24):
        expected[f"LSS-R{i}"] = "error" if year >= 2021 else None
    actual = {ident: ym.severity_of(ident) for ident in ym.spec.ids}
    assert actual == expected
    limit = dict(ym.parameters).get("personlig_assistans_max_timmar")
    assert limit == (None if year < 2021 else 744 if year == 2021 else 1488)


@pytest.mark.parametrize(
    ("year", "hours", "drawn"),
    [(2021, "745", True), (2021, "744", False), (2022, "745", False), (2022, "1489", True), (2025, "1488", False)],
)
def test_r21_limit_by_year(year, hours, drawn, lines_for, tmp_path):
    b = lines_for(year)
    files = [[b.line(personlig_assistans="1", personlig_assistans_timmar=hours)]]
    for engine, report in run_engines(b.ym, files, tmp_path):
        assert ("LSS-R21" in rules_of(report)) is drawn, engine
