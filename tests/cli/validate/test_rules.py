"""Per rule and structural check: a minimal file that draws it, and one just inside its bounds."""

from __future__ import annotations

import pytest
from report_rules import rules_of

# (rule, year, fields of the violating line, fields of the line just inside)
CASES = [
    ("LSS-S02", 2023, {"kommun": "9999"}, {"kommun": "0114"}),
    ("LSS-S02", 2023, {"personkrets": "4"}, {"personkrets": "3"}),
    ("LSS-S02", 2023, {"personlig_assistans": "2"}, {"personlig_assistans": "0"}),
    ("LSS-S02", 2023, {"personnummer": "19800102238"}, {}),
    (
        "LSS-S02",
        2023,
        {"ledsagarservice": "1", "ledsagarservice_timmar": "-1"},
        {"ledsagarservice": "1", "ledsagarservice_timmar": "0"},
    ),
    ("LSS-S02", 2001, {"kommun": "0331"}, {"kommun": "1917"}),
    ("LSS-S02", 2007, {"kommun": "1917"}, {"kommun": "0331"}),
    ("LSS-S02", 2002, {"kommun": "0330"}, {"kommun": "0140"}),
    ("LSS-S03", 2023, {"kommun": ""}, {}),
    ("LSS-S03", 2023, {"personlig_assistans": "1"}, {"personlig_assistans": "1", "personlig_assistans_timmar": "0"}),
    ("LSS-S04", 2023, {"personlig_assistans_timmar": "0"}, {}),
    ("LSS-S04", 2023, {"boendekommun": "0114"}, {"bostad_vuxna": "1", "boendekommun": "0114"}),
    ("LSS-S04", 2023, {"bostad_vuxna": "1", "boendekommun": "0180"}, {"bostad_vuxna": "1", "boendekommun": ""}),
    ("LSS-R01", 2023, {"personnummer": "198001022387"}, {}),
    ("LSS-R03", 2023, {"personkrets": ""}, {"personkrets": "3"}),
    ("LSS-R03", 2001, {"personkrets": ""}, {"personkrets": "2"}),
    (
        "LSS-R04",
        2023,
        {"korttidstillsyn": "1", "kontaktperson": "0", "personnummer": ("P", 2012)},
        {"korttidstillsyn": "1", "personnummer": ("P", 2011)},
    ),
    (
        "LSS-R04",
        2023,
        {"korttidstillsyn": "1", "personnummer": ("P", 1999)},
        {"korttidstillsyn": "1", "personnummer": ("P", 2000)},
    ),
    ("LSS-R05", 2023, {"bostad_vuxna": "1", "annan_bostad": "1"}, {"bostad_vuxna": "1"}),
    ("LSS-R05", 2001, {"boende_vuxna": "1", "familjehem": "1", "personnummer": ("P", 1980)}, {"boende_vuxna": "1"}),
    (
        "LSS-R06",
        2019,
        {"daglig_verksamhet": "1", "korttidstillsyn": "1", "personnummer": ("P", 2000)},
        {"daglig_verksamhet": "1", "personnummer": ("P", 2000)},
    ),
    ("LSS-R08", 2023, {"kontaktperson": "0"}, {}),
    ("LSS-R08", 2005, {"kontaktperson": "0"}, {}),
    (
        "LSS-R10",
        2023,
        {"familjehem": "1", "personnummer": ("P", 1997)},
        {"familjehem": "1", "personnummer": ("P", 1998)},
    ),
    (
        "LSS-R11",
        2023,
        {"bostad_barn": "1", "personnummer": ("P", 1997)},
        {"bostad_barn": "1", "personnummer": ("P", 1998)},
    ),
    (
        "LSS-R12",
        2023,
        {"bostad_vuxna": "1", "personnummer": ("P", 2007)},
        {"bostad_vuxna": "1", "personnummer": ("P", 2006)},
    ),
    (
        "LSS-R12",
        2001,
        {"boende_vuxna": "1", "personnummer": ("P", 1985)},
        {"boende_vuxna": "1", "personnummer": ("P", 1984)},
    ),
    (
        "LSS-R13",
        2023,
        {"annan_bostad": "1", "personnummer": ("P", 2007)},
        {"annan_bostad": "1", "personnummer": ("P", 2006)},
    ),
    ("LSS-R14", 2023, {"daglig_verksamhet": "1", "personkrets": "3"}, {"daglig_verksamhet": "1", "personkrets": "2"}),
    (
        "LSS-R15",
        2023,
        {"daglig_verksamhet": "1", "personnummer": ("P", 2008)},
        {"daglig_verksamhet": "1", "personnummer": ("P", 2007)},
    ),
    (
        "LSS-R17",
        2020,
        {"personlig_assistans": "1", "personlig_assistans_timmar": "176"},
        {"personlig_assistans": "1", "personlig_assistans_timmar": "175"},
    ),
    (
        "LSS-R18",
        2010,
        {"ledsagarservice": "1", "ledsagarservice_timmar": "46"},
        {"ledsagarservice": "1", "ledsagarservice_timmar": "45"},
    ),
    (
        "LSS-R19",
        2010,
        {"avlosarservice": "1", "avlosarservice_timmar": "46"},
        {"avlosarservice": "1", "avlosarservice_timmar": "45"},
    ),
    (
        "LSS-R20",
        2010,
        {"korttidsvistelse": "1", "korttidsvistelse_dygn": "12"},
        {"korttidsvistelse": "1", "korttidsvistelse_dygn": "11"},
    ),
    (
        "LSS-R21",
        2021,
        {"personlig_assistans": "1", "personlig_assistans_timmar": "745"},
        {"personlig_assistans": "1", "personlig_assistans_timmar": "744"},
    ),
    (
        "LSS-R21",
        2023,
        {"personlig_assistans": "1", "personlig_assistans_timmar": "1489"},
        {"personlig_assistans": "1", "personlig_assistans_timmar": "1488"},
    ),
    (
        "LSS-R22",
        2023,
        {"ledsagarservice": "1", "ledsagarservice_timmar": "745"},
        {"ledsagarservice": "1", "ledsagarservice_timmar": "744"},
    ),
    (
        "LSS-R23",
        2023,
        {"avlosarservice": "1", "avlosarservice_timmar": "745"},
        {"avlosarservice": "1", "avlosarservice_timmar": "744"},
    ),
    (
        "LSS-R24",
        2023,
        {"korttidsvistelse": "1", "korttidsvistelse_dygn": "32"},
        {"korttidsvistelse": "1", "korttidsvistelse_dygn": "31"},
    ),
]


def _values(lines, values):
    out = {}
    for k, v in values.items():
        out[k] = lines.pnr(v[1]) if isinstance(v, tuple) else v
    return out


@pytest.mark.parametrize(
    ("rule", "year", "bad", "good"), CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_triggers_and_bound_holds(run, lines, rule, year, bad, good):
    b = lines(year)
    _, report, _ = run([b.line(**_values(b, bad))], year=year)
    assert (rule, 1) in rules_of(report), report["findings"]
    _code, report, _ = run([b.line(**_values(b, good))], year=year)
    assert rule not in [r for r, _ in rules_of(report)], report["findings"]


def test_s01_wrong_field_count_and_nothing_else(run, lines):
    b = lines(2023)
    good = b.line()
    code, report, _ = run([good + ";", "", good[: good.rindex(";")], "x;y"])
    assert rules_of(report) == [("LSS-S01", 1), ("LSS-S01", 2), ("LSS-S01", 3), ("LSS-S01", 4)]
    assert code == 1


@pytest.mark.parametrize("year", [1999, 2001, 2003, 2004, 2005, 2006, 2007, 2023, 2025])
def test_valid_file_accepted_every_layout(run, lines, year):
    b = lines(year)
    code, report, _ = run([b.line(), b.line(personnummer=b.pnr(1980, 1))], year=year)
    assert (code, report["status"], report["findings"]) == (0, "accepted", [])


def test_r07_on_every_repeat_after_the_first(run, lines):
    b = lines(2023)
    _code, report, _ = run([b.line(), b.line(), b.line(kontaktperson="0", daglig_verksamhet="1")])
    assert rules_of(report) == [("LSS-R07", 2), ("LSS-R07", 3)]


def test_unknown_value_silences_rules_that_read_it(run, lines):
    b = lines(2023)
    _code, report, _ = run([b.line(personnummer="19800102238x", korttidstillsyn="1")])
    assert rules_of(report) == [("LSS-S02", 1)]


def test_r06_warning_from_2020_and_strict(run, lines):
    b = lines(2023)
    line = b.line(daglig_verksamhet="1", korttidstillsyn="1", personnummer=b.pnr(2000))
    code, report, _ = run([line])
    assert report["status"] == "accepted_with_warnings" and code == 0
    code, report, _ = run([line], args=("--strict",))
    assert code == 1
    code, report, _ = run(
        [lines(2019).line(daglig_verksamhet="1", korttidstillsyn="1", personnummer=b.pnr(2000))], year=2019
    )
    assert report["status"] == "rejected"


def test_r16_warning(run, lines):
    b = lines(2023)
    code, report, _ = run([b.line(daglig_verksamhet="1", personnummer=b.pnr(1952))])
    assert rules_of(report) == [("LSS-R16", 1)] and code == 0
    code, report, _ = run([b.line(daglig_verksamhet="1", personnummer=b.pnr(1953))])
    assert report["findings"] == []
