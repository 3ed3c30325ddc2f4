"""Paths a spec names, made safe: printable in messages, inside the spec folder, small regular files.

A spec is data, not a program (docs/guide/security.md).  It may name dataset files of its own
folder only — no absolute path, no ``..``, no symbolic link that leads out of the folder, no
device or FIFO, nothing over :data:`MAX_DATASET_BYTES` (``file "/etc/passwd"`` once echoed that
file's first line, ``file "/dev/zero"`` ended in MemoryError).  Imports only the standard library:
the validator cache (:mod:`lss_rules.backends.python.cache`) reads datasets through it without loading lark.

>>> printable("a\\nb")
'`a\\\\nb`'
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path, PurePosixPath

from lss_rules.errors import DataError
from lss_rules.language.regular import NotRegular, TooLarge, read_regular

#: The largest dataset file a spec may read (the municipality list is about 10 kB).
MAX_DATASET_BYTES = 4 * 1024 * 1024


def printable(text: str) -> str:
    """``text`` quoted, with every character that is not printable escaped (a name or path in a message)."""
    return "`" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "`"


def dataset_path(base: Path, file: str) -> Path:
    """The dataset file ``file`` of a spec in folder ``base``; DataError unless it is a plain file inside it.

    A spec is data, not a program: it may name files of its own folder only — no absolute path, no
    ``..``, no symbolic link that leads out of the folder, no device or FIFO, nothing over
    :data:`MAX_DATASET_BYTES`.  (``file "/etc/passwd"`` once echoed that file's first line.)
    """
    pure = PurePosixPath(file)
    if pure.is_absolute() or "\\" in file or re.match(r"[A-Za-z]:", file):
        raise DataError("är absolut; ange en sökväg relativt specifikationsmappen")
    if ".." in pure.parts:
        raise DataError("innehåller `..`; filen ska ligga i specifikationsmappen")
    if any(not c.isprintable() for c in file):
        raise DataError("innehåller tecken som inte är utskrivbara")
    try:
        root = base.resolve()
        path = (base / file).resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links (RuntimeError before Python 3.13)
        raise DataError("kan inte läsas (symboliska länkar som pekar på varandra i en slinga)") from None
    if not path.is_relative_to(root):
        raise DataError("leder ut ur specifikationsmappen (en symbolisk länk)")
    try:
        st = path.stat()
    except OSError as exc:
        from lss_rules.runtime.python import os_error_text

        raise DataError(f"kan inte läsas ({os_error_text(exc)})") from None
    if not stat.S_ISREG(st.st_mode):
        raise DataError("är ingen vanlig fil")
    if st.st_size > MAX_DATASET_BYTES:
        raise DataError(f"är för stor ({st.st_size} byte; högst {MAX_DATASET_BYTES})")
    return path


#: Unsaved editor buffers by resolved path: the language server (:mod:`lss_rules.tools.lsp`) checks the text an
#: editor holds from memory, never writing it; a read of a spec, dataset or example file takes the buffer instead
_BUFFERS: ContextVar[Mapping[Path, bytes] | None] = ContextVar("lss_buffers", default=None)


@contextlib.contextmanager
def buffers(held: Mapping[Path, bytes]) -> Iterator[None]:
    """Within the block, :func:`read_dataset` and :func:`read_spec_file` read these bytes for these files (each
    still checked on disk by :func:`dataset_path`: a buffer names a file of the spec folder, never another)."""
    token = _BUFFERS.set({p.resolve(): data for p, data in held.items()})
    try:
        yield
    finally:
        _BUFFERS.reset(token)


def _buffer(path: Path) -> bytes | None:
    held = _BUFFERS.get()
    return held.get(Path(path).resolve()) if held else None


def read_dataset(path: Path) -> bytes:
    """The bytes of a dataset file checked by :func:`dataset_path`, read by the one bounded read
    (:func:`~lss_rules.language.regular.read_regular`): checked again once open, never followed through a
    link put in its place meanwhile, a file that grew after the check still capped. An editor's unsaved buffer
    (:func:`buffers`) is taken instead of the file."""
    if (held := _buffer(path)) is not None:
        if len(held) > MAX_DATASET_BYTES:
            raise DataError(f"filen är större än {MAX_DATASET_BYTES} byte")
        return held
    try:
        return read_regular(path, MAX_DATASET_BYTES, follow=False)
    except NotRegular:
        raise DataError("är ingen vanlig fil") from None
    except TooLarge:
        raise DataError(f"filen är större än {MAX_DATASET_BYTES} byte") from None


#: The largest ``.lss`` file read: the same cap as a dataset's (the whole installed spec is about 100 kB).
MAX_SPEC_BYTES = MAX_DATASET_BYTES


def check_spec_file(path: Path) -> Path:
    """``path`` when it is (or links to) a regular file; UsageError (one line, exit 2) else — before its name
    or bytes are looked at, as :func:`read_spec_file` does again on the open descriptor."""
    from lss_rules.errors import UsageError
    from lss_rules.runtime.python import os_error_text

    try:
        st = os.stat(path)
    except OSError as exc:
        raise UsageError(f"{path}: kan inte läsas ({os_error_text(exc)})") from None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"{path}: {_NOT_REGULAR}")
    return path


_NOT_REGULAR = "är ingen vanlig fil (en enhet, en FIFO eller en mapp); ange en .lss-fil"


def read_spec_file(path: Path) -> bytes:
    """The bytes of a spec file (``.lss``): a regular file of at most :data:`MAX_SPEC_BYTES`; UsageError else.

    The same checks as a dataset's, on the open descriptor: ``--spec`` given a link to ``/dev/zero``
    once read without end, a FIFO named ``regler.lss`` in a spec folder hung every command.  A link to
    a regular file is followed (the user named it).
    """
    from lss_rules.errors import UsageError
    from lss_rules.runtime.python import os_error_text

    try:
        if (held := _buffer(path)) is not None:
            if len(held) > MAX_SPEC_BYTES:
                raise TooLarge(path)
            return held
        return read_regular(path, MAX_SPEC_BYTES)
    except NotRegular:
        raise UsageError(f"{path}: {_NOT_REGULAR}") from None
    except TooLarge:
        raise UsageError(
            f"{path}: är för stor (mer än {MAX_SPEC_BYTES} byte); en specifikationsfil är mindre"
        ) from None
    except OSError as exc:
        raise UsageError(f"{path}: kan inte läsas ({os_error_text(exc)})") from None
