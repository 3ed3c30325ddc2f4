from __future__ import annotations

import json

import pytest
from reference_data import reference_file

from lss_rules.tools.conformance import reference_findings


@pytest.fixture(scope="session")
def test_numbers() -> frozenset[str]:
    """Skatteverket's test numbers, from the shared reference folder (else the package's copy)."""
    out: set[str] = set()
    for name in ("skatteverket-testpersonnummer.json", "skatteverket-testsamordningsnummer.json"):
        path = reference_file(name)
        out.update(json.loads(path.read_text(encoding="utf-8")))
    return frozenset(out)


@pytest.fixture(scope="session")
def reference(spec):
    """expected.json-like answer of the reference evaluator for drawn files."""

    def answer(year, files, deceased=None):
        return reference_findings(spec.for_year(year), {k: list(v) for k, v in files.items()}, deceased)

    return answer
