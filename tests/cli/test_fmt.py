"""`lss-rules fmt`: canonical, idempotent, every comment kept, semantics unchanged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lss_rules.cli import main
from lss_rules.language.fmt import FormatError, format_text
from lss_rules.language.load import analyse, spec_files

REPO = Path(__file__).resolve().parents[2]
SPEC_FILES = sorted((REPO / "spec").glob("*.lss"))

MESSY = """# rubrik

# om regeln
rule LSS-R99 {   # efter koden
title "x"  severity error from 1999  none from 2020
    # före when
  when ((a = 1) and (b=2 or c=3))
  require not (x + (y - z) > 3) and age(personnummer) between 1 and (2)
}
layout p { fields { a b   # om b
 c } years 1999.., 2001 }
# sist
"""


def _comments(text: str) -> list[str]:
    return [c.strip() for c in re.findall(r'#[^\n"]*$', text, flags=re.M)]


@pytest.mark.parametrize("path", SPEC_FILES, ids=[p.name for p in SPEC_FILES])
def test_spec_is_canonical_and_idempotent(path: Path):
    text = path.read_text(encoding="utf-8")
    once = format_text(text, str(path))
    assert once == text
    assert format_text(once) == once
    assert _comments(once) == _comments(text)


def test_messy_text():
    once = format_text(MESSY)
    assert format_text(once) == once
    assert _comments(once) == _comments(MESSY)
    assert "  when a = 1 and (b = 2 or c = 3)\n" in once
    assert "  severity\n    error from 1999\n    none from 2020\n" in once
    assert "  fields {\n    a\n    b  # om b\n    c\n  }\n" in once
    assert "\n\nlayout p {" in once


def test_parentheses_kept_where_needed():
    text = "rule LSS-R01 {\n  require not (a = 1 and b = 1) or (c = 1 or d = 1) and e - (f + g) > 1\n}\n"
    assert (
        format_text(text)
        == "rule LSS-R01 {\n  require not (a = 1 and b = 1) or (c = 1 or d = 1) and e - (f + g) > 1\n}\n"
    )


def test_semantics_unchanged(tmp_path: Path):
    dst = tmp_path / "spec"
    shutil.copytree(REPO / "spec", dst, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    for f in dst.glob("*.lss"):  # scramble the layout, then format back
        text = f.read_text(encoding="utf-8")
        text = re.sub(r"^(  (?:when|require) .*?) = ", r"\1=", text, flags=re.M)
        f.write_text(re.sub(r"\n  ", "\n      ", text), encoding="utf-8")
    before, d1 = analyse(spec_files(dst))
    assert main(["fmt", str(dst)]) == 0
    after, d2 = analyse(spec_files(dst))
    assert not d1 and not d2
    assert before == after
    original, _ = analyse(spec_files(REPO / "spec"))
    assert after == original
    for f in dst.glob("*.lss"):
        assert f.read_text(encoding="utf-8") == (REPO / "spec" / f.name).read_text(encoding="utf-8")


def test_check_mode(tmp_path: Path, capsys):
    f = tmp_path / "a.lss"
    f.write_text(MESSY, encoding="utf-8")
    assert main(["fmt", "--check", str(f)]) == 1
    assert str(f) in capsys.readouterr().out
    assert f.read_text(encoding="utf-8") == MESSY
    assert main(["fmt", str(f)]) == 0
    assert main(["fmt", "--check", str(f)]) == 0


def test_syntax_error_reported_not_rewritten(tmp_path: Path, capsys):
    f = tmp_path / "a.lss"
    f.write_text("rule LSS-R01 {\n  when = 1\n}\n", encoding="utf-8")
    assert main(["fmt", str(f)]) == 1
    assert f"{f}:2:8: error[E001]" in capsys.readouterr().err
    assert f.read_text(encoding="utf-8") == "rule LSS-R01 {\n  when = 1\n}\n"
    with pytest.raises(FormatError):
        format_text("rule {")


def test_missing_path():
    assert main(["fmt", "/nonexistent/spec"]) == 2


def test_a_line_separator_in_a_comment_keeps_every_comment_in_place():
    """fmt counted lines with str.splitlines (U+2028, \\f, a lone CR … break there, not in the lexer)."""
    from lss_rules.language.fmt import format_text

    src = (REPO / "spec" / "rules.lss").read_text(encoding="utf-8")
    head = src.index("rule LSS-R04 {")
    plain = format_text(src, "rules.lss")
    for char in ("\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\r"):
        comment = f"# a{char}b{char}c\n"
        out = format_text(src[:head] + comment + src[head:], "rules.lss")
        assert out.replace(comment, "") == plain, repr(char)
        assert format_text(out, "rules.lss") == out, repr(char)
