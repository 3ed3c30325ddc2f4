"""The Markdown writers every generated page uses (mkdocs' Python-Markdown, mkdocs-material).

Spec text reaches a page only through these: :func:`plain` for inline text, :func:`code` and :func:`fenced` for
code, :func:`nav_title` for a navigation title, :func:`table` for a table (a cell stays one cell); the year spans
(:func:`year_span`, :func:`year_spans`, :func:`year_set`) are written the same way on every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lss_rules.language import model as m


def plain(value: object) -> str:
    r"""Spec text as markdown that renders as exactly that text, never as markup.

    Only the generator's own markup is markup: in spec text (titles, messages, interpretations,
    sources, labels, names) ``&``, ``<`` and ``>`` become entities (no ``<script>``, no
    ``<img onerror>``), markdown's inline punctuation is backslash-escaped (no ``[x](javascript:…)``
    link, no ``__import__`` in bold), so is what would start a heading or a list, ``|`` is an entity
    (a table cell stays one cell) and a line break or other unprintable character is a space (a
    title stays one heading).

    >>> print(plain("<b>__x__</b> [a](javascript:b) | c"))
    &lt;b&gt;\_\_x\_\_&lt;/b&gt; \[a\]\(javascript:b) &#124; c
    >>> print(plain("1. - Lista (ingen) med_understreck"))
    1\. - Lista (ingen) med_understreck
    """
    out = []
    chars = str(value)
    for i, c in enumerate(chars):
        if c in _ENTITIES:
            out.append(_ENTITIES[c])
        elif c == "_" and 0 < i < len(chars) - 1 and chars[i - 1].isalnum() and chars[i + 1].isalnum():
            out.append(c)  # inside a word (personlig_assistans_timmar): never emphasis in Python-Markdown
        elif c in _MARKDOWN_PUNCTUATION:
            out.append("\\" + c)
        elif not c.isprintable():
            out.append(" ")
        else:
            out.append(c)
    text = "".join(out)
    text = re.sub(r"\\\]\(", r"\\]\\(", text)  # belt and braces: no `](` even if a `]` slipped through
    return re.sub(r"^(\s*)([-+]|\d+[.)])", lambda mt: mt.group(1) + mt.group(2)[:-1] + "\\" + mt.group(2)[-1], text)


_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}

_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]#")


def nav_title(value: object) -> str:
    r"""Spec text as a navigation title: one line, and no character HTML could read as markup.

    mkdocs puts a navigation title into the HTML unescaped, and mkdocs-material's ``<title>`` passes
    it through ``striptags``, which turns ``&lt;`` back into ``<`` (``&lt;/title&gt;&lt;script&gt;``
    would end the title and start a script).  So no escaping survives: ``<``, ``>``, ``&`` and the
    quotes are replaced with look-alikes, which no real title uses.

    >>> nav_title('LSS-R01 <b>"x" & y</b>\nZ')
    'LSS-R01 ‹b›”x” ＆ y‹/b› Z'
    """
    text = "".join(c if c.isprintable() else " " for c in str(value))
    return text.translate(_NAV_LOOKALIKES)


_NAV_LOOKALIKES = str.maketrans({"<": "‹", ">": "›", "&": "＆", '"': "”", "'": "’"})


def code(value: object) -> str:
    """Spec text as an inline code span: a fence longer than any run of backticks inside it."""
    body = "".join(c if c.isprintable() else " " for c in str(value))
    longest = max((len(r) for r in _backtick_runs(body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def _backtick_runs(body: str) -> list[str]:
    return re.findall(r"`+", body)


def fenced(lines: Iterable[str], lang: str = "text") -> list[str]:
    """A fenced code block whose fence no line of ``lines`` can close (spec text may hold backticks)."""
    lines = ["".join(c if c.isprintable() else " " for c in line) for line in lines]
    longest = max((len(r) for line in lines for r in _backtick_runs(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{lang}", *lines, fence]


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(head: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = list(head)
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def year_set(ys: m.YearSet) -> str:
    parts = []
    for r in ys.ranges:
        if r.last is None:
            parts.append(f"{r.first}–")
        elif r.last == r.first:
            parts.append(str(r.first))
        else:
            parts.append(f"{r.first}–{r.last}")
    return ", ".join(parts)


def year_span(first: int, last: int | None) -> str:
    if last is None:
        return f"{first}–"
    return str(first) if first == last else f"{first}–{last}"


def year_spans(years: list[int]) -> str:
    if not years:
        return "inga år"
    out: list[tuple[int, int]] = []
    for y in sorted(years):
        if out and out[-1][1] == y - 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return ", ".join(year_span(a, b) for a, b in out)
