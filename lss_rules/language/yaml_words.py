"""PyYAML's syntax errors in Swedish, with where to look and what to do (the worked examples' E020).

PyYAML says what its parser expected in English and in its own terms ("expected <block end>, but found
'<block mapping start>'"); a spec editor gets a sentence in Swedish about the file as written — an
indentation that does not line up, a colon inside a value, a tab — and a hint.  The position is PyYAML's
mark (``problem_mark``, where it stopped), which :mod:`lss_rules.language.examples` turns into
``FILE:LINE:COL`` with the source line and a caret like every diagnostic.  A problem not listed here gets a
general Swedish sentence, never the English one.

>>> swedish("expected <block end>, but found '<block mapping start>'", "while parsing a block collection")[0]
'indraget stämmer inte med raderna ovanför'
"""

from __future__ import annotations

import re

_INDENT_HINT = (
    "en nyckel står på samma indrag som de andra nycklarna i sin mappning (samma antal blanksteg), och ett "
    "listelement (`- `) på samma indrag som de andra i listan"
)

#: (pattern over PyYAML's ``problem``, message, hint): the first that matches is used
_PROBLEMS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(p), message, hint)
    for p, message, hint in (
        (r"^expected <block end>, but found", "indraget stämmer inte med raderna ovanför", _INDENT_HINT),
        (
            r"^mapping values are not allowed here",
            "ett kolon (`:`) där inget värde får börja: oftast ett för stort indrag eller `: ` inne i ett värde",
            'rätta indraget, eller sätt värdet inom citattecken ("a: b")',
        ),
        (
            r"^found character '\\t' that cannot start any token",
            "ett tabbtecken: YAML dras in med blanksteg",
            "ersätt tabben med blanksteg",
        ),
        (
            r"^found character '(.)' that cannot start any token",
            "tecknet `{0}` kan inte börja ett värde",
            'sätt värdet inom citattecken ("…")',
        ),
        (r"^could not find expected ':'", "ett kolon (`:`) saknas efter nyckeln", "skriv `nyckel: värde`"),
        (r"^did not find expected key", "här väntades en nyckel (`nyckel: värde`)", _INDENT_HINT),
        (r"^did not find expected '-' indicator", "här väntades ett listelement (`- …`)", _INDENT_HINT),
        (
            r"^(?:did not find )?expected ',' or '\]'",
            "en lista inom `[ ]` tar inte slut: `,` eller `]` saknas",
            "avsluta listan med `]`",
        ),
        (
            r"^(?:did not find )?expected ',' or '\}'",
            "en mappning inom `{ }` tar inte slut: `,` eller `}` saknas",
            "avsluta mappningen med `}`",
        ),
        (
            r"^found unexpected end of stream",
            "filen tar slut inne i ett värde inom citattecken",
            "avsluta värdet med samma citattecken som det börjar med",
        ),
        (
            r"^found unknown escape character '(.)'",
            '`\\{0}` betyder inget i ett värde inom "…" (efter `\\` får bara vissa tecken stå)',
            "skriv värdet inom '…' (där \\ är ett vanligt tecken) eller skriv `\\\\`",
        ),
        (
            r"^expected a comment or a line break",
            "här får bara en kommentar (`# …`) eller ett radslut stå",
            "ta bort det som står efter värdet, eller sätt hela värdet inom citattecken",
        ),
        (
            r"^expected alphabetic or numeric character",
            "ett ankare, alias eller en tagg (`&`, `*`, `!`) har fel form",
            'sätt värdet inom citattecken ("…")',
        ),
        (r"^found unexpected ':'", "ett kolon (`:`) där inget får stå", 'sätt värdet inom citattecken ("…")'),
        (
            r"^expected '<document start>'",
            "filen har mer än ett dokument eller text efter sitt slut",
            "en exempelfil är en mappning med `examples:`; ta bort `---` eller `...`",
        ),
        (
            r"^(?:found|expected) .*(?:directive|tag)",
            "en YAML-tagg eller ett direktiv (`!`, `%`) som exemplen inte använder",
            'ta bort det eller sätt värdet inom citattecken ("…")',
        ),
    )
)

_GENERAL = (
    "YAML-syntaxen är fel här",
    "jämför med ett exempel som fungerar: `nyckel: värde`, listor med `- `, indrag med blanksteg",
)


def swedish(problem: str | None, context: str | None = None) -> tuple[str, str]:
    """The message and hint for PyYAML's ``problem`` (and ``context``), in Swedish."""
    for text in (problem, context):
        for pattern, message, hint in _PROBLEMS:
            if text and (found := pattern.search(text)):
                said = found.group(1) if found.groups() else ""  # the character PyYAML names, if any
                return message.replace("{0}", said), hint.replace("{0}", said)
    return _GENERAL
