"""The spec parses and checks clean; the parser never raises anything but our own errors."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from lss_rules.errors import LssError
from lss_rules.load import analyse, spec_files
from lss_rules.syntax import parser

REPO = Path(__file__).resolve().parents[2]


def test_spec_checks_clean():
    spec, diags = analyse(spec_files(REPO / "spec"))
    assert diags == []
    assert spec is not None
    assert spec.ids == tuple(f"LSS-S0{i}" for i in range(1, 6)) + tuple(f"LSS-R{i:02d}" for i in range(1, 25))


def _analyse_text(tmp: Path, text: str) -> None:
    f = tmp / "x.lss"
    f.write_text(text, encoding="utf-8")
    with contextlib.suppress(LssError):
        analyse([f])


# from_lark joins tokens without spaces, so much of its text is not a spec; analyse must still only report
_EXPLICIT = {"WS": st.just(" ")}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(text=from_lark(parser(), explicit=_EXPLICIT))
def test_analyse_grammar_text_never_raises(tmp_path, text):
    _analyse_text(tmp_path, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_analyse_arbitrary_text_never_raises(tmp_path, text):
    _analyse_text(tmp_path, text)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=from_lark(parser(), explicit=_EXPLICIT))
def test_analyse_grammar_text_never_raises_many(tmp_path, text):
    _analyse_text(tmp_path, text)


def test_several_syntax_errors_in_one_run(tmp_path):
    f = tmp_path / "x.lss"
    f.write_text(
        'rule LSS-R01 {\n  when = 1\n}\n\nrule LSS-R02 {\n  title "ok"\n}\n\nrule LSS-R03 {\n  require (\n}\n',
        encoding="utf-8",
    )
    _, diags = analyse([f])
    e001 = [(d.pos.line, d.code) for d in diags if d.code == "E001"]
    assert [line for line, _ in e001] == [2, 11]
