"""The README's walk-through for spec editors, followed word for word.

The section "For spec editors" shows a one-line edit of the spec and the commands that
show what it means, each with a comment naming a piece of what it prints.  This test reads
that section, makes the edit in a copy of the spec in ``spec/`` of a fresh working folder,
runs every command of the section there and checks that the output holds the comment.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from lss_rules.cli import main

REPO = Path(__file__).resolve().parents[2]


def section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## For spec editors")
    return text[start : text.index("\n## ", start + 1)]


def blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"```(\w*)\n(.*?)```", text, flags=re.S)


def the_edit() -> tuple[str, str, str]:
    """(parameter, the line before the edit, the edited line) from the README's spec block."""
    spec_block = next(body for lang, body in blocks(section()) if "# the edit" in body)
    parameter = re.search(r"parameter (\w+)", spec_block)
    assert parameter is not None
    lines = [ln.split("#")[0].strip() for ln in spec_block.splitlines()]
    at = next(i for i, ln in enumerate(spec_block.splitlines()) if "# the edit" in ln)
    return parameter.group(1), lines[at - 1], lines[at]


def commands() -> list[tuple[list[str], str]]:
    """Each `lss-rules ...` line of the section's shell block and its comment."""
    shell = next(body for lang, body in blocks(section()) if lang == "sh")
    out = []
    for line in shell.splitlines():
        command, _, comment = line.partition("#")
        words = shlex.split(command)
        assert words[0] == "lss-rules"
        out.append((words[1:], comment.strip()))
    return out


@pytest.fixture
def edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    parameter, before, added = the_edit()
    shutil.copytree(REPO / "spec", tmp_path / "spec", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    for path in sorted((tmp_path / "spec").glob("*.lss")):
        text = path.read_text(encoding="utf-8")
        if f"parameter {parameter}" not in text:
            continue
        head, _, rest = text.partition(f"parameter {parameter}")
        at = rest.index(before)
        indent = rest[:at].rsplit("\n", 1)[1]
        rest = rest[: at + len(before)] + f"\n{indent}{added}" + rest[at + len(before) :]
        path.write_text(head + f"parameter {parameter}" + rest, encoding="utf-8")
        break
    else:
        pytest.fail(f"no file of spec/ declares parameter {parameter}")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_section_is_what_this_test_reads() -> None:
    assert the_edit() == ("personlig_assistans_max_timmar", "1488 from 2022", "1600 from 2026")
    assert [c[0][0] for c in commands()] == ["check", "explain", "diff"]


def test_walkthrough(edited: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv, expected in commands():
        code = main(argv)
        out = capsys.readouterr().out
        assert code == 0, (argv, out)
        assert expected in out, (argv, out)
        if argv[0] != "check":
            # the output names the spec it read: the edited copy, not the installed one
            assert "Specifikation: spec (sha256:" in out, out


def test_without_the_edit_the_installed_rules_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)  # no spec/ here: the installed spec
    assert main(["explain", "LSS-R21", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "(personlig_assistans_max_timmar) = 1488 timmar per månad" in out
    assert "Specifikation: den installerade (sha256:" in out
