"""Fuzz: submission bytes and file names (`lss-rules validate` with and without `--explain`, `report`, `convert`).

For any bytes in any number of files with any names: no traceback, exit code 0/1/2 as documented,
JSON that is valid UTF-8 and follows the report schema, text that is printable, the inputs
unchanged, nothing written, no process started.
"""

from __future__ import annotations

import json
import os
import tempfile
from importlib.resources import files as package_files
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schema_check import validate

from .conftest import count, drive, one_line_error, run_cli, snapshot

LINE = "0114;201001012384;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"
NASTY = ["", ";", "\x00", "\x1b[2J", "\r", "\u2028", "\ufeff", "\xff", "٣", "-1", "99999999999999999999", "1", "0", "2"]
REPORT_SCHEMA = json.loads(package_files("lss_rules.schemas").joinpath("report.schema.json").read_text("utf-8"))

field = st.one_of(st.sampled_from(NASTY), st.text(max_size=14), st.sampled_from(LINE.split(";")))


@st.composite
def record(draw: st.DrawFn) -> bytes:
    parts = LINE.split(";")
    for _ in range(draw(st.integers(0, 3))):
        parts[draw(st.integers(0, len(parts) - 1))] = draw(field)
    if draw(st.booleans()):
        parts = parts[: draw(st.integers(0, len(parts)))] + draw(st.lists(field, max_size=2))
    encoding = draw(st.sampled_from(["utf-8", "latin-1"]))
    return ";".join(parts).encode(encoding, "replace")


content = st.one_of(
    st.binary(max_size=600),
    st.lists(record(), max_size=8).map(lambda lines: b"\n".join(lines)),
    st.tuples(
        st.sampled_from([b"", b"\xef\xbb\xbf"]), st.lists(record(), max_size=5), st.sampled_from([b"\n", b"\r\n"])
    ).map(lambda t: t[0] + t[2].join(t[1]) + t[2]),
)
name = st.one_of(
    st.sampled_from(["0114.txt", "0115.txt", "a b.txt", "-x.txt", "--spec.txt"]),
    st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")),
)


def _case(files: list[tuple[object, bytes]], year: int) -> None:
    count("submission")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        paths = []
        for i, (raw_name, data) in enumerate(files):
            raw = raw_name.encode() if isinstance(raw_name, str) else raw_name
            path = os.fsencode(str(folder)) + b"/" + str(i).encode() + raw  # distinct names
            with open(path, "wb") as f:
                f.write(data)
            paths.append(os.fsdecode(path))
        before = snapshot(Path(tmp))
        contents = {p: Path(p).read_bytes() for p in paths}
        args = ["--year", str(year), "--", *paths]
        code, out, err = run_cli(["validate", "--format", "json", *args])
        one_line_error(code, err)
        if code != 2:
            report = json.loads(out.encode("utf-8").decode("utf-8"))  # valid UTF-8 (raises on a surrogate)
            validate(report, REPORT_SCHEMA)
            assert len(report["files"]) == len(paths)
        code_text, text, err = run_cli(["validate", *args])
        assert code_text == code
        assert all(c.isprintable() or c == "\n" for c in text), repr(text)
        # --explain (issue 27) reads the findings' lines again: the same verdict, a schema-valid report that is
        # the one above with traces added, printable text
        code_explained, out_explained, err = run_cli(["validate", "--format", "json", "--explain", *args])
        assert code_explained == code, err
        if code != 2:
            explained = json.loads(out_explained.encode("utf-8").decode("utf-8"))
            validate(explained, REPORT_SCHEMA)
            assert explained.pop("contract") == 2
            assert [{k: v for k, v in f.items() if k != "trace"} for f in explained.pop("findings")] == report.pop(
                "findings"
            )
            assert explained == report
        code_text, text, err = run_cli(["validate", "--explain", *args])
        assert code_text == code
        assert all(c.isprintable() or c == "\n" for c in text), repr(text)
        code, out, err = run_cli(["report", "--format", "json", "--year", str(year), "--", *paths])
        one_line_error(code, err)
        if code != 2:
            json.loads(out.encode("utf-8").decode("utf-8"))
        code, out, err = run_cli(["convert", "--year", str(year), "--", *paths])
        one_line_error(code, err)
        if code != 2:
            json.loads(out.encode("utf-8").decode("utf-8"))
        assert snapshot(Path(tmp)) == before  # nothing written, nothing changed
        assert {p: Path(p).read_bytes() for p in paths} == contents


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(st.tuples(name, content), min_size=1, max_size=3), year=st.sampled_from([2023, 2023, 2005]))
def _fuzz(files: list[tuple[object, bytes]], year: int) -> None:
    _case(files, year)


def test_fuzz_submission() -> None:
    drive("submission", _fuzz)
