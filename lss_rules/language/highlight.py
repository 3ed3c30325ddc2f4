"""Syntax highlighting for ``.lss``, derived from the grammar: a Pygments lexer and a TextMate grammar.

The keywords are not written here: they are read from ``grammar/lss.lark``
(through lark, as the parser reads it), so a keyword added to the grammar is
highlighted without a change to this module.  The grammar's keywords are
contextual (``personnummer`` is a type after ``type`` and a field elsewhere,
``count`` a type and a function), so they are sorted by where the grammar puts
them:

- *declarations*: the first word of a top-level item (``rule``, ``field``…);
- *leading* words: the first word of a property or type (``title``,
  ``severity``, ``municipality``…), highlighted at the start of a line, and
  after ``type``;
- *inline* words: a keyword anywhere else in a rule, or one that starts a
  condition (``when``, ``from``, ``and``, ``not``, ``between``…), highlighted
  wherever they stand.

Pygments finds the lexer by the name ``lss`` through the entry point
``pygments.lexers`` (pyproject.toml), so mkdocs' ``pymdownx.highlight`` uses it
for fenced code marked ``lss``.  ``editors/lss.tmLanguage.json`` is written by
:func:`textmate_grammar` (``python -m lss_rules.language.highlight > editors/lss.tmLanguage.json``);
a test keeps it equal to what this module writes.

>>> "severity" in LEADING and "between" in INLINE and "rule" in DECLARATIONS
True
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any, ClassVar

from pygments.lexer import RegexLexer, bygroups, include
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)


@functools.cache
def grammar_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(declarations, leading, inline, symbols): the grammar's keyword literals by position."""
    from lark import Lark
    from lark.grammar import NonTerminal, Terminal
    from lark.lexer import PatternStr

    parser = Lark.open_from_package("lss_rules.grammar", "lss.lark", parser="lalr")
    literal = {t.name: t.pattern.value for t in parser.terminals if isinstance(t.pattern, PatternStr)}
    decl_rules = {
        r.expansion[0].name for r in parser.rules if r.origin.name == "item" and isinstance(r.expansion[0], NonTerminal)
    }
    # the rules of conditions: a keyword that starts one (`not`) stands inside a line
    in_expr = {"expr"}
    grew = True
    while grew:
        grew = False
        for r in parser.rules:
            if r.origin.name in in_expr:
                for sym in r.expansion:
                    if isinstance(sym, NonTerminal) and sym.name not in in_expr:
                        in_expr.add(sym.name)
                        grew = True
    decl: set[str] = set()
    leading: set[str] = set()
    inline: set[str] = set()
    symbols: set[str] = set()
    for r in parser.rules:
        for i, sym in enumerate(r.expansion):
            if not isinstance(sym, Terminal) or sym.name not in literal:
                continue
            text = literal[sym.name]
            if not text.isidentifier():
                symbols.add(text)
            elif i == 0 and r.origin.name in decl_rules:
                decl.add(text)
            elif i == 0 and r.origin.name not in in_expr:
                leading.add(text)
            else:
                inline.add(text)
    for t in parser.terminals:  # literal alternatives of a terminal: BOOL = "yes" | "no", CMP_OP = "<=" | …
        alts = re.fullmatch(r"\(\?:([^()\[\]*+?\\]+)\)", t.pattern.value)
        if isinstance(t.pattern, PatternStr) or alts is None:
            continue
        for text in alts.group(1).split("|"):
            (inline if text.isidentifier() else symbols).add(text)
    return frozenset(decl), frozenset(leading - decl), frozenset(inline), frozenset(symbols)


DECLARATIONS, LEADING, INLINE, SYMBOLS = grammar_words()


def _alt(names: frozenset[str] | list[str]) -> str:
    """An alternation of literals, longest first (so ``<=`` wins over ``<``)."""
    return "|".join(re.escape(n) for n in sorted(names, key=lambda s: (-len(s), s)))


KEYWORDS = DECLARATIONS | LEADING | INLINE

_WORD = r"[a-z_][a-z0-9_]*"
_RULE_ID = r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+"
_STRING = r'"(?:[^"\\\n]|\\["\\n])*"'
_OPS = sorted((s for s in SYMBOLS if s not in "{}(),"), key=len, reverse=True)
_CMP = ["<=", ">=", "!=", "=", "<", ">"]


class LssLexer(RegexLexer):
    """Pygments lexer for the lss-rules specification language (``.lss``)."""

    name = "LSS"
    aliases: ClassVar[list[str]] = ["lss", "lss-rules"]
    filenames: ClassVar[list[str]] = ["*.lss"]
    mimetypes: ClassVar[list[str]] = ["text/x-lss"]
    url = "https://github.com/"

    tokens: ClassVar[dict[str, Any]] = {
        "root": [
            (
                r"^(" + _alt(DECLARATIONS) + r")([ \t]+)(" + _RULE_ID + r"|" + _WORD + r")",
                bygroups(Keyword.Declaration, Whitespace, Name.Class),
            ),
            (r"^([ \t]*)(type)([ \t]+)(" + _WORD + r")", bygroups(Whitespace, Keyword, Whitespace, Keyword.Type)),
            (r"^([ \t]*)(fields)(\s*)(\{)", bygroups(Whitespace, Keyword, Whitespace, Punctuation), "names"),
            (r"^([ \t]*)(" + _alt(LEADING | DECLARATIONS) + r")\b", bygroups(Whitespace, Keyword)),
            include("common"),
            (r"\b(?:" + _alt(INLINE) + r")\b", Keyword),
            (r"(" + _WORD + r")(\s*)(\()", bygroups(Name.Function, Whitespace, Punctuation)),
            (_WORD, Name),
            (_alt(_OPS), Operator),
            (r"[{}(),]", Punctuation),
        ],
        "names": [
            include("common"),
            (r"\}", Punctuation, "#pop"),
            (_WORD, Name.Variable),
        ],
        "common": [
            (r"\n", Whitespace),
            (r"[ \t\r\f]+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (_STRING, String.Double),
            (_RULE_ID, Name.Label),
            (r"[0-9]{2}-[0-9]{2}(?![0-9])", Number.Other),
            (r"[0-9]+", Number.Integer),
        ],
    }

    def analyse_text(text: str) -> float:  # pygments calls it without self
        return 0.3 if re.search(r"^rule LSS-R\d+ \{", text, re.M) else 0.0


# keep Text importable for callers that map tokens by name
__all__ = ["DECLARATIONS", "INLINE", "KEYWORDS", "LEADING", "LssLexer", "Text", "textmate_grammar"]


def textmate_grammar() -> dict[str, Any]:
    """The TextMate grammar (editors/lss.tmLanguage.json) with the same keywords as the lexer."""
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "LSS",
        "scopeName": "source.lss",
        "fileTypes": ["lss"],
        "comment": "Genererad av lss_rules.language.highlight från grammar/lss.lark; redigera inte för hand.",
        "patterns": [
            {"include": "#comment"},
            {"include": "#string"},
            {
                "match": rf"^({_alt(DECLARATIONS)})\s+([a-z_][a-z0-9_]*|{_RULE_ID})",
                "captures": {"1": {"name": "keyword.declaration.lss"}, "2": {"name": "entity.name.lss"}},
            },
            {
                "match": r"\b(type)\s+([a-z_][a-z0-9_]*)",
                "captures": {"1": {"name": "keyword.other.lss"}, "2": {"name": "storage.type.lss"}},
            },
            {
                "begin": r"\b(fields)\s*(\{)",
                "beginCaptures": {"1": {"name": "keyword.other.lss"}, "2": {"name": "punctuation.section.lss"}},
                "end": r"\}",
                "endCaptures": {"0": {"name": "punctuation.section.lss"}},
                "patterns": [{"include": "#comment"}, {"match": r"[a-z_][a-z0-9_]*", "name": "variable.other.lss"}],
            },
            {
                "match": rf"^\s*({_alt(LEADING | DECLARATIONS)})\b",
                "captures": {"1": {"name": "keyword.other.lss"}},
            },
            {"match": rf"\b({_alt(INLINE)})\b", "name": "keyword.operator.word.lss"},
            {
                "match": r"\b([a-z_][a-z0-9_]*)\s*(?=\()",
                "captures": {"1": {"name": "entity.name.function.lss"}},
            },
            {"match": _RULE_ID, "name": "constant.other.rule-id.lss"},
            {"match": r"\b[0-9]{2}-[0-9]{2}\b", "name": "constant.numeric.date.lss"},
            {"match": r"\b[0-9]+\b", "name": "constant.numeric.integer.lss"},
            {"match": _alt(_OPS), "name": "keyword.operator.lss"},
            {"match": r"[a-z_][a-z0-9_]*", "name": "variable.other.lss"},
        ],
        "repository": {
            "comment": {"match": r"#.*$", "name": "comment.line.number-sign.lss"},
            "string": {"match": _STRING, "name": "string.quoted.double.lss"},
        },
    }


def textmate_json() -> str:
    return json.dumps(textmate_grammar(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(textmate_json())
