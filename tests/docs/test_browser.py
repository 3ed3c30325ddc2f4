"""The built site in headless Debian Chromium driven by Playwright (marker ``browser``; fixtures in conftest)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def page(chromium):
    pg = chromium.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    pg.close()


def test_home_page_renders(page, server):
    page.goto(f"{server}/index.html")
    assert "LSS-regler" in page.title()
    assert page.locator("h1").first.inner_text().startswith("LSS-regler")
    assert page.locator("nav").count() > 0


def test_search_1488_leads_to_r21(page, server):
    page.goto(f"{server}/index.html")
    page.wait_for_load_state("networkidle")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    link = page.locator(".md-search-result__link[href*='LSS-R21']").first
    for _ in range(3):  # the search index loads in a web worker; type again if it was not ready
        box.fill("")
        box.type("1488", delay=50)
        try:
            link.wait_for(state="visible", timeout=20_000)
            break
        except Exception:
            continue
    link.click()
    page.wait_for_url("**/regler/LSS-R21.html*")
    assert "LSS-R21" in page.locator("h1").first.inner_text()


def test_rule_page_shows_history_table(page, server):
    page.goto(f"{server}/regler/LSS-R21.html")
    heading = page.locator("h2#historik")
    assert heading.count() == 1
    table = page.locator("h2#historik ~ div table, h2#historik ~ table").first
    text = table.inner_text()
    assert "2022–" in text and "1488" in text and "fel" in text
