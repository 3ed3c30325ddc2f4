from __future__ import annotations

import json
from pathlib import Path

import pytest

from lss_rules.conformance import reference_findings

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference"


@pytest.fixture(scope="session")
def test_numbers() -> frozenset[str]:
    """Skatteverket's test numbers, read from the shared reference folder (not the package copy)."""
    out: set[str] = set()
    for name in ("skatteverket-testpersonnummer.json", "skatteverket-testsamordningsnummer.json"):
        path = SHARED / name
        if not path.exists():  # pragma: no cover - outside the project's workspace
            from lss_rules.generators.derive import test_numbers

            return frozenset(test_numbers())
        out.update(json.loads(path.read_text(encoding="utf-8")))
    return frozenset(out)


@pytest.fixture(scope="session")
def reference(spec):
    """expected.json-like answer of the reference evaluator for drawn files."""

    def answer(year, files, deceased=None):
        return reference_findings(spec.for_year(year), {k: list(v) for k, v in files.items()}, deceased)

    return answer
