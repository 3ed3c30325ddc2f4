"""Fixtures for the Python backend: compiled modules per year, written files, test personnummer."""

from __future__ import annotations

import json

import pytest
from compiled_modules import compiled_module
from reference_data import reference_file


@pytest.fixture(scope="session")
def compiled(year_model):
    return lambda year: compiled_module(year_model(year))


@pytest.fixture(scope="session")
def test_numbers() -> list[str]:
    return json.loads(reference_file("skatteverket-testpersonnummer.json").read_text(encoding="utf-8"))
