"""The LALR parser of the spec language and its syntax errors: where, what was found, what was expected.

Split from :mod:`lss_rules.language.syntax` (which turns the tree into declarations): building the parser
from the packaged grammar, parsing one file or piece of it, and saying a syntax error in Swedish — the
position, the token found, the grammar's own expected set in words, and for a misspelled keyword or
property the closest word of that set (``mesage`` → "menade du `message`?"), never a hand-written list.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from lss_rules.language import model as m
from lss_rules.language.diagnostics import Diagnostic, Diagnostics, did_you_mean

# Human names for terminals in "expected ..." messages.
_TERMINALS = {
    "NAME": "ett namn",
    "RULE_ID": "ett id (t.ex. LSS-R04)",
    "INT": "ett heltal",
    "STRING": 'en sträng inom "…"',
    "MONTHDAY": "ett datum MM-DD",
    "BOOL": "yes eller no",
    "CMP_OP": "en jämförelse (=, !=, <, <=, >, >=)",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "COMMA": "`,`",
    "PLUS": "`+`",
    "MINUS": "`-`",
    "$END": "filens slut",
}


def build_parser(lexer_callbacks: dict[str, Any] | None = None) -> Lark:
    """An LALR parser from the packaged grammar (``fmt`` adds a callback that keeps comments)."""
    return Lark.open_from_package(
        "lss_rules.grammar",
        "lss.lark",
        ("",),
        parser="lalr",
        strict=True,
        propagate_positions=True,
        maybe_placeholders=True,
        lexer_callbacks=lexer_callbacks or {},
    )


@functools.cache
def parser() -> Lark:
    """The LALR parser, built once per process."""
    return build_parser()


def _describe_expected(expected: set[str]) -> str:
    p = parser()
    names = []
    for term in sorted(expected):
        if term in _TERMINALS:
            names.append(_TERMINALS[term])
            continue
        try:
            pattern = p.get_terminal(term).pattern
        except KeyError:
            names.append(term)
            continue
        if pattern.type == "str":
            names.append(f"`{pattern.value}`")
        else:
            names.append(term)
    names = sorted(set(names))
    if len(names) > 8:
        names = [*names[:8], "…"]
    return ", ".join(names)


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _keywords(expected: set[str]) -> list[str]:
    """The words among the terminals the parser would accept here: the keywords and properties of this
    place in the grammar (lark's expected set), never a hand-written list."""
    p = parser()
    words = []
    for term in expected:
        try:
            pattern = p.get_terminal(term).pattern
        except KeyError:
            continue
        if pattern.type == "str" and _WORD.fullmatch(pattern.value):
            words.append(pattern.value)
    return words


@functools.cache
def _all_keywords() -> frozenset[str]:
    return frozenset(_keywords({t.name for t in parser().terminals}))


def _closest_keyword(found: str, expected: set[str]) -> str | None:
    """The hint for a word the grammar does not accept here: the closest keyword it does, if one is close."""
    if not _WORD.fullmatch(found):
        return None
    keywords = _keywords(expected)
    if found in keywords:  # pragma: no cover - an accepted word is no error
        return None
    return did_you_mean(found, keywords)


def _misread_property(text: str, line: int, column: int) -> tuple[str, int, str] | None:
    """A misspelled property the parser took as a value (the word at the start of line ``line``, before the
    error at ``column``): ``severity error from 2000`` then ``rquire …`` reads ``rquire`` as the next value
    and fails at the token after it.  The word, its column and the closest keyword the grammar accepts
    where the word begins (lark's expected set there), or None."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    word = re.match(r"[ \t]*([A-Za-z_][A-Za-z0-9_]*)", lines[line - 1])
    if word is None or word.end(1) >= column or word.group(1) in _all_keywords():
        return None
    start = sum(len(ln) + 1 for ln in lines[: line - 1]) + word.start(1)
    try:
        ip = parser().parse_interactive(text[:start])
        ip.exhaust_lexer()
        accepts = set(ip.accepts())
    except UnexpectedInput:
        return None
    closest = _closest_keyword(word.group(1), accepts)
    return (word.group(1), word.start(1) + 1, closest) if closest is not None else None


def _token_text(tok: Token) -> str:
    if tok.type == "$END":
        return "filens slut"
    return f"`{tok.value}`"


_UNCLOSED = "blocket som börjar här stängs aldrig med `}`"


def unclosed_block(text: str) -> tuple[int, int] | None:
    """Where the block left open begins (line, column of its ``{``), if braces do not balance.

    Strings and comments are skipped.  A ``}`` indented less than the line that opened the
    block it closes means that block lost its own ``}`` (the outer one's closed it): that block
    is the one left open.  Otherwise the innermost ``{`` never closed.
    """
    stack: list[tuple[int, int, int]] = []  # line, column, indentation of the opening line
    mismatched: tuple[int, int] | None = None
    for number, line in enumerate(text.split("\n"), 1):
        indent = len(line) - len(line.lstrip(" "))
        quote = False
        escaped = False
        for col, ch in enumerate(line, 1):
            if quote:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    quote = False
            elif ch == '"':
                quote = True
            elif ch == "#":
                break
            elif ch == "{":
                stack.append((number, col, indent))
            elif ch == "}" and stack:
                opened = stack.pop()
                if opened[2] > indent and mismatched is None:
                    mismatched = opened[:2]
    if not stack:
        return None
    return mismatched or stack[-1][:2]


#: How deep a condition may nest (docs/reference/language.md): each ``and``, ``or``, ``not``, comparison,
#: ``between``, ``in``, ``+``, ``-`` and function call is a level, parentheses are not.  Every pass after
#: the parser (lowering, checks, truth, the evaluator, the IR, the Python and JavaScript printers, the words
#: of the docs, ``fmt``) walks a condition recursively, and Python's own parser refuses 200 nested
#: parentheses: 500 chained ``and``s ended in RecursionError, 210 nested ``-`` passed ``check`` and broke
#: ``validate``.  A real condition nests a few levels; the limit leaves every pass a wide margin.
MAX_DEPTH = 64

#: the nodes of a condition that are a level (a name or a literal is none)
_LEVELS = frozenset({"e_or", "e_and", "e_not", "e_compare", "e_between", "e_member", "e_add", "e_sub", "e_call"})


def too_deep(tree: Tree, filename: str, first_line: int = 1) -> Diagnostic | None:
    """E010 at the first condition of ``tree`` that nests more than :data:`MAX_DEPTH` levels, else None.

    Measured without recursion (a condition of any depth is measured), before anything walks it.
    """
    stack: list[tuple[Tree, int, Tree | None]] = [(tree, 0, None)]  # node, levels above it, its condition
    worst: dict[int, tuple[int, Tree]] = {}  # id of a condition's top node -> (its depth, the node)
    while stack:
        node, above, top = stack.pop()
        level = above + (node.data in _LEVELS)
        if top is None and level:
            top = node
        if top is not None and level > worst.get(id(top), (0, top))[0]:
            worst[id(top)] = (level, top)
        stack.extend((c, level, top) for c in reversed(node.children) if isinstance(c, Tree))
    deep = [(top.meta.line, top.meta.column, depth) for depth, top in worst.values() if depth > MAX_DEPTH]
    if not deep:
        return None
    line, column, depth = min(deep)
    return Diagnostic(
        "E010",
        f"villkoret är nästlat i {depth} nivåer; ett villkor får ha högst {MAX_DEPTH}",
        m.Pos(filename, first_line - 1 + line, column),
        "skriv villkoret med färre nivåer: varje and, or, not, jämförelse, +, - och funktionsanrop är en "
        "nivå, parenteser räknas inte",
    )


def _end_of(text: str) -> tuple[int, int]:
    """Line and column just after the last character of the last line, lines counted as the lexer counts
    them: at ``\\n`` only (``str.splitlines`` also breaks at U+2028, U+0085, ``\\r``, ``\\f`` …)."""
    text = text.removesuffix("\n").removesuffix("\r") if text.endswith("\n") else text
    return text.count("\n") + 1, len(text) - text.rfind("\n")


def parse_tree(text: str, filename: str, diags: Diagnostics, first_line: int = 1) -> Tree | None:
    """Parse one file (or one piece of it whose first line is line ``first_line`` of the file); on a syntax
    error add an E001 diagnostic, on a condition nested too deep an E010 (:func:`too_deep`), and return
    None.  Positions in the tree are the piece's own."""
    try:
        tree = parser().parse(text)
    except UnexpectedInput as exc:
        closest: str | None = None  # a misspelled keyword's did-you-mean
        line = getattr(exc, "line", 0) or 0
        column = getattr(exc, "column", 0) or 0
        if isinstance(exc, UnexpectedToken):
            tok = exc.token
            if tok.type == "$END":
                (line, column), message = _end_of(text), "filen tar slut mitt i en deklaration"
                opened = unclosed_block(text)
                if opened is not None:
                    (line, column), message = opened, _UNCLOSED
            else:
                message = f"oväntat {_token_text(tok)}"
                closest = _closest_keyword(str(tok.value), set(exc.accepts or exc.expected))
                if closest is None and (misread := _misread_property(text, line, column)) is not None:
                    word, column, closest = misread
                    message = f"oväntat `{word}`"
            expected = _describe_expected(set(exc.accepts or exc.expected))
        elif isinstance(exc, UnexpectedCharacters):
            at = exc.pos_in_stream or 0
            ch = text[at] if at < len(text) else ""
            message = f"oväntat tecken {ch!r}"
            if (found := _WORD.match(text, at)) is not None:
                closest = _closest_keyword(found.group(), set(exc.allowed or ()))
                if closest is not None:
                    message = f"oväntat `{found.group()}`"
            expected = _describe_expected(set(exc.allowed or ()))
        elif isinstance(exc, UnexpectedEOF):
            (line, column), message = _end_of(text), "filen tar slut mitt i en deklaration"
            opened = unclosed_block(text)
            if opened is not None:
                (line, column), message = opened, _UNCLOSED
            expected = _describe_expected(set(exc.expected or ()))
        else:  # pragma: no cover - lark has no other subclasses today
            message = "syntaxfel"
            expected = ""
        hint = f"här väntades {expected}" if expected else None
        if message == _UNCLOSED:
            hint = "lägg till `}` där blocket slutar"
        pos = m.Pos(filename, first_line - 1 + max(line, 1), max(column, 1))
        if closest is not None:  # the did-you-mean is the hint (as for a name), the expected set a note
            notes = (f"här väntades {expected}",) if expected else ()
            end = pos.column + len(message.removeprefix("oväntat `").removesuffix("`"))
            pos = m.Pos(pos.file, pos.line, pos.column, pos.line, end)
            diags.items.append(Diagnostic("E001", message, pos, closest, notes=notes))
            return None
        diags.error("E001", message, pos, hint)
        return None
    deep = too_deep(tree, filename, first_line)
    if deep is not None:  # the declaration is left out, as one that does not parse
        diags.items.append(deep)
        return None
    return tree
