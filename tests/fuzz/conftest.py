"""The fuzz suite's harness: run the CLI in-process, guard processes and writes, count cases.

Each fuzz test runs the command line's ``main`` with an argv (no interpreter start per case),
inside :func:`guarded`, which fails the case if any process other than the allowed vendor
command is started.  In CI each test runs its ``max_examples`` (a few seconds each);
``scripts/fuzz --minutes N`` sets ``LSS_FUZZ_SECONDS`` and each test then repeats its
Hypothesis run until its share of the time is used, counting the cases in ``LSS_FUZZ_REPORT``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from lss_rules.cli import main

COUNTS: dict[str, int] = {}


def count(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def drive(name: str, test: Callable[[], None]) -> None:
    """Run a @given test once (CI), or again and again for its share of LSS_FUZZ_SECONDS (scripts/fuzz)."""
    budget = float(os.environ.get("LSS_FUZZ_SECONDS", "0") or 0)
    if budget <= 0:
        test()
        return
    end = time.monotonic() + budget
    while time.monotonic() < end:
        test()


def pytest_sessionfinish(session: pytest.Session) -> None:
    report = os.environ.get("LSS_FUZZ_REPORT")
    if report and COUNTS:
        Path(report).write_text(json.dumps(COUNTS), encoding="utf-8")


class ProcessStarted(AssertionError):
    pass


@contextlib.contextmanager
def guarded(allowed: str | None = None) -> Iterator[list[list[str]]]:
    """Fail on any process started except ``allowed`` (the vendor command's program); yields the ones started."""
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    class Popen(real_popen):  # type: ignore[valid-type,misc]
        def __init__(self, args: Any, *a: Any, **kw: Any) -> None:
            argv = [str(x) for x in (args if isinstance(args, list | tuple) else [args])]
            if allowed is None or not argv or argv[0] != allowed:
                raise ProcessStarted(f"a process was started: {argv}")
            started.append(argv)
            super().__init__(args, *a, **kw)

    def refuse(*a: Any, **kw: Any) -> Any:
        raise ProcessStarted(f"a process was started: {a}")

    patches = [(subprocess, "Popen", Popen), (os, "system", refuse), (os, "posix_spawn", refuse), (os, "fork", refuse)]
    patches += [(os, n, refuse) for n in ("execv", "execve", "execvp", "execvpe", "spawnv", "spawnve", "popen")]
    saved = [(mod, n, getattr(mod, n)) for mod, n, _ in patches if hasattr(mod, n)]
    try:
        for mod, n, new in patches:
            if hasattr(mod, n):
                setattr(mod, n, new)
        yield started
    finally:
        for mod, n, old in saved:
            setattr(mod, n, old)


def run_cli(argv: list[str], allowed: str | None = None) -> tuple[int, str, str]:
    """``lss-rules ARGV`` in-process: (exit code, standard out, standard error); an exception fails the case."""
    out, err = io.StringIO(), io.StringIO()
    # in an empty working directory: a checkout's spec/ there (tests run from one) is not what a user has
    with (
        tempfile.TemporaryDirectory() as here,
        contextlib.chdir(here),
        guarded(allowed),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
    text_err = err.getvalue()
    assert "Traceback" not in text_err, text_err
    return code, out.getvalue(), text_err


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``folder`` (links not followed) with its size and modification time."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            st = p.lstat()
            out[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns)
    return out


def one_line_error(code: int, err: str) -> None:
    """Exit code 2 comes with a message on standard error, and no other code is used."""
    assert code in (0, 1, 2), code
    if code == 2:
        assert err.strip(), "exit code 2 without a message"
