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
import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

RULES = {"LSS-S05": ["error", "tom"], "LSS-S01": ["error", "fält"], "LSS-R09": ["warning", "två filer"]}
PATHS = ["a.txt", "b/0114.txt", "c.txt"]

SCRIPT = """
const rt = await import(process.argv[1]);
const { findings, rules, paths, show } = JSON.parse(require("fs").readFileSync(0, "utf-8"));
const store = new rt.Findings(Infinity); // every finding kept: the bound is test_capped_findings.py's
for (const f of findings) store.push(f);
const json = (items) => rt.reportJson(rt.buildReport(2023, paths, paths.map(() => 1), items, rules, [], show));
const plain = rt.plainReport(rt.buildReport(2023, paths, paths.map(() => 1), store, rules, [], show));
process.stdout.write(JSON.stringify({
  length: store.length,
  back: Array.from(store),
  mapped: store.map((f) => f),
  same: json(findings) === json(store),
  text: json(store),
  plain: plain.findings,
}));
"""

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


def run_store(node, module, findings, show):
    proc = subprocess.run(
        [node, "--input-type=commonjs", "-e", f"(async () => {{ {SCRIPT} }})()", "--", f"file://{module}"],
        input=json.dumps({"findings": findings, "rules": RULES, "paths": PATHS, "show": show}).encode(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return json.loads(proc.stdout)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(finding, max_size=30), st.booleans())
def test_findings_store_is_the_raw_list(node, runtime_mjs, findings, show):
    got = run_store(node, runtime_mjs, findings, show)
    assert got["length"] == len(findings)
    assert got["back"] == findings
    assert got["mapped"] == findings
    assert got["same"], got["text"]
    assert len(got["plain"]) == len(findings)
    assert [f["line"] for f in got["plain"]] == [f["line"] for f in json.loads(got["text"])["findings"]]


def test_findings_store_grows(node, runtime_mjs):
    """More findings than the store's first columns hold, out of order: all back, the report the same."""
    findings = [
        [
            "LSS-R09" if i % 3 else "LSS-S01",
            (i * 7) % len(PATHS),
            5000 - i,
            ["personnummer", "kommun"][: i % 3],
            f"{i:012d}",
        ]
        for i in range(5000)
    ]
    got = run_store(node, runtime_mjs, findings, False)
    assert got["back"] == findings
    assert got["same"]
