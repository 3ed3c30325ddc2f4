"""Highlighting of .lss (Pygments lexer, TextMate grammar) knows every keyword of grammar/lss.lark."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pygments.token import Error, Keyword, Name, Number, Operator, Punctuation, String

from lss_rules.language import highlight
from lss_rules.language.highlight import KEYWORDS, LssLexer, textmate_grammar, textmate_json

REPO = Path(__file__).resolve().parents[2]
GRAMMAR = REPO / "grammar" / "lss.lark"
SPEC_FILES = [*sorted((REPO / "spec").glob("*.lss")), REPO / "tests" / "spec" / "base.lss"]


def grammar_literals() -> set[str]:
    """Every quoted literal of the grammar file, read as text (not through lark)."""
    out: set[str] = set()
    for line in GRAMMAR.read_text(encoding="utf-8").splitlines():
        line = line.split("//", 1)[0]
        line = re.sub(r"/(?:[^/\\\n]|\\.)+/", "", line)  # a terminal's regex is not a literal
        out.update(m.group(1) for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', line))
    return out


def _tokens(text: str) -> list[tuple[int, object, str]]:
    return list(LssLexer(stripnl=False, ensurenl=False).get_tokens_unprocessed(text))


def test_every_literal_of_the_grammar_is_known():
    literals = grammar_literals()
    assert {"rule", "severity", "between", "yes", "<=", ".."} <= literals
    words = {w for w in literals if w.isidentifier()}
    symbols = literals - words
    assert words - KEYWORDS == set()
    assert symbols - highlight.SYMBOLS == set()


@pytest.mark.parametrize("word", sorted(w for w in grammar_literals() if w.isidentifier()))
def test_every_keyword_is_highlighted_where_the_grammar_puts_it(word):
    if word in highlight.DECLARATIONS:
        text = f"{word} x {{\n}}\n"
    elif word in highlight.INLINE:
        text = f"rule LSS-R01 {{\n  require a {word} b\n}}\n"
    else:
        text = f"rule LSS-R01 {{\n  {word} x\n}}\n"
    kinds = {tok for _, tok, value in _tokens(text) if value == word}
    assert kinds and all(k in Keyword for k in kinds), (word, kinds)


def _expected(token_type: str, keyword_terminals: set[str]):
    """The token types (any of) the lexer should give a token of this terminal."""
    if token_type in keyword_terminals or token_type == "BOOL":
        return [Keyword]
    return {
        "NAME": [Name],
        "RULE_ID": [Name],
        "STRING": [String],
        "INT": [Number],
        "MONTHDAY": [Number],
        "CMP_OP": [Operator],
    }.get(token_type, [Operator, Punctuation])


@pytest.mark.parametrize("path", SPEC_FILES, ids=[p.name for p in SPEC_FILES])
def test_lexer_agrees_with_the_parser_on_every_token(path: Path):
    from lark import Lark, Token
    from lark.lexer import PatternStr

    parser = Lark.open_from_package(
        "lss_rules.grammar", "lss.lark", parser="lalr", keep_all_tokens=True, propagate_positions=True
    )
    keyword_terminals = {
        t.name for t in parser.terminals if isinstance(t.pattern, PatternStr) and t.pattern.value.isidentifier()
    }
    text = path.read_text(encoding="utf-8")
    tree = parser.parse(text)
    ours = {start: (tok, value) for start, tok, value in _tokens(text)}
    assert not [v for _, t, v in _tokens(text) if t in Error]
    wrong = []
    for tok in tree.scan_values(lambda v: isinstance(v, Token)):
        got = ours.get(tok.start_pos)
        want = _expected(tok.type, keyword_terminals)
        if got is None or got[1] != str(tok) or not any(got[0] in w for w in want):
            wrong.append((tok.line, tok.column, tok.type, str(tok), got))
        if tok.type == "NAME" and got is not None and got[0] in Keyword:
            wrong.append((tok.line, tok.column, "NAME highlighted as keyword", str(tok), got))
    assert wrong == []


def test_pygments_finds_the_lexer_by_name():
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename

    assert isinstance(get_lexer_by_name("lss"), LssLexer)
    assert isinstance(get_lexer_for_filename("rules.lss"), LssLexer)


def test_textmate_grammar_is_generated_from_the_same_words():
    path = REPO / "editors" / "lss.tmLanguage.json"
    assert path.read_text(encoding="utf-8") == textmate_json(), "kör: python -m lss_rules.language.highlight > " + str(
        path
    )
    g = textmate_grammar()
    patterns = [p for p in g["patterns"] if "match" in p]
    for word in sorted(w for w in grammar_literals() if w.isidentifier()):
        line = f"{word} x" if word in highlight.DECLARATIONS else f"  {word} x"
        inline = f"  require a {word} b"
        hits = [
            p
            for p in patterns
            if (re.search(p["match"], line) or re.search(p["match"], inline))
            and "variable" not in p.get("name", "")
            and "function" not in json.dumps(p)
        ]
        assert hits, word
