"""examples/2023-med-fel: the bundled register with typical mistakes, and its report as examples/README.md shows it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lss_rules.cli import main

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "2023-med-fel"


def report(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fmt: str) -> tuple[int, str]:
    monkeypatch.chdir(EXAMPLE)  # as the README says: cd examples/2023-med-fel
    code = main(["validate", "--year", "2023", "--format", fmt, *sorted(p.name for p in EXAMPLE.glob("*.txt"))])
    return code, capsys.readouterr().out


def test_the_readme_shows_the_report(monkeypatch, capsys):
    code, out = report(monkeypatch, capsys, "text")
    assert code == 1
    lines = out.splitlines()
    assert lines[1].startswith("Specifikation: ")  # left out of the README: its digest changes with the spec
    readme = (EXAMPLE.parent / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"```text\n(.*?)```", readme.split("2023-med-fel/`", 1)[1], flags=re.S)[0]
    assert "\n".join([lines[0], *lines[2:]]) + "\n" == shown


def test_every_mistake_is_named(monkeypatch, capsys):
    _, out = report(monkeypatch, capsys, "json")
    doc = json.loads(out)
    hints = {f["path"]: [h["code"] for h in f.get("hints", [])] for f in doc["files"]}
    assert hints == {"0114.txt": ["header_line"], "1885.txt": ["separator"], "2462.txt": ["encoding"]}
    found = {(f["file"], f["line"], f["rule"]) for f in doc["findings"]}
    assert {
        ("0114.txt", 3, "LSS-S02"),  # kommun 114
        ("0114.txt", 4, "LSS-S02"),  # daglig_verksamhet 01
        ("0114.txt", 5, "LSS-R21"),  # 1600 hours
        ("0114.txt", 6, "LSS-R04"),  # korttidstillsyn for an adult
        ("0114.txt", 7, "LSS-S01"),  # a field short
    } <= found
