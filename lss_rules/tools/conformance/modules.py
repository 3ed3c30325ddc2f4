"""The in-process runner: a suite through a compiled validator without a process per vector.

``conformance run --module lss_2023.py`` loads the module (from ``lss-rules compile``, standalone or
not) in this process and runs each vector through its API: ``report``, ``emit`` and ``exit_code``, in
the vector's folder, as ``python lss_2023.py --format json -- FILE...`` would.  ``--module lss-2023.mjs``
starts one node process with :file:`driver.mjs`, which imports the module and reads the vectors from
standard in, one JSON line each, and writes one JSON line per vector back.  Either way the answer is
judged by :func:`verdict.judge` exactly as a command's is: the same verdicts, the same JUnit.

The module is the user's own file (as ``--cmd`` is the user's own program): it is loaded under a private
name, nothing is added to ``sys.path``, no ``__pycache__`` is written beside it, and its ``main`` is never
called.  Loading it runs its top level, as importing it from their own program would.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from lss_rules.errors import UsageError
from lss_rules.runtime import python as runtime
from lss_rules.tools.conformance.reasons import error_line
from lss_rules.tools.conformance.suite import SuiteVector
from lss_rules.tools.conformance.verdict import Result, VendorCannotStart, judge

DRIVER = Path(__file__).with_name("driver.mjs")
_API = ("YEAR", "report", "emit", "exit_code", "read_deceased", "InputError", "TITLES", "NOTES")


def module_results(module: Path, year: int, vectors: Sequence[SuiteVector], timeout: float) -> Iterator[Result]:
    """The results of ``vectors`` in order, through the compiled module ``module`` (``.py`` or ``.mjs``)."""
    if not module.is_file():
        what = "finns inte" if not module.exists() else "är ingen vanlig fil"
        raise UsageError(f"--module {runtime.printable(str(module))}: {what}")
    if module.suffix == ".py":
        return _python_results(load_python(module, year), vectors)
    if module.suffix in (".mjs", ".js"):
        return _node_results(module, year, vectors, timeout)
    raise UsageError(
        f"--module {runtime.printable(module.name)}: ska vara en Python-modul (.py) eller en JavaScript-modul (.mjs) "
        "från lss-rules compile"
    )


# --------------------------------------------------------------------------- Python, in this process


def load_python(path: Path, year: int) -> ModuleType:
    """The compiled module at ``path``, loaded under a private name; UsageError when it is not one for ``year``."""
    name = f"_lss_conformance_module_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py path always has a loader
        raise UsageError(f"--module {runtime.printable(str(path))}: kan inte laddas")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # its dataclasses look their module up while it loads
    before = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # nothing written beside the user's file
    try:
        spec.loader.exec_module(mod)
    except (Exception, SystemExit) as exc:
        sys.modules.pop(name, None)
        last = traceback.format_exception_only(type(exc), exc)[-1]
        raise UsageError(f"--module {runtime.printable(path.name)} kan inte laddas: {error_line(last)}") from None
    finally:
        sys.dont_write_bytecode = before
    missing = [a for a in _API if not hasattr(mod, a)]
    if missing:
        sys.modules.pop(name, None)
        raise UsageError(
            f"--module {runtime.printable(path.name)}: saknar {', '.join(missing)}; "
            "ange en modul från lss-rules compile --year ÅR"
        )
    if year != mod.YEAR:
        sys.modules.pop(name, None)
        raise UsageError(f"--module {runtime.printable(path.name)} granskar {mod.YEAR}, men sviten gäller {year}")
    return mod


def _python_results(mod: ModuleType, vectors: Sequence[SuiteVector]) -> Iterator[Result]:
    try:
        for v in vectors:
            start = time.monotonic()
            code, out, err = _python_vector(mod, v)
            yield judge(v, code, out, err, time.monotonic() - start)
    finally:
        sys.modules.pop(mod.__name__, None)


def _python_vector(mod: ModuleType, vector: SuiteVector) -> tuple[int, str, str]:
    """(exit code, standard out, standard error) of the module's command line on the vector, in-process."""
    out = io.StringIO()
    with _in_folder(vector.folder):
        try:
            deceased = mod.read_deceased("deceased.txt") if vector.deceased else None
            report = mod.report(list(vector.files), deceased, False, lazy=True)
            mod.emit(report, "json", mod.TITLES, mod.NOTES, out=out)
            return int(mod.exit_code(report, False)), out.getvalue(), ""
        except mod.InputError as exc:
            return 2, "", f"{getattr(mod, 'PROG', 'modulen')}: {exc}\n"
        except Exception:  # the module crashed: as python would show it, a traceback on standard error
            return 1, "", traceback.format_exc()


@contextlib.contextmanager
def _in_folder(folder: Path) -> Iterator[None]:
    """Run in the vector's folder (as a command does), one vector at a time; the folder is restored after."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


# --------------------------------------------------------------------------- JavaScript, one node process


def _node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        raise UsageError("--module med en JavaScript-modul behöver node (18 eller senare), som inte finns här")
    return found


class _Driver:
    """One node process running :file:`driver.mjs` on the module; a vector a line."""

    def __init__(self, node: str, module: Path, year: int) -> None:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        try:
            self.proc = subprocess.Popen(
                [node, str(DRIVER), str(module.resolve())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
            )
        except OSError as exc:
            self.errors.close()
            raise VendorCannotStart(f"node kunde inte startas: {runtime.os_error_text(exc)}") from None
        first = self._line(timeout=60.0)
        if first is None or not isinstance(first.get("year"), int):
            why = error_line(self.stderr()) or "node avslutades utan att säga varför"
            self.close()
            raise VendorCannotStart(f"--module {runtime.printable(module.name)} kan inte laddas i node: {why}")
        if first["year"] != year:
            self.close()
            raise UsageError(
                f"--module {runtime.printable(module.name)} granskar {first['year']}, men sviten gäller {year}"
            )

    def stderr(self) -> str:
        self.errors.seek(0)
        return self.errors.read().decode("utf-8", errors="replace")

    def ask(self, vector: SuiteVector, timeout: float) -> dict[str, Any] | None:
        job = {"folder": os.path.abspath(vector.folder), "files": list(vector.files), "deceased": vector.deceased}
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(job).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except OSError:
            return None
        return self._line(timeout)

    def _line(self, timeout: float) -> dict[str, Any] | None:
        """The driver's next line, None when it ended or took longer than ``timeout`` (then it is stopped)."""
        assert self.proc.stdout is not None
        timer = threading.Timer(timeout, self.proc.kill)
        timer.start()
        try:
            raw = self.proc.stdout.readline()
        finally:
            timer.cancel()
        try:
            got = json.loads(raw) if raw else None
        except ValueError:
            return None
        return got if isinstance(got, dict) else None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.errors.close()


def _node_results(module: Path, year: int, vectors: Sequence[SuiteVector], timeout: float) -> Iterator[Result]:
    node = _node()
    driver = _Driver(node, module, year)
    try:
        for v in vectors:
            start = time.monotonic()
            got = driver.ask(v, timeout)
            seconds = time.monotonic() - start
            if got is None:  # node ended (a crash, or stopped at the timeout): said, and a new one for the rest
                stderr = driver.stderr()
                driver.close()
                if seconds >= timeout:
                    yield Result(v, False, f"tidsgränsen {timeout:g} s överskreds", seconds, error="timeout")
                else:
                    yield judge(v, driver.proc.returncode or 1, "", stderr, seconds)
                driver = _Driver(node, module, year)
                continue
            yield judge(v, int(got.get("code", 1)), str(got.get("out", "")), str(got.get("err", "")), seconds)
    finally:
        driver.close()
