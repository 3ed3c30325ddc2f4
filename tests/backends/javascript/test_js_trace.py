"""The JavaScript runtime's traces (``--explain``, issue 27) are the Python runtime's, byte for byte.

On lines drawn at and around the rules' bounds (:func:`lss_rules.generators.edges.edge_lines`: empty,
malformed and garbage values, broken structure), every rule and check of the year's trace table is traced
in both runtimes — ``runtime.finding_trace`` and ``trace_text`` against ``findingTrace`` and ``traceText``
(trace.mjs), through tests/backends/javascript/parity.mjs — with and without a deceased list, masked and
shown, for the unique rules with other lines, in Swedish and in English.  The table is the one the
generated modules carry (``DETAILS["traces"]``); the traces of a whole run through the module's command
line are compared in tests/backends/javascript/test_js_explain.py.

The spec's rules have no ``or`` and few unknown operands under ``and`` and ``not``, so random rules are traced
too (tests/conditions.py: ``not``/``and``/``or`` over fields that are often empty, their table entry made by
``lss_rules.meaning.trace`` as for a spec rule): a Kleene operator that says false or true where it should say
unknown, in either runtime, makes the two differ there, and the drawing is checked to reach those cases.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from conditions import conditions, lines, with_rules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.backends.python.cache import load_validator
from lss_rules.generators.edges import EDGE_PNRS, edge_lines
from lss_rules.language.load import load_spec
from lss_rules.meaning.trace import trace_table
from lss_rules.runtime import python as runtime

YEAR = 2023
MOD = load_validator(YEAR)
YM = load_spec().for_year(YEAR)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=sorted))


DETAILS = {"sv": _plain(MOD.DETAILS), "en": _plain(MOD.DETAILS_EN)}
FIELDS = list(MOD.DETAILS["fields"])
TABLE = MOD.DETAILS["traces"]
KINDS = {rule: entry["kind"] for rule, entry in TABLE.items()}
DATES = [YM.reference_date + datetime.timedelta(days=d) for d in (-4000, -1, 0, 1)]


@st.composite
def trace_calls(draw: st.DrawFn) -> list[Any]:
    lang = draw(st.sampled_from(runtime.LANGUAGES))
    rule = draw(st.sampled_from([*TABLE, "X-R01"]))
    line = draw(edge_lines(YM, EDGE_PNRS[:6]))
    parts: Any = line.split(MOD.DETAILS["separator"])
    if len(parts) != len(FIELDS):
        parts = len(parts)  # LSS-S01: only the number of fields is kept
    if KINDS.get(rule) == "empty_file":
        parts = None  # a whole-file finding
    if KINDS.get(rule) in ("rule", "unique"):
        fields = list(TABLE[rule]["reads"])
    else:
        fields = draw(
            st.lists(st.sampled_from(FIELDS), unique=True, max_size=4).map(lambda fs: sorted(fs, key=FIELDS.index))
        )
    deceased = draw(
        st.one_of(st.none(), st.dictionaries(st.sampled_from(EDGE_PNRS), st.sampled_from(DATES), max_size=4))
    )
    if isinstance(parts, list) and deceased is not None and draw(st.booleans()):
        deceased[parts[1]] = draw(st.sampled_from(DATES))  # the line's own person in the list
    others = None
    if KINDS.get(rule) == "unique":
        others = draw(
            st.lists(
                st.fixed_dictionaries({"file": st.sampled_from(["0114.txt", "1885.txt"]), "line": st.integers(1, 99)}),
                max_size=3,
            )
        )
    return [rule, fields, parts, lang, draw(st.booleans()), deceased, others]


RANDOM = "LSS-X01"  # the random rule's id (tests/conditions.py's with_rules)


@st.composite
def random_rule_calls(draw: st.DrawFn) -> list[Any]:
    """A random rule (``when`` and ``require`` with ``not``/``and``/``or``) traced on a line whose fields are
    often empty or malformed; its table entry made as the spec rules' are, put in the year's detail table."""
    lang = draw(st.sampled_from(runtime.LANGUAGES))
    ym = with_rules(YM, [(draw(st.none() | conditions(YM, max_leaves=4)), draw(conditions(YM)))])
    details = dict(DETAILS[lang], traces={RANDOM: _plain(trace_table(ym, lang)[RANDOM])})
    persons = draw(st.lists(st.sampled_from(EDGE_PNRS[:6]), min_size=1, max_size=2))
    line = draw(st.one_of(lines(ym, persons, broken=True), edge_lines(YM, EDGE_PNRS[:6])))
    parts: Any = line.split(MOD.DETAILS["separator"])
    if len(parts) != len(FIELDS):
        parts = len(parts)  # LSS-S01: no trace of a rule in either runtime
    fields = list(details["traces"][RANDOM]["reads"])
    deceased = draw(st.none() | st.just({p: DATES[0] for p in persons}))
    return [RANDOM, fields, parts, lang, draw(st.booleans()), deceased, None, details]


def _python(rule, fields, parts, lang, show, deceased, others, details=None) -> dict[str, Any]:
    details = DETAILS[lang] if details is None else details
    trace = runtime.finding_trace(rule, fields, parts, details, show, deceased, others)
    return _plain({"trace": trace, "text": None if trace is None else runtime.trace_text(trace, lang)})


def _js_call(rule, fields, parts, lang, show, deceased, others, details=None) -> list[Any]:
    dead = None if deceased is None else {p: d.strftime("%Y%m%d") for p, d in deceased.items()}
    return ["trace", rule, fields, parts, DETAILS[lang] if details is None else details, show, dead, others, lang]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large, HealthCheck.too_slow],
)
@given(calls=st.lists(trace_calls(), min_size=60, max_size=60))
def test_traces_are_the_python_runtimes(js_calls, calls):
    got = js_calls([_js_call(*c) for c in calls])
    for call, js in zip(calls, got, strict=True):
        assert js == {"value": _python(*call)}, call


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(calls=st.lists(random_rule_calls(), min_size=40, max_size=40))
def test_random_rules_traces_are_the_python_runtimes(js_calls, calls):
    got = js_calls([_js_call(*c) for c in calls])
    for call, js in zip(calls, got, strict=True):
        assert js == {"value": _python(*call)}, call[:7]


def _kleene_cases(clause: dict[str, Any] | None, seen: set[tuple[str, Any, tuple[Any, ...]]]) -> None:
    """(op, value, its clauses' values as a sorted set) of every and/or/not under ``clause``."""
    if clause is None or clause["op"] == "test":
        return
    values = {c["value"] for c in clause["clauses"]}
    seen.add((clause["op"], clause["value"], tuple(sorted(values, key=repr))))
    for child in clause["clauses"]:
        _kleene_cases(child, seen)


def test_random_rules_reach_each_kleene_case_with_an_unknown_operand():
    """The random rules' drawing reaches every case where Kleene's logic differs from a two-valued one or from
    "unknown wins": an ``or`` of false and unknown (unknown), of true and unknown (true); an ``and`` of true and
    unknown (unknown), of false and unknown (false); a ``not`` of unknown (unknown)."""
    seen: set[tuple[str, Any, tuple[Any, ...]]] = set()

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(random_rule_calls())
    def draw(call):
        trace = _python(*call)["trace"] or {"when": None, "require": None}
        _kleene_cases(trace["when"], seen)
        _kleene_cases(trace["require"], seen)

    draw()
    wanted = {
        ("or", None, (False, None)),
        ("or", True, (None, True)),
        ("and", None, (None, True)),
        ("and", False, (False, None)),
        ("not", None, (None,)),
    }
    assert wanted <= seen, wanted - seen


def test_every_kind_of_clause_and_unknown_is_drawn(js_calls):
    """The drawn lines reach every kind of entry, every clause value and both reasons for an unknown."""
    seen: set[Any] = set()

    def walk(clause):
        if clause is None:
            return
        seen.add(("value", clause["value"]))
        seen.add(("unknown", clause["unknown"]))
        seen.add(("op", clause["op"]))
        for child in clause.get("clauses", ()):
            walk(child)

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(trace_calls())
    def draw(call):
        trace = _python(*call)["trace"]
        if trace is not None:
            walk(trace["when"])
            walk(trace["require"])

    draw()
    wanted = {("value", True), ("value", False), ("value", None), ("unknown", "empty"), ("unknown", "malformed")}
    wanted |= {("op", "and"), ("op", "or"), ("op", "not"), ("op", "test")} & {("op", o) for o in _ops()}
    assert wanted <= seen, wanted - seen


EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "2023-med-fel"


def test_every_entry_of_the_table_on_the_example_lines(js_calls):
    """Each rule and check of the table (every kind: rule, unique, the checks, S05's whole file) on each line of
    the bundled example with mistakes, in both languages, with a deceased list: the same trace in both runtimes."""
    lines = [t for p in sorted(EXAMPLES.glob("*.txt")) for t in p.read_bytes().decode("utf-8", "replace").splitlines()]
    calls = []
    for rule, kind in KINDS.items():
        for i, text in enumerate(lines):
            parts: Any = text.split(MOD.DETAILS["separator"])
            parts = parts if len(parts) == len(FIELDS) else len(parts)
            if kind == "empty_file":
                parts = None
            fields = list(TABLE[rule]["reads"]) if kind in ("rule", "unique") else FIELDS[i % 3 : i % 3 + 2]
            others = [{"file": "1885.txt", "line": 2}] if kind == "unique" else None
            dead = {EDGE_PNRS[0]: DATES[0]} if isinstance(parts, int) else None
            if isinstance(parts, list):
                dead = {parts[1]: DATES[i % len(DATES)]}
            calls.append([rule, fields, parts, ("sv", "en")[i % 2], bool(i % 3), dead, others])
    assert {KINDS[c[0]] for c in calls} == set(KINDS.values()) >= {"rule", "unique", "empty_file", "field_count"}
    got = js_calls([_js_call(*c) for c in calls])
    for call, js in zip(calls, got, strict=True):
        assert js == {"value": _python(*call)}, call


def _ops() -> set[str]:
    found: set[str] = set()

    def walk(node):
        if node:
            found.add(node["op"])
            for child in node.get("clauses", ()):
                walk(child)

    for entry in TABLE.values():
        walk(entry.get("when"))
        walk(entry.get("require"))
    return found
