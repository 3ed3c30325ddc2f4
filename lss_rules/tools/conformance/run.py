"""Running a vendor's program over a suite and comparing its reports with ``expected.json``.

The runner calls ``VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] -- FILE...``
in each vector's folder (file names relative, after ``--`` so that none is read as an option),
and compares the status and the set of (file, line, rule, severity).  Exit code 0 for an
accepted report and 1 for a rejected one are part of the protocol, as for ``lss-rules validate``.
This module starts the vendor's processes (``modules.py`` the one node process of ``--module X.mjs``);
:mod:`.verdict` judges what they gave.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lss_rules.errors import UsageError
from lss_rules.runtime import python as runtime
from lss_rules.tools.conformance.reasons import EARLY, OUTSIDE
from lss_rules.tools.conformance.suite import SuiteVector, load_suite
from lss_rules.tools.conformance.verdict import Result, Run, VendorCannotStart, judge


def vendor_args(vector: SuiteVector, year: int, command: Sequence[str]) -> list[str]:
    """The vendor's command line for a vector: options, then ``--``, then the file names (never options)."""
    args = [*command, "--year", str(year), "--format", "json"]
    if vector.deceased:
        args += ["--deceased", "deceased.txt"]
    return [*args, "--", *vector.files]


def run_vector(vector: SuiteVector, year: int, command: Sequence[str], timeout: float) -> Result:
    """The vendor's command in the vector's folder, its answer judged."""
    args = vendor_args(vector, year, command)
    start = time.monotonic()
    try:
        proc = subprocess.run(args, cwd=vector.folder, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Result(vector, False, f"tidsgränsen {timeout:g} s överskreds", time.monotonic() - start, error="timeout")
    except OSError as exc:
        program = runtime.printable(runtime.mask_text(command[0]))
        raise VendorCannotStart(f"kommandot {program} kunde inte startas: {runtime.os_error_text(exc)}") from None
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")
    return judge(vector, proc.returncode, stdout, stderr, time.monotonic() - start)


def command_words(command: str) -> list[str]:
    """``--cmd`` as words, those that name a file where the run is started made absolute.

    The command runs in each vector's folder: ``node lss-2023.mjs`` must still find the module beside the
    user, not inside the vector (absolute, not resolved: a venv's python is a symlink that must stay one).
    Made absolute: every word that names an existing file here, and a folder written as a path (with ``/``
    or starting with ``.``).  Left as they are: a word that names nothing here (``-jar``), a bare word that
    is only a folder here (``lss-rules validate`` beside a folder ``validate/``), and a bare first word that
    PATH has (``node``: the program the shell would run, even beside a file of that name).
    """
    try:
        argv = shlex.split(command)
    except ValueError as exc:  # shlex says it in English: "No closing quotation", "No escaped character"
        why = "ett citattecken stängs inte" if "quotation" in str(exc) else "ett \\ står sist"
        raise UsageError(f"--cmd kan inte delas upp i ord: {why}") from None
    if not argv:
        raise UsageError("--cmd är tomt")
    return [os.path.abspath(a) if _here(a, first=i == 0) else a for i, a in enumerate(argv)]


def _here(word: str, *, first: bool) -> bool:
    """Whether ``word`` of a command names a path here that the vector's folder would not find."""
    written_as_path = "/" in word or word.startswith(".")
    if word.startswith("-") or (first and not written_as_path and shutil.which(word) is not None):
        return False
    try:
        return os.path.isfile(word) or (written_as_path and os.path.lexists(word))
    except (OSError, ValueError):  # a name too long, a NUL byte
        return False


def run_suite(
    suite: Path,
    command: str | None = None,
    *,
    module: Path | None = None,
    timeout: float = 60.0,
    progress: Callable[[Result], None] | None = None,
    jobs: int | None = None,
    keep_going: bool = False,
) -> Run:
    """Run the vendor's command (or a compiled module, in-process) on every vector.

    ``command``: ``jobs`` vectors at a time (default: the number of cores); results (and ``progress``
    calls) come in the manifest's order whatever finishes first.  ``module``: a compiled Python module
    (``.py``) run in this process, or a JavaScript module (``.mjs``) run by one node process, a vector
    at a time.  Unless ``keep_going``, a run whose first :data:`reasons.EARLY` vectors all end in the
    same class outside the rules (the program missing, exit code 2, no JSON, a crash) stops there with
    one message (``Run.stopped``), and those vectors are not shown one by one.
    """
    if (command is None) == (module is None):
        raise UsageError("ange antingen --cmd eller --module")
    argv = command_words(command) if command is not None else []
    if timeout <= 0:
        raise UsageError(f"--timeout ska vara större än 0 ({timeout:g})")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs ska vara minst 1 ({jobs})")
    manifest, vectors = load_suite(suite)
    year = int(manifest["year"])
    watch = _Watch(progress, keep_going or len(vectors) < EARLY)
    if module is not None:
        from lss_rules.tools.conformance.modules import module_results

        for r in module_results(module, year, vectors, timeout):
            if watch.add(r):
                break
        return Run(manifest, watch.results, watch.stopped)
    pool = ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1)
    try:
        for r in pool.map(lambda v: run_vector(v, year, argv, timeout), vectors):
            if watch.add(r):
                break
    finally:  # a command that cannot start, or a run stopped early: the vectors not begun are not tried
        pool.shutdown(wait=True, cancel_futures=True)
    return Run(manifest, watch.results, watch.stopped)


class _Watch:
    """The results as they come: shown in order, the first ones held while they all fail the same outside way."""

    def __init__(self, progress: Callable[[Result], None] | None, keep_going: bool) -> None:
        self.progress = progress
        self.holding = not keep_going
        self.held: list[Result] = []
        self.results: list[Result] = []
        self.stopped: str | None = None

    def add(self, r: Result) -> bool:
        """True when the run stops here."""
        self.results.append(r)
        if self.holding:
            if r.error in OUTSIDE and all(h.error == r.error for h in self.held):
                self.held.append(r)
                if len(self.held) < EARLY:
                    return False
                self.stopped = _stop_message(self.held)
                return True
            self.holding = False
            for h in self.held:
                self._show(h)
            self.held = []
        self._show(r)
        return False

    def _show(self, r: Result) -> None:
        if self.progress is not None:
            self.progress(r)


def _stop_message(held: Sequence[Result]) -> str:
    first = held[0]
    assert first.error is not None
    line = next((h.stderr_line for h in held if h.stderr_line), "")
    said = f"Första raden på standard fel som bär felet: {line}" if line else f"{first.vector.id}: {first.reason}"
    return (
        f"körningen avbröts efter de {len(held)} första vektorerna, som alla gav samma fel som inte gäller "
        f"reglerna: {OUTSIDE[first.error]}. {said}. Rätta kommandot och kör igen; --keep-going kör alla vektorer ändå"
    )
