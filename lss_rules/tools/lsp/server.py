"""The Language Server Protocol glue (pygls): requests in, :class:`.analysis.Folder` answers out.

One spec folder is served: ``--spec PATH``, else ``spec/`` of the editor's workspace, else the workspace
itself when it holds ``.lss`` files.  A document outside that folder gets nothing (no diagnostic, no
hover): the server reads nothing else.  Columns are converted between the parser's code points and the
client's units (UTF-16 unless the client asks for another).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from lss_rules import __version__
from lss_rules.language.diagnostics import Diagnostic, lexer_lines
from lss_rules.tools.lsp.analysis import MAX_BUFFER_CHARS, Folder, Span

#: Seconds a change waits for the next one before the spec is checked (see :meth:`SpecServer.schedule`).
SETTLE = 0.03

_KINDS = {
    "field": t.CompletionItemKind.Field,
    "parameter": t.CompletionItemKind.Constant,
    "group": t.CompletionItemKind.Enum,
    "rule": t.CompletionItemKind.Reference,
    "check": t.CompletionItemKind.Reference,
    "keyword": t.CompletionItemKind.Keyword,
    "function": t.CompletionItemKind.Function,
}


class SpecServer(LanguageServer):
    """A language server for one spec folder (set at ``initialize`` unless given)."""

    def __init__(self, spec: Path | None) -> None:
        super().__init__("lss-rules", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Full)
        self.given = spec
        self.folder: Folder | None = Folder(spec) if spec is not None else None
        self._timer: asyncio.TimerHandle | None = None
        self._pending_examples = False
        self._examples: asyncio.Future[list[Diagnostic]] | None = None
        self._examples_again = False

    # ------------------------------------------------------------------ paths and positions
    def path_of(self, uri: str) -> Path | None:
        """The file of ``uri`` when it lies in the folder served."""
        fs = to_fs_path(uri) if uri.startswith("file:") else None
        if fs is None or self.folder is None:
            return None
        return self.folder.inside(Path(fs))

    def lines(self, file: str) -> list[str]:
        text = self.folder.text_of(Path(file)) if self.folder else None
        return lexer_lines(text) if text is not None else []

    def to_client(self, lines: list[str], line: int, column: int) -> t.Position:
        text = lines[line] if 0 <= line < len(lines) else ""
        return t.Position(line, self.workspace.position_codec.client_num_units(text[:column]))

    def from_client(self, path: Path, pos: t.Position) -> tuple[int, int]:
        server = self.workspace.position_codec.position_from_client_units(self.lines(str(path)), pos)
        return server.line, server.character

    def span_range(self, span: Span) -> t.Range:
        lines = self.lines(span.file)
        return t.Range(self.to_client(lines, span.line, span.start), self.to_client(lines, span.line, span.end))

    def location(self, span: Span) -> t.Location:
        return t.Location(from_fs_path(span.file) or span.file, self.span_range(span))

    def diag_range(self, d: Diagnostic, lines: list[str]) -> t.Range:
        """check's place: the start, and the end when the parser gave one (check's caret is as wide), else
        one character (check's single caret)."""
        p = d.pos
        line, col = max(p.line - 1, 0), max(p.column - 1, 0)
        if p.end_line > p.line or (p.end_line == p.line and p.end_column > p.column):
            end = (p.end_line - 1, p.end_column - 1)
        else:
            end = (line, col + 1)
        return t.Range(self.to_client(lines, line, col), self.to_client(lines, *end))

    def to_lsp(self, d: Diagnostic, lines: list[str]) -> t.Diagnostic:
        text = "\n".join([d.message, *(f"not: {n}" for n in d.notes), *([f"tips: {d.hint}"] if d.hint else [])])
        severity = t.DiagnosticSeverity.Warning if d.severity == "warning" else t.DiagnosticSeverity.Error
        return t.Diagnostic(self.diag_range(d, lines), text, severity=severity, code=d.code, source="lss-rules")

    # ------------------------------------------------------------------ diagnostics
    def schedule(self, *, examples: bool) -> None:
        """Check after :data:`SETTLE` seconds without another change: a burst of keystrokes (which the editor
        sends one message each, faster than a check) is checked once, with its last text."""
        self._pending_examples = self._pending_examples or examples
        if self._timer is not None:
            self._timer.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (called outside the server): at once
            self.flush()
            return
        self._timer = loop.call_later(SETTLE, self.flush)

    def flush(self) -> None:
        """The check a change scheduled, now (before any answer, so an answer is about the text as it is)."""
        if self._timer is None and not self._pending_examples:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        examples, self._pending_examples = self._pending_examples, False
        self.publish(examples=examples)

    def publish(self, *, examples: bool) -> None:
        """Check the spec now and publish; the examples (when asked and due) on a worker thread after, so the
        editor's next changes are checked while they run."""
        if self.folder is None:
            return
        try:
            self.send(self.folder.check_spec())
            if examples and self.folder.examples_due():
                self.start_examples()
        except Exception:  # a bug must not end the editor's session: logged, the last diagnostics stay
            self.failed()

    def start_examples(self) -> None:
        assert self.folder is not None and self.folder.spec is not None
        if self._examples is not None:  # one run at a time: the next starts when this one ends
            self._examples_again = True
            return
        folder, spec, generation = self.folder, self.folder.spec, self.folder.version
        run = asyncio.get_running_loop().run_in_executor(None, folder.run_examples, spec, folder.held())
        run.add_done_callback(lambda done: self.examples_done(done, generation))
        self._examples = run

    def examples_done(self, done: asyncio.Future[list[Diagnostic]], generation: int) -> None:
        """Publish a run's diagnostics when no buffer changed while it ran."""
        self._examples = None
        try:
            found = done.result()
        except Exception:
            self.failed()
            return
        if self.folder is None:
            return
        if generation == self.folder.version:  # else a buffer changed since: not its text's result (a save runs them)
            self.folder.example_diagnostics = found
            self.send(self.folder.grouped())
            said = f"lss-rules: exemplen är körda, {len(found)} fel"
            self.window_log_message(t.LogMessageParams(t.MessageType.Info, said))
        if self._examples_again:
            self._examples_again = False
            if self.folder.examples_due():
                self.start_examples()

    def send(self, by_file: dict[str, list[Diagnostic]]) -> None:
        for file, diags in sorted(by_file.items()):
            lines = self.lines(file)
            self.text_document_publish_diagnostics(
                t.PublishDiagnosticsParams(from_fs_path(file) or file, [self.to_lsp(d, lines) for d in diags])
            )

    def failed(self) -> None:
        logging.exception("lss-rules lsp: kontrollen misslyckades")
        self.window_log_message(t.LogMessageParams(t.MessageType.Error, "lss-rules: kontrollen misslyckades"))


def _spec_in(root: Path) -> Path | None:
    for candidate in (root / "spec", root):
        if candidate.is_dir() and any(candidate.glob("*.lss")):
            return candidate
    return None


def build(spec: Path | None = None) -> SpecServer:
    server = SpecServer(spec)

    @server.feature(t.INITIALIZED)
    def initialized(ls: SpecServer, params: t.InitializedParams) -> None:
        if ls.folder is None:
            root = ls.workspace.root_path
            found = _spec_in(Path(root)) if root else None
            if found is None:
                ls.window_show_message(
                    t.ShowMessageParams(
                        t.MessageType.Warning,
                        "lss-rules: ingen specifikation (.lss-filer) i arbetsytan eller dess spec/; "
                        "ange mappen med lss-rules lsp --spec MAPP",
                    )
                )
                return
            ls.folder = Folder(found)
        ls.publish(examples=True)

    def _edited(ls: SpecServer, uri: str, text: str | None, *, examples: bool, at_once: bool = True) -> None:
        path = ls.path_of(uri)
        if path is None or ls.folder is None:
            return
        ls.folder.set_buffer(path, text)
        ls.schedule(examples=examples)
        if at_once:
            ls.flush()

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SpecServer, params: t.DidOpenTextDocumentParams) -> None:
        # an example opened is run (from the buffer); a .lss or data file opened is as saved: its examples stand
        uri = params.text_document.uri
        _edited(ls, uri, params.text_document.text, examples=uri.endswith(".yaml"))

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SpecServer, params: t.DidChangeTextDocumentParams) -> None:
        doc = ls.workspace.get_text_document(params.text_document.uri)
        _edited(ls, params.text_document.uri, doc.source, examples=False, at_once=False)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SpecServer, params: t.DidSaveTextDocumentParams) -> None:
        doc = ls.workspace.get_text_document(params.text_document.uri)
        _edited(ls, params.text_document.uri, doc.source, examples=True)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SpecServer, params: t.DidCloseTextDocumentParams) -> None:
        _edited(ls, params.text_document.uri, None, examples=False)

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(ls: SpecServer, params: t.HoverParams) -> t.Hover | None:
        ls.flush()
        path = ls.path_of(params.text_document.uri)
        if path is None or ls.folder is None:
            return None
        found = ls.folder.hover(path, *ls.from_client(path, params.position))
        if found is None:
            return None
        span, text = found
        return t.Hover(t.MarkupContent(t.MarkupKind.Markdown, text), ls.span_range(span))

    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: SpecServer, params: t.DefinitionParams) -> t.Location | None:
        ls.flush()
        path = ls.path_of(params.text_document.uri)
        if path is None or ls.folder is None:
            return None
        span = ls.folder.definition(path, *ls.from_client(path, params.position))
        return ls.location(span) if span else None

    @server.feature(t.TEXT_DOCUMENT_REFERENCES)
    def references(ls: SpecServer, params: t.ReferenceParams) -> list[t.Location]:
        ls.flush()
        path = ls.path_of(params.text_document.uri)
        if path is None or ls.folder is None:
            return []
        line, col = ls.from_client(path, params.position)
        spans = ls.folder.references(path, line, col, declaration=params.context.include_declaration)
        return [ls.location(s) for s in spans]

    @server.feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[]))
    def completion(ls: SpecServer, params: t.CompletionParams) -> list[t.CompletionItem]:
        ls.flush()
        if ls.path_of(params.text_document.uri) is None or ls.folder is None:
            return []
        return [t.CompletionItem(c.label, kind=_KINDS[c.kind], detail=c.detail) for c in ls.folder.completions()]

    @server.feature(t.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: SpecServer, params: t.DocumentFormattingParams) -> list[t.TextEdit]:
        from lss_rules.language.fmt import FormatError, format_text

        ls.flush()

        path = ls.path_of(params.text_document.uri)
        if path is None or ls.folder is None or path.suffix != ".lss":
            return []
        text = ls.folder.text_of(path)
        if text is None or len(text) > MAX_BUFFER_CHARS:
            return []
        try:
            new = format_text(text, str(path))
        except FormatError:  # a syntax error: check's diagnostic says it; nothing is rewritten
            return []
        if new == text:
            return []
        lines = lexer_lines(text)
        end = ls.to_client(lines, len(lines) - 1, len(lines[-1]))
        return [t.TextEdit(t.Range(t.Position(0, 0), end), new)]

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))
    def code_action(ls: SpecServer, params: t.CodeActionParams) -> list[t.CodeAction]:
        ls.flush()
        path = ls.path_of(params.text_document.uri)
        if path is None or ls.folder is None:
            return []
        lines = ls.lines(str(path))
        out = []
        for d in ls.folder.diagnostics.get(str(path), []):
            span = ls.folder.fix_span(d) if d.suggestion else None
            if d.suggestion is None or span is None or not _overlaps(ls.diag_range(d, lines), params.range):
                continue
            edit = t.WorkspaceEdit(changes={params.text_document.uri: [t.TextEdit(ls.span_range(span), d.suggestion)]})
            out.append(
                t.CodeAction(
                    f"Ändra till `{d.suggestion}`",
                    kind=t.CodeActionKind.QuickFix,
                    diagnostics=[ls.to_lsp(d, lines)],
                    edit=edit,
                    is_preferred=True,
                )
            )
        return out

    return server


def _overlaps(a: t.Range, b: t.Range) -> bool:
    def key(p: t.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def serve(spec: Path | None, **_: Any) -> None:
    """Serve over standard input and output until the client says exit."""
    build(spec).start_io()
