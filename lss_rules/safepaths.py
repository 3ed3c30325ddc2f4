"""Paths a spec names, made safe: printable in messages, inside the spec folder, small regular files.

A spec is data, not a program (docs/guide/security.md).  It may name dataset files of its own
folder only — no absolute path, no ``..``, no symbolic link that leads out of the folder, no
device or FIFO, nothing over :data:`MAX_DATASET_BYTES` (``file "/etc/passwd"`` once echoed that
file's first line, ``file "/dev/zero"`` ended in MemoryError).  Imports only the standard library:
the validator cache (:mod:`lss_rules.compiled`) reads datasets through it without loading lark.

>>> printable("a\\nb")
'`a\\\\nb`'
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath

from lss_rules.errors import DataError

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
    root = base.resolve()
    path = (base / file).resolve()
    if not path.is_relative_to(root):
        raise DataError("leder ut ur specifikationsmappen (en symbolisk länk)")
    try:
        st = path.stat()
    except OSError as exc:
        raise DataError(f"kan inte läsas ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise DataError("är ingen vanlig fil")
    if st.st_size > MAX_DATASET_BYTES:
        raise DataError(f"är för stor ({st.st_size} byte; högst {MAX_DATASET_BYTES})")
    return path


def read_dataset(path: Path) -> bytes:
    """The bytes of a dataset file checked by :func:`dataset_path` (checked again once open)."""
    # non-blocking and checked again after opening: a file swapped for a FIFO or device meanwhile is refused
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as raw:
        if not stat.S_ISREG(os.fstat(raw.fileno()).st_mode):
            raise DataError("är ingen vanlig fil")
        data = raw.read(MAX_DATASET_BYTES + 1)  # a file that grew after the check is still capped
    if len(data) > MAX_DATASET_BYTES:
        raise DataError(f"filen är större än {MAX_DATASET_BYTES} byte")
    return data
