"""The mkdocs hook (docs/hooks.py) writes the site through the docs backend's spec-wide interface."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from lss_rules.backends.output import Output, SpecInputs
from lss_rules.backends.registry import SPEC_BACKENDS

REPO = Path(__file__).resolve().parents[2]


def _hooks():
    pytest.importorskip("mkdocs", reason="mkdocs är inte installerat (pip install lss-rules[test])")
    spec = importlib.util.spec_from_file_location("lss_docs_hooks", REPO / "docs" / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_hook_generates_what_the_backend_emits(monkeypatch):
    hooks = _hooks()
    seen: list[SpecInputs] = []

    def fake(spec, inputs):
        seen.append(inputs)
        return Output((("ar/2023.md", "# 2023\n"), ("andringar.md", "# Ändringar\n")))

    monkeypatch.setitem(SPEC_BACKENDS, "docs", fake)
    monkeypatch.setenv("LSS_DOCS_PDF", "0")  # no PDFs: the backend is told of none
    monkeypatch.setenv("LSS_DOCS_SHOTS", "0")  # no screenshots (and so no stand-ins for them)
    config = {"config_file_path": str(REPO / "mkdocs.yml"), "nav": None, "docs_dir": str(REPO / "docs")}
    assert hooks.on_config(config) is config
    assert hooks._generated == {"ar/2023.md": "# 2023\n", "andringar.md": "# Ändringar\n"}
    (inputs,) = seen
    assert inputs.cli_reference is not None and "## validate\n" in inputs.cli_reference
    assert inputs.pdfs == ()
