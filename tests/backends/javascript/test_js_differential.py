"""The JavaScript module and the Python module give the same report, byte for byte.

Hypothesis draws whole runs — valid and malformed lines of every layout era, one
or more files (a national run), UTF-8 with or without a byte-order mark,
ISO-8859-1 lines among UTF-8 ones, CRLF, blank and over-long lines, about a
thousand blank lines (the bound on the findings listed per rule and file), a
personnummer in any form in any field (masked the same in both: issue 22), a
deceased list — and writes them to disk.  Python's report is made in this process; the
JavaScript reports of a whole batch come from one node process (tests/backends/
javascript/batch.mjs reads the files a chunk at a time, as ``node lss-Y.mjs``
does).  Reports, texts and exit codes must be identical.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pnr_shapes import pnr_shaped, with_pnrs

from lss_rules.backends.python.cache import load_validator
from lss_rules.generators.edges import EDGE_PNRS, edge_lines
from lss_rules.language import model as m

# one year per layout era (1999-2003, 2004-2006, 2007-), the parameter changes of 2021/2022, a year past the spec
YEARS = (1999, 2003, 2004, 2006, 2007, 2020, 2021, 2022, 2023, 2030)
# batches of twelve runs per year in the slow run (CI: 30, about 10 s a year); a longer run:
# LSS_JS_DIFFERENTIAL_EXAMPLES=500 pytest -m slow tests/backends/javascript/test_js_differential.py
MANY = int(os.environ.get("LSS_JS_DIFFERENTIAL_EXAMPLES") or 30)
DEATH_DATES = ("1990-01-01", "2100-01-01", "20230930", "2023-W40")  # a past, a future and two malformed


@st.composite
def swapped(draw: st.DrawFn, line: str, separator: str) -> str:
    """``line`` with a personnummer-shaped value in some of its fields (a swapped or shifted line)."""
    parts = line.split(separator)
    for _ in range(draw(st.integers(1, 3))):
        parts[draw(st.integers(0, len(parts) - 1))] = draw(st.one_of(pnr_shaped(), with_pnrs(st.text(max_size=3))))
    return separator.join(parts)


@st.composite
def file_bytes(draw: st.DrawFn, ym: m.YearModel, pnrs: list[str]) -> bytes:
    text_lines = draw(st.lists(edge_lines(ym, pnrs), max_size=8))
    text_lines = [draw(swapped(t, ym.layout.separator)) if draw(st.integers(0, 5)) == 0 else t for t in text_lines]
    out = b"\xef\xbb\xbf" if draw(st.integers(0, 4)) == 0 else b""
    for i, line in enumerate(text_lines):
        encoding = draw(st.sampled_from(("utf-8", "utf-8", "iso-8859-1")))
        try:
            raw = line.encode(encoding)
        except UnicodeEncodeError:
            raw = line.encode("utf-8")
        if draw(st.integers(0, 30)) == 0:
            raw = raw + b"\xff\xfe" + raw  # bytes that are no UTF-8
        if draw(st.integers(0, 60)) == 0:
            raw = raw + "é".encode() * 33000  # longer than 64 KiB: cut, maybe inside a character
        last = i == len(text_lines) - 1
        end = draw(st.sampled_from((b"\n", b"\n", b"\r\n", b"\r\r\n", b""))) if last else None
        out += raw + (end if end is not None else draw(st.sampled_from((b"\n", b"\n", b"\r\n"))))
    if text_lines and draw(st.integers(0, 8)) == 0:
        out += b"\n"  # a trailing blank line is a line
    if draw(st.integers(0, 10)) == 0:
        out += b"\n" * draw(st.integers(995, 1005))  # about LISTED blank lines: LSS-S01 at the bound, or past it
    return out


@st.composite
def runs(draw: st.DrawFn, ym: m.YearModel) -> dict[str, Any]:
    pnrs = draw(st.lists(st.sampled_from(EDGE_PNRS), min_size=1, max_size=3))
    n_files = draw(st.integers(1, 3))
    files = [draw(file_bytes(ym, pnrs)) for _ in range(n_files)]
    deceased = draw(
        st.one_of(
            st.none(),
            st.lists(
                st.tuples(st.sampled_from(EDGE_PNRS), st.sampled_from(DEATH_DATES)),
                max_size=4,
            ).map(lambda rows: "".join(f"{p};{d}\n" for p, d in rows).encode()),
            st.sampled_from(
                (b"\n\n", b"198001012384;1990-02-30\n", b"x;1990-01-01\n", b"198001012384; 1990-01-01 \r\n")
            ),
        )
    )
    return {
        "files": files,
        "deceased": deceased,
        "show": draw(st.booleans()),
        "format": draw(st.sampled_from(("json", "text"))),
    }


def python_result(mod: Any, paths: list[str], deceased: str | None, show: bool, fmt: str) -> dict[str, Any]:
    """What ``lss-rules validate`` prints and its exit code (2 with the message when the run cannot be made)."""
    try:
        dead = mod.read_deceased(deceased) if deceased else None
        report = mod.report(paths, dead, show, lazy=True)
    except mod.InputError as exc:
        return {"out": "", "code": 2, "error": str(exc)}
    out = io.StringIO()
    mod.emit(report, fmt, mod.TITLES, mod.NOTES, out)
    return {"out": out.getvalue(), "code": mod.exit_code(report), "error": None}


def write_run(folder: Path, run: dict[str, Any]) -> tuple[list[str], str | None]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, data in enumerate(run["files"]):
        path = folder / f"{1000 + i}.txt"
        path.write_bytes(data)
        paths.append(str(path))
    deceased = None
    if run["deceased"] is not None:
        (folder / "deceased.txt").write_bytes(run["deceased"])
        deceased = str(folder / "deceased.txt")
    return paths, deceased


def check_batch(year: int, batch: list[dict[str, Any]], folder: Path, js_module, run_batch) -> None:
    mod = load_validator(year)
    jobs, want = [], []
    for k, run in enumerate(batch):
        paths, deceased = write_run(folder / str(k), run)
        jobs.append(
            {
                "module": str(js_module(year)),
                "cwd": None,
                "files": paths,
                "deceased": deceased,
                "show": run["show"],
                "format": run["format"],
            }
        )
        want.append(python_result(mod, paths, deceased, run["show"], run["format"]))
    got = run_batch(jobs)
    for k, (g, w) in enumerate(zip(got, want, strict=True)):
        assert (g["code"], g["error"] is None) == (w["code"], w["error"] is None), (k, g, w)
        assert g["out"] == w["out"], k


def _batches(examples: int) -> Any:
    """Settings and data for a test that draws batches of twelve runs of a year."""
    health = [HealthCheck.function_scoped_fixture, HealthCheck.data_too_large, HealthCheck.too_slow]

    def wrap(test: Any) -> Any:
        return settings(max_examples=examples, deadline=None, suppress_health_check=health)(given(data=st.data())(test))

    return wrap


def _draw_and_check(year, year_model, js_module, run_batch, tmp_path_factory, data) -> None:
    batch = data.draw(st.lists(runs(year_model(year)), min_size=12, max_size=12))
    check_batch(year, batch, tmp_path_factory.mktemp("diff"), js_module, run_batch)


@pytest.mark.parametrize("year", YEARS)
@_batches(2)
def test_javascript_report_is_python_report(year, year_model, js_module, run_batch, tmp_path_factory, data):
    _draw_and_check(year, year_model, js_module, run_batch, tmp_path_factory, data)


@pytest.mark.long
@pytest.mark.parametrize("year", YEARS)
@_batches(MANY)
def test_javascript_report_is_python_report_many(year, year_model, js_module, run_batch, tmp_path_factory, data):
    _draw_and_check(year, year_model, js_module, run_batch, tmp_path_factory, data)
