"""`lss-rules explain RULE --year Y --line FILE:N`: one rule on one line, fired or not and why (issue 27)."""

from __future__ import annotations

import json

import pytest

from lss_rules.cli import main

FIRES = "0114;198001012384;1;0;;0;;1;0;;0;;1;0;0;0;0;;0"  # korttidstillsyn at 43: LSS-R04
PASSES = "0114;201001012382;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"  # no korttidstillsyn: R04 does not apply
MALFORMED = "0114;198001012384;1;0;;0;;1;0;;0;;x;0;0;0;0;;0"  # korttidstillsyn 'x': S02, R04 not evaluated


@pytest.fixture
def register(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "0114.txt").write_text("\n".join([FIRES, PASSES, MALFORMED, FIRES, "0114;1"]) + "\n")
    return tmp_path


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["explain", *args, "--year", "2023"])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_finding_is_explained_clause_by_clause(register, capsys):
    code, out, _ = _run(capsys, "LSS-R04", "--line", "0114.txt:1")
    assert code == 0
    assert "Fynd: ja" in out
    assert "korttidstillsyn för skolungdom har värdet 1 (uppfyllt)" in out
    assert "personen fyller 43 år 2023 (född 1980)" in out
    assert "(inte uppfyllt)" in out
    assert "198001012384" not in out and "19800101-****" in out  # masked by default


def test_why_not_when_false(register, capsys):
    code, out, _ = _run(capsys, "LSS-R04", "--line", "0114.txt:2")
    assert code == 0
    assert "Fynd: nej" in out
    assert "Varför: regeln gäller inte raden: villkoret att korttidstillsyn för skolungdom har värdet 1" in out


def test_why_not_a_malformed_value(register, capsys):
    _, out, _ = _run(capsys, "LSS-R04", "--line", "0114.txt:3")
    assert "Varför: regeln prövas inte på raden: korttidstillsyn för skolungdom saknar giltigt värde (LSS-S02)" in out
    assert "okänt (felaktigt värde)" in out


def test_why_not_s01(register, capsys):
    _, out, _ = _run(capsys, "LSS-R04", "--line", "0114.txt:5")
    assert "raden har fel antal fält (LSS-S01)" in out


def test_json_is_the_trace_object(register, capsys):
    code, out, _ = _run(capsys, "LSS-R07", "--line", "0114.txt:4", "--format", "json", "--show-personnummer")
    assert code == 0
    trace = json.loads(out)["trace"]
    assert trace["rule"] == "LSS-R07" and trace["fired"] is True and trace["skipped"] is None
    assert trace["require"]["value"] is False
    assert trace["others"] == [{"file": "0114.txt", "line": 1}]
    assert trace["values"] == [
        {"field": "personnummer", "label": "personnummer", "value": "198001012384", "state": "value"}
    ]


def test_r09_reads_the_other_files(register, capsys):
    (register / "1880.txt").write_text(FIRES.replace("0114", "1880", 1) + "\n")
    _, out, _ = _run(capsys, "LSS-R09", "--line", "0114.txt:1", "1880.txt", "--format", "json")
    trace = json.loads(out)["trace"]
    assert trace["fired"] is True and trace["others"] == [{"file": "1880.txt", "line": 1}]


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("0114.txt:9", "0114.txt har 5 rader; rad 9 finns inte. Ange en rad mellan 1 och 5"),
        ("0114.txt:0", "--line ska vara FIL:RAD"),
        ("0114.txt:x", "--line ska vara FIL:RAD"),
        ("0114.txt", "--line ska vara FIL:RAD"),
        ("saknas.txt:1", "saknas.txt: filen finns inte"),
        (".:1", "är en mapp"),
    ],
)
def test_a_bad_line_is_one_swedish_line_exit_2(register, capsys, line, said):
    code, out, err = _run(capsys, "LSS-R04", "--line", line)
    assert code == 2 and out == ""
    assert said in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_a_personnummer_in_a_bad_line_argument_is_masked(register, capsys):
    _, _, err = _run(capsys, "LSS-R04", "--line", "198001012384:x")
    assert "198001012384" not in err


def test_r02_needs_the_register_of_deaths(register, capsys):
    code, _, err = _run(capsys, "LSS-R02", "--line", "0114.txt:1")
    assert code == 2 and "--deceased" in err
    (register / "d.txt").write_text("198001012384;2020-01-01\n")
    code, out, _ = _run(capsys, "LSS-R02", "--line", "0114.txt:1", "--deceased", "d.txt")
    assert code == 0 and "dödsdatum 2020-01-01" in out


def test_the_trace_of_a_finding_is_validate_explains(register, capsys):
    """Every finding of ``validate --explain`` on a line: ``explain --line --format json`` gives the same trace."""
    assert main(["validate", "--year", "2023", "--format", "json", "--explain", "0114.txt"]) == 1
    report = json.loads(capsys.readouterr().out)
    traced = [f for f in report["findings"] if f["line"] is not None and "trace" in f]
    assert {"LSS-R04", "LSS-R07", "LSS-S01", "LSS-S02"} <= {f["rule"] for f in traced}
    for f in traced:
        code, out, _ = _run(capsys, f["rule"], "--line", f"0114.txt:{f['line']}", "--format", "json")
        assert code == 0
        assert json.loads(out)["trace"] == f["trace"], f["rule"]
