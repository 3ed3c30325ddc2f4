"""Fuzz: counts of any length in a submission (issue 22).

Lines of 2023 with their insats flags set and hours or days of random digits — up to thousands of
them, behind thousands of leading zeros — through ``lss-rules validate``: no traceback, exit 1 or 0,
and LSS-R21–R24 exactly where the value, read as a whole number (compared by its digits here, never
converted), is above the year's limit.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import count, drive, one_line_error, run_cli

# 2023: the index of each count field, its flag and the rule with the limit it must not pass
LINE = "1465;196910149290;1;0;;0;;1;0;;0;;0;0;0;0;0;;0".split(";")  # noqa: SIM905 (the line as a file has it)
COUNTS = {4: (3, "LSS-R21", 1488), 6: (5, "LSS-R22", 744), 9: (8, "LSS-R23", 744), 11: (10, "LSS-R24", 31)}

digits = st.one_of(
    st.text("0123456789", min_size=1, max_size=30),
    st.tuples(st.sampled_from("0123456789"), st.sampled_from("09"), st.integers(0, 6000)).map(
        lambda t: t[0] + t[1] * t[2]
    ),
    st.sampled_from(["1488", "1489", "744", "745", "31", "32", "1000000000000", "9007199254740993"]),
)
counts = st.tuples(st.integers(0, 6000), digits).map(lambda t: "0" * t[0] + t[1])


def above(value: str, limit: int) -> bool:
    """``int(value) > limit`` by the digits: no int() of a long text."""
    significant = value.lstrip("0")
    return len(significant) > len(str(limit)) or (len(significant) == len(str(limit)) and significant > str(limit))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.dictionaries(st.sampled_from(sorted(COUNTS)), counts, min_size=1), min_size=1, max_size=6))
def _fuzz(lines: list[dict[int, str]]) -> None:
    count("counts")
    text, want = [], set()
    for n, values in enumerate(lines, 1):
        parts = list(LINE)
        for at, value in values.items():
            flag, rule, limit = COUNTS[at]
            parts[flag], parts[at] = "1", value
            if above(value, limit):
                want.add((rule, n))
        text.append(";".join(parts))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "0114.txt"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        code, out, err = run_cli(["validate", "--year", "2023", "--format", "json", "--", str(path)])
    one_line_error(code, err)
    assert code in ((1,) if want else (0, 1)), err  # a repeated personnummer is LSS-R07
    rules = {rule for _, rule, _ in COUNTS.values()}
    found = {(f["rule"], f["line"]) for f in json.loads(out)["findings"] if f["rule"] in rules}
    assert found == want


def test_fuzz_counts() -> None:
    drive("counts", _fuzz)
