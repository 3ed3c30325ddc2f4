"""The JavaScript module masks and escapes what the Python module does, byte for byte (issue 22, items 2, 12).

Runs whose lines hold a personnummer in any written form in any field, in files whose names hold them
too and escape sequences, bidi overrides and C1 controls, and whose deceased list may echo one: the
JavaScript report (JSON and text, as ``node lss-Y.mjs`` and the page "Granska fil" write it) is the
Python report; by default neither shows a personnummer-shaped run of the input, and the text report
is printable.  Before, ``values`` and ``detail`` showed such a value in full in both, and the
JavaScript text report wrote file names raw (ESC and all), where Python's escaped them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pnr_shapes import leaked, pnr_shaped, with_pnrs
from test_js_differential import python_result, swapped

from lss_rules.backends.python.cache import load_validator
from lss_rules.generators.edges import EDGE_PNRS, edge_lines

NASTY = st.sampled_from(["\x1b[2J", "\x1b]0;x\x07", "\u202e", "\u2066", "\x9b31m", "\x85", "\t", " ", "a"])
YEARS = (2005, 2023)


@st.composite
def runs(draw: st.DrawFn, ym: Any) -> dict[str, Any]:
    pnrs = draw(st.lists(st.sampled_from(EDGE_PNRS), min_size=1, max_size=3))
    files = []
    for i in range(draw(st.integers(1, 2))):
        name = draw(st.one_of(st.just("0114.txt"), with_pnrs(NASTY).map(lambda s: s + ".txt")))
        lines = [draw(swapped(line, ym.layout.separator)) for line in draw(st.lists(edge_lines(ym, pnrs), max_size=5))]
        files.append((f"{i}-{name}", "".join(line + "\n" for line in lines)))
    dead = draw(st.one_of(st.none(), st.tuples(pnr_shaped(), pnr_shaped()).map(lambda t: f"{t[0]};{t[1]}\n")))
    show = draw(st.integers(0, 4)) == 0
    return {"files": files, "deceased": dead, "show": show, "format": draw(st.sampled_from(("json", "text")))}


def _write(folder: Path, run: dict[str, Any]) -> tuple[list[str], str | None]:
    folder.mkdir(parents=True)
    paths = []
    for name, text in run["files"]:
        path = os.fsdecode(os.fsencode(str(folder)) + b"/" + name.encode("utf-8", "surrogateescape"))
        Path(path).write_text(text, encoding="utf-8", errors="surrogateescape")
        paths.append(path)
    dead = None
    if run["deceased"] is not None:
        dead = str(folder / "avlidna.txt")
        Path(dead).write_text(run["deceased"], encoding="utf-8")
    return paths, dead


@pytest.mark.parametrize("year", YEARS)
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large, HealthCheck.too_slow],
)
@given(data=st.data())
def test_javascript_masks_and_escapes_as_python(year, year_model, js_module, run_batch, tmp_path_factory, data):
    batch = data.draw(st.lists(runs(year_model(year)), min_size=10, max_size=10))
    folder = tmp_path_factory.mktemp("masking")
    mod = load_validator(year)
    jobs, want, inputs = [], [], []
    for k, run in enumerate(batch):
        paths, dead = _write(folder / str(k), run)
        job = {"module": str(js_module(year)), "cwd": None, "files": paths, "deceased": dead}
        jobs.append(job | {"show": run["show"], "format": run["format"]})
        want.append(python_result(mod, paths, dead, run["show"], run["format"]))
        inputs.append([*paths, *(text for _, text in run["files"]), run["deceased"] or ""])
    for k, (got, expected) in enumerate(zip(run_batch(jobs), want, strict=True)):
        assert got["code"] == expected["code"] and got["out"] == expected["out"], k
        if not batch[k]["show"]:
            assert leaked(inputs[k], got["out"]) == [], (k, leaked(inputs[k], got["out"]))
            assert leaked(inputs[k][-1:], got["error"] or "") == [], got["error"]  # a bad deceased line
        if batch[k]["format"] == "text":
            assert all(c.isprintable() or c == "\n" for c in got["out"]), got["out"]
