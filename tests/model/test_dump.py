"""The model of 2023 as a readable golden text dump."""

from __future__ import annotations

from lss_rules.language.model_text import dump_year


def test_model_2023_golden(year_model, golden):
    golden("model-2023.txt", dump_year(year_model(2023)))


def test_dump_is_stable(year_model):
    assert dump_year(year_model(2023)) == dump_year(year_model(2023))
