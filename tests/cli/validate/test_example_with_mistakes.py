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


def test_the_text_report_says_how_to_fix_once_per_rule_and_file(monkeypatch, capsys):
    """ "Så rättar du" (the spec's fix, the year's values filled in) once under each rule's message in each file,
    before its findings; the JSON report of the same run carries no such text (its contract is unchanged)."""
    from lss_rules.backends.python.cache import load_validator

    fixes = load_validator(2023).DETAILS["fixes"]
    _, out = report(monkeypatch, capsys, "text")
    lines = out.splitlines()
    heads = [i for i, line in enumerate(lines) if re.match(r"  LSS-[RS]\d\d ", line)]
    assert len(heads) >= 6
    for i in heads:
        rule = lines[i].split()[0]
        assert lines[i + 2] == f"    Så rättar du: {fixes[rule]}", lines[i : i + 3]
    assert out.count("Så rättar du: ") == len(heads)
    assert "    Så rättar du: Rätta timmarna i verksamhetssystemet så att de är högst 1488 per månad" in out
    _, doc = report(monkeypatch, capsys, "json")
    assert "Så rättar du" not in doc and fixes["LSS-R21"] not in doc
    assert all("fix" not in f for f in json.loads(doc)["findings"])


def test_the_text_report_names_a_findings_fields_by_label(monkeypatch, capsys):
    """After "rad N:" the fields as the detail says them (the spec's short label, å/ä/ö), never identifiers;
    the JSON report keeps the identifiers (its contract)."""
    from lss_rules.backends.python.cache import load_validator

    _, out = report(monkeypatch, capsys, "text")
    assert "    rad 4: daglig verksamhet; 19791204-****\n" in out
    assert "    rad 3: beslutande kommun; 19831015-****\n" in out
    labels = load_validator(2023).DETAILS["labels"]
    identifiers = {name for name, label in labels.items() if name != label}
    for listed in re.findall(r"^    rad \d+: ([^;\n]+)", out, flags=re.M):
        assert not set(listed.split(", ")) & identifiers, listed
    _, doc = report(monkeypatch, capsys, "json")
    assert {"file": "0114.txt", "line": 4, "fields": ["daglig_verksamhet"]}.items() <= next(
        f for f in json.loads(doc)["findings"] if f["line"] == 4 and f["file"] == "0114.txt"
    ).items()
