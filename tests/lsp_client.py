"""A real LSP client over stdio (pygls' LanguageClient) driving ``lss-rules lsp``, with a blocking API for tests.

Every call runs on one event loop owned by the :class:`Session`, in a thread of its own (a test worker that ran the
browser tests has Playwright's loop running in the main thread, where a second loop cannot run); a request after a
notification is a barrier
(the server handles messages in order and publishes its diagnostics before it reads the next one), so
:meth:`Session.diagnostics` is what the server said after the last edit.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path
from typing import Any

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path


class Session:
    def __init__(self, spec: Path, *, workspace: Path | None = None) -> None:
        """Serve ``spec`` (``--spec``), or without ``workspace``: the editor's workspace, as VS Code starts it."""
        self.spec = spec
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="lsp-test-client", daemon=True)
        self._thread.start()
        self.client = LanguageClient("lss-rules-test", "1")
        self.published: dict[str, list[t.Diagnostic]] = {}
        self.times_published: dict[str, int] = {}
        self.versions: dict[str, int] = {}

        self.logged: list[str] = []

        @self.client.feature(t.WINDOW_LOG_MESSAGE)
        def _log(params: t.LogMessageParams) -> None:
            self.logged.append(params.message)

        @self.client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _diags(params: t.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = list(params.diagnostics)
            self.times_published[params.uri] = self.times_published.get(params.uri, 0) + 1

        given = [] if workspace else ["--spec", str(spec)]
        self.run(self.client.start_io(sys.executable, "-m", "lss_rules", "lsp", *given))
        root = from_fs_path(str(workspace or spec))
        self.run(self.client.initialize_async(t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri=root)))
        self.send(self.client.initialized, t.InitializedParams())
        self.barrier()

    def run(self, coro: Any, seconds: float = 60) -> Any:
        """Run ``coro`` on the session's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(asyncio.wait_for(coro, seconds), self.loop).result()

    def send(self, notify: Any, params: Any) -> None:
        """A notification, sent from the session's loop (in order with the requests that follow it)."""
        self.loop.call_soon_threadsafe(notify, params)

    def uri(self, name: str) -> str:
        return from_fs_path(str(self.spec / name)) or ""

    def barrier(self) -> None:
        """A round trip: every notification the server sent before it has arrived."""
        self.run(
            self.client.text_document_hover_async(
                t.HoverParams(t.TextDocumentIdentifier(self.uri("nothing.lss")), t.Position(0, 0))
            )
        )

    def open(self, name: str, text: str | None = None) -> None:
        text = (self.spec / name).read_text(encoding="utf-8") if text is None else text
        self.versions[name] = 1
        language = "lss" if name.endswith(".lss") else "yaml" if name.endswith(".yaml") else "csv"
        self.send(
            self.client.text_document_did_open,
            t.DidOpenTextDocumentParams(t.TextDocumentItem(self.uri(name), language, 1, text)),
        )
        self.barrier()

    def change(self, name: str, text: str, *, wait: bool = True) -> None:
        self.versions[name] += 1
        self.send(
            self.client.text_document_did_change,
            t.DidChangeTextDocumentParams(
                t.VersionedTextDocumentIdentifier(self.versions[name], self.uri(name)),
                [t.TextDocumentContentChangeWholeDocument(text)],
            ),
        )
        if wait:
            self.barrier()

    def save(self, name: str) -> None:
        self.send(self.client.text_document_did_save, t.DidSaveTextDocumentParams(self.doc(name)))
        self.barrier()

    def close(self, name: str) -> None:
        self.send(self.client.text_document_did_close, t.DidCloseTextDocumentParams(self.doc(name)))
        self.barrier()

    def wait_until(self, ready: Any, seconds: float = 120) -> None:
        """Let the client read until ``ready()`` (the examples are run on a worker thread, published after)."""

        async def poll() -> None:
            while not ready():
                await asyncio.sleep(0.05)

        self.run(poll(), seconds)

    def diagnostics(self) -> dict[str, list[t.Diagnostic]]:
        return {uri: ds for uri, ds in self.published.items() if ds}

    def position(self, name: str, needle: str, offset: int = 0) -> t.Position:
        text = (self.spec / name).read_text(encoding="utf-8")
        i = text.index(needle) + offset
        line = text.count("\n", 0, i)
        return t.Position(line, i - (text.rfind("\n", 0, i) + 1))

    def doc(self, name: str) -> t.TextDocumentIdentifier:
        return t.TextDocumentIdentifier(self.uri(name))

    def stop(self) -> None:
        self.run(self.client.shutdown_async(None))
        self.send(self.client.exit, None)
        self.run(self.client.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()
