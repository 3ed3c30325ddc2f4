"""Rule pages show the rule's source as written (highlighted as lss) and its worked examples."""

from __future__ import annotations

from pathlib import Path

from lss_rules.backends.docs_spec import fence, md_text

REPO = Path(__file__).resolve().parents[2]


def test_every_rule_page_has_its_source_and_examples(generated, spec):
    for ident in spec.ids:
        md = generated[f"regler/{ident}.md"]
        kind = "check" if ident.startswith("LSS-S") else "rule"
        assert "## Källtext" in md and f"```lss\n{kind} {ident} {{\n" in md, ident
        assert "### Räknade exempel" in md and f"spec/examples/{ident}.yaml" in md, ident
    r04 = generated["regler/LSS-R04.md"]
    assert "**fyller 11 under året** (2002)" in r04
    assert "| LSS\\-R04 | 0114.txt | 1 | fel |" in r04


def test_spec_text_is_escaped_and_fenced():
    assert md_text("<script>|x*") == "&lt;script&gt;\\|x\\*"
    assert fence(["a ``` b"], "lss") == ["````lss", "a ``` b", "````"]


def test_site_highlights_spec_excerpts(site):
    page = (site / "regler" / "LSS-R21.html").read_text(encoding="utf-8")
    assert 'class="language-lss highlight"' in page or 'class="highlight"' in page
    assert '<span class="kd">rule</span>' in page  # Keyword.Declaration from the lss lexer
    lang = (site / "reference" / "language.html").read_text(encoding="utf-8")
    assert '<span class="kd">register</span>' in lang and '<span class="k">severity</span>' in lang
