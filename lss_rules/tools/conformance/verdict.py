"""The verdict on a vector: what a program gave for it (exit code, standard out and error) judged
against ``expected.json``, however the program ran (a command per vector, or a compiled module).

A wrong answer is a *failure*; a program that gave no usable answer (a crash, no JSON, a report that
does not follow the format, too slow) an *error* of a class in :data:`reasons.OUTSIDE`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lss_rules.errors import DataError
from lss_rules.runtime import python as runtime
from lss_rules.tools.conformance.reasons import (
    error_line,
    finding_text,
    outside_class,
    shown,
    status_text,
    tested_on,
)
from lss_rules.tools.conformance.suite import (
    STATUSES,
    SuiteVector,
    duplicates,
    finding_order,
    key_set,
)


@dataclass(frozen=True)
class Result:
    vector: SuiteVector
    passed: bool
    reason: str
    seconds: float
    output: str = ""
    #: None for a verdict on the rules (passed, or a wrong answer: a JUnit ``failure``); else why the program
    #: gave no usable answer, a key of :data:`reasons.OUTSIDE` or ``timeout`` (a JUnit ``error``)
    error: str | None = None
    stderr_line: str = ""  # the first line of its standard error that carries the error, masked


@dataclass(frozen=True)
class Run:
    manifest: dict[str, Any]
    results: list[Result]
    stopped: str | None = None  # the one message of a run that stopped early (the vectors after were not run)


def compare(
    expected: Mapping[str, Any],
    got: Any,
    tests: str = "",
    files: tuple[str, ...] = (),
    vector: SuiteVector | None = None,
) -> str | None:
    """None when ``got`` (a parsed report) matches; else why not, in Swedish.

    ``tests`` (the vector's text in the manifest) and ``files``: what the vector tests on the lines that
    differ is quoted after the differences.  ``vector``: its files are read again for the reference
    evaluator's trace of each finding missed or added (:mod:`.traces`).
    """
    problem = contract_problem(got)
    if problem is not None:
        return f"utdata följer inte rapportformatet: {problem}"
    reasons = []
    if got["status"] != expected["status"]:
        reasons.append(f"{status_text(got['status'])} men väntat {status_text(expected['status'])}")
    twice = duplicates(got)
    if twice:
        reasons.append(
            "samma fynd mer än en gång (ett fynd per regel och rad): " + "; ".join(finding_text(f) for f in twice)
        )
    want, have = key_set(expected), key_set(got)
    missing, extra = sorted(want - have, key=finding_order), sorted(have - want, key=finding_order)
    if missing:
        reasons.append("saknade fynd: " + "; ".join(finding_text(f) for f in missing))
    if extra:
        reasons.append("oväntade fynd: " + "; ".join(finding_text(f) for f in extra))
    if not reasons:
        return None
    if tests:
        reasons.append("vektorn prövar " + tested_on(tests, files, [*twice, *missing, *extra]))
    if vector is not None and (missing or extra):
        from lss_rules.tools.conformance.traces import failure_traces

        traced = failure_traces(vector, missing, extra)
        if traced:
            return ". ".join(reasons) + ". " + traced
    return ". ".join(reasons)


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


def judge(vector: SuiteVector, code: int, stdout: str, stderr: str, seconds: float) -> Result:
    """The verdict on what a program gave for a vector (exit code, standard out and error), however it ran."""
    output = (
        f"--- standard ut ---\n{runtime.mask_text(stdout[-3000:])}\n"
        f"--- standard fel ---\n{runtime.mask_text(stderr[-3000:])}"
    )
    line = error_line(stderr)
    said = f"avslutningskod {code}" + (f", standard fel: {line}" if line else ", inget på standard fel")
    if code not in (0, 1):
        why = f"kommandot avslutades med kod {code}" + (f": {line}" if line else "")
        return Result(vector, False, why, seconds, output, outside_class(code, stderr), line)
    try:
        got = json.loads(stdout)
    except (ValueError, RecursionError):
        head = shown(stdout.strip().splitlines()[0], 80) if stdout.strip() else "(ingen utdata)"
        why = f"utdata är inte JSON: {head} ({said})"
        return Result(vector, False, why, seconds, output, outside_class(code, stderr), line)
    try:
        problem = contract_problem(got)
        reason = compare(vector.expected, got, vector.tests, vector.files, vector) if problem is None else None
    except RecursionError:
        problem = "för djupt nästlad"
    if problem is not None:
        why = f"utdata följer inte rapportformatet: {shown(problem)} ({said})"
        return Result(vector, False, why, seconds, output, "contract", line)
    if reason is None:
        want_rc = 1 if got["status"] == "rejected" else 0
        if code != want_rc:
            reason = f"avslutningskod {code} men status {status_text(got['status'])} (väntat kod {want_rc})"
    return Result(vector, reason is None, reason or "", seconds, output if reason else "")
