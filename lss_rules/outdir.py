"""Writing a command's output folder (``generate``, ``conformance export``, ``release``) safely.

- A folder that holds anything is refused unless ``--force``.
- The command writes a record of what it writes, :data:`RECORD` (``.lss-rules-utdata.json``): the
  command, and each file with its sha256 (``NAME`` or ``FOLDER/NAME``, one level of folders).  With
  ``--force`` exactly those files and folders are removed, and only when the folder holds nothing
  else: every entry must be one the record lists, a regular file (or a real folder) with the bytes
  written, not a link.  Anything else — a real submission ``0114.txt`` placed beside, a folder
  without a record, a record of another command, one naming ``../x`` or ``/etc`` — is one Swedish
  line and exit 2, with nothing removed.  (By name alone, ``generate --force`` once removed real
  submissions and ``conformance export --force`` any folder holding an ``expected.json``.)
- Every name written is a plain name (no ``/``, no ``..``): nothing lands outside the folder.
- The folder is opened once and everything is done relative to it (``dir_fd``); a file is created
  anew (``O_CREAT | O_EXCL | O_NOFOLLOW``): a symbolic link is never followed, an existing file never
  written through.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn

from lss_rules.errors import UsageError
from lss_rules.runtime.python import os_error_text, printable

# a kit has ÄNDRINGAR.md: Swedish letters are plain too (still no separator, no leading dot, no ..)
_PLAIN = re.compile(r"[A-Za-z0-9ÅÄÖåäö][A-Za-z0-9ÅÄÖåäö._-]{0,99}")
#: The record of what a command wrote in its output folder.
RECORD = ".lss-rules-utdata.json"
#: The first key of a record: what it is.
RECORD_FORMAT = "lss-rules utdata 1"
#: The commands that write one (the record names its command; another's is refused).
COMMANDS = ("generate", "conformance export", "release")
_MAX_RECORD = 16 << 20
_HEX = re.compile(r"[0-9a-f]{64}")
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def write_tree(out: Path, command: str, make: Callable[[], Mapping[str, bytes]], *, force: bool) -> None:
    """Write the files ``make()`` gives (``NAME`` or ``FOLDER/NAME`` -> bytes) into ``out``, empty or new.

    With ``force`` a folder that holds exactly what an earlier run of ``command`` recorded is emptied
    first; anything else there is UsageError (nothing removed) before ``make`` is called.  The record
    is written before the files, so a run stopped half-way leaves a folder the next ``--force`` empties.
    """
    assert command in COMMANDS
    fd = _open(out)
    try:
        _prepare(fd, out, command, force)
        files = make()
        names = sorted(files)
        for name in names:
            _split(name)  # our own names are plain: a mistake here must not write outside the folder
        record = {"format": RECORD_FORMAT, "command": command, "files": {n: _sha256(files[n]) for n in names}}
        _create(fd, RECORD, (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        made: set[str] = set()
        for name in names:
            folder, base = _split(name)
            if folder is None:
                _create(fd, base, files[name])
                continue
            if folder not in made:
                os.mkdir(folder, 0o755, dir_fd=fd)  # FileExistsError when anything (a link too) is there
                made.add(folder)
            sub = os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
            try:
                _create(sub, base, files[name])
            finally:
                os.close(sub)
    finally:
        os.close(fd)


def _open(out: Path) -> int:
    if os.path.lexists(out) and not out.is_dir():
        raise UsageError(f"{printable(str(out))}: finns redan och är inte en mapp")
    try:
        out.mkdir(parents=True, exist_ok=True)
        return os.open(out, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError as exc:
        raise UsageError(f"{printable(str(out))}: kan inte skrivas ({os_error_text(exc)})") from None


def _prepare(fd: int, out: Path, command: str, force: bool) -> None:
    """Leave the open folder empty, or raise UsageError (see :func:`write_tree`)."""
    shown = printable(str(out))
    entries = sorted(os.listdir(fd))
    if not entries:
        return
    if not force:
        raise UsageError(
            f"{shown}: mappen är inte tom ({len(entries)} filer eller mappar); välj en tom eller ny mapp, "
            f"eller ange --force för att ersätta det en tidigare körning av `lss-rules {command}` skrev där"
        )
    if RECORD not in entries:
        raise UsageError(
            f"{shown}: --force tar bara bort det en tidigare körning av `lss-rules {command}` skrev och antecknade "
            f"i {RECORD}, och mappen har ingen sådan anteckning; ingenting togs bort — välj en tom eller ny mapp"
        )
    recorded = _read_record(fd, out, command)
    _check_only_recorded(fd, out, command, entries, recorded)
    for name in sorted(recorded, key=lambda n: (n.count("/"), n), reverse=True):  # files, then their folders
        folder, base = _split(name)
        with contextlib.suppress(FileNotFoundError):
            if folder is None:
                os.unlink(base, dir_fd=fd)
            else:
                sub = os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
                try:
                    os.unlink(base, dir_fd=sub)
                finally:
                    os.close(sub)
    for folder in sorted({f for f, _ in map(_split, recorded) if f is not None}):
        with contextlib.suppress(FileNotFoundError):
            os.rmdir(folder, dir_fd=fd)
    os.unlink(RECORD, dir_fd=fd)


def _read_record(fd: int, out: Path, command: str) -> dict[str, str]:
    """The files the record lists (name -> sha256); UsageError unless it is a record of ``command`` we could write."""
    where = printable(str(out / RECORD))
    data = _read(fd, RECORD, _MAX_RECORD)
    try:
        doc = json.loads(data.decode("utf-8")) if data is not None else None
    except (ValueError, RecursionError):
        doc = None
    problem = _record_problem(doc, command)
    if problem is not None:
        raise UsageError(f"{where}: {problem}; ingenting togs bort — välj en tom eller ny mapp")
    assert isinstance(doc, dict)
    return dict(doc["files"])


def _record_problem(doc: Any, command: str) -> str | None:
    if not isinstance(doc, dict) or doc.get("format") != RECORD_FORMAT or not isinstance(doc.get("files"), dict):
        return "är ingen anteckning från lss-rules (eller en vanlig fil av rätt storlek)"
    if doc.get("command") != command:
        other = doc.get("command")
        said = f"`lss-rules {other}`" if other in COMMANDS else "ett annat kommando"
        return f"mappen skrevs av {said}, inte av `lss-rules {command}`"
    for name, digest in doc["files"].items():
        try:
            _split(name)
        except ValueError:
            return f"anteckningen nämner {printable(name)}, som inte är ett enkelt namn i mappen"
        if not isinstance(digest, str) or not _HEX.fullmatch(digest):
            return f"anteckningen har ingen giltig sha256 för {printable(name)}"
    return None


def _check_only_recorded(fd: int, out: Path, command: str, entries: list[str], recorded: Mapping[str, str]) -> None:
    """UsageError naming the first entry that is not one the record lists as written (link, other bytes, other name)."""
    folders = {f for f, _ in map(_split, recorded) if f is not None}
    for name in entries:
        if name == RECORD:
            continue
        if name in folders:
            sub = _open_folder(fd, name)
            if sub is None:
                _foreign(out, name, command)
            try:
                for inner in sorted(os.listdir(sub)):
                    if not _as_written(sub, inner, recorded.get(f"{name}/{inner}")):
                        _foreign(out, f"{name}/{inner}", command)
            finally:
                os.close(sub)
        elif not _as_written(fd, name, recorded.get(name)):
            _foreign(out, name, command)


def _foreign(out: Path, name: str, command: str) -> NoReturn:
    raise UsageError(
        f"{printable(str(out))}: {printable(name)} skrevs inte av `lss-rules {command}` (eller har ändrats sedan), "
        "så --force tar inte bort något; flytta det eller välj en tom eller ny mapp"
    )


def _as_written(fd: int, name: str, digest: str | None) -> bool:
    """``name`` is a regular file (not a link) holding the bytes whose sha256 is ``digest``."""
    if digest is None:
        return False
    data = _read(fd, name, _MAX_FILE)
    return data is not None and _sha256(data) == digest


#: The largest file compared with its record (a generated register's file, a suite's vector file).
_MAX_FILE = 1 << 30


def _read(fd: int, name: str, limit: int) -> bytes | None:
    """The bytes of regular file ``name`` in the open folder (no link followed); None for anything else."""
    try:
        f = os.open(name, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC, dir_fd=fd)
    except OSError:
        return None
    try:
        st = os.fstat(f)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(f, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= limit else None
    except OSError:
        return None
    finally:
        os.close(f)


def _open_folder(fd: int, name: str) -> int | None:
    try:
        return os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
    except OSError:
        return None


def is_plain(name: str) -> bool:
    """``name`` is a plain file name: no separator, no leading dot, no ``..`` (what a command writes)."""
    return isinstance(name, str) and bool(_PLAIN.fullmatch(name)) and ".." not in name and name != RECORD


def _split(name: str) -> tuple[str | None, str]:
    """``NAME`` -> (None, NAME), ``FOLDER/NAME`` -> (FOLDER, NAME); ValueError unless each part is a plain name."""
    parts = name.split("/") if isinstance(name, str) else []
    if not 1 <= len(parts) <= 2 or not all(_PLAIN.fullmatch(p) for p in parts) or RECORD in parts:
        raise ValueError(name)
    return (None, parts[0]) if len(parts) == 1 else (parts[0], parts[1])


def _create(fd: int, name: str, data: bytes) -> None:
    """Create ``name`` in the open folder with ``data``; never through a link or over an existing file."""
    f = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o644, dir_fd=fd)
    with os.fdopen(f, "wb") as handle:
        handle.write(data)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
