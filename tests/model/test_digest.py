"""The spec's digest names the rules, not the place they are installed."""

from __future__ import annotations

import shutil
from pathlib import Path

from lss_rules.language.load import analyse, default_spec_dir, spec_files

REPO = Path(__file__).resolve().parents[2]


def _digest(path: Path) -> str:
    spec, _ = analyse(spec_files(path))
    assert spec is not None
    return spec.digest


def test_same_rules_same_digest_anywhere(tmp_path: Path) -> None:
    here = _digest(REPO / "spec")
    shutil.copytree(REPO / "spec", tmp_path / "elsewhere" / "spec")
    assert _digest(tmp_path / "elsewhere" / "spec") == here
    assert _digest(default_spec_dir()) == here  # the installed copy of the same spec


def test_an_edit_changes_the_digest(tmp_path: Path) -> None:
    copy = tmp_path / "spec"
    shutil.copytree(REPO / "spec", copy)
    rules = copy / "rules.lss"
    rules.write_text(rules.read_text(encoding="utf-8").replace("1488 from 2022", "1500 from 2022"), encoding="utf-8")
    assert _digest(copy) != _digest(REPO / "spec")
