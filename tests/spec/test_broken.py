"""Every broken spec under tests/spec/broken/ gives exactly its expected diagnostics.

Each case is a folder with the spec and ``expected.txt``: one diagnostic a line,
``CODE file:line:col`` (anything after ``#`` is a comment, the message of today).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lss_rules.language.diagnostics import CODES
from lss_rules.language.load import analyse, spec_files

HERE = Path(__file__).resolve().parent
CASES = sorted(p for p in (HERE / "broken").iterdir() if p.is_dir())
#: symbolic links a case needs, made in a copy of the case at test time: the repository tracks no link
#: (a link to a device makes a copy of the repository that follows links fill the disk)
LINKS = {
    "e011_dataset_symlink_out": {"data/zero": "/dev/zero"},
    "e011_dataset_symlink_loop": {"data/slinga.csv": "annan.csv", "data/annan.csv": "slinga.csv"},
}


def _case(case: Path, tmp_path: Path) -> Path:
    """The case's folder, or a copy with its links made when it needs some."""
    if case.name not in LINKS:
        return case
    copy = tmp_path / case.name
    shutil.copytree(case, copy)
    for link, target in LINKS[case.name].items():
        (copy / link).parent.mkdir(parents=True, exist_ok=True)
        (copy / link).symlink_to(target)
    return copy


def _expected(case: Path) -> list[tuple[str, str]]:
    out = []
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            code, where = line.split()
            out.append((code, where))
    return out


def test_base_is_clean():
    _, diags = analyse([HERE / "base.lss"])
    assert diags == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_case(case: Path, tmp_path: Path):
    _, diags = analyse(spec_files(_case(case, tmp_path)))
    got = [(d.code, f"{Path(d.pos.file).name}:{d.pos.line}:{d.pos.column}") for d in diags]
    assert got == _expected(case)


def test_every_code_has_a_case():
    covered = {code for case in CASES for code, _ in _expected(case)}
    assert covered >= set(CODES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_check_reports_without_traceback(case: Path, capsys, tmp_path: Path):
    from lss_rules.cli import main

    assert main(["check", str(_case(case, tmp_path))]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    code, where = _expected(case)[0]
    assert f"{where}: error[{code}]" in err


def test_overlapping_years_are_named():
    # E005 says which years two entries both claim, not only that they overlap
    _, diags = analyse(spec_files(HERE / "broken" / "e005_overlapping_years"))
    (d,) = diags
    assert d.code == "E005" and d.message.endswith("gäller båda 2003")
