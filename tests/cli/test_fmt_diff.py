"""`fmt --diff` prints the change as a unified diff, `fmt --check` says which lines would change (issue 26)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lss_rules.cli import main
from lss_rules.cli.fmt import changed_lines

REPO = Path(__file__).resolve().parents[2]


def _messy(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "spec"
    shutil.copytree(REPO / "spec", folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    f = folder / "rules.lss"
    lines = f.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if line.startswith("  title "))
    lines[n] = "  " + lines[n]  # indented too far
    f.write_text("\n".join(lines), encoding="utf-8")
    return f, f.read_text(encoding="utf-8")


def test_diff_shows_the_change_and_writes_nothing(tmp_path, capsys):
    f, before = _messy(tmp_path)
    assert main(["fmt", "--diff", str(f)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"--- {f}\n+++ {f}\n@@ ")
    minus = [line for line in out.split("\n") if line.startswith("-") and not line.startswith("---")]
    plus = [line for line in out.split("\n") if line.startswith("+") and not line.startswith("+++")]
    assert len(minus) == len(plus) == 1 and minus[0][1:] == "  " + plus[0][1:]
    assert f.read_text(encoding="utf-8") == before


def test_the_diff_applies_with_patch(tmp_path, capsys):
    if shutil.which("patch") is None:
        pytest.skip("patch is not installed")
    f, _ = _messy(tmp_path)
    main(["fmt", "--diff", str(f)])
    diff = capsys.readouterr().out
    subprocess.run(["patch", "-s", str(f)], input=diff, text=True, check=True)
    assert f.read_text(encoding="utf-8") == (REPO / "spec" / "rules.lss").read_text(encoding="utf-8")


def test_check_says_which_lines(tmp_path, capsys):
    f, before = _messy(tmp_path)
    n = before.split("\n").index(next(line for line in before.split("\n") if line.startswith("    title "))) + 1
    assert main(["fmt", "--check", str(f)]) == 1
    out = capsys.readouterr().out
    assert f"skulle formateras om: {f} (rad {n})" in out and "fmt --diff" in out
    assert f.read_text(encoding="utf-8") == before


def test_diff_lines_are_printable(tmp_path, capsys):
    f = tmp_path / "a.lss"
    f.write_text('rule LSS-R01 {\n    title "a\x1b[31mb"\n}\n', encoding="utf-8")
    main(["fmt", "--diff", str(f)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b" in out


@given(st.lists(st.integers(0, 39), min_size=1, max_size=6, unique=True))
def test_changed_lines_names_exactly_the_lines_changed(rows):
    old = [f"rad {i}" for i in range(40)]
    new = [f"ändrad {i}" if i in rows else line for i, line in enumerate(old)]
    said = changed_lines("\n".join(old), "\n".join(new))
    named: set[int] = set()
    for part in re.findall(r"\d+(?:–\d+)?", said):
        a, _, b = part.partition("–")
        named |= set(range(int(a), int(b or a) + 1))
    if "…" not in said:
        assert named == {i + 1 for i in rows}
