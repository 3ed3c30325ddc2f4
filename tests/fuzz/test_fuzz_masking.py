"""Fuzz: no output shows a personnummer from its input, and every text output is printable (issue 22, items 2, 12).

Submissions whose fields (any of them: a swapped or shifted line), file names and deceased list hold
personnummer and samordningsnummer in every written form (ten or twelve digits, with or without ``-``/``+``),
among escape sequences, bidi overrides and C1 controls.  In default mode no output of ``validate`` (text and
JSON), ``convert``, ``impact`` (text, JSON, markdown) or ``report`` (text, JSON, CSV) — standard out or
standard error — holds any personnummer-shaped run of the input (tests/pnr_shapes.py finds them without the
runtime's code), and every text output is printable.  The JavaScript module's side is
tests/backends/javascript/test_js_masking.py.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pnr_shapes import leaked, pnr_shaped, with_pnrs

from .conftest import count, drive, one_line_error, run_cli

LINE = "0114;201001012384;1;1;800;0;;1;0;;0;;0;0;0;0;0;;0"  # personlig assistans 800 h: R17 before 2021, R21 after
NASTY = ["\x1b[2J", "\x1b]0;x\x07", "\u202e", "\x9b31m", "\x85", "\r", "\t", ";", "", "-", "+"]

text = st.one_of(st.sampled_from(NASTY), st.text(max_size=6))
value = st.one_of(pnr_shaped(), with_pnrs(text), st.sampled_from(LINE.split(";")))


@st.composite
def record(draw: st.DrawFn) -> str:
    parts = LINE.split(";")
    for _ in range(draw(st.integers(0, 4))):
        parts[draw(st.integers(0, len(parts) - 1))] = draw(value)
    if draw(st.integers(0, 4)) == 0:  # shifted: a field lost or one too many
        at = draw(st.integers(0, len(parts)))
        parts = parts[:at] + parts[at + 1 :] if draw(st.booleans()) else [*parts[:at], draw(value), *parts[at:]]
    return ";".join(parts)


name = st.one_of(
    st.sampled_from(["0114.txt", "0115.txt"]),
    with_pnrs(text).map(lambda s: s.replace("/", "_").replace("\x00", "_") + ".txt"),
)
deceased = st.lists(st.tuples(value, st.one_of(st.just("2020-01-01"), value)), max_size=3).map(
    lambda rows: "".join(f"{p};{d}\n" for p, d in rows)
)
COMMANDS = [
    ["validate", "--format", "json", "--year", "2023"],
    ["validate", "--year", "2023"],
    ["validate", "--format", "json", "--year", "2023", "--explain"],  # the traces' values and others (issue 27)
    ["validate", "--year", "2023", "--explain"],
    ["convert", "--year", "2023"],
    ["impact", "--from-year", "2020", "--to-year", "2023", "--examples", "50"],
    ["impact", "--from-year", "2020", "--to-year", "2023", "--format", "json"],
    ["impact", "--from-year", "2020", "--to-year", "2023", "--format", "markdown"],
    ["report", "--year", "2023"],
    ["report", "--year", "2023", "--format", "json"],
    ["report", "--year", "2023", "--format", "csv"],
]


def _case(files: list[tuple[str, list[str]]], dead: str | None) -> None:
    count("masking")
    with tempfile.TemporaryDirectory() as tmp:
        paths, inputs = [], []
        for i, (raw, lines) in enumerate(files):
            path = os.path.join(tmp, f"{i}-{raw}")  # distinct names; "-" keeps the index off the name's digits
            data = "".join(line + "\n" for line in lines)
            with open(os.fsencode(path), "wb") as f:
                f.write(data.encode("utf-8", "surrogateescape"))
            paths.append(path)
            inputs += [path, data]
        extra = []
        if dead is not None:
            Path(tmp, "avlidna.txt").write_text(dead, encoding="utf-8")
            extra = ["--deceased", str(Path(tmp, "avlidna.txt"))]
            inputs.append(dead)
        for argv in COMMANDS:
            given_dead = extra if argv[0] in ("validate", "impact") else []
            code, out, err = run_cli([*argv, *given_dead, "--", *paths])
            one_line_error(code, err)
            assert leaked(inputs, out + err) == [], (argv, leaked(inputs, out + err))
            printable = "" if "json" in argv or argv[0] == "convert" else out
            assert all(c.isprintable() or c == "\n" for c in printable + err), (argv, out + err)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    files=st.lists(st.tuples(name, st.lists(record(), min_size=1, max_size=6)), min_size=1, max_size=2),
    dead=st.one_of(st.none(), deceased),
)
def _fuzz(files: list[tuple[str, list[str]]], dead: str | None) -> None:
    _case(files, dead)


def test_fuzz_masking() -> None:
    drive("masking", _fuzz)
