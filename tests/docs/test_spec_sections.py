"""Rule pages show the rule's source as written (highlighted as lss) and its worked examples."""

from __future__ import annotations

from pathlib import Path

from lss_rules.backends.docs.spec_sections import fence, md_text

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


LINE_BREAKS_NOT_LEXED = ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r"]


def test_a_line_separator_in_a_comment_never_shifts_a_rule_page_source(tmp_path):
    """Before: a comment holding U+2028 made `Källtext` show the rule after the one in force (issue 22)."""
    import shutil

    from lss_rules.backends.docs.spec_sections import source_md
    from lss_rules.language.load import load_spec

    for char in LINE_BREAKS_NOT_LEXED:
        folder = tmp_path / f"spec{ord(char)}"
        shutil.copytree(REPO / "spec", folder, ignore=shutil.ignore_patterns("__pycache__", "*.py", "examples"))
        rules = folder / "rules.lss"
        text = rules.read_text(encoding="utf-8")
        head = text.index("rule LSS-R04 {")
        comment = "# anmärkning" + (char + "rad två") * 3 + "\n"
        rules.write_text(text[:head] + comment + text[head:], encoding="utf-8", newline="")
        md = "\n".join(source_md(load_spec(folder), "LSS-R04"))
        assert "```lss\nrule LSS-R04 {\n" in md, (repr(char), md[:400])
        body = md.split("```lss\n", 1)[1].split("\n```", 1)[0]
        assert body.count("rule LSS-") == 1 and body.rstrip().endswith("}"), (repr(char), body)
