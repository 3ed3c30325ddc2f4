"""The spec editors' guide's walk-throughs, run from the Markdown: each edit it shows is made on a copy of
the spec and each command it shows prints what the guide says (a changed message fails here)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "guide" / "spec-editors.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def _section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _apply_rows(table: Path, rows: str) -> None:
    """Each row replaces the row of the same code, or is put in code order."""
    lines = table.read_text(encoding="utf-8").rstrip("\n").split("\n")
    for row in rows.strip().split("\n"):
        code = row.split(",", 1)[0]
        same = [i for i, line in enumerate(lines) if line.split(",", 1)[0] == code]
        if same:
            lines[same[0]] = row
        else:
            at = next((i for i, line in enumerate(lines[1:], 1) if line.split(",", 1)[0] > code), len(lines))
            lines.insert(at, row)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(command: str, cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    from lss_rules.cli import main

    argv = command.split()
    assert argv[0] == "lss-rules", command
    monkeypatch.chdir(cwd)
    main(argv[1:])
    out = capsys.readouterr()
    lines = (out.err + out.out).splitlines()
    # the one line that names the working copy, and the digest that changes with every edit, are not shown
    return "\n".join(
        re.sub(r"; sha256:[0-9a-f]+$", "", line) for line in lines if not line.startswith("Specifikation:")
    )


def test_a_municipality_code_changes(tmp_path, monkeypatch, capsys):
    shutil.copytree(REPO / "spec", tmp_path / "spec", ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    ran = 0
    for kind, body in BLOCK.findall(_section("En kommunkod ändras")):
        if kind == "csv":
            _apply_rows(tmp_path / "spec" / "data" / "kommuner.csv", body)
        elif kind == "console":
            command, *shown = body.rstrip("\n").split("\n")
            assert command.startswith("$ ")
            assert _run(command[2:], tmp_path, monkeypatch, capsys) == "\n".join(shown)
            ran += 1
    assert ran == 2
