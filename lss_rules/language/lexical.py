"""The little of the language that is read without lark: string literals, comments and ``file "…"``.

The validator cache (:mod:`lss_rules.backends.python.cache`) keys an entry by the spec's bytes *and* the bytes of
every dataset the spec declares, so that a cache hit, which must not load the parser, still knows
which dataset files to hash (an entry's own list of them was once trusted: a manifest ``{}`` checked
none).  :func:`declared_files` finds them with the terminals of ``grammar/lss.lark`` itself
(``STRING``, ``COMMENT`` and the keyword of ``ds_file``), so the language is written once.  It may
find more than the parser does (a ``file "…"`` in a comment or a string), never less on a spec that
parses: the cache checks that against the parser's datasets before it writes an entry.

>>> from importlib.resources import files
>>> grammar = files("lss_rules.grammar").joinpath("lss.lark").read_text(encoding="utf-8")
>>> declared_files(['dataset k { file # the table\\n "data/k.csv" label "a file" }'], grammar)
('data/k.csv',)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_ESCAPE = re.compile(r'\\(["\\n])')


def unquote(literal: str) -> str:
    r"""The value of a string literal: ``\n``, ``\"`` and ``\\`` read left to right, in one pass.

    (Replacing them one kind after the other turned ``\\n`` — a backslash, then n — into a backslash
    and a line break.)
    """
    return _ESCAPE.sub(lambda mt: "\n" if mt.group(1) == "n" else mt.group(1), literal[1:-1])


def _terminal(grammar: str, name: str) -> str | None:
    found = re.search(rf"^{name}:\s*/(.+)/\s*$", grammar, re.MULTILINE)
    return found.group(1) if found else None


@functools.lru_cache(maxsize=2)
def _scanner(grammar: str) -> tuple[re.Pattern[str], str] | None:
    """What may follow the ``file`` keyword (blanks, comments, then a string literal), and the keyword."""
    string, comment = (_terminal(grammar, t) for t in ("STRING", "COMMENT"))
    keyword = re.search(r'"(\w+)"\s+STRING\s+->\s*ds_file\b', grammar)
    if string is None or comment is None or keyword is None:
        return None
    return re.compile(rf"(?:\s|{comment})*({string})"), keyword.group(1)


def declared_files(texts: Iterable[str], grammar: str) -> tuple[str, ...] | None:
    """Every string literal that follows the keyword ``file`` in the spec texts (in order, once each).

    Each occurrence of the keyword's letters is looked at, wherever it is (in a word, a string, a
    comment): the real keyword is among them, and what follows it to the string literal — blanks and
    comments — reads the same from there as the parser reads it.  The rest only adds candidates
    (``file "x"`` in a comment), which are hashed too.  None when the grammar lacks the terminals this
    needs (then nothing is cached on disk).
    """
    scanner = _scanner(grammar)
    if scanner is None:
        return None
    after, keyword = scanner
    found: dict[str, None] = {}
    for text in texts:
        at = text.find(keyword)
        while at >= 0:
            literal = after.match(text, at + len(keyword))
            if literal is not None:
                found[unquote(literal.group(1))] = None
            at = text.find(keyword, at + 1)
    return tuple(found)
