"""The validator cache folder, opened once and then used only through its descriptor.

The folder (``${XDG_CACHE_HOME:-~/.cache}/lss-rules``) holds code that ``lss-rules validate``
runs, so nobody but its owner may have put anything in it, and a path that someone else can
change must not decide which folder that is (docs/guide/security.md, "Cachen"):

- it is opened once, ``O_DIRECTORY | O_NOFOLLOW`` (a symbolic link in its place is refused), and
  the descriptor is checked: a folder of ours.  Every later read, write, rename and removal is
  relative to that descriptor (``dir_fd=``), so swapping the path for a link or another folder
  afterwards changes nothing: we keep working in the folder we checked.  The parent folder is not
  checked — a parent others can write (``/tmp``) lets them put their own folder or a link there
  first, which is refused like any folder that is not ours (the run then compiles in memory).
- a folder that others could write (group or other ``w``, an old umask) is closed (``700``) and
  emptied before use: what anybody may have put there is never read.  If it cannot be emptied it
  is not used.
- every entry is checked on its open descriptor before a byte of it is used: a regular file,
  ours, nobody else may write it, one link, not too big.  Anything else is removed.

Writes go to a new temporary file (``O_EXCL | O_NOFOLLOW``, mode ``600``) renamed into place.
Linux and other systems with ``dir_fd`` support only; elsewhere no cache folder is used.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
#: Only where every operation below can be made relative to a folder's descriptor.
SUPPORTED = (
    bool(_NOFOLLOW and _DIRECTORY)
    and {
        os.open,
        os.mkdir,
        os.unlink,
        os.rmdir,
        os.rename,
        os.stat,
    }
    <= os.supports_dir_fd
)


def _owner() -> int:
    return os.geteuid()


class CacheDir:
    """An open cache folder (use as a context manager: the descriptor is closed at the end)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __enter__(self) -> CacheDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    @classmethod
    def open(cls, path: Path) -> CacheDir | None:
        """The folder at ``path`` (created, owner only, when missing); None when it cannot be ours."""
        if not SUPPORTED:
            return None
        try:
            os.makedirs(path.parent, mode=0o700, exist_ok=True)
            parent = os.open(path.parent, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
        except OSError:
            return None
        try:
            with contextlib.suppress(FileExistsError):
                os.mkdir(path.name, 0o700, dir_fd=parent)
            fd = os.open(path.name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=parent)
        except OSError:  # a link, not a folder, not ours to open
            return None
        finally:
            os.close(parent)
        folder = cls(fd)
        if not folder._claim():
            folder.close()
            return None
        return folder

    def _claim(self) -> bool:
        """True when the open folder is ours and nobody else can write it (emptied first if they could)."""
        try:
            st = os.fstat(self.fd)
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != _owner():
                return False
            if st.st_mode & 0o077:
                os.fchmod(self.fd, 0o700)  # from now on nobody else can add or rename an entry here
            if st.st_mode & 0o022:
                _empty(self.fd)  # whatever is here may have been put by someone else: never read it
        except OSError:
            return False
        return True

    def read(self, name: str, limit: int) -> bytes | None:
        """The bytes of entry ``name`` if it is a regular file of ours that nobody else can write; else None.

        An entry that is there but fails a check is removed (it is not one we wrote).
        """
        flags = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC
        try:
            fd = os.open(name, flags, dir_fd=self.fd)
        except FileNotFoundError:
            return None
        except OSError:  # a link (ELOOP), a folder, a file we may not read
            self.remove(name)
            return None
        try:
            st = os.fstat(fd)
            data = _read_all(fd, limit) if _ours(st) and st.st_size <= limit else None
        except OSError:
            data = None
        finally:
            os.close(fd)
        if data is None:
            self.remove(name)
        return data

    def write(self, name: str, data: bytes) -> bool:
        """Write entry ``name`` atomically (a new temporary file renamed into place); False if it cannot."""
        self.sweep()
        tmp = f".tmp-{os.urandom(8).hex()}"  # O_EXCL below: a name taken is a failed write
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
        try:
            fd = os.open(tmp, flags, 0o600, dir_fd=self.fd)
        except OSError:
            return False
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            os.rename(tmp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)  # replaces: POSIX rename
        except OSError:  # a full disk: the temporary file goes, the run compiles in memory
            self.remove(tmp)
            return False
        return True

    def remove(self, name: str) -> None:
        """Remove entry ``name`` (a file or a link; a folder with what is in it); best effort."""
        with contextlib.suppress(OSError):
            _remove(self.fd, name)

    def sweep(self, age: float = 3600) -> None:
        """Remove temporary files of killed runs older than ``age`` seconds."""
        limit = time.time() - age
        with contextlib.suppress(OSError):
            for name in os.listdir(self.fd):
                if name.startswith(".tmp-"):
                    with contextlib.suppress(OSError):
                        if os.stat(name, dir_fd=self.fd, follow_symlinks=False).st_mtime < limit:
                            os.unlink(name, dir_fd=self.fd)


def _ours(st: os.stat_result) -> bool:
    """A regular file of ours, one link, that nobody else may write (we write entries ``600``)."""
    return stat.S_ISREG(st.st_mode) and st.st_uid == _owner() and not st.st_mode & 0o022 and st.st_nlink == 1


def _read_all(fd: int, limit: int) -> bytes | None:
    chunks, size = [], 0
    while size <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks) if size <= limit else None


def _empty(fd: int) -> None:
    """Remove everything in the folder open as ``fd`` (OSError when something cannot be removed)."""
    for name in os.listdir(fd):
        _remove(fd, name)


def _remove(fd: int, name: str) -> None:
    st = os.stat(name, dir_fd=fd, follow_symlinks=False)
    if not stat.S_ISDIR(st.st_mode):
        os.unlink(name, dir_fd=fd)
        return
    sub = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
    try:
        _empty(sub)
    finally:
        os.close(sub)
    os.rmdir(name, dir_fd=fd)
