"""The worked examples speak Swedish and say where and why (issue 26).

- a YAML syntax error is a Swedish sentence at FILE:LINE:COL with a hint, never PyYAML's English;
- ``severity`` takes the words people use, ``fel`` and ``varning``, beside ``error`` and ``warning``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.language.diagnostics import render
from lss_rules.language.examples import read_example_file

REPO = Path(__file__).resolve().parents[2]
GOOD = (REPO / "spec" / "examples" / "LSS-R04.yaml").read_text(encoding="utf-8")
#: PyYAML's own words: none may reach a spec editor
ENGLISH = re.compile(
    r"\b(expected|found|mapping|scanning|parsing|block|stream|token|character|indicator|cannot|while|allowed|"
    r"values|escape|document|key)\b"
)

CASES = [
    # the example: a key indented one space less than its siblings
    ("rule: LSS-R04\nexamples:\n  - name: a\n    year: 2023\n   records: []\n", 5, 4, "indraget stämmer inte"),
    ("rule: LSS-R04\nexamples:\n  - name: a\n      year: 2023\n", 4, 11, "ett kolon (`:`)"),
    ("rule: LSS-R04\nexamples:\n\t- name: a\n", 3, 1, "tabbtecken"),
    ("rule: LSS-R04\nexamples:\n  - {name: a, year: 2023\n", 4, 1, "`{ }` tar inte slut"),
    ("rule: LSS-R04\nexamples: [a, b\n", 3, 1, "`[ ]` tar inte slut"),
    ('rule: "LSS-R04\n', 2, 1, "citattecken"),
    ('rule: "LSS\\q"\n', 1, 12, "`\\q` betyder inget"),
    ("rule: @x\n", 1, 7, "tecknet `@`"),
]


@pytest.mark.parametrize(("text", "line", "column", "said"), CASES)
def test_a_yaml_error_is_swedish_and_located(spec, tmp_path, text, line, column, said):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    _, (d, *more) = read_example_file(path, spec)
    assert not more
    assert (d.code, d.pos.line, d.pos.column) == ("E020", line, column)
    assert said in d.message and d.hint
    assert not ENGLISH.search(d.message + d.hint), d
    shown = render(d, text).split("\n")
    assert shown[1].startswith(f"{line:>5} | ") and "^" in shown[2] and shown[-1].startswith("  = tips: ")


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.integers(0, len(GOOD) - 1), st.sampled_from([" ", "  ", "\t", ":", "-", "{", "[", '"', "'", "@", "\n  "]))
def test_any_broken_example_is_said_in_swedish(spec, tmp_path, at, insert):
    """A character put anywhere in a working example: a YAML error, if any, is Swedish."""
    path = tmp_path / "x.yaml"
    path.write_text(GOOD[:at] + insert + GOOD[at:], encoding="utf-8")
    _, problems = read_example_file(path, spec)
    for d in problems:
        if d.code == "E020":
            assert not ENGLISH.search(d.message + (d.hint or "")), d


@pytest.mark.parametrize(("word", "severity"), [("fel", "error"), ("varning", "warning"), ("error", "error")])
def test_severity_in_swedish(spec, tmp_path, word, severity):
    path = tmp_path / "x.yaml"
    path.write_text(
        "examples:\n  - name: x\n    year: 2023\n    records: [{}]\n"
        f"    findings: [{{rule: LSS-R01, line: 1, severity: {word}}}]\n",
        encoding="utf-8",
    )
    (ex,), problems = read_example_file(path, spec)
    assert problems == [] and ex.findings[0].severity == severity


def test_a_misspelled_severity_gets_a_did_you_mean(spec, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "examples:\n  - name: x\n    year: 2023\n    records: [{}]\n"
        "    findings: [{rule: LSS-R01, line: 1, severity: varnig}]\n",
        encoding="utf-8",
    )
    _, (d,) = read_example_file(path, spec)
    assert d.code == "E021" and d.hint == "menade du `varning`?"
