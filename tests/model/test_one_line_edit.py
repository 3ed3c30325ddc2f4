"""One-line edits of the spec change exactly the intended year models."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lss_rules.language.load import analyse, spec_files

REPO = Path(__file__).resolve().parents[2]
YEARS = range(1999, 2031)


def _effective(ym):
    """What a validator of the year sees (not the all-years objects the year model points back to)."""
    return (
        ym.reference_date,
        ym.deadline,
        ym.layout.separator,
        ym.fields,
        ym.parameters,
        ym.municipalities,
        tuple((c.id, c.severity, c.check.kind) for c in ym.checks),
        tuple((r.id, r.severity, r.rule.scope, r.when, r.require, r.unique, r.reads) for r in ym.rules),
    )


def _models(path: Path):
    spec, diags = analyse(spec_files(path))
    assert not diags, [d.headline() for d in diags]
    assert spec is not None
    return {y: _effective(spec.for_year(y)) for y in YEARS}


@pytest.fixture(scope="module")
def base():
    return _models(REPO / "spec")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dst = tmp_path / "spec"
    shutil.copytree(REPO / "spec", dst, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return dst


def _changed(base, path: Path) -> set[int]:
    new = _models(path)
    return {y for y in YEARS if new[y] != base[y]}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_new_parameter_value_from_2027(base, copy):
    _edit(copy / "rules.lss", "    1488 from 2022\n", "    1488 from 2022\n    1600 from 2027\n")
    assert _changed(base, copy) == set(range(2027, 2031))


def test_r16_error_from_2027(base, copy):
    text = (copy / "rules.lss").read_text(encoding="utf-8")
    start = text.index("rule LSS-R16")
    i = text.index("  severity warning from 1999\n", start)
    j = i + len("  severity warning from 1999\n")
    (copy / "rules.lss").write_text(
        text[:i] + "  severity\n    warning from 1999\n    error from 2027\n" + text[j:], encoding="utf-8"
    )
    changed = _changed(base, copy)
    assert changed == set(range(2027, 2031))


def test_new_field_from_2027(base, copy):
    _edit(copy / "register.lss", "    daglig_verksamhet\n", "    daglig_verksamhet\n    ny_insats\n")
    with (copy / "fields.lss").open("a", encoding="utf-8") as f:
        f.write('\nfield ny_insats {\n  type flag\n  label "Ny insats"\n  collected 2027..\n  optional\n}\n')
    assert _changed(base, copy) == set(range(2027, 2031))
