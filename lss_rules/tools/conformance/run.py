"""Running a vendor's program over a suite and comparing its reports with ``expected.json``.

The runner calls ``VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] -- FILE...``
in each vector's folder (file names relative, after ``--`` so that none is read as an option),
and compares the status and the set of (file, line, rule, severity).  Exit code 0 for an
accepted report and 1 for a rejected one are part of the protocol, as for ``lss-rules validate``.
This is the one module of the package that starts a process (the vendor's).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lss_rules.errors import DataError, UsageError
from lss_rules.runtime import python as runtime
from lss_rules.tools.conformance.suite import (
    STATUSES,
    SuiteVector,
    duplicates,
    finding_order,
    key_set,
    load_suite,
    one_line,
)


@dataclass(frozen=True)
class Result:
    vector: SuiteVector
    passed: bool
    reason: str
    seconds: float
    output: str = ""


def compare(expected: Mapping[str, Any], got: Any) -> str | None:
    """None when ``got`` (a parsed report) matches; else why not, in Swedish."""
    problem = contract_problem(got)
    if problem is not None:
        return f"utdata följer inte rapportformatet: {problem}"
    reasons = []
    if got["status"] != expected["status"]:
        reasons.append(f"status {got['status']} men väntat {expected['status']}")
    twice = duplicates(got)
    if twice:
        reasons.append("samma fynd mer än en gång (ett fynd per regel och rad): " + "; ".join(_fmt(f) for f in twice))
    want, have = key_set(expected), key_set(got)
    missing, extra = sorted(want - have, key=finding_order), sorted(have - want, key=finding_order)
    if missing:
        reasons.append("saknade fynd: " + "; ".join(_fmt(f) for f in missing))
    if extra:
        reasons.append("oväntade fynd: " + "; ".join(_fmt(f) for f in extra))
    return ". ".join(reasons) or None


def _fmt(f: tuple[Any, ...]) -> str:
    where = "hela filen" if f[1] is None else f"rad {f[1]}"
    return f"{f[2]} ({f[3]}) {f[0]} {where}"


def contract_problem(got: Any) -> str | None:
    if not isinstance(got, dict):
        return "inte ett JSON-objekt"
    if got.get("status") not in STATUSES:
        return f"status ska vara en av {', '.join(STATUSES)}"
    findings = got.get("findings")
    if not isinstance(findings, list):
        return "findings ska vara en lista"
    for i, f in enumerate(findings):
        if not isinstance(f, dict):
            return f"findings[{i}] är inte ett objekt"
        for key in ("rule", "severity", "file"):
            if not isinstance(f.get(key), str):
                return f"findings[{i}].{key} saknas eller är inte en sträng"
        if "line" not in f or not (
            f["line"] is None or (isinstance(f["line"], int) and not isinstance(f["line"], bool))
        ):
            return f"findings[{i}].line ska vara ett heltal eller null"
    return None


class VendorCannotStart(DataError):
    """The vendor command cannot be started at all: said once, and the run ends (exit code 2)."""


def vendor_args(vector: SuiteVector, year: int, command: Sequence[str]) -> list[str]:
    """The vendor's command line for a vector: options, then ``--``, then the file names (never options)."""
    args = [*command, "--year", str(year), "--format", "json"]
    if vector.deceased:
        args += ["--deceased", "deceased.txt"]
    return [*args, "--", *vector.files]


def _tail(stderr: str, lines: int = 3, limit: int = 300) -> str:
    """The last lines of a vendor's standard error, on one printable line."""
    last = [runtime.printable(x.strip()) for x in stderr.strip().splitlines()[-lines:] if x.strip()]
    text = " | ".join(last)
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def run_vector(vector: SuiteVector, year: int, command: Sequence[str], timeout: float) -> Result:
    args = vendor_args(vector, year, command)
    start = time.monotonic()
    try:
        proc = subprocess.run(args, cwd=vector.folder, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Result(vector, False, f"tidsgränsen {timeout:g} s överskreds", time.monotonic() - start)
    except OSError as exc:
        raise VendorCannotStart(
            f"kommandot {runtime.printable(command[0])} kunde inte startas: {runtime.os_error_text(exc)}"
        ) from None
    seconds = time.monotonic() - start
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")
    output = f"--- standard ut ---\n{stdout[-3000:]}\n--- standard fel ---\n{stderr[-3000:]}"
    tail = _tail(stderr)
    code = f"avslutningskod {proc.returncode}" + (f", standard fel: {tail}" if tail else ", inget på standard fel")
    if proc.returncode not in (0, 1):
        return Result(
            vector,
            False,
            f"kommandot avslutades med kod {proc.returncode}" + (f": {tail}" if tail else ""),
            seconds,
            output,
        )
    try:
        got = json.loads(stdout)
    except (ValueError, RecursionError):
        head = one_line(stdout.strip().splitlines()[0], 80) if stdout.strip() else "(ingen utdata)"
        return Result(vector, False, f"utdata är inte JSON: {head} ({code})", seconds, output)
    try:
        reason = compare(vector.expected, got)
    except RecursionError:
        reason = "utdata följer inte rapportformatet: för djupt nästlad"
    if reason is None:
        want_rc = 1 if got["status"] == "rejected" else 0
        if proc.returncode != want_rc:
            reason = f"avslutningskod {proc.returncode} men status {got['status']} (väntat kod {want_rc})"
    elif reason.startswith("utdata följer inte"):
        reason += f" ({code})"
    return Result(vector, reason is None, reason or "", seconds, output)


def run_suite(
    suite: Path,
    command: str,
    *,
    timeout: float = 60.0,
    progress: Callable[[Result], None] | None = None,
    jobs: int | None = None,
) -> tuple[dict[str, Any], list[Result]]:
    """Run the vendor's command on every vector, ``jobs`` at a time (default: the number of cores).

    Results (and ``progress`` calls) come in the manifest's order whatever finishes first.
    """
    try:
        argv = shlex.split(command)
    except ValueError as exc:  # shlex says it in English: "No closing quotation", "No escaped character"
        why = "ett citattecken stängs inte" if "quotation" in str(exc) else "ett \\ står sist"
        raise UsageError(f"--cmd kan inte delas upp i ord: {why}") from None
    if not argv:
        raise UsageError("--cmd är tomt")
    # the command runs in each vector's folder: relative paths that exist here are made absolute
    # (absolute, not resolved: a venv's python is a symlink that must stay one)
    argv = [os.path.abspath(a) if ("/" in a or a.startswith(".")) and Path(a).exists() else a for a in argv]
    if timeout <= 0:
        raise UsageError(f"--timeout ska vara större än 0 ({timeout:g})")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs ska vara minst 1 ({jobs})")
    manifest, vectors = load_suite(suite)
    year = int(manifest["year"])
    results = []
    pool = ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1)
    try:
        for r in pool.map(lambda v: run_vector(v, year, argv, timeout), vectors):
            results.append(r)
            if progress is not None:
                progress(r)
    finally:  # a command that cannot start ends the run: the vectors not begun are not tried
        pool.shutdown(wait=True, cancel_futures=True)
    return manifest, results
