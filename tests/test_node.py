"""The JavaScript tests: every ``tests/**/*.test.mjs``, run by ``node --test`` in one test.

They test the JavaScript runtime as every generated module embeds it, so they need it assembled (the parts
joined, runtime.py's tables in their slots): the fixture ``runtime_mjs`` writes it, and its path reaches them in
``LSS_RUNTIME_MJS`` (tests/backends/javascript/under_test.mjs reads it).  A failure shows node's report.
Tests that draw their inputs with Hypothesis stay in Python and start a small driver (a ``.mjs`` file that
reads JSON from its standard input, calls the runtime and prints JSON); no JavaScript is written in Python.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FILES = sorted(TESTS.rglob("*.test.mjs"))


def test_there_are_javascript_tests():
    assert {p.name for p in FILES} >= {"keymap.test.mjs", "findings.test.mjs"}


def test_javascript_tests_pass_under_node(runtime_mjs):
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node saknas (scripts/test installerar Debians nodejs)")
    proc = subprocess.run(
        [node, "--test", "--test-reporter=tap", *map(str, FILES)],
        env={**os.environ, "LSS_RUNTIME_MJS": str(runtime_mjs)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=TESTS,
    )
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, report
    # every file ran its tests (a file that failed to load counts as one failed test, not as none)
    counts = {k: int(v) for k, v in re.findall(r"^# (tests|pass|fail) (\d+)$", proc.stdout, re.MULTILINE)}
    assert counts["fail"] == 0 and counts["pass"] == counts["tests"] >= len(FILES), report
