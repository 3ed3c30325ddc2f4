"""Screenshots of the page "Granska fil" for the municipalities' guide, taken in the built site.

The mkdocs hook (``docs/hooks.py``, ``on_post_build``) calls :func:`take` once the site is written: the site is
served on a loopback port, headless Chromium (Playwright; never a downloaded browser) opens ``granska.html``,
chooses the bundled example's files as she would, and the guide's images are written over their stand-ins.
Playwright is imported here only, so the package does not need it.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _served(site: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/granska.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _chosen(page: Any, url: str, year: int, files: Sequence[str]) -> None:
    """The page with the year and the example's files chosen, its validator loaded."""
    page.set_default_timeout(120_000)
    page.goto(url)
    page.locator("#lss-year").select_option(str(year))
    page.locator("#lss-granska[data-ready='true']").wait_for()
    page.locator("#lss-files").set_input_files(list(files))


def _checked(page: Any) -> None:
    page.locator("#lss-run").click()
    page.locator("#lss-findings .lss-finding").first.wait_for()


def _scroll_below_header(page: Any, selector: str) -> None:
    """``selector``'s element at the top of the view, just below the theme's fixed header."""
    page.evaluate(
        """(sel) => { const header = document.querySelector('.md-header');
           const top = document.querySelector(sel).getBoundingClientRect().top + window.scrollY;
           window.scrollTo(0, top - (header ? header.offsetHeight : 0) - 12); }""",
        selector,
    )


def take(site: Path, out: Path, year: int, files: Sequence[str], chromium: str, names: Sequence[str]) -> None:
    """Five PNGs under ``out`` (the names in this order): the files chosen, the result's top (the status, the
    whole-file problems, the counts), one finding in full, the result on a 390 px phone, and a finding with its
    trace open ("Visa hur regeln prövades")."""
    from playwright.sync_api import sync_playwright

    chosen, result, finding, phone, traced = (out / n for n in names)
    for path in (chosen, result, finding, phone, traced):
        path.parent.mkdir(parents=True, exist_ok=True)
    with _served(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            _chosen(page, url, year, files)
            page.locator("#lss-form").screenshot(path=str(chosen), animations="disabled")
            _checked(page)
            # the result's top: the status, the whole-file problems, the files and the counts per rule
            _scroll_below_header(page, "#lss-result-heading")
            page.screenshot(path=str(result), animations="disabled")
            # one finding in full: the one with the shortest detail (one value and what is expected; the first
            # line of a file with a header line lists every field)
            details = page.locator("#lss-findings .lss-finding .lss-finding-detail").all_inner_texts()
            shortest = min(range(len(details)), key=lambda i: len(details[i]))
            item = page.locator("#lss-findings .lss-finding").nth(shortest)
            item.scroll_into_view_if_needed()
            item.screenshot(path=str(finding), animations="disabled")
            _traced(page).screenshot(path=str(traced), animations="disabled")
            page.close()
            mobile = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
            _chosen(mobile, url, year, files)
            _checked(mobile)
            _scroll_below_header(mobile, "#lss-findings-count")
            mobile.screenshot(path=str(phone), animations="disabled")
            mobile.close()
        finally:
            browser.close()


def _traced(page: Any) -> Any:
    """The first finding whose rule has a condition for the line (``when``), its trace opened: the trace that
    shows the most of how a rule is tried (a structural check's has only what it requires)."""
    items = page.locator("#lss-findings .lss-finding")
    for i in range(items.count()):
        item = items.nth(i)
        box = item.locator("details.lss-trace")
        if box.count() == 0:
            continue
        box.locator("summary").click()
        body = box.locator(".lss-trace-body[data-when]")
        body.wait_for()
        if body.get_attribute("data-when") == "true":
            item.scroll_into_view_if_needed()
            return item
        box.locator("summary").click()  # closed again: only the chosen one is open
    return items.first
