"""``lss-rules lsp``'s own error paths: one Swedish line and exit 2, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lss_rules.cli import main


def test_without_pygls_it_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, "lss_rules.tools.lsp.server", raising=False)
    monkeypatch.setitem(sys.modules, "pygls.lsp.server", None)  # as if pygls were not installed
    assert main(["lsp"]) == 2
    err = capsys.readouterr().err
    assert err == "lss-rules: språkservern behöver pygls: installera den med pip install 'lss-rules[lsp]'\n"


def test_spec_must_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lsp", "--spec", str(tmp_path / "saknas")]) == 2
    assert "är ingen mapp; ange specifikationsmappen" in capsys.readouterr().err
