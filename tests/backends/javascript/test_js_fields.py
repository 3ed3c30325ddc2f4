"""A line's fields read where they lie (``field_reads`` + the runtime's ``py_fields``) are Python's ``split``.

The JavaScript module does not split a line into strings: ``py_fields`` finds where each field lies
(``FIELD_AT``) and keeps the line's char codes (``CODES``: the block's bytes for a line of an all-ASCII
block, else a copy), and the generated code reads a field there by number.  Hypothesis draws lines
(separators too many and too few, empty fields, CR, non-ASCII digits such as ``'١'``, ISO-8859-1 and
UTF-8 letters, astral characters) and checks, in node, every field against ``line.split(';')``:
its text, emptiness, its code if it is one character (``FIELD_ONE``), ``is_digits`` (``isdigit() and
isascii()``), ``to_int``, membership of a ``DigitSet``, the number a key set keeps it as (``py_key_at``)
and a personnummer checker's answer in place (``check.at``, the answer on the string) -- for lines read
from bytes by ``iter_lines`` (with and without CRLF, blocks that are all ASCII and blocks that are not)
and for strings given directly.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lss_rules.backends.javascript.field_reads import Scope
from lss_rules.backends.javascript.to_javascript import to_javascript
from lss_rules.backends.validator import ir
from lss_rules.language.load import load_spec

SEP = ";"
MAX = 6  # the fields py_fields remembers (a layout's count); lines have fewer and more

FIELDS = Path(__file__).resolve().parent / "fields.mjs"


def read_in_node(node: str, module: Path, mode: str, data: dict[str, object], fields: int = MAX) -> Any:
    """fields.mjs's ``mode`` on ``data``: the lines read where their (first ``fields``) fields lie, in node."""
    proc = subprocess.run(
        [node, str(FIELDS), str(module), mode],
        input=json.dumps({**data, "max": fields}),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


PIECES = st.sampled_from(
    [
        *["", "0", "1", "12", "007", "99", "١", "1١", "é", "𝟙", "ab", " 1", "1\r", "12345678901234567890"],
        *["198112189876", "198112189875", "202402290006", "19811218987é", "00000000000000", "123456789012345"],
    ]
)
LINES = st.lists(PIECES, min_size=1, max_size=MAX + 3).map(SEP.join)


def _one(p: str) -> int:
    """The runtime's FIELD_ONE of a field: its code if it is one UTF-16 unit long, else -1."""
    data = p.encode("utf-16-le", "surrogatepass")
    return int.from_bytes(data, "little") if len(data) == 2 else -1


def expected(line: str, codes: list[str]) -> dict[str, object]:
    parts = line.split(SEP)
    fields = []
    for p in parts[:MAX]:
        digits = p.isdigit() and p.isascii()
        key = float(int(p) + len(p) * 10**14) if digits and len(p) <= 14 else -1  # the runtime's digitKey
        fields.append(
            {"slice": p, "text": p, "empty": p == "", "one": _one(p), "digits": digits}
            | {"int": float(int(p)) if digits else None}
            | {"member": p in codes, "key": key, "check": True}
        )
    return {"n": len(parts), "fields": fields}


@settings(max_examples=25, deadline=None)
@given(
    lines=st.lists(LINES, min_size=1, max_size=40),
    crlf=st.booleans(),
    latin1=st.booleans(),
    codes=st.lists(st.sampled_from(["00", "07", "12", "99"]), max_size=3),
)
def test_fields_in_place_are_pythons_split(node, lines, crlf, latin1, codes, runtime_mjs):
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"
    data = text.encode("latin-1", errors="replace") if latin1 else text.encode("utf-8")
    got = read_in_node(
        node, runtime_mjs, "fields", {"lines": lines, "bytes": base64.b64encode(data).decode(), "codes": codes}
    )
    for run in got.values():  # numbers as doubles (a value of more than 15 digits is as JavaScript's + gives it)
        for line in run:
            for f in line["fields"]:
                f["int"] = None if f["int"] is None else float(f["int"])
                f["key"] = float(f["key"])
    assert got["direct"] == [expected(line, codes) for line in lines]
    # the same lines read from bytes (what iter_lines decodes: the CR before an LF dropped, ISO-8859-1 for non-UTF-8)
    decoded = data.decode("latin-1") if latin1 else data.decode("utf-8")
    want = [x.removesuffix("\r") for x in decoded.split("\n")[:-1]]
    assert got["fromBytes"] == [expected(line, codes) for line in want]


def test_every_layout_reads_its_fields_in_place():
    """Every layout era reads its fields in place (ReadFields): no line is split into strings on the fast path."""
    spec = load_spec()
    for year in (1999, 2004, 2023):
        source = to_javascript(spec.for_year(year))
        check_file = source[source.index("function _check_file(") :]
        check_file = check_file[: check_file.index("\n}\n")]
        assert "nfields = py_fields(line, SEPARATOR," in check_file, year
        assert "py_split(line" not in check_file.replace("_forms(py_split(line, SEPARATOR))", ""), year
        # _national, which reads as far as the personnummer to skip a line, splits first (the same lines
        # skipped) and reads in place too; a line that reaches it (a key in another file's set: a few per
        # register) has its unknown values from _forms, with no fast test first
        national = source[source.index("function _national(") :]
        national = national[: national.index("\n}\n")]
        assert "nfields = py_fields(line, SEPARATOR," in national and "py_split_head" not in national, year
        assert "py_split(line" not in national.replace("_forms(py_split(line, SEPARATOR))", ""), year
        assert "u = py_index(_forms(py_split(line, SEPARATOR)), 0);" in national, year
        assert "function _national_1(" not in source, year
        end = check_file.index(") {\n      u = 0;")
        fast = check_file[check_file.rindex("if (", 0, end) + len("if (") : end]
        assert re.fullmatch(r"_check_file_1\((\$at|\$codes|\$one)(, (\$at|\$codes|\$one))*\)", fast), (year, fast)


EQ_LITERALS = ["", "1", "12", "é", "𝟙", "abcdef"]


@settings(max_examples=10, deadline=None)
@given(
    lines=st.lists(
        st.lists(st.sampled_from([*EQ_LITERALS, "2", "abcdeg", "𝟙𝟙", "١"]), min_size=1, max_size=4).map(SEP.join),
        min_size=1,
        max_size=30,
    )
)
def test_printed_field_tests_are_pythons(node, lines, runtime_mjs):
    """``v == lit`` printed in place (lengths, char codes, ``startsWith``) is Python's ``==`` on the field."""
    scope = Scope("line", ir.Var("SEP"), "parts", {})
    tests = [[scope.equals(k, lit) for lit in EQ_LITERALS] for k in range(4)]
    got = read_in_node(node, runtime_mjs, "tests", {"lines": lines, "tests": tests}, fields=4)
    want = [[[p == lit for lit in EQ_LITERALS] for p in line_.split(SEP)[:4]] for line_ in lines]
    assert got == want
