"""The page "Granska fil" in headless Debian Chromium: a register checked in the browser, nothing sent.

A generated register with errors (two municipalities, a deceased list) is chosen with the keyboard-usable
file inputs after the network has been cut; the report the page downloads is byte for byte the one
``lss-rules validate --format json`` writes for the same files (the paths are the file names).  No console
error, and no request ever leaves the site.  A personnummer in another column and in a file name is masked
in the page and in the downloaded JSON until the switch shows them (issue 22).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from lss_rules.backends.python.cache import load_validator

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def origin(server: str) -> str:
    return server


@pytest.fixture(scope="module")
def browser(chromium):  # one Chromium for the session (tests/docs/conftest.py)
    return chromium


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> tuple[Path, list[str], str]:
    """Two municipalities' files with errors (the same person in both: LSS-R09), a correction named after a
    person whose line has a personnummer where personkrets belongs, and a deceased list."""
    from lss_rules.cli import main

    folder = tmp_path_factory.mktemp("register")
    assert main(["generate", "--year", "2023", "--persons", "120", "--seed", "7", "--municipalities", "2",
                 "--error-rate", "0.3", "-o", str(folder)]) == 0  # fmt: skip
    names = sorted(p.name for p in folder.glob("*.txt"))
    with (folder / names[1]).open("ab") as f:  # a person of the first file again: LSS-R09 in both files
        f.write((folder / names[0]).read_bytes().splitlines(keepends=True)[0])
    first = (folder / names[0]).read_text(encoding="utf-8").splitlines()[1].split(";")[1]
    (folder / "avlidna.txt").write_text(f"{first};2020-01-01\n", encoding="utf-8")
    line = (folder / names[0]).read_text(encoding="utf-8").splitlines()[0].split(";")
    line[2] = "19691014-9290"  # personkrets
    (folder / CORRECTION).write_text(";".join(line) + "\n", encoding="utf-8")
    return folder, [*names, CORRECTION], "avlidna.txt"


CORRECTION = "rättelse-196910149290.txt"


def validate_json(folder: Path, names: list[str], deceased: str, show: bool, monkeypatch) -> str:
    """What ``lss-rules validate --format json [--show-personnummer] --deceased D FILE...`` prints in ``folder``."""
    monkeypatch.chdir(folder)
    mod = load_validator(2023)
    out = io.StringIO()
    report = mod.report(names, mod.read_deceased(deceased), show, lazy=True)
    mod.emit(report, "json", mod.TITLES, mod.NOTES, out)
    return out.getvalue()


def test_a_register_is_checked_in_the_browser_and_nothing_leaves(browser, origin, register, monkeypatch):
    folder, names, deceased = register
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    context.on("request", lambda req: requests.append(req.url))

    page.goto(f"{origin}/granska.html")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    assert "Inga uppgifter lämnar datorn" in page.locator(".lss-privacy").inner_text()
    assert page.locator("#lss-year").input_value() == page.locator("#lss-year option").first.get_attribute("value")
    page.locator("#lss-year").select_option("2023")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    loaded = len(requests)
    context.set_offline(True)  # the network is cut: the check must still work

    page.locator("#lss-files").set_input_files([str(folder / n) for n in names])
    page.locator("#lss-deceased").set_input_files(str(folder / deceased))
    page.locator("#lss-run").focus()
    page.keyboard.press("Enter")
    page.locator("#lss-result").wait_for(state="visible")
    assert "ej godkänd" in page.locator("#lss-status").inner_text()
    assert page.locator("#lss-counts a[href$='LSS-R09.html']").count() == 1
    assert page.locator("#lss-counts a[href$='LSS-R02.html']").count() == 1
    masked = page.locator("#lss-findings > li.lss-finding").first.locator(".lss-finding-pnr").inner_text()
    assert masked.endswith("-****")

    with page.expect_download() as download:
        page.locator("#lss-download").click()
    got = Path(download.value.path()).read_text(encoding="utf-8")
    assert got == validate_json(folder, names, deceased, False, monkeypatch)
    assert "196910149290" not in got and "19691014-9290" not in got and "rättelse-19691014****.txt" in got
    assert "'19691014-****'" in got  # the value in personkrets, in the finding's detail
    correction = page.locator("#lss-files-table tbody tr").nth(2).locator("td").first
    assert correction.inner_text() == "rättelse-19691014****.txt"

    # filters, and the switch that shows the personnummer (the download follows it)
    page.locator("#lss-filter-rule").select_option("LSS-R09")
    rows = page.locator("#lss-findings > li.lss-finding")
    both = rows.count()
    assert both >= 2 and all(t.startswith("LSS-R09") for t in rows.all_inner_texts())
    page.locator("#lss-filter-file").select_option(index=1)  # the first file
    files = [rows.nth(i).locator(".lss-finding-file").inner_text() for i in range(rows.count())]
    assert 1 <= len(files) < both and set(files) == {names[0]}
    page.locator("#lss-show-pnr").check()
    page.locator("#lss-findings > li.lss-finding .lss-finding-pnr").first.wait_for()
    page.wait_for_function("() => !document.querySelector('#lss-findings .lss-finding-pnr').textContent.endsWith('*')")
    assert correction.inner_text() == CORRECTION
    with page.expect_download() as download:
        page.locator("#lss-download").click()
    got = Path(download.value.path()).read_text(encoding="utf-8")
    assert got == validate_json(folder, names, deceased, True, monkeypatch)

    assert not problems, problems
    assert all(url.startswith(origin) or url.startswith("blob:") for url in requests), requests
    assert len(requests) == loaded, requests[loaded:]  # nothing at all after the page had loaded
    context.close()


def test_findings_past_the_bound_are_counted_on_the_page(browser, origin, register, tmp_path, monkeypatch):
    """1,200 blank lines: the page lists 1,000, counts all 1,200, and downloads validate's report (issue 22)."""
    folder, names, _ = register
    blank = tmp_path / "0999.txt"
    blank.write_bytes(b"\n" * 1200)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{origin}/granska.html")
    page.locator("#lss-year").select_option("2023")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    page.locator("#lss-files").set_input_files([str(folder / names[0]), str(blank)])
    page.locator("#lss-run").click()
    page.locator("#lss-result").wait_for(state="visible")
    assert "ej godkänd" in page.locator("#lss-status").inner_text()
    s01 = page.locator("#lss-counts tbody tr", has=page.locator("a[href$='LSS-S01.html']"))
    assert s01.locator("td").nth(3).inner_text() == "1200"
    assert "0999.txt: LSS-S01 har 200 fynd till som inte listas" in page.locator("#lss-notes").inner_text()
    # a screenful at a time, every listed finding reachable by "Visa fler fynd"
    blocks = page.locator("#lss-findings > li.lss-finding")
    page.locator("#lss-findings .lss-finding").first.wait_for()
    listed = int(page.locator("#lss-findings-count").inner_text().split(" av ")[1].split()[0])
    assert blocks.count() < listed and listed >= 1000
    while page.locator("#lss-more").is_visible():
        page.locator("#lss-more").click()
    assert blocks.count() == listed
    with page.expect_download() as download:
        page.locator("#lss-download").click()
    got = Path(download.value.path()).read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    mod = load_validator(2023)
    out = io.StringIO()
    shutil.copy(folder / names[0], tmp_path / names[0])
    mod.emit(mod.report([names[0], "0999.txt"], None, False, lazy=True), "json", mod.TITLES, mod.NOTES, out)
    assert got == out.getvalue() and '"not_listed"' in got
    assert not problems, problems
    context.close()


def test_the_status_says_one_of_each_in_the_singular(browser, origin, tmp_path, spec, year_model):
    """One file, one record, one warning: "1 fil, 1 post, 0 fel, 1 varning" ("1 varningar" before)."""
    from lss_rules.language.examples import load_examples
    from lss_rules.language.load import default_spec_dir
    from lss_rules.tools.examples import file_lines

    examples, problems = load_examples(default_spec_dir() / "examples", spec)
    assert problems == []
    (example,) = [e for e in examples if e.rule == "LSS-R06" and e.year == 2023 and e.findings]
    assert [f.severity for f in example.findings] == ["warning"]
    ((_name, lines),) = file_lines(year_model(2023), example).items()
    path = tmp_path / "0114.txt"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    page = browser.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{origin}/granska.html")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    page.locator("#lss-year").select_option("2023")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    page.locator("#lss-files").set_input_files([str(path)])
    page.locator("#lss-run").click()
    page.locator("#lss-result").wait_for(state="visible")
    status = page.locator("#lss-status").inner_text()
    page.close()
    assert "godkänd med varningar — 1 fil, 1 post, 0 fel, 1 varning." in status, status


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "2023-med-fel"


@pytest.mark.parametrize("width", [1280, 390])
def test_each_finding_says_what_is_wrong_in_view_and_a_whole_file_problem_once(browser, origin, width):
    """The bundled example with mistakes, on a laptop and on a phone: every finding's detail ("… är '01'; ska
    vara 0 eller 1") lies inside the page's width, no horizontal scrolling; the header line is said once."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.set_default_timeout(60_000)
    page.goto(f"{origin}/granska.html")
    page.locator("#lss-year").select_option("2023")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    page.locator("#lss-files").set_input_files(sorted(str(p) for p in EXAMPLES.glob("*.txt")))
    page.locator("#lss-run").click()
    page.locator("#lss-result").wait_for(state="visible")
    page.locator("#lss-findings .lss-finding").first.wait_for()  # listed just after the status
    details = page.locator("#lss-findings .lss-finding-detail")
    assert details.count() >= 10
    texts = details.all_inner_texts()
    assert "daglig verksamhet är '01'; ska vara 0 eller 1" in texts  # the field by its label
    # "Så rättar du" under each finding, the rule's text from the year's module (the spec's fix, 1488 filled in)
    ym = load_validator(2023)
    findings = page.locator("#lss-findings > li.lss-finding")
    fixes = page.locator("#lss-findings > li.lss-finding .lss-finding-fix")
    assert fixes.count() == findings.count() >= 10
    r21 = page.locator("#lss-findings > li.lss-finding:has(a:text-is('LSS-R21')) .lss-finding-fix").inner_text()
    assert r21 == "Så rättar du: " + ym.DETAILS["fixes"]["LSS-R21"] and "högst 1488 per månad" in r21
    for i in range(fixes.count()):
        box = fixes.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
    for i in range(details.count()):
        box = details.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, texts[i], box)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    counts = page.locator("#lss-counts").bounding_box()  # the counts per rule need no scrolling sideways either
    assert counts is not None and counts["x"] + counts["width"] <= width, (width, counts)
    notes = page.locator("#lss-notes").inner_text()
    assert notes.count("Rad 1 är en rubrikrad") == 1
    assert "0114.txt: Rad 1 är en rubrikrad" in notes
    page.close()


def test_the_file_controls_speak_swedish(browser, origin):
    """The browser's own file control says "Choose Files" / "No file chosen" in the browser's language: it is
    kept (keys, screen readers, dropping) but transparent over a Swedish button that shows its focus."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{origin}/granska.html")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    for control, label in (("#lss-files", "Välj filer …"), ("#lss-deceased", "Välj fil …")):
        assert page.locator(control).evaluate("(e) => getComputedStyle(e).opacity") == "0"
        button = page.locator(f".lss-file:has({control}) .lss-file-button")
        assert button.inner_text() == label
        page.locator(control).focus()
        assert button.evaluate("(e) => getComputedStyle(e).outlineStyle") != "none"
    assert page.locator("#lss-dead-chosen").inner_text() == "Ingen fil vald."
    page.close()


def test_opened_from_disk_the_page_says_how_to_open_it(browser, site):
    """From file:// the browser runs no module worker: the page said nothing and did nothing (issue 24)."""
    page = browser.new_page()
    page.goto((site / "granska.html").as_uri())
    message = page.locator("#lss-from-disk")
    message.wait_for(state="visible")
    assert "öppna webbplatsen via dess webbadress" in message.inner_text()
    assert page.locator("#lss-run").is_disabled()
    page.close()


def test_served_the_page_says_nothing_of_the_disk(browser, origin):
    page = browser.new_page()
    page.goto(f"{origin}/granska.html")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    assert page.locator("#lss-from-disk").is_hidden()
    assert page.locator("#lss-run").is_enabled()
    page.close()


def test_findings_are_grouped_by_file_or_by_rule(browser, origin):
    """A switch orders the findings per file and line (a heading per file) or per rule (a heading per rule)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(60_000)
    page.goto(f"{origin}/granska.html")
    page.locator("#lss-year").select_option("2023")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    page.locator("#lss-files").set_input_files(sorted(str(p) for p in EXAMPLES.glob("*.txt")))
    page.locator("#lss-run").click()
    page.locator("#lss-result").wait_for(state="visible")
    page.locator("#lss-findings .lss-finding").first.wait_for()  # listed just after the status
    heads = page.locator("#lss-findings > li.lss-group h4")
    assert heads.all_inner_texts() == ["Fil 0114.txt", "Fil 1885.txt", "Fil 2462.txt"]
    page.locator("#lss-order").select_option("rule")
    by_rule = heads.all_inner_texts()
    assert len(by_rule) == len(set(by_rule)) >= 4 and all(h.startswith("LSS-") for h in by_rule)
    rules = [t.split()[0] for t in page.locator("#lss-findings > li.lss-finding .lss-finding-head a").all_inner_texts()]
    assert rules == sorted(rules, key=lambda x: [h.split()[0] for h in by_rule].index(x))
    page.close()
