"""`lss-rules explain`: every id, every year, both languages."""

from __future__ import annotations

import pytest

from lss_rules.cli import main

IDS = [f"LSS-S0{i}" for i in range(1, 6)] + [f"LSS-R{i:02d}" for i in range(1, 25)]


@pytest.mark.parametrize("ident", IDS)
def test_every_id_every_year(ident, capsys):
    for year in range(1999, 2027):
        assert main(["explain", ident, "--year", str(year)]) == 0
        out = capsys.readouterr().out
        assert out.startswith(ident)
        assert "Historik:" in out


@pytest.mark.parametrize("ident", ["LSS-R04", "LSS-S01", "LSS-R09"])
def test_english(ident, capsys):
    assert main(["explain", ident, "--year", "2023", "--lang", "en"]) == 0
    assert "History:" in capsys.readouterr().out


def test_r04_words(capsys):
    main(["explain", "LSS-R04", "--year", "2023"])
    out = capsys.readouterr().out
    assert "från och med det år personen fyller 12 till och med det år personen fyller 23" in out
    main(["explain", "LSS-R04", "--year", "2023", "--lang", "en"])
    assert "from the year the person turns 12 through the year they turn 23" in capsys.readouterr().out


@pytest.mark.parametrize(("year", "limit"), [(2021, "744"), (2022, "1488")])
def test_r21_parameter(year, limit, capsys):
    main(["explain", "LSS-R21", "--year", str(year)])
    out = capsys.readouterr().out
    assert f"Det krävs att timmar personlig assistans per månad är högst {limit}." in out
    assert f"Fler än {limit} timmar" in out
    assert f"Så rättar du: Rätta timmarna i verksamhetssystemet så att de är högst {limit} per månad" in out


def test_every_rule_says_how_to_fix_in_explain(capsys, spec):
    for ident in spec.ids:
        main(["explain", ident, "--year", "2023"])
        out = capsys.readouterr().out
        fix = next(line for line in out.splitlines() if line.startswith("Så rättar du: "))
        assert "{" not in fix and len(fix) > len("Så rättar du: ") + 20, ident


def test_not_applicable_year(capsys):
    assert main(["explain", "LSS-R17", "--year", "2021"]) == 0
    out = capsys.readouterr().out
    assert "gäller inte detta år" in out
    assert "2007–2020" in out


def test_unknown_id(capsys):
    assert main(["explain", "LSS-R4", "--year", "2023"]) == 0  # read as LSS-R04
    capsys.readouterr()
    assert main(["explain", "LSS-R99", "--year", "2023"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "menade du" in err


def test_unknown_year(capsys):
    assert main(["explain", "LSS-R04", "--year", "1998"]) == 2
    assert "1998" in capsys.readouterr().err


def _line(out: str, head: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(head))


def test_fields_read_and_parameters_by_label(capsys, spec):
    """ "Fält som läses" and "Parametrar" name each field and parameter by its label, the identifier after it
    in parentheses where the label does not say it (a rule editor's or vendor's way into the spec and the JSON)."""
    main(["explain", "LSS-R04", "--year", "2023"])
    out = capsys.readouterr().out
    assert _line(out, "Fält som läses: ") == (
        "Fält som läses: korttidstillsyn för skolungdom (korttidstillsyn), personnummer"
    )
    main(["explain", "LSS-R21", "--year", "2022"])
    assert _line(capsys.readouterr().out, "Parametrar: ") == (
        "Parametrar: Högsta antal timmar personlig assistans per månad (personlig_assistans_max_timmar) "
        "= 1488 timmar per månad"
    )
    main(["explain", "LSS-R21", "--year", "2003"])
    assert "samlas inte in 2003: timmar personlig assistans per månad (personlig_assistans_timmar))" in (
        capsys.readouterr().out
    )
    main(["explain", "LSS-R04", "--year", "2023", "--lang", "en"])
    assert "(korttidstillsyn)" in _line(capsys.readouterr().out, "Fields read: ")


@pytest.mark.parametrize("ident", IDS)
def test_every_field_read_is_said_by_its_label_first(ident, capsys, spec):
    main(["explain", ident, "--year", "2023"])
    listed = _line(capsys.readouterr().out, "Fält som läses: ").removeprefix("Fält som läses: ")
    for item in listed.split(", ") if listed != "-" else []:
        assert "_" not in item.split(" (")[0], (ident, item)


def test_history_names_parameters_by_label(capsys):
    main(["explain", "LSS-R21", "--year", "2022"])
    history = capsys.readouterr().out.split("Historik:", 1)[1]
    assert "[Högsta antal timmar personlig assistans per månad: 744 timmar per månad]" in history
    assert "personlig_assistans_max_timmar" not in history
