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


def test_changes_page_and_pdf_say_conditions_and_groups_in_words(pages, spec):
    """The year-changes page and each year's PDF render the release notes: conditions and groups in words."""
    import datetime as dt

    from lss_rules.backends.pdf import year_html

    said = "krävde att timmar personlig assistans per månad är högst 744; kräver nu att timmar personlig"
    group = "Boendeinsatser enligt 9 § 8–9 LSS: nu även bostad med särskild service för vuxna och annan"
    page = pages["andringar.md"]
    assert said in page and group in page
    assert "count(" not in page and "&lt;=" not in page and "\\<=" not in page
    for year, words in ((2022, said), (2004, group)):
        pdf = year_html(spec, year, built=dt.date(2026, 12, 1))
        assert words in pdf, year
        assert "count(" not in pdf and "personlig_assistans_max_timmar" not in pdf, year


def test_navigation_shows_titles_beside_ids(spec):
    from lss_rules.backends.docs.site import nav

    rules = next(entry["Regler"] for entry in nav(spec) if "Regler" in entry)
    assert {"LSS-R21 För många timmar personlig assistans": "regler/LSS-R21.md"} in rules


def test_rule_pages_say_the_year_and_missing_values_in_words(pages):
    for name, page in pages.items():
        if name.startswith("regler/LSS-"):
            assert not re.search(r"\. \((19|20)\d\d\)", page), name
            assert "= –" not in page, name
    r21 = pages["regler/LSS-R21.md"]
    assert (
        "| 1999–2020 | gäller inte | Högsta antal timmar personlig assistans per månad: inget värde dessa år |" in r21
    )
    assert "| 2021 | fel | Högsta antal timmar personlig assistans per månad: 744 timmar per månad |" in r21


def test_history_tables_name_parameters_by_label(pages, spec):
    """The history table's parameter column: each parameter by its label with its value and unit, no identifier."""
    names = {p.name for p in spec.parameters}
    for ident in spec.ids:
        table = pages[f"regler/{ident}.md"].split("## Historik", 1)[1].split("\n## ", 1)[0]
        assert not any(n in table or n.replace("_", "\\_") in table for n in names), ident


def test_every_rule_page_says_how_to_fix_with_the_years_values(pages, spec):
    """ "Så rättar du" on every rule and check page, the spec's fix with the parameters of each year filled in."""
    for ident in spec.ids:
        page = pages[f"regler/{ident}.md"]
        assert "## Så rättar du" in page, ident
        section = page.split("## Så rättar du", 1)[1].split("\n## ", 1)[0]
        assert "{" not in section, ident
    r21 = pages["regler/LSS-R21.md"].split("## Så rättar du", 1)[1].split("**Typ:**", 1)[0]
    assert "- **2022–:** Rätta timmarna i verksamhetssystemet så att de är högst 1488 per månad" in r21
    assert "- **2021:** Rätta timmarna i verksamhetssystemet så att de är högst 744 per månad" in r21
    r22 = pages["regler/LSS-R22.md"].split("## Så rättar du", 1)[1].split("**Typ:**", 1)[0]
    assert r22.strip().startswith("Rätta timmarna i verksamhetssystemet så att de är högst 744 per månad")


def test_rule_pages_say_conditions_by_labels(pages):
    assert "Det krävs att timmar personlig assistans per månad är högst 1488." in pages["regler/LSS-R21.md"]
    assert "avlosarservice timmar" not in "".join(pages.values())
