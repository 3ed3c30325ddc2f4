"""``lss-rules schema`` and ``lss-rules convert``."""

from __future__ import annotations

import json

from lss_rules.backends.jsonschema import lss_annotations, violated
from lss_rules.cli import main

LINE = "0114;201001012384;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"


def test_schema_to_file(tmp_path, capsys, check_schema):
    out = tmp_path / "s.json"
    assert main(["schema", "--year", "2023", "-o", str(out)]) == 0
    s = json.loads(out.read_text(encoding="utf-8"))
    check_schema(s)
    assert lss_annotations(s)["x-lss-year"] == 2023


def test_schema_stdout_and_bad_year(capsys):
    assert main(["schema", "--year", "2005"]) == 0
    assert lss_annotations(json.loads(capsys.readouterr().out))["x-lss-year"] == 2005
    assert main(["schema", "--year", "1990"]) == 2
    assert "1990" in capsys.readouterr().err


def test_convert_records_and_bad_lines(tmp_path, capsys):
    a = tmp_path / "a.txt"
    a.write_text(f"{LINE}\n0114;1;2\n{LINE[:-1]}1\n", encoding="utf-8")
    assert main(["convert", str(a), "--year", "2023", "--to", "json", "--show-personnummer"]) == 1
    cap = capsys.readouterr()
    recs = json.loads(cap.out)
    assert len(recs) == 2 and recs[0]["personnummer"] == "201001012384" and recs[0]["boendekommun"] == ""
    assert f"{a}:2:" in cap.err
    s = json.loads(_schema(capsys))
    assert violated(s, recs[0]) == set()
    assert violated(s, recs[1]) == {"LSS-R15"}


def test_convert_masks_personnummer_by_default(tmp_path, capsys):
    a = tmp_path / "a.txt"
    ten = "8004222397;" + LINE.split(";", 2)[2]
    a.write_text(f"{LINE}\n0114;{ten}\n", encoding="utf-8")
    assert main(["convert", str(a), "--year", "2023"]) == 0
    out = capsys.readouterr().out
    recs = json.loads(out)
    assert [r["personnummer"] for r in recs] == ["20100101-****", "************"]
    assert "201001012384" not in out and "80042223" not in out


def test_convert_ok_and_missing(tmp_path, capsys):
    a = tmp_path / "a.txt"
    a.write_text(LINE + "\r\n", encoding="utf-8")
    assert main(["convert", str(a), "--year", "2023"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["convert", str(a), str(tmp_path / "nope.txt"), "--year", "2023"]) == 2
    cap = capsys.readouterr()
    assert "nope.txt" in cap.err and cap.out == ""


def _schema(capsys) -> str:
    assert main(["schema", "--year", "2023"]) == 0
    return capsys.readouterr().out
