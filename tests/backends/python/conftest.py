"""Fixtures for the Python backend: compiled modules per year, written files, test personnummer."""

from __future__ import annotations

import json
import types

import pytest
from reference_data import reference_file

from lss_rules.backends.python.to_python import to_python

_MODULES: dict[int, types.ModuleType] = {}


def compiled_module(ym) -> types.ModuleType:
    """The generated validator of a year, imported from source (no cache on disk)."""
    if ym.year not in _MODULES:
        module = types.ModuleType(f"lss_validator_test_{ym.year}")
        exec(compile(to_python(ym), module.__name__, "exec"), module.__dict__)
        _MODULES[ym.year] = module
    return _MODULES[ym.year]


@pytest.fixture(scope="session")
def compiled(year_model):
    return lambda year: compiled_module(year_model(year))


@pytest.fixture(scope="session")
def test_numbers() -> list[str]:
    return json.loads(reference_file("skatteverket-testpersonnummer.json").read_text(encoding="utf-8"))
