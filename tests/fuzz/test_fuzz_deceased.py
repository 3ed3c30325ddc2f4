"""Fuzz: --deceased files.  Any bytes: exit 0/1 with a valid report, or 2 with one line naming the file."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import count, drive, one_line_error, run_cli, snapshot

LINE = "0114;201001012384;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"
DATES = ["2020-01-01", "20200101", "2020-W01-1", " 2020-01-01", "2020-02-30", "2024-01-01", "１９９９-01-01", ""]
NUMBERS = ["201001012384", "20100101238", "2010010123844", "x" * 12, "٢٠١٠٠١٠١٢٣٨٤", ""]

line = st.one_of(
    st.tuples(st.sampled_from(NUMBERS), st.sampled_from([";", ";;", "", ","]), st.sampled_from(DATES)).map(
        lambda t: "".join(t).encode("utf-8")
    ),
    st.text(max_size=30).map(lambda s: s.encode("utf-8")),
    st.binary(max_size=30),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(line, max_size=6), end=st.sampled_from([b"\n", b"\r\n", b""]))
def _fuzz(lines: list[bytes], end: bytes) -> None:
    count("deceased")
    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp) / "0114.txt"
        sub.write_text(LINE + "\n", encoding="utf-8")
        dead = Path(tmp) / "dead.txt"
        dead.write_bytes(end.join(lines) + end)
        before = snapshot(Path(tmp))
        code, out, err = run_cli(["validate", "--year", "2023", "--format", "json", "--deceased", str(dead), str(sub)])
        one_line_error(code, err)
        if code == 2:
            assert err.count("\n") == 1 and "dead.txt" in err, err
        else:
            report = json.loads(out)
            assert report["not_checked"] == []
        assert snapshot(Path(tmp)) == before


def test_fuzz_deceased() -> None:
    drive("deceased", _fuzz)
