"""The municipalities' guide (docs/guide/kommuner.md): its lists of whole-file problems and common findings made
from the bundled example by the year's validator, and its screenshots of "Granska fil" taken by the build."""

from __future__ import annotations

import importlib.util
import re
import struct
from pathlib import Path
from types import SimpleNamespace

import pytest

from lss_rules.backends.docs import guide

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "2023-med-fel"


def _guide_body(site: Path) -> str:
    page = (site / "guide" / "kommuner.html").read_text(encoding="utf-8")
    return page[page.index("<article") : page.index("</article>")]


def _example_report() -> dict:
    from lss_rules.backends.python.cache import load_validator

    return load_validator(2023).report(sorted(str(p) for p in EXAMPLE.glob("*.txt")), None, False)


def test_no_rule_id_is_typed_in_the_guide():
    """The guide names rules only through the generated lists (its source has the marks, no id)."""
    source = (REPO / "docs" / "guide" / "kommuner.md").read_text(encoding="utf-8")
    assert re.findall(r"LSS-[A-Z]+\d+", source) == []
    assert guide.WHOLE_FILE_MARK in source and guide.COMMON_MARK in source


def test_the_guide_lists_the_examples_findings_from_the_spec(site, spec):
    """Each whole-file problem of the example once, in the validator's words; its five most frequent rules with
    the spec's id, title and message, and the example's own detail."""
    report = _example_report()
    body = _guide_body(site)
    assert "lss:" not in body  # every mark replaced
    hints = {h["code"]: h["message"] for f in report["files"] for h in f["hints"]}
    assert len(hints) == 3
    text = re.sub(r"<[^>]+>", "", body)
    import html

    text = html.unescape(text)
    for message in hints.values():
        assert text.count(message) == 1, message
    ym = spec.for_year(2023)
    fired = {f["rule"] for f in report["findings"]}
    active = {a.id: a for a in (*ym.checks, *ym.rules)}
    named = re.findall(r'href="\.\./regler/(LSS-[A-Z]+\d+)\.html"', body)
    assert len(named) == min(guide.SHOWN, len(fired)) and set(named) <= fired
    for rule in named:
        assert active[rule].title in text and active[rule].message in text
        # the example's own detail for it (what was found and what is expected), and how to put it right
        detail = min((f.get("detail") or f["message"] for f in report["findings"] if f["rule"] == rule), key=len)
        assert detail.rstrip(".") in text, (rule, detail)
        assert getattr(active[rule], "fix", "") in text, rule


def test_spec_text_in_the_common_findings_is_text(spec):
    """A title with markup in it is shown as text (site.plain), not as a link or a tag."""
    import dataclasses

    ym = spec.for_year(2023)
    rules = tuple(dataclasses.replace(a, title="<img src=x onerror=alert(1)> [a](javascript:b)") for a in ym.rules)
    hostile = dataclasses.replace(ym, rules=rules)
    report = {"findings": [{"rule": "LSS-R21", "detail": "x är '1600'; *fet*"}]}
    md = guide.common_findings_md(hostile, report)
    assert "<img" not in md and "](javascript" not in md and "*fet*" not in md


def _hooks():
    pytest.importorskip("mkdocs", reason="mkdocs är inte installerat (pip install lss-rules[test])")
    loaded = importlib.util.spec_from_file_location("lss_docs_hooks_guide", REPO / "docs" / "hooks.py")
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


def test_without_chromium_the_guide_is_built_without_its_images(monkeypatch, caplog):
    """No browser: no stand-in images, the guide's image lines left out (nothing links to a missing file), and
    a message on the hook's own logger, not on mkdocs' (whose warnings fail `mkdocs build --strict`)."""
    hooks = _hooks()
    monkeypatch.setattr(hooks, "CHROMIUM", "/nonexistent/chromium")
    with caplog.at_level("WARNING"):
        assert hooks._want_shots(EXAMPLE) is False
    said = [r for r in caplog.records if "skärmbilder" in r.getMessage()]
    assert said and all(not r.name.startswith("mkdocs") for r in said)
    hooks._shots.clear()
    source = (REPO / "docs" / "guide" / "kommuner.md").read_text(encoding="utf-8")
    page = SimpleNamespace(file=SimpleNamespace(src_uri=hooks.GUIDE))
    out = hooks.on_page_markdown(source, page, {}, None)
    assert "bilder/" in source and "bilder/" not in out


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_the_guide_shows_the_page_in_screenshots_the_build_took(site):
    """Five images of "Granska fil", each with Swedish alt text, each a real screenshot (not the 1x1 stand-in):
    the files chosen, the result, a finding, a phone (390 px at twice the pixels), a finding's trace opened."""
    if not Path("/usr/bin/chromium").exists() or importlib.util.find_spec("playwright") is None:
        pytest.skip("Chromium eller Playwright finns inte: guiden byggs utan skärmbilder")
    body = _guide_body(site)
    images = re.findall(r'<img alt="([^"]+)" src="(bilder/[^"]+\.png)"', body)
    assert sorted(src for _, src in images) == sorted(_hooks().SHOTS), images
    for alt, src in images:
        assert len(alt) > 30 and re.search(r"[åäö]", alt), alt
        width, height = _png_size(site / "guide" / src)
        assert width >= 300 and height >= 100, (src, width, height)
    sizes = {src: _png_size(site / "guide" / src) for _, src in images}
    assert sizes["bilder/granska-mobil.png"][0] == 780  # 390 css px, device scale 2


def test_shots_are_left_out_when_asked(monkeypatch):
    hooks = _hooks()
    monkeypatch.setenv("LSS_DOCS_SHOTS", "0")
    assert hooks._want_shots(EXAMPLE) is False
