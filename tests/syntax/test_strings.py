"""String literals and located diagnostics: escapes read in one pass, lines counted as the parser counts them."""

from __future__ import annotations

from pathlib import Path

from lss_rules.language.diagnostics import render
from lss_rules.language.load import analyse

BASE = Path(__file__).resolve().parents[1] / "spec" / "base.lss"


def _spec(tmp_path: Path, old: str, new: str) -> Path:
    text = BASE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "spec.lss"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _first_title(tmp_path: Path, literal: str) -> str:
    text = BASE.read_text(encoding="utf-8")
    start = text.index('title "', text.index("rule LSS-R01")) + len("title ")
    end = text.index("\n", start)
    spec, diags = analyse([_spec(tmp_path, text[start:end], literal)])
    assert diags == [] and spec is not None
    return spec.item("LSS-R01").title.sv


def test_escaped_backslash_before_n_is_a_backslash_and_an_n(tmp_path):
    """Before: ``\\\\n`` became a backslash and a line break (the escapes were replaced in the wrong order)."""
    assert _first_title(tmp_path, r'"a\\nb"') == "a\\nb"
    assert _first_title(tmp_path, r'"a\nb"') == "a\nb"
    assert _first_title(tmp_path, r'"a\"b\\"') == 'a"b\\'
    assert _first_title(tmp_path, r'"\\\\\n"') == "\\\\\n"


def test_line_separator_in_a_string_keeps_the_caret_under_the_right_line(tmp_path):
    """Before: U+2028 in a string made ``check`` show the line after the one the parser meant."""
    text = BASE.read_text(encoding="utf-8")
    start = text.index('title "', text.index("rule LSS-R01")) + len("title ")
    end = text.index("\n", start)
    path = _spec(tmp_path, text[start:end], '"a\u2028b\u0085c"')
    path.write_text(path.read_text(encoding="utf-8") + "\nrule LSS-R99 { title oops }\n", encoding="utf-8")
    _, diags = analyse([path])
    assert diags and diags[0].code == "E001"
    shown = render(diags[0]).splitlines()
    assert "rule LSS-R99 { title oops }" in shown[1]
    caret = shown[2].index("^")
    assert shown[1][caret : caret + 4] == "oops"
    assert "\u2028" not in render(diags[0])
