"""What the validate tests compare of a report: its findings as (rule, line).

A module of its own, not conftest.py: ``from conftest import`` finds whichever conftest was imported first when
a selection collects several folders (``pytest tests/conformance tests/cli/validate`` failed to collect)."""

from __future__ import annotations


def rules_of(report) -> list[tuple[str, int | None]]:
    return [(f["rule"], f["line"]) for f in report["findings"]]
