"""lss_rules.tools.jsoncheck says what python-jsonschema says of the suite schemas, in one linear pass.

(Issue 22, item 6.)

The suite's files are checked by jsoncheck (first failure, time linear in the document) instead of by
python-jsonschema (every error; a uniqueItems over numbers and strings compared every pair).  Drawn
documents — valid ones changed at one place, and any JSON — get the same verdict from both, except
where jsonschema is laxer than JSON Schema itself (tested apart below).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lss_rules.tools.jsoncheck import SchemaError, first_problem

SCHEMAS = Path(__file__).resolve().parents[2] / "lss_rules" / "schemas"
NAMES = ("suite-manifest", "suite-expected")
SCHEMA = {n: json.loads((SCHEMAS / f"{n}.schema.json").read_text(encoding="utf-8")) for n in NAMES}
VALIDATOR = {n: jsonschema.Draft202012Validator(s) for n, s in SCHEMA.items()}

VALID = {
    "suite-manifest": {
        "format": 1,
        "year": 2023,
        "spec_version": "abc",
        "reference_date": "2023-10-01",
        "rules": ["LSS-R01"],
        "vectors": [
            {"id": "LSS-R01-violation-01", "rule": "LSS-R01", "kind": "violation", "files": ["0114.txt"]},
            {"id": "v2", "rule": None, "files": ["a.txt", "b.txt"], "deceased": True},
        ],
    },
    "suite-expected": {
        "year": 2023,
        "status": "rejected",
        "findings": [{"rule": "LSS-R01", "severity": "error", "file": "0114.txt", "line": 1}],
    },
}

# no float and no string ending in a newline: there python-jsonschema is laxer than JSON Schema (below)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 10_001)
    | st.sampled_from([0, 1, 1999, 2023, 9999, 10_000, 100_000])
    | st.text(alphabet="aZ09._-/ ", max_size=6)
    | st.sampled_from(["LSS-R01", "LSS-X1", "error", "warning", "rejected", "accepted", "-a", ".a"])
    | st.sampled_from([100, 101, 200, 201, 1000, 1001, 10_000, 10_001]).map(lambda n: "a" * n)  # maxLength
)
#: Lists at the schemas' maxItems (rules 1000, files 10,000), of distinct plain names.
long_lists = st.sampled_from([999, 1000, 1001, 10_000, 10_001]).map(lambda n: [f"{i}.txt" for i in range(n)])
values = st.recursive(
    scalars | long_lists,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
)


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


@st.composite
def near_valid(draw, name):
    """A valid document with one place replaced, or one list item repeated, or a key dropped."""
    doc = copy.deepcopy(VALID[name])
    paths = list(_paths(doc))
    where = draw(st.sampled_from(paths))
    action = draw(st.sampled_from(["replace", "repeat", "drop"]))
    parent = doc
    for p in where[:-1]:
        parent = parent[p]
    if not where:
        return draw(values)
    key = where[-1]
    if action == "replace":
        parent[key] = draw(values)
    elif action == "repeat" and isinstance(parent[key], list) and parent[key]:
        parent[key].append(copy.deepcopy(parent[key][0]))
    elif isinstance(parent, dict):
        del parent[key]
    return doc


def _agree(name, doc):
    ours = first_problem(doc, SCHEMA[name])
    theirs = VALIDATOR[name].is_valid(doc)
    assert (ours is None) == theirs, (ours, doc)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(NAMES).flatmap(lambda n: st.tuples(st.just(n), near_valid(n))))
def test_the_same_verdict_as_jsonschema_near_valid_documents(case):
    _agree(*case)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NAMES), values)
def test_the_same_verdict_as_jsonschema_on_any_json(name, doc):
    _agree(name, doc)


def test_the_valid_documents_are_valid():
    for name in NAMES:
        assert first_problem(VALID[name], SCHEMA[name]) is None


@pytest.mark.parametrize(
    ("change", "keyword"),
    [
        ({"year": 2023.0}, "type"),  # jsonschema: an integer; then `--year 2023.0` for the vendor
        ({"year": True}, "type"),
        ({"format": True}, "const"),  # jsonschema: not 1 either (it unbools); Python: True == 1
        ({"reference_date": "2023-10-01\n"}, "pattern"),  # jsonschema: Python's $ matches before "\n"
    ],
)
def test_strict_where_jsonschema_is_lax_or_python_would_be(change, keyword):
    doc = {**VALID["suite-manifest"], **change}
    problem = first_problem(doc, SCHEMA["suite-manifest"])
    assert problem is not None and problem.keyword == keyword


def test_the_first_failure_is_reported_and_the_rest_not_looked_at():
    doc = copy.deepcopy(VALID["suite-manifest"])
    doc["vectors"][0]["files"] = [1, {"deep": [2] * 100}, *range(9_000)]
    problem = first_problem(doc, SCHEMA["suite-manifest"])
    assert problem is not None and problem.path == ("vectors", 0, "files", 0) and problem.keyword == "type"


def test_a_schema_keyword_it_does_not_check_is_an_error():
    with pytest.raises(SchemaError):
        first_problem([], {"type": "array", "minItems": 1})
    with pytest.raises(SchemaError):
        first_problem({}, {"properties": {"a": {"additionalProperties": False}}})


def _at(name, path, value):
    doc = copy.deepcopy(VALID[name])
    node = doc
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return doc


M, E = "suite-manifest", "suite-expected"
BOUNDARIES = [
    (M, ("year",), [1998, 1999, 9999, 10_000]),
    (M, ("spec_version",), ["a" * 200, "a" * 201]),
    (M, ("protocol",), ["a" * 1000, "a" * 1001]),
    (M, ("rules",), [["R"] * 1000, ["R"] * 1001, ["a" * 100], ["a" * 101]]),
    (M, ("vectors", 0, "id"), ["a" * 100, "a" * 101]),
    (M, ("vectors", 0, "rule"), ["a" * 100, "a" * 101]),
    (M, ("vectors", 0, "kind"), ["a" * 100, "a" * 101]),
    (M, ("vectors", 0, "tests"), ["a" * 10_000, "a" * 10_001]),
    (M, ("vectors", 0, "files"), [[f"{i}.txt" for i in range(n)] for n in (10_000, 10_001)]),
    (E, ("year",), [1998, 1999, 9999, 10_000]),
    (E, ("findings", 0, "file"), ["a" * 1000, "a" * 1001]),
    (E, ("findings", 0, "line"), [0, 1, None]),
]


@pytest.mark.parametrize(
    ("name", "path", "value"), [(n, p, v) for n, p, vs in BOUNDARIES for v in vs], ids=lambda x: str(x)[:30]
)
def test_the_same_verdict_as_jsonschema_at_every_limit(name, path, value):
    _agree(name, _at(name, path, value))
