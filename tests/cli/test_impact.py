"""`lss-rules impact`: the README's one-line edit and 2020 → 2021 show the changes a reader expects."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from lss_rules.cli import main

REPO = Path(__file__).resolve().parents[2]
PNR = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


def _run(capsys, *argv: str) -> dict:
    assert main(["impact", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def _by_rule(result: dict) -> dict[str, dict]:
    return {r["rule"]: r for r in result["rules"]}


@pytest.fixture(scope="module")
def spec_1600(tmp_path_factory) -> Path:
    """The README's example: `1600 from 2026` edited into a copy of the spec."""
    dst = tmp_path_factory.mktemp("edit") / "spec"
    shutil.copytree(REPO / "spec", dst, ignore=shutil.ignore_patterns("__pycache__", "*.py", "examples"))
    rules = dst / "rules.lss"
    text = rules.read_text(encoding="utf-8")
    assert "    1488 from 2022\n" in text
    rules.write_text(text.replace("    1488 from 2022\n", "    1488 from 2022\n    1600 from 2026\n"), encoding="utf-8")
    return dst


def test_readme_example_loses_only_r21_findings(spec_1600, capsys):
    out = _run(capsys, "--spec", str(spec_1600), "--against", str(REPO / "spec"), "--format", "json")
    assert out["before"]["year"] == out["after"]["year"] == 2026  # the last year of the edited spec
    assert out["before"]["spec"]["digest"] != out["after"]["spec"]["digest"]  # which rules judged, each side
    assert out["after"]["spec"]["path"] == str(spec_1600)
    rules = _by_rule(out)
    r21 = rules["LSS-R21"]
    # the generated register holds planted R21 lines just above the old limit (1489 hours): the edit lets them pass
    assert r21["lost"] > 0 and r21["gained"] == 0 and r21["findings"]["after"] < r21["findings"]["before"]
    assert {r for r, v in rules.items() if v["gained"] or v["lost"] or v["severity_changed"]} == {"LSS-R21"}
    for ex in r21["examples"]:
        assert ex["change"] == "lost" and ex["severity"] == {"before": "error", "after": None}
        hours = int(ex["text"].split(";")[4])
        assert 1488 < hours <= 1600
        assert not PNR.search(ex["text"]), "personnummer must be masked"
    assert out["notes"] == []


def test_readme_example_as_markdown(spec_1600, capsys):
    assert main(["impact", "--spec", str(spec_1600), "--against", str(REPO / "spec"), "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    row = next(line for line in md.splitlines() if line.startswith("| LSS-R21 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert int(cells[2]) > int(cells[3]) and cells[5] != "0"
    assert "```text" in md and not PNR.search(md)
    # only what changes, under the right names (issue 26: every rule was a row; a column of counts was
    # headed "Ny allvarlighetsgrad")
    rows = [line.split("|")[1].strip() for line in md.splitlines() if line.startswith("| LSS-")]
    assert rows == ["LSS-R21"]
    header = next(line for line in md.splitlines() if line.startswith("| Regel |"))
    assert [c.strip() for c in header.strip("|").split("|")] == [
        "Regel",
        "Titel",
        "Fynd före",
        "Fynd efter",
        "Tillkommer",
        "Försvinner",
        "Byter allvarlighetsgrad",
    ]
    assert re.search(r"^\d+ regler har samma fynd före och efter\.$", md, re.M)


def _line(ym, **values: str) -> str:
    from lss_rules.meaning import derive

    base = dict(derive.base_record(ym))
    base.update(values)
    return ";".join(base[n] for n in ym.field_names)


def test_2020_to_2021_on_given_files(spec, tmp_path, capsys):
    ym = spec.for_year(2021)
    f1 = tmp_path / "0114.txt"
    f2 = tmp_path / "1885.txt"
    heavy = _line(ym, personlig_assistans="1", personlig_assistans_timmar="800", kontaktperson="0")
    f1.write_text(heavy + "\n", encoding="utf-8")
    base = spec.for_year(2020)
    some = _line(base, ledsagarservice="1", ledsagarservice_timmar="50", kommun="1885")
    f2.write_text(some + "\n", encoding="utf-8")
    out = _run(capsys, "--from-year", "2020", "--to-year", "2021", str(f1), str(f2), "--format", "json")
    rules = _by_rule(out)
    assert rules["LSS-R17"]["lost"] == 1 and rules["LSS-R17"]["in_force"] == {"before": True, "after": False}
    assert rules["LSS-R21"]["gained"] == 1 and rules["LSS-R21"]["in_force"] == {"before": False, "after": True}
    assert rules["LSS-R18"]["lost"] == 1 and rules["LSS-R22"]["gained"] == 0
    assert {(f["file"], f["before"], f["after"]) for f in out["files_changing_status"]} == {
        (str(f1), "accepted_with_warnings", "rejected"),
        (str(f2), "accepted_with_warnings", "accepted"),
    }
    assert out["before"]["status"] == "accepted_with_warnings" and out["after"]["status"] == "rejected"
    (ex,) = rules["LSS-R21"]["examples"]
    assert ex["line"] == 1 and ex["text"] == heavy[:13] + "****" + heavy[17:]
    assert out["notes"]  # ages are counted against each year


def test_2020_to_2021_on_the_generated_register(capsys):
    assert main(["impact", "--from-year", "2020", "--to-year", "2021", "--persons", "400", "--error-rate", "0.3"]) == 0
    text = capsys.readouterr().out
    for ident in ("LSS-R17", "LSS-R18", "LSS-R19", "LSS-R20"):
        line = next(x for x in text.splitlines() if x.startswith(ident))
        assert "(slutar gälla)" in line and "→ 0 fynd" in line and "+0 tillkommer" in line
    assert "Påverkan: reglerna 2020 → reglerna 2021" in text
    assert not PNR.search(text)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--from-year", "2020"],
        ["--from-year", "2020", "--to-year", "2021", "--against", "spec"],
        ["--from-year", "1990", "--to-year", "2021"],
        ["--from-year", "2020", "--to-year", "2021", "--year", "2021"],
        ["--from-year", "2020", "--to-year", "2021", "finns-inte.txt"],
        ["--against", "finns-inte"],
    ],
)
def test_usage_errors(argv, capsys):
    assert main(["impact", *argv]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
