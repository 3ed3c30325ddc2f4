"""Fixtures of the every-year tests; the helpers are in years_support.py."""

from __future__ import annotations

import pytest
from years_support import Lines


@pytest.fixture
def lines_for(year_model):
    return lambda year: Lines(year_model(year))
