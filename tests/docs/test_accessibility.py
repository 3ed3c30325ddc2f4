"""WCAG 2.1 A/AA on every page of the built site, by axe-core in headless Chromium, and the keyboard alone.

axe-core comes from npm (``scripts/test`` installs it into ``.npm-tools/``; ``LSS_AXE_JS`` names another
copy of ``axe.min.js``), never from a CDN: it is injected into each page by Playwright.  The keyboard test
walks pages by Tab alone: the skip link comes first, every stop shows a visible focus indicator, and the
search and the page's own content are reached.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_source() -> str:
    path = Path(os.environ.get("LSS_AXE_JS") or REPO / ".npm-tools/node_modules/axe-core/axe.min.js")
    if not path.is_file():
        pytest.skip(f"axe-core finns inte ({path}); scripts/test installerar det med npm")
    return path.read_text(encoding="utf-8")


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


_START_AXE = """(tags) => { window.__lssAxe = axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' +
         v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))); }"""


#: the folders of pages generated one per rule, year and field from the same template
_GENERATED = ("regler/", "ar/", "falt/")


def _sample(pages: list[str]) -> list[str]:
    """Every page written by hand or made once, and of each generated kind its index, first, middle and last."""
    out = [p for p in pages if not p.startswith(_GENERATED)]
    for folder in _GENERATED:
        kind = [p for p in pages if p.startswith(folder) and p != f"{folder}index.html"]
        out += [p for p in pages if p == f"{folder}index.html"] + sorted({kind[0], kind[len(kind) // 2], kind[-1]})
    return out


def test_a_page_of_every_kind_meets_wcag_21_aa(chromium, server, site):
    """axe on every page that is not one of many alike, and on a sample of those (scripts/long: every page)."""
    pages = _sample(_pages(site))
    assert len(pages) < len(_pages(site)) and {p.split("/")[0] for p in pages} >= {"guide", "reference", "regler"}
    _axe_finds_nothing(chromium, server, pages)


@pytest.mark.long
def test_every_page_meets_wcag_21_aa(chromium, server, site):
    pages = _pages(site)
    assert len(pages) > 50  # every rule, year and field has a page
    _axe_finds_nothing(chromium, server, pages)


def _axe_finds_nothing(chromium, server, pages: list[str]) -> None:
    """axe on each page; two tabs at a time (axe runs while the other tab loads)."""
    context = chromium.new_context()
    context.add_init_script(script=_axe_source())
    tabs = [context.new_page(), context.new_page()]
    for tab in tabs:
        tab.set_default_timeout(120_000)
    found: dict[str, list[str]] = {}
    try:
        for i in range(0, len(pages), len(tabs)):
            batch = list(zip(tabs, pages[i : i + len(tabs)], strict=False))
            for tab, rel in batch:
                tab.goto(f"{server}/{rel}", wait_until="domcontentloaded")
                tab.evaluate(_START_AXE, AXE_TAGS)
            for tab, rel in batch:
                violations = tab.evaluate("() => window.__lssAxe")
                if violations:
                    found[rel] = violations
    finally:
        context.close()
    assert not found, "\n".join(f"{p}: {v}" for p, vs in found.items() for v in vs)


def test_pages_declare_swedish_and_mark_english(site):
    for rel in ("index.html", "regler/LSS-R21.html", "falt/kommun.html", "ar/2023.html"):
        text = (site / rel).read_text(encoding="utf-8")
        assert '<html lang="sv"' in text, rel
    rule = (site / "regler/LSS-R21.html").read_text(encoding="utf-8")
    assert '<p lang="en"><em>' in rule  # the English title is marked as English


def test_tables_have_header_cells(site):
    for rel in ("ar/2023.html", "regler/LSS-R21.html", "falt/kommun.html", "regler/index.html"):
        text = (site / rel).read_text(encoding="utf-8")
        assert text.count("<table") >= 1, rel
        assert text.count("<table") <= text.count("<th"), rel


_FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return {tag: el.tagName.toLowerCase(), cls: String(el.className || ''), text: (el.innerText || el.value ||
          el.getAttribute('aria-label') || '').trim().slice(0, 60), href: el.getAttribute('href') || '',
          visible: outline || shadow, inMain: !!el.closest('main, article, .md-content')};
}"""


def _walk(page, url: str, stops: int) -> list[dict]:
    page.goto(url)
    page.wait_for_load_state("domcontentloaded")
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        info = page.evaluate(_FOCUS_VISIBLE)
        if info is not None:
            seen.append(info)
    return seen


def _keyboard_pages(site: Path) -> list[str]:
    pages = ["index.html", "regler/LSS-R21.html"]
    # the page that checks a file in the browser, once the site has one
    pages += [rel for rel in _pages(site) if 'type="file"' in (site / rel).read_text(encoding="utf-8")]
    return pages


def test_keyboard_alone_reaches_skip_link_search_and_content(chromium, server, site):
    page = chromium.new_page()
    try:
        for rel in _keyboard_pages(site):
            stops = _walk(page, f"{server}/{rel}", 40)
            assert stops, rel
            first = stops[0]
            assert "md-skip" in first["cls"] and first["text"] == "Gå till innehållet", (rel, first)
            invisible = [s for s in stops if not s["visible"]]
            assert not invisible, (rel, invisible[:3])
            if rel == "index.html":  # the search field is reached by Tab
                assert any(s["tag"] == "input" for s in stops), (rel, stops)
            assert any(s["inMain"] for s in stops), (rel, stops)
            # the skip link moves focus into the content
            page.goto(f"{server}/{rel}")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            assert page.evaluate("() => location.hash.length > 1"), rel
    finally:
        page.close()


def test_search_opens_and_answers_by_keyboard(chromium, server):
    page = chromium.new_page()
    try:
        page.goto(f"{server}/index.html")
        page.wait_for_load_state("networkidle")
        page.keyboard.press("/")  # mkdocs-material's shortcut for the search field
        box = page.locator("input.md-search__input")
        assert box.evaluate("el => el === document.activeElement")
        link = page.locator(".md-search-result__link[href*='LSS-R21']").first
        for _ in range(3):  # the index loads in a web worker; type again if it was not ready
            box.fill("")
            page.keyboard.type("1488", delay=50)
            try:
                link.wait_for(state="visible", timeout=20_000)
                break
            except Exception:
                continue
        for _ in range(20):  # arrow keys move through the results
            page.keyboard.press("ArrowDown")
            if "LSS-R21" in page.evaluate("() => document.activeElement.getAttribute('href') || ''"):
                break
        page.keyboard.press("Enter")
        page.wait_for_url("**/regler/LSS-R21.html*")
    finally:
        page.close()


def test_no_page_skips_a_heading_level_or_leaves_a_header_cell_empty(site):
    """What the Nu Html Checker and pa11y found in our own pages (axe lets both pass): an h3 straight after the
    h1 (the report contract, the generator's profile) and a table header cell with no text (the profile)."""
    import re

    found = []
    for rel in _pages(site):
        page = (site / rel).read_text(encoding="utf-8")
        start, end = page.find("<article"), page.find("</article>")
        if start < 0:
            continue
        body = page[start:end]
        levels = [int(x) for x in re.findall(r"<h([1-6])[\s>]", body)]
        found += [f"{rel}: h{a} then h{b}" for a, b in itertools.pairwise(levels) if b > a + 1]
        found += [f"{rel}: an empty header cell" for _ in re.findall(r"<th[^>]*>\s*</th>", body)]
    assert found == []


def test_nu_html_checker_finds_nothing_in_our_pages(site):
    """The Nu Html Checker (vnu, ~10 s) over the built site, through scripts/html-check (which leaves out what the
    theme writes and says why): errors and warnings both fail. pa11y is the script's alone (2-3 min a run)."""
    import shutil
    import subprocess

    if shutil.which("java") is None or not (REPO / ".npm-tools/node_modules/vnu-jar").is_dir():
        pytest.skip("vnu finns inte (java och .npm-tools/node_modules/vnu-jar); scripts/test installerar dem")
    proc = subprocess.run(
        [str(REPO / "scripts/html-check"), "--vnu-only", str(site)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
