"""What the language server knows about the spec folder it serves; no protocol here (see :mod:`.server`).

The check is ``lss-rules check``'s own: :func:`lss_rules.language.load.analyse` over the folder's ``.lss``
files, then (when the spec has no errors) :func:`lss_rules.tools.examples.check_examples` — with the text the
editor holds in place of a file's bytes (:func:`lss_rules.language.paths.buffers`: read from memory, never
written), so every diagnostic has check's code, place and words.  The ``.lss`` files and the data files are
checked on every change (about 60 ms for the whole spec); the 400 worked examples, which run the reference
evaluator and the compiled validator (1–5 s), when the server starts, an example is opened or a file saved,
and no ``.lss`` or data buffer differs from its file — the compiled validator is built from the files, so
only then is the result ``check``'s.  The server runs them on a worker thread (:meth:`Folder.run_examples`)
and keeps their result only when no buffer changed meanwhile.

Columns here are code points from 0 (the parser's, less one); the server converts them to what the client
counts in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lss_rules.errors import LssError
from lss_rules.language import model as m
from lss_rules.language.diagnostics import Diagnostic, Diagnostics, lexer_lines
from lss_rules.language.paths import MAX_SPEC_BYTES, buffers, read_spec_file

#: The largest buffer checked, in characters (each at least one byte): a spec file's own bound.
MAX_BUFFER_CHARS = MAX_SPEC_BYTES

_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\\n]|\\["\\n])*")|#[^\n]*|(?P<id>[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[a-z_][a-z0-9_]*)'
)
_WORD = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Za-z_][A-Za-z0-9_]*")
_TEMPLATE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")  # a parameter named in a title or message: "{max_timmar}"
_SEVERITY_WORDS = {"error": "fel", "warning": "varning"}


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one line of a file: 0-based line, code-point columns ``start`` to ``end`` (exclusive)."""

    file: str
    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Completion:
    label: str
    kind: str  # field | parameter | group | keyword | function
    detail: str


@dataclass(frozen=True, slots=True)
class Index:
    """Every declared name with where it is declared, and every use of a name in the ``.lss`` files."""

    declared: dict[str, tuple[str, Span]]  # name -> (kind keyword, span of the name)
    uses: dict[str, list[Span]]


@dataclass
class Folder:
    """One spec folder, the editor's buffers of its files and the last check."""

    root: Path
    buffers: dict[Path, str] = field(default_factory=dict)
    spec: m.Spec | None = None  # the last spec that lowered (hover reads it while an edit is broken)
    published: set[str] = field(default_factory=set)
    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)
    spec_diagnostics: list[Diagnostic] = field(default_factory=list)
    example_diagnostics: list[Diagnostic] = field(default_factory=list)
    version: int = 0  # one more at every change of the text the spec is read from
    _index: Index | None = None

    def __post_init__(self) -> None:
        self.root = self.root.resolve()

    # ------------------------------------------------------------------ files
    def inside(self, path: Path) -> Path | None:
        """``path`` resolved when it lies in the folder served, else None (the server reads nothing else)."""
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return None
        return resolved if resolved.is_relative_to(self.root) else None

    def set_buffer(self, path: Path, text: str | None) -> None:
        """The editor holds ``text`` for ``path`` (None: closed, the file is read again)."""
        before = self.text_of(path)
        if text is None:
            self.buffers.pop(path, None)
        else:
            self.buffers[path] = text
        if self.text_of(path) != before:  # opening a file, or closing a saved one, changes nothing
            self.version += 1
            self._index = None

    def text_of(self, path: Path) -> str | None:
        """The buffer, else the file (a spec-sized regular file of the folder), else None."""
        if path in self.buffers:
            return self.buffers[path]
        if self.inside(path) is None:
            return None
        try:
            return read_spec_file(path).decode("utf-8", errors="replace")
        except LssError:
            return None

    def _saved(self) -> bool:
        """No ``.lss`` or data buffer differs from its file (example buffers are read from memory either way)."""
        for path, text in self.buffers.items():
            if path.parent == self.root / "examples":
                continue
            try:
                if read_spec_file(path) != text.encode("utf-8", "surrogatepass"):
                    return False
            except (LssError, UnicodeError):
                return False
        return True

    # ------------------------------------------------------------------ checking
    def held(self) -> dict[Path, bytes]:
        """The buffers as the bytes a read of their files gives (a lone surrogate stays one: not UTF-8)."""
        return {p: t.encode("utf-8", "surrogatepass") for p, t in self.buffers.items()}

    def check_spec(self) -> dict[str, list[Diagnostic]]:
        """The ``.lss`` and data files from the buffers; the examples' last diagnostics kept while the spec has
        no error (``check`` runs no example while it has), else cleared."""
        too_big = {p: t for p, t in self.buffers.items() if len(t) > MAX_BUFFER_CHARS}
        if too_big:  # never parsed: said on that file (the rest is not checked until it is smaller)
            self.spec_diagnostics = [_too_big(p, t) for p, t in too_big.items()]
        else:
            with buffers(self.held()):
                self.spec_diagnostics = self._check_spec()
        if self.spec_diagnostics:
            self.example_diagnostics = []
        return self.grouped()

    def examples_due(self) -> bool:
        """Whether the examples would give ``check``'s result now: the spec has no error and no ``.lss`` or
        data buffer differs from its file (the compiled validator is built from the files)."""
        return not self.spec_diagnostics and self.spec is not None and self._saved()

    def run_examples(self, spec: m.Spec, held: dict[Path, bytes]) -> list[Diagnostic]:
        """Every worked example's diagnostics, the example files read from ``held`` where they are open (the
        server calls this on a worker thread: it reads nothing of the folder's state)."""
        with buffers(held):
            return self._check_examples(spec)

    def grouped(self) -> dict[str, list[Diagnostic]]:
        """The last diagnostics by file, ``[]`` for a file published before that has none now."""
        by_file: dict[str, list[Diagnostic]] = {f: [] for f in self.published}
        for d in [*self.spec_diagnostics, *self.example_diagnostics]:
            # where it is written, not where a link leads: a link in the folder is said on the link
            path = Path(os.path.normpath(os.path.join(self.root, d.pos.file)))
            if path.is_relative_to(self.root):
                by_file.setdefault(str(path), []).append(d)
        self.published = {f for f, ds in by_file.items() if ds}
        self.diagnostics = by_file
        return by_file

    def _check_spec(self) -> list[Diagnostic]:
        from lss_rules.language.load import analyse, spec_files

        try:
            files = spec_files(self.root)
            outside = [f for f in files if self.inside(f) is None]
            spec, diags = analyse([f for f in files if f not in outside])
        except LssError as exc:  # a file that is no regular file, or too large: check's one line, exit 2
            return [Diagnostic("E011", str(exc), m.Pos(str(self._first_file(str(exc))), 1, 1))]
        if outside:  # a link out of the folder: check follows it (its user named the folder); the server never
            spec = None
            diags = sorted([*diags, *map(_link_out, outside)], key=Diagnostic.sort_key)
        if spec is not None and not diags:
            self.spec = spec
        return diags

    def _check_examples(self, spec: m.Spec) -> list[Diagnostic]:
        from lss_rules.tools.examples import check_examples

        try:
            return check_examples(spec, self.root / "examples", self.root)[1]
        except LssError as exc:
            return [Diagnostic("E020", str(exc), m.Pos(str(self._first_file(str(exc))), 1, 1))]

    def _first_file(self, message: str) -> Path:
        """The file a one-line error names, else the first ``.lss`` file of the folder."""
        files = sorted(self.root.glob("*.lss"))
        for f in files:
            if message.startswith(str(f)):
                return f
        return files[0] if files else self.root

    # ------------------------------------------------------------------ names
    def index(self) -> Index:
        """The names of the ``.lss`` files as the editor holds them (built when first asked after a change)."""
        if self._index is None:
            self._index = _build_index({p: t for p in sorted(self.root.glob("*.lss")) if (t := self.text_of(p))})
        return self._index

    def word_at(self, path: Path, line: int, column: int) -> Span | None:
        text = self.text_of(path)
        if text is None:
            return None
        lines = lexer_lines(text)
        if not 0 <= line < len(lines):
            return None
        for mt in _WORD.finditer(lines[line]):
            if mt.start() <= column <= mt.end():
                return Span(str(path), line, mt.start(), mt.end())
        return None

    def name_at(self, path: Path, line: int, column: int) -> str | None:
        span = self.word_at(path, line, column)
        if span is None:
            return None
        text = self.text_of(path) or ""
        return lexer_lines(text)[span.line][span.start : span.end]

    def definition(self, path: Path, line: int, column: int) -> Span | None:
        name = self.name_at(path, line, column)
        found = self.index().declared.get(name or "")
        return found[1] if found else None

    def references(self, path: Path, line: int, column: int, *, declaration: bool) -> list[Span]:
        name = self.name_at(path, line, column)
        idx = self.index()
        if name is None or name not in idx.declared:
            return []
        decl = idx.declared[name][1]
        return [s for s in idx.uses.get(name, []) if declaration or s != decl]

    def completions(self) -> list[Completion]:
        from lss_rules.language.highlight import KEYWORDS

        out = [Completion(name, kind, kind) for name, (kind, _) in sorted(self.index().declared.items())]
        out = [c for c in out if c.kind in ("field", "parameter", "group", "rule", "check")]
        out += [Completion(f, "function", "funktion") for f in sorted(m.FUNCTIONS)]
        out += [Completion(k, "keyword", "nyckelord") for k in sorted(KEYWORDS)]
        return out

    def hover(self, path: Path, line: int, column: int) -> tuple[Span, str] | None:
        span = self.word_at(path, line, column)
        name = self.name_at(path, line, column)
        if span is None or name is None or self.spec is None:
            return None
        text = describe(self.spec, name)
        return (span, text) if text else None

    def fix_span(self, diag: Diagnostic) -> Span | None:
        """Where a did-you-mean's name is written: the diagnostic's range when it is one word, else the word at
        its start."""
        p = diag.pos
        path = Path(p.file)
        word = self.word_at(path, p.line - 1, p.column - 1)
        if p.end_line == p.line and p.end_column > p.column:
            span = Span(str(path), p.line - 1, p.column - 1, p.end_column - 1)
            if word is not None and (word.start, word.end) == (span.start, span.end):
                return span
        return word


def _link_out(path: Path) -> Diagnostic:
    return Diagnostic(
        "E011",
        f"{path.name} är en symbolisk länk ut ur specifikationsmappen; språkservern läser den inte",
        m.Pos(str(path), 1, 1),
        "lägg filen i specifikationsmappen i stället för en länk dit",
    )


def _too_big(path: Path, text: str) -> Diagnostic:
    return Diagnostic(
        "E011",
        f"filen är för stor för att granskas ({len(text)} tecken; högst {MAX_BUFFER_CHARS})",
        m.Pos(str(path), 1, 1),
        "en specifikationsfil är mindre; dela upp den eller ångra det som klistrades in",
    )


def _build_index(texts: dict[Path, str]) -> Index:
    from lss_rules.language.syntax import parse_decls

    declared: dict[str, tuple[str, Span]] = {}
    uses: dict[str, list[Span]] = {}
    for path, text in texts.items():
        for d in parse_decls(text, str(path), Diagnostics()):
            p = d.name_pos
            declared.setdefault(d.name, (d.keyword, Span(str(path), p.line - 1, p.column - 1, p.end_column - 1)))
    for path, text in texts.items():
        for span, name in _names(str(path), text):
            if name in declared:
                uses.setdefault(name, []).append(span)
    return Index(declared, uses)


def _names(file: str, text: str) -> Iterator[tuple[Span, str]]:
    """Every name outside comments, and every ``{parameter}`` in a string, with its place."""
    for i, line in enumerate(lexer_lines(text)):
        for mt in _TOKEN.finditer(line):
            if mt.group("id"):
                yield Span(file, i, mt.start(), mt.end()), mt.group("id")
            elif mt.group("string"):
                for t in _TEMPLATE.finditer(mt.group("string")):
                    yield Span(file, i, mt.start() + t.start(1), mt.start() + t.end(1)), t.group(1)


# ---------------------------------------------------------------------- hover texts


def describe(spec: m.Spec, name: str) -> str | None:
    """A field's, parameter's, group's, check's or rule's label and what it is in each year, in Swedish
    (from the year models, :meth:`lss_rules.language.model.Spec.for_year`); None for another word."""
    years = range(spec.first_year, spec.last_stated_year + 1)
    if name in spec.ids:
        item = spec.item(name)
        head = f"**{name}** — {item.title.sv}"
        return head + "\n\n" + _by_year(years, lambda y: _severity(spec.for_year(y).severity_of(name)))
    if any(f.name == name for f in spec.fields):
        fld = spec.field(name)
        return f"**{name}** (fält) — {fld.label}\n\n" + _by_year(years, lambda y: _collected(spec.for_year(y), name))
    if any(p.name == name for p in spec.parameters):
        par = spec.parameter(name)
        unit = f" {par.unit}" if par.unit else ""
        return f"**{name}** (parameter) — {par.label}\n\n" + _by_year(years, lambda y: _value(spec, y, name, unit))
    if any(g.name == name for g in spec.groups):
        grp = spec.group(name)
        return f"**{name}** (grupp) — {grp.label}\n\nmedlemmar: {', '.join(grp.members)}"
    return None


def _value(spec: m.Spec, year: int, name: str, unit: str) -> str:
    values = dict(spec.for_year(year).parameters)
    return f"{values[name]}{unit}" if name in values else "inget värde"


def _severity(severity: str | None) -> str:
    return _SEVERITY_WORDS.get(severity or "", "gäller inte")


def _collected(ym: m.YearModel, name: str) -> str:
    if name not in ym.field_names:
        return "samlas inte in"
    return f"samlas in, fält {ym.index(name) + 1} av {len(ym.field_names)}"


def _by_year(years: Iterable[int], what: Callable[[int], object]) -> str:
    """One line per run of years with the same text: ``- 1999–2006: fel``."""
    runs: list[tuple[int, int, str]] = []
    for y in years:
        text = str(what(y))
        if runs and runs[-1][2] == text and runs[-1][1] == y - 1:
            runs[-1] = (runs[-1][0], y, text)
        else:
            runs.append((y, y, text))
    return "\n".join(f"- {a}: {t}" if a == b else f"- {a}–{b}: {t}" for a, b, t in runs)
