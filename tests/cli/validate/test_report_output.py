"""The report as written: lazy findings give the very bytes of ``json.dumps(..., indent=2)`` and the same text."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from lss_rules.runtime import python as runtime

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)  # quotes, controls, surrogates, anything


def n(count, one, many):
    return f"{count} {one if count == 1 else many}"


def _text_as_before(report, titles, notes=()):
    """render_text as it was written first (every finding a dict, grouped by file, then by rule): the oracle."""
    lines = [f"LSS-inrapportering {report['year']}", *map(runtime.printable, notes)]
    by_file: dict = {}
    for f in report["findings"]:
        by_file.setdefault(f["file"], []).append(f)
    for entry in report["files"]:
        path = entry["path"]
        found = by_file.get(path, [])
        status = runtime.STATUS_WORDS[runtime.status_of(f["severity"] for f in found)]
        lines += ["", f"{runtime.printable(path)}: {n(entry['records'], 'post', 'poster')} — {status}"]
        rules: dict = {}
        for f in found:
            rules.setdefault(f["rule"], []).append(f)
        for rule, items in rules.items():
            severity = runtime.SEVERITY_WORDS.get(items[0]["severity"], items[0]["severity"])
            lines.append(f"  {rule} {runtime.printable(titles.get(rule, ''))} ({severity}, {len(items)} st)")
            lines.append(f"    {runtime.printable(items[0]['message'])}")  # a spec's text may hold ESC (issue 22)
            for f in items:
                where = "hela filen" if f["line"] is None else f"rad {f['line']}"
                detail = []
                if f["fields"]:
                    detail.append(", ".join(f["fields"]))
                if f.get("personnummer"):
                    detail.append(runtime.printable(f["personnummer"]))
                lines.append(f"    {where}" + (": " + "; ".join(detail) if detail else ""))
    errors = sum(1 for f in report["findings"] if f["severity"] == "error")
    warnings = sum(1 for f in report["findings"] if f["severity"] == "warning")
    total = sum(e["records"] for e in report["files"])
    lines += [
        "",
        f"Sammanfattning: {n(len(report['files']), 'fil', 'filer')}, {n(total, 'post', 'poster')}, {errors} fel, "
        f"{n(warnings, 'varning', 'varningar')}"
        f" — {runtime.STATUS_WORDS[report['status']]}",
    ]
    for rule in report["not_checked"]:
        title = runtime.printable(titles.get(rule, ""))
        lines.append(f"Inte kontrollerat: {rule} {title} (ingen lista över avlidna angavs, --deceased)")
    return "\n".join(lines) + "\n"


@st.composite
def runs(draw):
    paths = draw(st.lists(st.one_of(ANY_TEXT, st.sampled_from(["a.txt", "b.txt"])), min_size=1, max_size=3))
    ids = draw(st.lists(st.one_of(ANY_TEXT, st.sampled_from(["LSS-R01", "LSS-R09"])), min_size=1, max_size=4))
    rules = {r: (draw(st.sampled_from(["error", "warning"])), draw(ANY_TEXT)) for r in ids}
    finding = st.tuples(
        st.sampled_from(list(rules)),
        st.integers(0, len(paths) - 1),
        st.one_of(st.none(), st.integers(1, 10**7)),
        st.lists(ANY_TEXT, max_size=3).map(tuple),
        st.one_of(st.none(), ANY_TEXT, st.sampled_from(["198001012384", "19800101"])),
    )
    findings = draw(st.lists(finding, max_size=30))
    records = [draw(st.integers(0, 10**6)) for _ in paths]
    not_checked = draw(st.lists(st.sampled_from(list(rules)), max_size=2))
    return paths, records, findings, rules, not_checked, draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(run=runs())
def test_lazy_report_writes_the_same_json_and_text(run):
    paths, records, findings, rules, not_checked, show = run
    plain = runtime.build_report(2023, paths, records, findings, rules, not_checked, show)
    lazy = runtime.build_report(2023, paths, records, findings, rules, not_checked, show, lazy=True)
    assert isinstance(plain["findings"], list) and isinstance(lazy["findings"], runtime.Findings)
    assert list(lazy["findings"]) == plain["findings"] and len(lazy["findings"]) == len(plain["findings"])
    assert bool(lazy["findings"]) == bool(plain["findings"]) and lazy["status"] == plain["status"]
    want = json.dumps(plain, ensure_ascii=False, indent=2) + "\n"
    for report in (plain, lazy):
        out = io.StringIO()
        runtime.write_json(report, out)
        assert out.getvalue() == want
    titles = {r: f"titel {r}" for r in rules}
    text = _text_as_before(plain, titles, ("Obs: en not",))
    assert runtime.render_text(plain, titles, ("Obs: en not",)) == text
    assert runtime.render_text(lazy, titles, ("Obs: en not",)) == text


@settings(max_examples=200, deadline=None)
@given(run=runs())
def test_findings_sorted_as_by_file_line_and_rule_order(run):
    _paths, _records, findings, rules, _not_checked, _show = run
    order = {rule: i for i, rule in enumerate(rules)}
    assert runtime.sort_findings(findings, rules) == sorted(findings, key=lambda f: (f[1], f[2] or 0, order[f[0]]))


def test_json_of_odd_reports():
    for report in ({}, {"a": []}, {"a": {}, "b": [[], {"c": None}], "d": "x\ny"}):
        out = io.StringIO()
        runtime.write_json(report, out)
        assert out.getvalue() == json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def test_a_findings_fields_by_label_reach_no_terminal_as_control_characters():
    """The text report names a finding's fields by the spec's labels; a label holding ESC or a bidi override
    is written as text (printable), a field without a label by its identifier."""
    details = {"labels": {"a_b": "etikett \x1b[31mröd\u202e"}}
    findings = runtime.RawFindings(5)
    findings.extend([("LSS-R01", 0, 3, ("a_b", "c_d"), None)])
    findings.settle()
    report = runtime.build_report(2023, ["f.txt"], [3], findings, {"LSS-R01": ("error", "M.")}, [], lazy=True)
    report["findings"].details = details  # the year's detail table, as a compiled module passes it
    text = runtime.render_text(report, {"LSS-R01": "T"})
    assert "    rad 3: etikett \\x1b[31mröd\\u202e, c_d\n" in text
    assert "\x1b" not in text and "\u202e" not in text
