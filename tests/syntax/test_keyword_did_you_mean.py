"""A misspelled keyword or property gets a did-you-mean, like a misspelled name (issue 26).

The words come from the grammar's own terminals (lark's expected set at the error), never a hand list:
every keyword that begins a line of the installed spec is misspelled in turn, and the error's hint names it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lss_rules.language.diagnostics import Diagnostics, render
from lss_rules.language.syntax import parse_decls, parser

REPO = Path(__file__).resolve().parents[2]
KEYWORDS = {
    t.pattern.value for t in parser().terminals if t.pattern.type == "str" and re.fullmatch(r"[a-z_]+", t.pattern.value)
}


def _lines() -> list[tuple[str, int, str]]:
    """(file, line number, keyword) for every line of the installed spec that begins with a keyword."""
    out = []
    for path in sorted((REPO / "spec").glob("*.lss")):
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            word = re.match(r"\s*([a-z_]+)\s+\S", line)  # a keyword with more after it (not a name in a list)
            if word and word.group(1) in KEYWORDS and len(word.group(1)) >= 4:
                out.append((path.name, n, word.group(1)))
    return out


def _misspelled(word: str) -> str:
    """The word with its second letter dropped (`message` → `mssage`), or doubled if that is a keyword."""
    wrong = word[0] + word[2:]
    return wrong if wrong not in KEYWORDS else word[:2] + word[1:]


CASES = _lines()
FIRST_WORDS = sorted({kw for _, _, kw in CASES})


def test_the_cases_cover_declarations_properties_and_types():
    assert {"rule", "field", "parameter", "message", "severity", "label", "collected", "type"} <= set(FIRST_WORDS)


@pytest.mark.parametrize("keyword", FIRST_WORDS)
def test_each_keyword_misspelled_is_proposed(keyword):
    """The first line of the spec that begins with ``keyword``, misspelled: E001 there, hint names it."""
    name, n, _ = next(c for c in CASES if c[2] == keyword)
    lines = (REPO / "spec" / name).read_text(encoding="utf-8").split("\n")
    wrong = _misspelled(keyword)
    lines[n - 1] = lines[n - 1].replace(keyword, wrong, 1)
    diags = Diagnostics()
    parse_decls("\n".join(lines), name, diags)
    at = [d for d in diags.items if d.pos.line == n]
    assert at and at[0].code == "E001", diags.items
    assert at[0].hint == f"menade du `{keyword}`?", render(at[0], "\n".join(lines))


def test_the_expected_words_stay_as_a_note():
    text = (REPO / "tests" / "spec" / "base.lss").read_text(encoding="utf-8").replace('  message "M', '  mesage "M', 1)
    diags = Diagnostics()
    parse_decls(text, "spec.lss", diags)
    (d,) = diags.items
    assert d.message == "oväntat `mesage`" and d.hint == "menade du `message`?"
    assert d.notes and d.notes[0].startswith("här väntades ") and "`message`" in d.notes[0]
    assert d.pos.end_column - d.pos.column == len("mesage")  # the caret under the whole word
