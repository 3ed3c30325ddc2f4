"""The reference evaluator's ``--explain`` report, for the differential tests of traces (issue 27).

tests/meaning/test_trace_differential.py compares it with the compiled Python module's, and
tests/backends/javascript/test_js_trace_reference.py with the JavaScript module's: byte for byte.
The registers are those of the Python differential (tests/backends/python/test_differential.py's
``runs()``: generators.edges lines, several files, the same line with another personnummer).
"""

from __future__ import annotations

import importlib.util
import json
import types
from pathlib import Path
from typing import Any

from lss_rules.meaning import traced


def _python_differential() -> types.ModuleType:
    """tests/backends/python/test_differential.py: its ``runs()`` registers and deceased list, one source."""
    path = Path(__file__).resolve().parent / "backends" / "python" / "test_differential.py"
    spec = importlib.util.spec_from_file_location("_python_differential", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_DIFF = _python_differential()
runs, DECEASED = _DIFF.runs, _DIFF.DECEASED


def write_run(folder: Path, files: list[list[str]], deceased: dict | None) -> tuple[list[str], str | None]:
    """The files of a run on disk (and the deceased list, as ``--deceased`` reads it): their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, lines in enumerate(files):
        p = folder / f"{1001 + i}.txt"
        p.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        paths.append(str(p))
    if deceased is None:
        return paths, None
    d = folder / "avlidna.txt"
    d.write_text("".join(f"{pnr};{day.isoformat()}\n" for pnr, day in deceased.items()), encoding="utf-8")
    return paths, str(d)


def reference_json(ym: Any, paths: list[str], deceased: dict | None, spec: dict | None = None) -> str:
    """The reference's ``--explain --format json`` report, as a module prints it."""
    report = traced.evaluate_files_explained(ym, paths, deceased)
    if spec is not None:  # a module names the spec it was made from (its last key); the evaluator has none
        report["spec"] = spec
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
