"""Generated pages say things in words: changes as lists, titles beside ids, no bare "(2025)" or "= –"."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def pages(generated):
    return generated


def test_changes_are_lists_not_preformatted_text(pages):
    page = pages["andringar.md"]
    assert "```" not in page
    assert "### Parametrar" in page and "\n- " in page


def test_navigation_shows_titles_beside_ids(spec):
    from lss_rules.backends.docs.site import nav

    rules = next(entry["Regler"] for entry in nav(spec) if "Regler" in entry)
    assert {"LSS-R21 För många timmar personlig assistans": "regler/LSS-R21.md"} in rules


def test_rule_pages_say_the_year_and_missing_values_in_words(pages):
    for name, page in pages.items():
        if name.startswith("regler/LSS-"):
            assert not re.search(r"\. \((19|20)\d\d\)", page), name
            assert "= –" not in page, name
    assert "personlig_assistans_max_timmar: inget värde detta år" in pages["regler/LSS-R21.md"]
