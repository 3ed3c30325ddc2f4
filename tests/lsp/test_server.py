"""``lss-rules lsp`` driven by a real LSP client over stdio (pygls' LanguageClient, :mod:`lsp_client`).

One server for the module, serving a copy of the spec; every test edits buffers only (the server never writes)
and puts them back.  Diagnostics are compared with what ``lss-rules check`` prints for the same text written
to a second copy: the same files, places, caret widths, codes and messages.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsp_client import Session
from lsprotocol import types as t
from pygls.uris import from_fs_path, to_fs_path

from lss_rules.cli import main
from lss_rules.language.diagnostics import did_you_mean
from lss_rules.language.fmt import format_text
from lss_rules.language.highlight import KEYWORDS
from lss_rules.language.load import default_spec_dir

SPEC = default_spec_dir()

#: each kind of mistake: (file, text replaced, replacement)
MISTAKES = {
    "syntax": ("rules.lss", "require valid_personnummer(personnummer)", "require valid_personnummer(personnummer"),
    "keyword": ("rules.lss", '  message "Personkrets har', '  mesage "Personkrets har'),
    "unknown name": ("rules.lss", "valid_personnummer(personnummer)", "valid_personnummer(personnumer)"),
    "type": ("rules.lss", "require valid_personnummer(personnummer)", "require personnummer + 1"),
    "duplicate": ("rules.lss", "rule LSS-R02 {", "rule LSS-R01 {"),
    "overlap": (
        "rules.lss",
        "severity error from 1999\n  require valid_personnummer",
        "severity error in 1999..2005\n           warning from 2004\n  require valid_personnummer",
    ),
    "backwards range": ("register.lss", "value 20 from 1999", "value 20 in 2027..2026"),
    "in another file": ("fields.lss", "field korttidstillsyn {", "field korttidstilsyn {"),
    "data file": ("data/kommuner.csv", "0115,Vallentuna", "115,Vallentuna"),
}
_HEADLINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:error|warning)\[(?P<code>E\d+)\]: (?P<msg>.*)$")


def _copy(dest: Path) -> Path:
    shutil.copytree(SPEC, dest, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return dest


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = _copy(tmp_path_factory.mktemp("served") / "spec")
    session = Session(folder)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second copy, where ``check`` reads the same text from files."""
    return _copy(tmp_path_factory.mktemp("twin") / "spec")


def check_says(folder: Path, *, examples: bool = False) -> set[tuple[str, int, int, int, str, str]]:
    """(file, line, column, caret width, code, message) of every diagnostic ``lss-rules check`` prints."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        main(["check", str(folder), *([] if examples else ["--no-examples"])])
    lines = err.getvalue().splitlines()
    out = set()
    for i, line in enumerate(lines):
        mt = _HEADLINE.match(line)
        if mt is None:
            continue
        width = 1
        if i + 2 < len(lines) and lines[i + 2].lstrip().startswith("|"):
            width = lines[i + 2].count("^") or 1
        rel = Path(mt["file"]).resolve().relative_to(folder.resolve()).as_posix()
        msg = mt["msg"].replace(str(folder), "<spec>")  # a message may name a file by its path
        out.add((rel, int(mt["line"]), int(mt["col"]), width, mt["code"], msg))
    return out


def server_says(session: Session) -> set[tuple[str, int, int, int, str, str]]:
    out = set()
    for uri, diags in session.diagnostics().items():
        rel = Path(to_fs_path(uri) or "").relative_to(session.spec.resolve()).as_posix()
        for d in diags:
            r = d.range
            width = r.end.character - r.start.character if r.end.line == r.start.line else 1
            msg = d.message.split("\n")[0].replace(str(session.spec), "<spec>")
            out.add((rel, r.start.line + 1, r.start.character + 1, width, str(d.code), msg))
    return out


@contextlib.contextmanager
def mistake(session: Session, twin: Path, file: str, old: str, new: str) -> Iterator[None]:
    """The edit in the server's buffer (never saved) and in the twin's file, both undone after."""
    original = (session.spec / file).read_text(encoding="utf-8")
    assert old in original
    edited = original.replace(old, new, 1)
    (twin / file).write_text(edited, encoding="utf-8")
    session.open(file)
    try:
        session.change(file, edited)
        yield
    finally:
        (twin / file).write_text(original, encoding="utf-8")
        session.change(file, original)
        session.close(file)


def test_the_spec_as_shipped_has_no_diagnostic(served: Session) -> None:
    assert served.diagnostics() == {}


@pytest.mark.parametrize("kind", MISTAKES)
def test_each_kind_of_mistake_is_what_check_says(served: Session, twin: Path, kind: str) -> None:
    before = _digest(served.spec)
    file, old, new = MISTAKES[kind]
    with mistake(served, twin, file, old, new):
        said = server_says(served)
        assert said, kind
        assert said == check_says(twin)
    assert served.diagnostics() == {}, "a file that became clean is cleared"
    assert _digest(served.spec) == before, "the server wrote to the spec folder"


def test_a_mistake_in_one_file_shows_in_another(served: Session, twin: Path) -> None:
    with mistake(served, twin, *MISTAKES["in another file"]):
        files = {Path(to_fs_path(u) or "").name for u in served.diagnostics()}
    assert {"fields.lss", "rules.lss"} <= files


@pytest.mark.long  # four runs of the 400 examples by the server and two by check: about 25 s
def test_an_example_is_checked_from_the_buffer_when_saved(served: Session, twin: Path) -> None:
    file = "examples/LSS-R04.yaml"
    original = (served.spec / file).read_text(encoding="utf-8")
    wrong = original.replace("findings: []", "findings: [{rule: LSS-R04, line: 1, severity: error}]", 1)
    broken = original.replace("records:", "records:\n   - oops: [", 1)
    for edited in (wrong, broken):
        served.open(file)
        served.change(file, edited)
        assert served.diagnostics() == {}, "examples run when saved, not on every change"
        served.save(file)  # the client says saved; the server still reads the buffer, never the file
        (twin / file).write_text(edited, encoding="utf-8")
        try:
            served.wait_until(lambda: served.diagnostics() != {})
            said = server_says(served)
            assert said and said == check_says(twin, examples=True)
        finally:
            (twin / file).write_text(original, encoding="utf-8")
            served.change(file, original)
            served.save(file)
            served.close(file)
        served.wait_until(lambda: served.diagnostics() == {})
    assert (served.spec / file).read_text(encoding="utf-8") == original


def test_a_huge_or_binary_buffer_gets_a_diagnostic(served: Session) -> None:
    served.open("checks.lss")
    try:
        for text in ("x" * (4 * 1024 * 1024 + 1), "\x00\x01\ufffe\ud800 binärt"):
            served.change("checks.lss", text)
            diags = served.diagnostics()[served.uri("checks.lss")]
            assert {d.code for d in diags} <= {"E001", "E011"} and diags
    finally:
        served.change("checks.lss", (served.spec / "checks.lss").read_text(encoding="utf-8"))
        served.close("checks.lss")
    assert served.diagnostics() == {}


def test_a_document_outside_the_folder_gets_nothing(served: Session, tmp_path: Path) -> None:
    outside = tmp_path / "rules.lss"
    outside.write_text("rule {", encoding="utf-8")
    doc = t.TextDocumentItem(from_fs_path(str(outside)) or "", "lss", 1, "rule {")
    served.send(served.client.text_document_did_open, t.DidOpenTextDocumentParams(doc))
    served.barrier()
    assert doc.uri not in served.published
    hover = served.run(
        served.client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(doc.uri), t.Position(0, 1)))
    )
    assert hover is None


def test_hover_on_a_rule_gives_its_severity_per_year(served: Session) -> None:
    pos = served.position("rules.lss", "rule LSS-R04", 6)
    hover = served.run(served.client.text_document_hover_async(t.HoverParams(served.doc("rules.lss"), pos)))
    assert hover is not None
    text = hover.contents.value
    assert text.startswith("**LSS-R04** — Korttidstillsyn utanför åldersgränserna")
    assert "- 1999–2025: fel" in text


def test_hover_on_a_parameter_and_a_field_gives_value_and_collection_per_year(served: Session) -> None:
    pos = served.position("register.lss", "parameter jamforelse_troskel", 12)
    hover = served.run(served.client.text_document_hover_async(t.HoverParams(served.doc("register.lss"), pos)))
    assert hover is not None and "(parameter)" in hover.contents.value
    assert "- 1999–2025: 20" in hover.contents.value
    pos = served.position("rules.lss", "korttidstillsyn", 2)
    hover = served.run(served.client.text_document_hover_async(t.HoverParams(served.doc("rules.lss"), pos)))
    assert hover is not None and "(fält)" in hover.contents.value
    assert "samlas in, fält" in hover.contents.value


def test_definition_and_references_of_a_field(served: Session) -> None:
    pos = served.position("rules.lss", "korttidstillsyn", 3)
    found = served.run(served.client.text_document_definition_async(t.DefinitionParams(served.doc("rules.lss"), pos)))
    assert isinstance(found, t.Location)
    assert found.uri == served.uri("fields.lss")
    assert found.range.start == served.position("fields.lss", "field korttidstillsyn {", 6)
    refs = served.run(
        served.client.text_document_references_async(
            t.ReferenceParams(
                text_document=served.doc("rules.lss"),
                position=pos,
                context=t.ReferenceContext(include_declaration=True),
            )
        )
    )
    files = {Path(to_fs_path(r.uri) or "").name for r in refs}
    assert {"fields.lss", "rules.lss", "register.lss"} <= files  # declared, read by rules, in the layout
    text = {f: (served.spec / f).read_text(encoding="utf-8").split("\n") for f in files}
    for r in refs:
        line = text[Path(to_fs_path(r.uri) or "").name][r.range.start.line]
        assert line[r.range.start.character : r.range.end.character] == "korttidstillsyn"


def test_completion_offers_names_and_the_grammars_keywords(served: Session) -> None:
    items = served.run(
        served.client.text_document_completion_async(t.CompletionParams(served.doc("rules.lss"), t.Position(0, 0)))
    )
    labels = {i.label for i in (items.items if isinstance(items, t.CompletionList) else items)}
    assert {"korttidstillsyn", "jamforelse_troskel", "insatser"} <= labels  # a field, a parameter, a group
    assert set(KEYWORDS) <= labels


def test_formatting_is_fmt(served: Session) -> None:
    original = (served.spec / "checks.lss").read_text(encoding="utf-8")
    messy = original.replace("\n  ", "\n      ", 3)
    assert messy != original
    served.open("checks.lss")
    try:
        served.change("checks.lss", messy)
        edits = served.run(
            served.client.text_document_formatting_async(
                t.DocumentFormattingParams(served.doc("checks.lss"), t.FormattingOptions(2, True))
            )
        )
    finally:
        served.change("checks.lss", original)
        served.close("checks.lss")
    assert edits is not None and len(edits) == 1
    assert edits[0].new_text == format_text(messy) == format_text(original)
    assert edits[0].range.start == t.Position(0, 0)


def test_a_did_you_mean_is_a_quick_fix(served: Session, twin: Path) -> None:
    file, old, new = MISTAKES["unknown name"]
    with mistake(served, twin, file, old, new):
        (diag,) = served.diagnostics()[served.uri(file)]
        actions = served.run(
            served.client.text_document_code_action_async(
                t.CodeActionParams(served.doc(file), diag.range, t.CodeActionContext([diag]))
            )
        )
        assert actions is not None and len(actions) == 1
        action = actions[0]
        assert isinstance(action, t.CodeAction) and action.edit and action.edit.changes
        (edit,) = action.edit.changes[served.uri(file)]
        text = (served.spec / file).read_text(encoding="utf-8").replace(old, new, 1).split("\n")
        line = text[edit.range.start.line]
        fixed = line[: edit.range.start.character] + edit.new_text + line[edit.range.end.character :]
        assert fixed == (served.spec / file).read_text(encoding="utf-8").split("\n")[edit.range.start.line]
        assert edit.new_text == did_you_mean("personnumer", ["personnummer"]).name  # type: ignore[union-attr]


def test_a_buffer_opened_with_a_mistake_is_checked_on_open(served: Session, twin: Path) -> None:
    file, old, new = MISTAKES["duplicate"]
    original = (served.spec / file).read_text(encoding="utf-8")
    (twin / file).write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        served.open(file, original.replace(old, new, 1))
        assert server_says(served) == check_says(twin) != set()
    finally:
        (twin / file).write_text(original, encoding="utf-8")
        served.close(file)  # closed: the file is read again, and it has no mistake
    assert served.diagnostics() == {}


def test_a_burst_of_changes_is_checked_once_with_its_last_text(served: Session) -> None:
    file, old, new = MISTAKES["unknown name"]
    original = (served.spec / file).read_text(encoding="utf-8")
    served.open(file)
    before = served.times_published.get(served.uri(file), 0)
    try:
        for i in range(10):  # as fast as a client sends them: the server is still settling when the next comes
            served.change(file, original.replace(old, new, 1) if i % 2 == 0 else original, wait=False)
        served.change(file, original.replace(old, new, 1))
        assert served.times_published[served.uri(file)] - before < 11
        (diag,) = served.diagnostics()[served.uri(file)]
        assert "personnumer" in diag.message
    finally:
        served.change(file, original)
        served.close(file)


def test_columns_are_counted_as_the_client_counts_them(served: Session, twin: Path) -> None:
    """check counts code points; the client (UTF-16 by default) counts a character outside the BMP as two."""
    file, old = "rules.lss", "require valid_personnummer(personnummer)"
    new = 'title "😀" valid_personnummer(personnumer)'
    with mistake(served, twin, file, old, new):
        (said,) = {s for s in check_says(twin) if s[0] == file}
        (diag,) = served.diagnostics()[served.uri(file)]
        line = (twin / file).read_text(encoding="utf-8").split("\n")[said[1] - 1]
        utf16 = len(line[: said[2] - 1].encode("utf-16-le")) // 2
        assert diag.range.start == t.Position(said[1] - 1, utf16)
        assert utf16 == said[2] - 1 + 1  # one more unit than code points: the emoji before it


def test_definition_from_a_worked_example(served: Session) -> None:
    file = "examples/LSS-R04.yaml"
    pos = served.position(file, "rule: LSS-R04", 8)
    found = served.run(served.client.text_document_definition_async(t.DefinitionParams(served.doc(file), pos)))
    assert isinstance(found, t.Location) and found.uri == served.uri("rules.lss")
    assert found.range.start == served.position("rules.lss", "rule LSS-R04 {", 5)


def test_a_link_out_of_the_folder_is_never_read(tmp_path: Path) -> None:
    """check follows a link named *.lss in the folder it is given; the server says it and reads nothing there."""
    folder = _copy(tmp_path / "spec")
    secret = tmp_path / "hemlig.txt"
    secret.write_text("rule HEMLIGT {\n", encoding="utf-8")  # a syntax error would echo its text
    (folder / "ute.lss").symlink_to(secret)
    session = Session(folder)
    try:
        said = session.diagnostics()
        (diag,) = said[session.uri("ute.lss")]
        assert diag.code == "E011" and "symbolisk länk ut ur specifikationsmappen" in diag.message
        assert "HEMLIGT" not in repr(said)
        session.open("ute.lss", "rule HEMLIGT {")
        hover = session.run(
            session.client.text_document_hover_async(t.HoverParams(session.doc("ute.lss"), t.Position(0, 6)))
        )
        assert hover is None  # a document that is, resolved, outside the folder gets nothing
    finally:
        session.stop()


def test_without_spec_the_workspaces_spec_folder_is_served(tmp_path: Path) -> None:
    """As VS Code starts it: no --spec, the workspace holds spec/."""
    folder = _copy(tmp_path / "spec")
    session = Session(folder, workspace=tmp_path)
    try:
        file, old, new = MISTAKES["unknown name"]
        session.open(file, (folder / file).read_text(encoding="utf-8").replace(old, new, 1))
        (diag,) = session.diagnostics()[session.uri(file)]
        assert diag.code == "E002"
    finally:
        session.stop()
