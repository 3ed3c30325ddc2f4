"""Located diagnostics for spec editors: ``file:line:col: error[CODE]: message``.

A :class:`Diagnostic` knows where it is (a :class:`~lss_rules.language.model.Pos`), what
is wrong, and optionally a hint.  :func:`render` prints it the way compilers
do: the headline, the source line, a caret under the column, then the hint.
:func:`did_you_mean` proposes the closest known name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lss_rules.language.model import Pos
from lss_rules.language.regular import read_regular

#: the largest file a diagnostic shows a line of (a spec file is at most as large: safepaths.MAX_SPEC_BYTES)
MAX_SOURCE_BYTES = 4 << 20

#: Every diagnostic code the checker emits, with a one-line description.
#: Documented in docs/guide/spec-editors.md and tested in tests/spec/broken/.
CODES: dict[str, str] = {
    "E001": "syntaxfel",
    "E002": "okänt namn (fält, grupp, parameter, dataset, funktion) eller id som inte har formen LSS-Snn/LSS-Rnn",
    "E003": "typfel i ett villkor",
    "E004": "dubblett: samma namn eller id deklareras två gånger",
    "E005": "årsintervall som överlappar",
    "E006": "årsintervall som lämnar en lucka",
    "E007": "en regel läser ett fält ett år då fältet inte samlas in",
    "E008": "ett villkor kan aldrig vara sant",
    "E009": "en obligatorisk uppgift saknas i en deklaration",
    "E010": "ett ogiltigt värde i en deklaration",
    "E011": "en fil som specifikationen hänvisar till saknas, är felaktig eller ligger utanför specifikationsmappen",
    "E012": "ett filnamn i specifikationsmappen som inte är `[a-z0-9_-]+.lss`",
    "E013": "specifikationen är skriven i en annan version av språket än den lss-rules läser",
    "E014": "specifikationen kräver en senare lss-rules än den som läser den (`requires_lss_rules`)",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    pos: Pos
    hint: str | None = None
    severity: str = "error"
    notes: tuple[str, ...] = field(default=())

    @property
    def suggestion(self) -> str | None:
        """The name a did-you-mean hint proposes (:func:`did_you_mean`), for an editor's quick fix; else None."""
        return self.hint.name if isinstance(self.hint, DidYouMean) else None

    def headline(self) -> str:
        return f"{self.pos.file}:{self.pos.line}:{self.pos.column}: {self.severity}[{self.code}]: {self.message}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.pos.file, self.pos.line, self.pos.column, self.code)


class Diagnostics:
    """A collector: passes add to it, and the caller reports all at once."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        #: names of declarations that did not parse: unknown-name errors about them are consequences
        self.unparsed: set[str] = set()
        #: kinds of declarations that did not parse (``register``, …: the keyword or the one it misspells)
        self.unparsed_kinds: set[str] = set()

    def error(self, code: str, message: str, pos: Pos, hint: str | None = None) -> None:
        assert code in CODES, code
        self.items.append(Diagnostic(code, message, pos, hint))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Diagnostic]:
        """Every diagnostic once, in order, root causes only: those that follow from another are left out."""
        seen: set[tuple[str, str, Pos]] = set()
        out = []
        untyped = {mt.group(1) for d in self.items if d.code == "E009" and (mt := _UNTYPED.match(d.message))}
        for d in sorted(self.items, key=Diagnostic.sort_key):
            if d.code == "E002" and (mt := _UNKNOWN.match(d.message)) and mt.group(1) in self.unparsed:
                continue  # the declaration of that name has a syntax error, reported already
            if d.code == "E009" and d.message == _NO_REGISTER and "register" in self.unparsed_kinds:
                continue  # the register block has a syntax error, reported already
            if d.code == "E003" and any(f"`{name}`" in d.message for name in untyped):
                continue  # a field without `type` (E009) is read as a count: its type errors follow from that
            key = (d.code, d.message, d.pos)
            if key not in seen:
                seen.add(key)
                out.append(d)
        return out


_UNKNOWN = re.compile(r"okän[dt] \w+ `\{?([a-z_][a-z0-9_]*)\}?`")
_UNTYPED = re.compile(r"field `([a-z_][a-z0-9_]*)` saknar `type`")
_NO_REGISTER = "specifikationen saknar en `register`-deklaration"


class DidYouMean(str):
    """A did-you-mean hint as it is printed, holding the name it proposes (``name``): the language server's
    quick fix writes that name where the diagnostic points, so the proposal is never read back from the text."""

    __slots__ = ("name",)
    name: str

    def __new__(cls, name: str) -> DidYouMean:
        self = super().__new__(cls, f"menade du `{name}`?")
        self.name = name
        return self

    def __reduce__(self) -> tuple[type[DidYouMean], tuple[str]]:
        return (DidYouMean, (self.name,))  # a copy or pickle is made from the name, not from the printed text


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """The hint for an unknown name: the closest known one, if any is close."""
    matches = difflib.get_close_matches(name, sorted(set(known)), n=1, cutoff=0.6)
    return DidYouMean(matches[0]) if matches else None


def render(diag: Diagnostic, source: str | None = None) -> str:
    """The diagnostic as text: headline, source line with a caret, hint (``source``: the file's text, else it
    is read); every line printable (a spec's text or file name may hold ESC or a bidi override, shown as
    ``\\x1b``, ``\\u202e``)."""
    if source is None:
        return _render(diag, _source_lines(diag.pos.file))
    return _render(diag, lexer_lines(source))


def render_all(diags: Iterable[Diagnostic]) -> Iterator[str]:
    """Each diagnostic as :func:`render` gives it, each file read once (once a diagnostic, 20,000 syntax
    errors in 100 KB of spec read 2 GB)."""
    sources: dict[str, list[str] | None] = {}
    for d in diags:
        if d.pos.file not in sources:
            sources[d.pos.file] = _source_lines(d.pos.file)
        yield _render(d, sources[d.pos.file])


def lexer_lines(text: str) -> list[str]:
    """The lines of spec text as the lexer counts them: broken at ``\\n`` only, a CR before it dropped.

    ``str.splitlines`` also breaks at U+2028, U+2029, U+0085, ``\\v``, ``\\f``, ``\\x1c``–``\\x1e`` and a lone
    CR, all of which a comment or a string may hold: counted that way, line N is no longer the parser's
    line N (a rule page once showed another rule's source as the one in force).
    """
    return [line.removesuffix("\r") for line in text.split("\n")]


def _source_lines(file: str) -> list[str] | None:
    """The lines of a file a diagnostic is about; None unless it is a regular file of at most 4 MiB (an
    example file that is a FIFO is reported, and never opened in a way that waits for a writer)."""
    try:
        return lexer_lines(read_regular(file, MAX_SOURCE_BYTES).decode("utf-8", errors="replace"))
    except OSError:
        return None


def _render(diag: Diagnostic, src_lines: list[str] | None) -> str:
    from lss_rules.runtime.python import printable

    lines = [printable(line) for line in diag.headline().split("\n")]
    # lines as the parser counts them: at "\n" only (str.splitlines also splits at U+2028, U+0085, \f …)
    if src_lines is not None and 1 <= diag.pos.line <= len(src_lines):
        # one printable character per source character, so the caret stays under its column
        src = "".join(c if c.isprintable() else " " for c in src_lines[diag.pos.line - 1])
        gutter = f"{diag.pos.line:>5} | "
        lines.append(gutter + src)
        width = 1
        if diag.pos.end_line == diag.pos.line and diag.pos.end_column > diag.pos.column:
            width = diag.pos.end_column - diag.pos.column
        lines.append(" " * (len(gutter) - 2) + "| " + " " * (diag.pos.column - 1) + "^" * width)
    for note in diag.notes:
        lines.extend(printable(line) for line in f"  = not: {note}".split("\n"))
    if diag.hint:
        lines.extend(printable(line) for line in f"  = tips: {diag.hint}".split("\n"))
    return "\n".join(lines)
