"""Writing a command's output folder (``generate``, ``conformance export``) safely.

- A folder that holds anything is refused unless ``--force``; with ``--force`` what an
  earlier run of the same command wrote there is removed first (never anything else),
  so old files never stand beside new ones.
- Every name written is a plain name (no ``/``, no ``..``): nothing lands outside the folder.
- A file is created anew (``O_CREAT | O_EXCL | O_NOFOLLOW``): a symbolic link in the folder
  is never followed, an existing file never written through.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from lss_rules.errors import UsageError

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def prepare(out: Path, *, force: bool, ours: Callable[[Path], bool]) -> None:
    """Make ``out`` an empty folder to write to (UsageError when it cannot or may not be)."""
    if os.path.lexists(out) and not out.is_dir():
        raise UsageError(f"{out}: finns redan och är inte en mapp")
    try:
        out.mkdir(parents=True, exist_ok=True)
        entries = sorted(out.iterdir())
    except OSError as exc:
        raise UsageError(f"{out}: kan inte skrivas ({exc.strerror})") from None
    if not entries:
        return
    if not force:
        raise UsageError(
            f"{out}: mappen är inte tom ({len(entries)} filer eller mappar); välj en tom eller ny mapp, "
            "eller ange --force för att ersätta det en tidigare körning skrev där"
        )
    for entry in entries:
        if os.path.islink(entry):
            entry.unlink()  # a link is removed, never followed
        elif ours(entry):
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def plain(name: str) -> str:
    if not _PLAIN.fullmatch(name):
        raise UsageError(f"{name!r}: inget enkelt filnamn; skrivs inte")  # pragma: no cover - names are ours
    return name


def make_dir(folder: Path, name: str) -> Path:
    path = folder / plain(name)
    os.mkdir(path)  # FileExistsError when anything (a link too) is already there
    return path


def write_file(folder: Path, name: str, data: bytes) -> None:
    """Create ``folder/name`` with ``data``; never through a link or over an existing file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(folder / plain(name), flags, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
