"""`lss-rules generate`: files per municipality, expected.json, deterministic, clear errors."""

from __future__ import annotations

import json

from lss_rules.cli import main
from lss_rules.outdir import RECORD


def test_generate_writes_files_and_expected(tmp_path, capsys):
    out = tmp_path / "reg"
    args = [
        "generate",
        "--year",
        "2010",
        "--persons",
        "200",
        "--seed",
        "4",
        "--municipalities",
        "4",
        "--error-rate",
        "0.1",
        "-o",
        str(out),
    ]
    assert main(args) == 0
    assert "4 filer" in capsys.readouterr().err
    names = sorted(p.name for p in out.iterdir() if p.name != RECORD)  # and the record of what it wrote
    assert names[-1] == "expected.json" and len(names) == 5
    assert all(n[:4].isdigit() and n.endswith(".txt") for n in names[:-1])
    expected = json.loads((out / "expected.json").read_text(encoding="utf-8"))
    assert expected["year"] == 2010 and expected["status"] == "rejected"
    assert [f["path"] for f in expected["files"]] == names[:-1]  # as given on the command line in DIR
    first = {n: (out / n).read_bytes() for n in names}
    assert main([*args[:-1], str(tmp_path / "again")]) == 0
    assert {n: (tmp_path / "again" / n).read_bytes() for n in names} == first


def test_generate_errors_are_one_line(tmp_path, capsys):
    assert main(["generate", "--year", "1998", "--persons", "1", "--seed", "1", "-o", str(tmp_path / "a")]) == 2
    assert main(["generate", "--year", "2023", "--persons", "99999", "--seed", "1", "-o", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert "1999" in err and "testlistor" in err and "Traceback" not in err
    (tmp_path / "file").write_text("x")
    assert main(["generate", "--year", "2023", "--persons", "1", "--seed", "1", "-o", str(tmp_path / "file")]) == 2
