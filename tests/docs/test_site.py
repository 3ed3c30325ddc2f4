"""The generated documentation site: complete, strict build, stable pages."""

from __future__ import annotations

import json

import jsonschema

from lss_rules.backends.jsonschema import lss_annotations
from lss_rules.language.history import listed_years


def test_every_rule_field_and_year_has_a_page(site, spec):
    for ident in spec.ids:
        page = site / "regler" / f"{ident}.html"
        assert page.is_file(), ident
        assert ident in page.read_text(encoding="utf-8")
    for f in spec.fields:
        assert (site / "falt" / f"{f.name}.html").is_file(), f.name
    for y in listed_years(spec):
        assert (site / "ar" / f"{y}.html").is_file(), y
        s = json.loads((site / "schemas" / f"lss-record-{y}.schema.json").read_text(encoding="utf-8"))
        assert lss_annotations(s)["x-lss-year"] == y
    assert list(listed_years(spec))[:1] == [1999] and 2025 in listed_years(spec)
    for page in ("index.html", "andringar.html", "reference/rapport.html", "reference/kommandon.html"):
        assert (site / page).is_file(), page
    assert (site / "search" / "search_index.json").is_file()


def test_rule_pages_have_history_examples_and_backends(generated, spec):
    for ident in spec.ids:
        md = generated[f"regler/{ident}.md"]
        assert "## Historik" in md and "## Genomförande" in md, ident
        assert "| Python" in md
    r21 = generated["regler/LSS-R21.md"]
    assert "1488" in r21 and "744" in r21
    assert "Rader som bryter mot LSS-R21" in r21


def test_examples_use_test_numbers_and_agree_with_the_evaluator(generated, spec):
    from lss_rules.meaning.evaluate import evaluate_lines

    ym = spec.for_year(2025)
    md = generated["regler/LSS-R04.md"]
    blocks = md.split("```text\n")[1:]  # the lines as text, folded below each table
    bad, good = ([x.strip() for x in b.split("```")[0].splitlines() if x.strip()] for b in blocks[:2])
    bad_lines = [x for x in bad if not x.startswith("#")]
    good_lines = [x for x in good if not x.startswith("#")]
    assert {f.rule for f in evaluate_lines(ym, bad_lines)} == {"LSS-R04"}
    assert evaluate_lines(ym, good_lines) == []


def test_schemas_on_the_site_are_valid(site, check_schema):
    for path in (site / "schemas").glob("lss-record-*.schema.json"):
        check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_cli_reference_lists_every_command(generated):
    from lss_rules.cli import COMMANDS, build_parser

    md = generated["reference/kommandon.md"]
    parser = build_parser()
    registered = [c for c in COMMANDS if c in parser.format_help()]
    for name in registered:
        assert f"## {name}\n" in md, name
    assert "## schema\n" in md and "## convert\n" in md


def test_nav_has_the_guides(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    for page in (
        "guide/vendors.html",
        "guide/spec-editors.html",
        "reference/language.html",
        "reference/years-diff-report.html",
    ):
        assert page in html, page


def test_golden_rule_page(generated, golden):
    golden("docs_rule_LSS-R21.md", generated["regler/LSS-R21.md"])


def test_golden_year_page(generated, golden):
    golden("docs_year_2023.md", generated["ar/2023.md"])


def test_docs_command_writes_the_pages(tmp_path, capsys, spec):
    from lss_rules.cli import main

    out = tmp_path / "gen"
    assert main(["docs", "-o", str(out)]) == 0
    assert (out / "regler" / "LSS-R21.md").is_file()
    assert (out / "schemas" / "lss-record-2023.schema.json").is_file()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["docs", "-o", str(tmp_path / "file")]) == 2


def test_example_report_follows_the_report_schema(spec):
    from importlib import resources

    from lss_rules.backends.docs.site import example_report

    path = resources.files("lss_rules") / "schemas" / "report.schema.json"
    if not path.is_file():
        import pytest

        pytest.skip("report.schema.json finns inte ännu")
    schema = json.loads(path.read_text(encoding="utf-8"))
    report = json.loads(example_report(spec.for_year(2025)))
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["status"] == "rejected"


def test_no_page_refers_to_a_third_party(site):
    """No Google Fonts, no unpkg.com shim: every script, stylesheet, font and frame comes from the site."""
    import re

    outside = set()
    for path in site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", page):
            for url in re.findall(r"\b(?:src|href)=[\"']?([^\"' >]+)", tag):
                if re.match(r"(https?:)?//", url) and 'rel="canonical"' not in tag:
                    outside.add(url)
    assert outside == set()
    assert (site / "assets" / "javascripts" / "iframe-worker" / "shim.js").is_file()


def test_the_start_page_leads_a_municipality_to_her_guide_first(site):
    """The first way in on the start page is the municipalities' guide, with no command in it; the guide
    leads to the page that checks a file, and the page back to the guide (issue 24)."""
    import re

    start = (site / "index.html").read_text(encoding="utf-8")
    where = start[start.index('id="var-borjar-jag"') :]
    first = re.search(r"<li>(.*?)</li>", where, re.S)
    assert first is not None and 'href="guide/kommuner.html"' in first.group(1)
    guide = (site / "guide" / "kommuner.html").read_text(encoding="utf-8")
    body = guide[guide.index("<article") : guide.index("</article>")]
    assert "25 oktober" in body and "granska" in body.lower()
    assert "lss-rules" not in body and "<code>lss" not in body  # no command for her
    assert "guide/kommuner" in (site / "granska.html").read_text(encoding="utf-8")


def test_rule_examples_are_tables_with_labels_and_the_value_marked(generated, spec):
    """A rule page shows its example as a table headed by the fields' Swedish labels, the value the finding
    is about in bold with its severity (raw semicolon lines once were all there was; issue 24)."""
    r21 = generated["regler/LSS-R21.md"]
    label = spec.for_year(2025).field("personlig_assistans_timmar").label
    assert "| Fält | Rad 1 |" in r21 and "| Kommun (beslutande kommun) | 0114 |" in r21
    assert f"| {label} | **1489** (fel) |" in r21
    assert '??? note "Raderna som text"' in r21


def test_the_sitemap_names_every_page_and_the_links_stay_relative(site):
    """site_url fills sitemap.xml (empty without it); the pages still link to each other relatively, so the site
    works offline and opened from disk (the canonical link is the one absolute address)."""
    import re
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text or "" for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}
    base = locs[0][: locs[0].index("index.html")] if locs and locs[0].endswith("index.html") else None
    assert base and base.startswith("https://"), locs[:3]
    assert {loc.removeprefix(base) for loc in locs} == pages
    for rel in ("index.html", "guide/kommuner.html", "granska.html", "regler/LSS-R21.html"):
        page = (site / rel).read_text(encoding="utf-8")
        absolute = [
            tag
            for tag in re.findall(r"<(?:a|link|script|img)\b[^>]*>", page)
            if base in tag and 'rel="canonical"' not in tag
        ]
        assert absolute == [], (rel, absolute[:3])
