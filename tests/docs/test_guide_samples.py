"""The spec editors' guide's sample outputs are made by the build, never pasted (issue 26).

Every console block of docs/guide/spec-editors.md follows a ``<!-- lss-utdata … -->`` comment and holds
only its command lines; the docs hook (``on_page_markdown``) runs them on an edited copy of the spec
(:mod:`lss_rules.cli.guide`).  Before, the outputs were pasted and had gone stale (an E005 said "gäller samma
år", line 278 had become 309).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from lss_rules.cli.guide import MARK, GuideError, fill_samples
from lss_rules.language.load import default_spec_dir

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "guide" / "spec-editors.md"
TYPO = (
    "Skriver du fel:\n\n<!-- lss-utdata\n"
    'ersätt "    1488 from 2022\\n" med "    1488 from 2022\\n    1600 form 2027\\n" i spec/rules.lss\n'
    "-->\n```console\n$ lss-rules check\nen gammal inklistrad utdata\n```\n"
)


def test_a_sample_is_made_by_running_its_command():
    page = fill_samples(TYPO, default_spec_dir())
    assert "en gammal inklistrad utdata" not in page and MARK not in page
    body = page.split("```console\n", 1)[1].split("```", 1)[0].split("\n")
    assert body[0] == "$ lss-rules check"
    assert re.fullmatch(r"spec/rules\.lss:\d+:10: error\[E001\]: oväntat `form`", body[2]), body
    assert "  = tips: menade du `from`?" in body and body[-2] == "spec: 1 fel"


def test_a_changed_message_changes_the_guide(monkeypatch):
    from lss_rules.language import parsing

    monkeypatch.setattr(parsing, "_token_text", lambda tok: f"«{tok.value}»")
    page = fill_samples(TYPO, default_spec_dir())
    assert "error[E001]: oväntat «form»" in page


def test_an_edit_that_no_longer_applies_fails_the_build():
    stale = TYPO.replace("1488 from 2022", "1487 from 2022")
    with pytest.raises(GuideError, match="har inte texten"):
        fill_samples(stale, default_spec_dir())
    outside = TYPO.replace("i spec/rules.lss", "i ../rules.lss")
    with pytest.raises(GuideError, match="bara filer i sin kopia"):
        fill_samples(outside, default_spec_dir())


def test_a_sample_can_make_the_file_it_explains():
    """``lägg till … sist i FIL`` makes FIL when it is not there: ``explain --line`` on a line of it."""
    sample = (
        '<!-- lss-utdata\nlägg till "0114;198001012384;1;0;;0;;1;0;;0;;1;0;0;0;0;;0\\n" sist i 0114.txt\n-->\n'
        "```console\n$ lss-rules explain LSS-R04 --year 2023 --line 0114.txt:1\n```\n"
    )
    page = fill_samples(sample, default_spec_dir())
    assert "Fynd: ja" in page and "personen fyller 43 år 2023 (född 1980)" in page


def test_the_guide_pastes_no_output():
    text = GUIDE.read_text(encoding="utf-8")
    blocks = list(re.finditer(r"^```console\n(?P<body>.*?)^```$", text, re.M | re.S))
    assert len(blocks) >= 12
    for b in blocks:
        lines = b.group("body").rstrip("\n").split("\n")
        assert all(line.startswith("$ lss-rules ") for line in lines), b.group("body")
        assert text[: b.start()].endswith("-->\n"), b.group()  # after its <!-- lss-utdata … -->


def test_the_municipality_section_as_built():
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("\n## En kommunkod ändras\n")
    section = text[start : text.index("\n## ", start + 1)]
    page = fill_samples(section, default_spec_dir())
    assert "spec/data/kommuner.csv:30:22: error[E006]: kommunkoden 0330 (Knivsta) gäller till och med 2026" in page
    assert "   30 | 0330,Knivsta,03,2003,2026\n      |                      ^^^^\n" in page
    assert "spec: inga fel — 4 filer" in page and "Traceback" not in page


def test_the_hook_fills_a_marked_page():
    pytest.importorskip("mkdocs", reason="mkdocs är inte installerat (pip install lss-rules[test])")
    spec = importlib.util.spec_from_file_location("lss_docs_hooks_guide", REPO / "docs" / "hooks.py")
    assert spec is not None and spec.loader is not None
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    hooks._spec_dir[:] = [default_spec_dir()]
    assert hooks.on_page_markdown("# Sida\n", None, None, None) == "# Sida\n"
    assert "error[E001]" in hooks.on_page_markdown(TYPO, None, None, None)


@pytest.mark.slow
def test_every_sample_of_the_guide_is_made():
    page = fill_samples(GUIDE.read_text(encoding="utf-8"), default_spec_dir())
    assert MARK not in page and "Traceback" not in page
    for body in re.findall(r"^```console\n(.*?)^```$", page, re.S | re.M):
        assert len(body.rstrip("\n").split("\n")) > 1, body  # each command printed something
