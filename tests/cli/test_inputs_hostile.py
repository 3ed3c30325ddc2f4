"""The smaller hostile inputs of issue 10: --deceased dates, output folders, a small generated register."""

from __future__ import annotations

import json

import pytest

from lss_rules.cli import main

LINE = "0114;201001012384;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"


@pytest.mark.parametrize(
    "date",
    [
        "20200101",
        "2020-W01-1",
        " 2020-01-01",
        "2020-01-01 ",
        "2020-1-01",
        "２０２０-01-01",
        "2020-02-30",
        "2020-01-01T00",
    ],
)
def test_deceased_accepts_exactly_yyyy_mm_dd(tmp_path, capsys, date):
    sub = tmp_path / "0114.txt"
    sub.write_text(LINE + "\n", encoding="utf-8")
    dead = tmp_path / "dead.txt"
    dead.write_text(f"201001012384;{date}\n", encoding="utf-8")
    assert main(["validate", "--year", "2023", "--deceased", str(dead), str(sub)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "dead.txt:1:" in err and "ÅÅÅÅ-MM-DD" in err


def test_deceased_good_date(tmp_path, capsys):
    sub = tmp_path / "0114.txt"
    sub.write_text(LINE + "\n", encoding="utf-8")
    dead = tmp_path / "dead.txt"
    dead.write_text("201001012384;2020-01-01\r\n", encoding="utf-8")
    assert main(["validate", "--year", "2023", "--format", "json", "--deceased", str(dead), str(sub)]) == 1
    assert "LSS-R02" in [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]]


# --------------------------------------------------------------------------- output folders

GENERATE = ["generate", "--year", "2023", "--persons", "30", "--seed", "1", "--municipalities", "3", "-o"]


def test_generate_refuses_a_non_empty_folder(tmp_path, capsys):
    out = tmp_path / "reg"
    out.mkdir()
    (out / "anteckning.md").write_text("mina anteckningar", encoding="utf-8")
    assert main([*GENERATE, str(out)]) == 2
    err = capsys.readouterr().err
    assert "inte tom" in err and "--force" in err
    assert sorted(p.name for p in out.iterdir()) == ["anteckning.md"]


def test_generate_50_persons_is_an_accepted_register(tmp_path, capsys):
    out = tmp_path / "reg"
    assert main(["generate", "--year", "2023", "--persons", "50", "--seed", "1", "-o", str(out)]) == 0
    files = sorted(out.glob("*.txt"))
    assert files and all(f.stat().st_size > 0 for f in files)
    assert json.loads((out / "expected.json").read_text(encoding="utf-8"))["status"] == "accepted"
    assert main(["validate", "--year", "2023", *map(str, files)]) == 0


@pytest.mark.parametrize(
    ("argv", "missing"),
    [
        (["validate", "--year", "2023", "x.txt"], "lss_rules.spec"),
        (["years"], "lss_rules.spec"),
    ],
)
def test_an_install_without_its_spec_gets_a_message_not_a_traceback(monkeypatch, tmp_path, capsys, argv, missing):
    """An install that lost its spec/ (a checkout has it too now: the links join it as an install does)."""
    import importlib.util

    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("", encoding="utf-8")

    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == missing else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lss-rules: {missing} saknas") and "installera om" in err
    assert err.count("\n") == 1
