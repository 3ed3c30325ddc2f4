"""Which spec a command reads.

1. ``--spec PATH`` when given (a spec folder or one ``.lss`` file);
2. else, for the commands that edit and study a spec (``check``, ``fmt``, ``explain``, ``diff``,
   ``impact``: ``working_copy=True``), ``spec/`` of the working directory when it holds ``.lss``
   files — the copy a spec editor is editing, so ``explain`` and ``diff`` show the edit at once;
   they say so in one line on standard error (:data:`WORKING_COPY_LINE`);
3. else the spec installed with the package — always, without ``--spec``, for the commands that
   give a verdict or make something for others (``validate``, ``compile``, ``schema``, ``report``,
   ``conformance``, ``generate``, ``convert``, ``years``, ``docs``): a ``spec/`` in a folder someone
   else prepared once turned "ej godkänd" into "godkänd" (issue 22).  When such a folder holds a
   ``spec/`` that is not the installed one (another folder with other files or other bytes: a checkout
   beside a regular install is the installed spec), they say in one line that they did not read it.

Every output that depends on the spec names the one it used: its path when it is not the
installed one, and its digest (:attr:`lss_rules.language.model.Spec.digest`, the sha256 of the spec
files and data) — a vendor's report then says exactly which rules judged it.  This module
imports nothing of the parser, so ``lss-rules validate`` can resolve the spec on a cache hit
without loading lark.

>>> resolve(None, cwd=Path("/")).installed
True
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, NamedTuple

from lss_rules.runtime import python as runtime

LOCAL = "spec"  # the folder of the working directory that an editing command reads when it holds .lss files
#: What an editing command prints on standard error when it reads the working copy.
WORKING_COPY_LINE = "Specifikation: ./spec (arbetskopian)"
#: What a command that gives a verdict prints on standard error when it leaves a ``spec/`` here unread.
IGNORED_LINE = (
    "Obs: spec/ i arbetsmappen läses inte; den installerade specifikationen gäller (ange --spec spec för arbetskopian)"
)


class SpecSource(NamedTuple):
    """The spec a command reads: its path and whether it is the one installed with the package.

    A named tuple, not a dataclass: ``lss-rules validate`` imports this module on every run, and
    :mod:`dataclasses` (with :mod:`inspect`) costs a tenth of a small run's start.
    """

    path: Path
    installed: bool
    #: The working copy ``./spec``, read because the command edits a spec and no ``--spec`` was given.
    working_copy: bool = False
    #: A ``spec/`` of the working directory, not the installed one, that the command did not read.
    ignored_local: bool = False

    @property
    def shown_path(self) -> str | None:
        """The path as reports print it: None for the installed spec."""
        return None if self.installed else str(self.path)

    def describe(self, digest: str, lang: str = "sv") -> str:
        """``Specifikation: spec (sha256:0123456789ab)``, one line for text outputs."""
        return runtime.spec_line(self.as_json(digest), lang)

    def as_json(self, digest: str) -> dict[str, Any]:
        """The ``spec`` object of JSON outputs: ``{"path": null | "...", "digest": "<sha256>"}``."""
        result: dict[str, Any] = runtime.spec_object(self.shown_path, digest)
        return result


def installed_dir() -> Path:
    """The spec installed with the package (found without importing it, which costs a start-up)."""
    found = importlib.util.find_spec("lss_rules.spec")
    if found is None or not found.submodule_search_locations:  # a broken install: one line, exit 2
        from lss_rules.errors import UsageError

        raise UsageError("lss_rules.spec saknas: installationen av lss-rules är ofullständig; installera om paketet")
    return Path(next(iter(found.submodule_search_locations)))


def resolve(given: str | Path | None, cwd: Path | None = None, *, working_copy: bool = False) -> SpecSource:
    """The spec a command reads (the rule in the module docstring); ``working_copy`` for an editing command."""
    if given is not None:
        path = Path(given)
        return SpecSource(path, _same(path, installed_dir()))
    local = (cwd or Path(".")) / LOCAL
    if local.is_dir() and any(local.glob("*.lss")):
        same = _same(local, installed_dir())  # a checkout of this repository, installed editable
        if working_copy:
            return SpecSource(Path(LOCAL) if cwd is None else local, same, working_copy=not same)
        if not same:
            return SpecSource(installed_dir(), True, ignored_local=True)
    return SpecSource(installed_dir(), True)


def announce(source: SpecSource) -> None:
    """One line on standard error where the spec read is not what a reader would assume (see the docstring)."""
    import sys

    if source.working_copy:
        print(WORKING_COPY_LINE, file=sys.stderr)
    elif source.ignored_local:
        print(IGNORED_LINE, file=sys.stderr)


def _same(a: Path, b: Path) -> bool:
    """Whether ``a`` is the installed spec ``b``: the same folder (an editable install), or a copy of it file
    for file, byte for byte (a checkout beside a regular install: the tests, CI, a vendor's copy)."""
    try:
        if a.resolve() == b.resolve():
            return True
        mine = _files(a)
        return mine is not None and mine == _files(b)
    except OSError:
        return False


#: The most a folder is read to compare it with the installed spec (which is about 40 files, 200 kB).
_MOST_FILES, _MOST_BYTES = 500, 8 << 20


def _files(root: Path) -> dict[str, bytes] | None:
    """Every file under ``root`` by relative path with its bytes (``__pycache__`` and the top ``__init__.py``
    left out: the package's, not the spec's); None when there
    is more than :data:`_MOST_FILES` files or :data:`_MOST_BYTES` bytes, or anything but folders and regular
    files (a link, a FIFO): such a folder is never taken for the installed spec, and never read to its end."""
    import os
    import stat

    from lss_rules.language.regular import read_regular

    out: dict[str, bytes] = {}
    room = _MOST_BYTES
    for folder, dirs, files in os.walk(root, onerror=_raise):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                continue
            if not stat.S_ISREG(mode) or len(out) >= _MOST_FILES:
                return None
            if name == "__init__.py" and folder == str(root):  # what makes the installed spec a package
                continue
            data = read_regular(path, room)
            room -= len(data)
            out[os.path.relpath(path, root)] = data
    return out


def _raise(exc: OSError) -> None:
    raise exc
