"""Spec text is text on the site: a hostile spec builds a site with no live script, handler or link.

Before: ``<script>alert(1)</script>``, ``<img src=x onerror=…>`` and ``[x](javascript:…)`` in a rule's
message, title or interpretation were live on 78 pages after ``mkdocs build --strict``; ``__import__``
turned bold; a newline in a title broke the heading.  The site here is built in-process
(``mkdocs.commands.build``) from a copy of the spec with such text in every kind of spec string; the
generated examples are stubbed (they come from Hypothesis, slow, and are checked in test_site.py)
with lines of the same hostile text, so the fenced blocks are tried too.
"""

from __future__ import annotations

import html.parser
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) __import__ ```"
SPEC_STRING = HOSTILE.replace("\\", "\\\\")


class _Page(html.parser.HTMLParser):
    """Everything that could run: script bodies, on* attributes, javascript: URLs; and the h1 text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.h1: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("<img src=x>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if value and re.match(r"\s*(javascript|vbscript|data:text/html)", value, re.I):
                self.problems.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "script" in self._in and "alert(" in data:
            self.problems.append(f"<script>{data}</script>")
        self.text.append(data)
        if "h1" in self._in:
            self.h1.append(data)


def _hostile_spec(folder: Path) -> None:
    shutil.copytree(REPO / "spec", folder, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    rules = folder / "rules.lss"
    text = rules.read_text(encoding="utf-8")
    swaps = {
        'title "Personnumret är inte korrekt"': f'title "R01\\n# Rubrik {SPEC_STRING}"',
        'title_en "Incorrect personal identity number"': f'title_en "{SPEC_STRING}"',
        'message "Personnumret är inte korrekt (datum, kontrollsiffra eller födelsedatum efter mätdatumet)."': (
            f'message "{SPEC_STRING}"'
        ),
        'source "001 F2.5.3"\n  interpretation "Ett samordningsnummer': (
            f'source "{SPEC_STRING}"\n  interpretation "{SPEC_STRING} | cell\\n- lista\\nEtt samordningsnummer'
        ),
        'note "Personkrets samlades inte in 2004–2006."': f'note "{SPEC_STRING}"',
        'fix "Kontrollera personnumret mot beslutet eller folkbokföringen och rätta det i verksamhetssystemet."': (
            f'fix "{SPEC_STRING}"'
        ),
    }
    for old, new in swaps.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    rules.write_text(text, encoding="utf-8")
    fields = folder / "fields.lss"
    text = fields.read_text(encoding="utf-8")
    old = 'label "Personnummer"'
    assert old in text
    fields.write_text(text.replace(old, f'label "Personnummer {SPEC_STRING}"', 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from lss_rules.backends.docs import report_page, rule_pages
    from lss_rules.language.load import analyse, spec_files

    root = tmp_path_factory.mktemp("hostile")
    _hostile_spec(root / "spec")
    assert analyse(spec_files(root / "spec"))[1] == []  # the hostile text is a valid spec
    shutil.copytree(REPO / "docs", root / "docs")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config.get("plugins", []) if p != "offline" and "offline" not in p]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    # the rule pages and the report page's example both show the stub (each module holds the name it calls)
    names = ("LSS_DOCS_PDF", "LSS_DOCS_SHOTS", "LSS_DOCS_SPEC")
    real, saved = rule_pages.examples, {k: os.environ.get(k) for k in names}
    rule_pages.examples = report_page.examples = lambda ym, ident: ([f"# {HOSTILE}", HOSTILE], ["```", HOSTILE])
    os.environ["LSS_DOCS_PDF"] = "0"  # the HTML pages are what is tried here (a PDF runs no script)
    # nor a screenshot (a PNG, ~5 s of Chromium on the built page; the guide is then built without its images)
    os.environ["LSS_DOCS_SHOTS"] = "0"
    os.environ["LSS_DOCS_SPEC"] = "spec"  # the hostile copy beside mkdocs.yml (never read unasked)
    try:
        cfg = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=True)
        build(cfg)
    finally:
        rule_pages.examples = report_page.examples = real
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return root / "site"


def _pages(site: Path) -> dict[str, _Page]:
    out = {}
    for path in sorted(site.rglob("*.html")):
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        out[str(path.relative_to(site))] = page
    return out


def test_nothing_from_the_spec_runs(hostile_site):
    pages = _pages(hostile_site)
    assert len(pages) > 50
    problems = {name: p.problems for name, p in pages.items() if p.problems}
    assert problems == {}


def test_the_hostile_text_is_shown_as_text(hostile_site):
    pages = _pages(hostile_site)
    rule = pages["regler/LSS-R01.html"]
    shown = "".join(rule.text)
    assert HOSTILE in shown  # every character as written: nothing eaten as markup
    assert "__import__" in shown and "\\" not in shown.split(HOSTILE)[0][-5:]
    h1 = " ".join("".join(rule.h1).split())
    assert h1.startswith("LSS-R01 — R01 # Rubrik <script>alert(1)</script>")  # one heading, newline a space
    assert "| cell - lista" in shown  # no table, no list from an interpretation
    field = "".join(pages["falt/personnummer.html"].text)
    assert f"Personnummer {HOSTILE}" in field
    assert HOSTILE in "".join(pages["regler/index.html"].text)
    assert HOSTILE in "".join(pages["ar/2023.html"].text)
