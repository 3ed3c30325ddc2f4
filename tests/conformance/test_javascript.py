"""The JavaScript module passes the conformance suite, in each of the three layout eras.

Every vector of a year runs through one node process (tests/backends/javascript/batch.mjs: the
module's own exports, files read from disk a chunk at a time); the answer is judged by the
runner's own ``compare`` and exit-code rule.  One small suite also goes through
``lss-rules conformance run --cmd "node lss-2023.mjs"``, the protocol vendors use.  Every year:
``scripts/js-conformance``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lss_rules.backends.javascript.to_javascript import to_javascript
from lss_rules.tools.conformance import compare, export, load_suite

BATCH = Path(__file__).resolve().parents[1] / "backends" / "javascript" / "batch.mjs"


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        pytest.skip("node saknas (scripts/test installerar Debians nodejs)")
    return found


def run_suite_in_node(node: str, suite: Path, module: Path) -> list[str]:
    """The vectors the module fails, with why."""
    manifest, vectors = load_suite(suite)
    jobs = [
        {
            "module": str(module),
            "cwd": str(v.folder),
            "files": list(v.files),
            "deceased": "deceased.txt" if v.deceased else None,
            "show": False,
            "format": "json",
        }
        for v in vectors
    ]
    proc = subprocess.run([node, str(BATCH)], input=json.dumps(jobs).encode(), capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    failed = []
    for v, got in zip(vectors, json.loads(proc.stdout), strict=True):
        if got["error"] is not None:
            failed.append(f"{v.id}: {got['error']}")
            continue
        report = json.loads(got["out"])
        reason = compare(v.expected, report)
        want_code = 1 if report["status"] == "rejected" else 0
        if reason is None and got["code"] != want_code:
            reason = f"avslutningskod {got['code']}, väntat {want_code}"
        if reason is not None:
            failed.append(f"{v.id}: {reason}")
    assert manifest["year"]
    return failed


@pytest.mark.parametrize("year", [2003, 2006, 2023])  # 1999-2003, 2004-2006, 2007- (the three layouts)
def test_javascript_module_passes_the_suite(year, node, spec, suite_2023, tmp_path):
    suite = suite_2023 if year == 2023 else tmp_path / "suite"
    if year != 2023:
        export(spec.for_year(year), suite)
    module = tmp_path / f"lss-{year}.mjs"
    module.write_text(to_javascript(spec.for_year(year)), encoding="utf-8")
    assert run_suite_in_node(node, suite, module) == []


def test_conformance_run_with_node(node, small_suite, spec, tmp_path):
    module = tmp_path / "lss-2023.mjs"
    module.write_text(to_javascript(spec.for_year(2023)), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "lss_rules", "conformance", "run", "--suite", str(small_suite),
         "--cmd", f"{node} {module}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("ok    ") == 6 and "0 underkända" in proc.stdout
