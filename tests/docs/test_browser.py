"""The built site in headless Debian Chromium driven by Playwright (marker ``browser``; fixtures in conftest)."""

from __future__ import annotations

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


def test_no_request_leaves_the_site_and_no_console_error(page, server):
    """Before: every page asked fonts.googleapis.com and unpkg.com/iframe-worker (two console errors offline)."""
    requests: list[str] = []
    console: list[str] = []

    def on_request(request) -> None:
        requests.append(request.url)

    def on_console(message) -> None:
        if message.type in ("error", "warning"):
            console.append(f"{message.type}: {message.text}")

    def on_pageerror(error) -> None:
        console.append(f"pageerror: {error}")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", on_pageerror)
    try:
        for path in ("index.html", "regler/LSS-R21.html", "ar/2023.html", "reference/rapport.html"):
            page.goto(f"{server}/{path}")
            page.wait_for_load_state("networkidle")
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator("input.md-search__input").type("assistans", delay=20)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
    finally:
        page.remove_listener("request", on_request)
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_pageerror)
    assert requests, "no request recorded"
    outside = [u for u in requests if not u.startswith((server + "/", "data:", "blob:", "about:"))]
    assert outside == []
    assert console == []
