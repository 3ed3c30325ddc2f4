"""The runtime's search for LSS-R07's first lines (``_first_lines``) is the line-by-line definition.

A few keys are looked for with ``str.find`` in the lines joined, more line by line; this property holds both
to the plain walk over the lines, with keys of any length (one another's start, too: another register's unique
key need not be twelve digits), values that hold a key inside them, and lines the rule does not judge.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lss_rules.runtime import python as runtime

FIELDS = ["kommun", "nyckel", "annat"]
ENTRY = {"needed": ["nyckel"], "members": []}  # a line is judged when its key field has a value
VALUES = st.sampled_from(["12", "123", "1", "1234", "x", "xy", "y", "", "12;3"])


def walked(keys, head, start, at):
    """The definition: each key not yet found gets the number of its first judged line with it in field ``at``."""
    out = dict(keys)
    for n, text in enumerate(head, start):
        cut = text.split(";", at + 1)
        if len(cut) > at and out.get(cut[at], 0) is None and runtime._judged_line(text, ";", FIELDS, ENTRY):
            out[cut[at]] = n
    return out


@pytest.mark.parametrize("find_keys", [0, 16], ids=["line by line", "str.find"])
@given(
    head=st.lists(st.lists(VALUES, min_size=1, max_size=4).map(";".join), max_size=10),
    wanted=st.lists(st.sampled_from(["12", "123", "1", "1234", "x", "xy", "y"]), min_size=1, max_size=5, unique=True),
    found=st.dictionaries(st.sampled_from(["12", "1", "y"]), st.integers(1, 3), max_size=2),
    start=st.integers(1, 50),
)
def test_first_lines_are_the_walk_over_the_lines(find_keys, head, wanted, found, start):
    keys = {key: found.get(key) for key in wanted}  # some found in an earlier slice already
    want = walked(keys, head, start, 1)
    got = dict(keys)
    before = runtime._FIND_KEYS
    runtime._FIND_KEYS = find_keys  # (not monkeypatch: a function-scoped fixture under @given)
    try:
        runtime._first_lines(got, head, start, ";", 1, FIELDS, ENTRY)
    finally:
        runtime._FIND_KEYS = before
    assert got == want
