"""The runtime's compact store of raw findings (``Findings``) is the list of raw findings it was given.

A national run holds a million LSS-R09 findings; the JavaScript runtime keeps them as columns of
typed arrays instead of an array and a string each (issue 14: 1M records under 300 MB).  For any
raw findings (personnummer of digits with leading zeros, longer than a number holds, not digits,
empty, null; whole-file findings; shared and equal field lists): every finding comes back equal, in
order, and the report sorted and written from the store is byte for byte the one written from the
plain list.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

RULES = {"LSS-S05": ["error", "tom"], "LSS-S01": ["error", "fält"], "LSS-R09": ["warning", "två filer"]}
PATHS = ["a.txt", "b/0114.txt", "c.txt"]

pnrs = st.one_of(
    st.none(),
    st.just(""),
    st.text("0123456789", min_size=1, max_size=16),
    st.text("0123456789a ÅÉ\u0663", min_size=1, max_size=14),
)
fields = st.lists(
    st.sampled_from(["", "personnummer", "kommun", "personlig_assistans", "a\u0000b", "a", "b\u0000c"]), max_size=3
)
finding = st.tuples(
    st.sampled_from(sorted(RULES)),
    st.integers(0, len(PATHS) - 1),
    st.one_of(st.none(), st.integers(1, 2**30 - 1)),
    fields,
    pnrs,
).map(list)


def run_store(js_calls, findings, show):
    """The findings pushed into a store that keeps them all (the bound is test_capped_findings.py's): parity.mjs."""
    (got,) = js_calls([["store", findings, None, RULES, PATHS, show]])
    return got["value"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(finding, max_size=30), st.booleans())
def test_findings_store_is_the_raw_list(js_calls, findings, show):
    got = run_store(js_calls, findings, show)
    assert got["length"] == len(findings)
    assert got["back"] == findings
    assert got["mapped"] == findings
    from_list, from_store = got["json"]
    assert from_store == from_list
    assert len(got["plain"]) == len(findings)
    assert [f["line"] for f in got["plain"]] == [f["line"] for f in json.loads(from_store)["findings"]]
    # (the store grown past its first columns: findings.test.mjs, run by tests/test_node.py)
