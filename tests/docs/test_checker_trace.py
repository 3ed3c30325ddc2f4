"""A finding's trace on the page "Granska fil" (issue 27), in headless Debian Chromium.

The bundled example with mistakes is checked on a laptop and on a phone; the LSS-R04 finding's "Visa hur
regeln prövades" is reached with Tab and opened with Enter, and it shows what ``lss-rules validate --explain``
says of that finding: each clause with its state in words (uppfyllt / inte uppfyllt), the age derived from the
personnummer, the values the rule read by their labels, and the legal source — all inside the page's width,
none needing a scroll sideways.  axe finds nothing on the page with the trace open.  From file:// the page runs
no module worker (issue 24): it says how to open it, and the trace code raises no error there either.

The screenshots are kept as the test's artefacts in its tmp folder (pytest keeps the last three runs'):
``/tmp/pytest-of-USER/pytest-current/test_the_r04_findings_trace_*/trace-WIDTH.png``.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from test_accessibility import _START_AXE, AXE_TAGS, _axe_source

from lss_rules.cli import main
from lss_rules.runtime import python as runtime

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "2023-med-fel"
FILES = sorted(p.name for p in EXAMPLES.glob("*.txt"))


@pytest.fixture(scope="module")
def r04() -> dict[str, Any]:
    """The LSS-R04 finding of the example as ``lss-rules validate --explain --format json`` gives it."""
    out = io.StringIO()
    with contextlib.chdir(EXAMPLES), contextlib.redirect_stdout(out):
        main(["validate", "--year", "2023", "--explain", "--format", "json", *FILES])
    found = [f for f in json.loads(out.getvalue())["findings"] if f["rule"] == "LSS-R04"]
    assert len(found) == 1
    return found[0]


def _tests(clause: dict[str, Any] | None) -> list[dict[str, Any]]:
    if clause is None:
        return []
    return [clause] if clause["op"] == "test" else [t for c in clause["clauses"] for t in _tests(c)]


def _inside(locator, width: int) -> None:
    """Every element of ``locator`` is shown, lies inside the page's width and, scrolled to, in the viewport."""
    assert locator.count() >= 1
    for i in range(locator.count()):
        item = locator.nth(i)
        item.scroll_into_view_if_needed()
        box = item.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, item.inner_text(), box)
        in_view = "(e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
        assert item.evaluate(in_view), (width, item.inner_text())


@pytest.mark.parametrize("width", [1280, 390])
def test_the_r04_findings_trace_opens_by_keyboard_and_says_each_clause(chromium, server, r04, width, tmp_path):
    words = runtime.TRACE_WORDS["sv"]
    context = chromium.new_context(viewport={"width": width, "height": 800})
    context.add_init_script(script=_axe_source())
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{server}/granska.html")
    page.locator("#lss-year").select_option("2023")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    page.locator("#lss-files").set_input_files([str(EXAMPLES / n) for n in FILES])
    page.locator("#lss-run").click()
    page.locator("#lss-findings .lss-finding").first.wait_for()

    item = page.locator("#lss-findings > li.lss-finding:has(.lss-finding-head a:text-is('LSS-R04'))")
    assert item.count() == 1
    box = item.locator("details.lss-trace")
    assert box.evaluate("(d) => d.open") is False  # closed: no trace is made before it is asked for
    # the keyboard: from the finding's rule link, the next Tab stop is its trace's summary; Enter opens it
    item.locator(".lss-finding-head a").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('details.lss-trace > summary')")
    assert item.locator("summary").evaluate("(s) => s === document.activeElement")
    page.keyboard.press("Enter")
    assert box.evaluate("(d) => d.open") is True
    clauses = item.locator(".lss-trace-body li.lss-clause")
    clauses.first.wait_for()

    # each clause as validate --explain says it: its words, then (uppfyllt) / (inte uppfyllt)
    tests = _tests(r04["trace"]["when"]) + _tests(r04["trace"]["require"])
    assert [t["value"] for t in tests] == [True, False]  # R04: korttidstillsyn 1 (met), the age window (not met)
    said = [c.replace("\n", " ") for c in clauses.all_inner_texts()]
    for test, text in zip(tests, said, strict=True):
        state = words["true"] if test["value"] else words["false"]
        assert text == " ".join([*test["derived"], test["words"], f"({state})"]), text
    assert said[0].endswith("(uppfyllt)") and said[1].endswith("(inte uppfyllt)")
    # the age derived from the personnummer, as the Python runtime derives it
    derived = item.locator(".lss-trace-body .lss-derived")
    assert derived.all_inner_texts() == tests[1]["derived"] == ["personen fyller 54 år 2023 (född 1969)"]
    # the values read, by their labels (the personnummer masked as on the rest of the page)
    values = item.locator(".lss-trace-values li")
    assert values.all_inner_texts() == [f"{v['label']}: '{v['value']}'" for v in r04["trace"]["values"]]
    assert "korttidstillsyn för skolungdom: '1'" in values.all_inner_texts()
    assert "personnummer: '19690609-****'" in values.all_inner_texts()
    source = item.locator(".lss-trace-body p:has(strong:text-is('Källa:'))")
    assert source.inner_text() == "Källa: " + ", ".join(r04["trace"]["source"])

    # everything in view, inside the width, no scrolling sideways
    _inside(clauses, width)
    _inside(values, width)
    _inside(derived, width)
    _inside(item.locator("summary"), width)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    item.locator(".lss-trace-body").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / f"trace-{width}.png"))

    # WCAG 2.1 A/AA with the trace open
    page.evaluate(_START_AXE, AXE_TAGS)
    violations = page.evaluate("() => window.__lssAxe")
    assert not violations, violations
    assert not problems, problems
    context.close()


def test_from_disk_the_page_with_traces_says_how_to_open_it_and_fails_nowhere(chromium, site):
    """file://: no module worker runs, so no check and no trace; the page says so and no script fails."""
    page = chromium.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto((site / "granska.html").as_uri())
    page.locator("#lss-from-disk").wait_for(state="visible")
    assert page.locator("#lss-run").is_disabled()
    assert page.locator("details.lss-trace").count() == 0
    assert not problems, problems
    page.close()


def test_an_and_of_many_tests_says_how_they_combine_not_all_their_words_again(chromium, server):
    """The header line's LSS-S02 finding: one test per field under an "and" whose own words name every field; the
    page says "Alla dessa (inte uppfyllt)" above the tests, each test once."""
    out = io.StringIO()
    with contextlib.chdir(EXAMPLES), contextlib.redirect_stdout(out):
        main(["validate", "--year", "2023", "--explain", "--format", "json", *FILES])
    first = next(f for f in json.loads(out.getvalue())["findings"] if f["rule"] == "LSS-S02" and f["line"] == 1)
    require = first["trace"]["require"]
    assert require["op"] == "and" and len(require["clauses"]) == 19
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(60_000)
    page.goto(f"{server}/granska.html")
    page.locator("#lss-year").select_option("2023")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    page.locator("#lss-files").set_input_files([str(EXAMPLES / n) for n in FILES])
    page.locator("#lss-run").click()
    page.locator("#lss-findings .lss-finding").first.wait_for()
    item = page.locator("#lss-findings > li.lss-finding:has(.lss-finding-head a:text-is('LSS-S02'))").first
    item.locator("details.lss-trace > summary").click()
    top = item.locator(".lss-trace-body > ul > li.lss-clause").first
    top.wait_for()
    head = top.evaluate(
        "(li) => Array.from(li.childNodes).filter((n) => n.nodeName !== 'UL').map((n) => n.textContent).join('')"
    )
    assert head.strip() == f"Alla dessa ({runtime.TRACE_WORDS['sv']['false']})"
    tests = top.locator("ul > li.lss-clause")
    assert tests.count() == 19
    assert [t.replace("\n", " ") for t in tests.all_inner_texts()] == [
        f"{c['words']} ({runtime.TRACE_WORDS['sv']['false']})" for c in require["clauses"]
    ]
    assert item.locator(".lss-trace-body").get_attribute("data-when") == "false"
    page.close()
