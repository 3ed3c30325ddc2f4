"""Reading a file that must be a regular file of bounded size.

Opened non-blocking and checked on the descriptor: a FIFO named like a spec file once hung every command, a
link to ``/dev/zero`` once read without end.  The one primitive the spec reader
(:func:`lss_rules.language.paths.read_spec_file`, which says why in a :class:`~lss_rules.errors.UsageError`) and
the diagnostics (which show a source line when they can, and none else) share; it imports nothing of
lss_rules, so the lowest layer may use it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegular(OSError):
    """The path names a device, a FIFO, a socket or a folder."""


class TooLarge(OSError):
    """The file holds more than the limit."""


def read_regular(path: Path | str, limit: int, *, follow: bool = True) -> bytes:
    """The bytes of ``path`` (a link to a regular file is followed unless ``follow`` is false, then it is an
    OSError): OSError when it cannot be read, :class:`NotRegular` when it is no regular file, :class:`TooLarge`
    past ``limit`` bytes."""
    nofollow = 0 if follow else getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | nofollow)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(path)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise TooLarge(path)
    return b"".join(chunks)
