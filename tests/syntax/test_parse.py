"""The spec parses and checks clean; the parser never raises anything but our own errors."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from lss_rules.errors import LssError
from lss_rules.language.load import analyse, spec_files
from lss_rules.language.syntax import parser

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


@pytest.mark.long
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


# --------------------------------------------------------------------------- recovery after syntax errors
# Issue 22: after a syntax error each declaration was parsed again with every line before it as an empty
# line (to keep the line numbers), so 100 KB of spec with an error a declaration took 50 s.

_BROKEN_DECLS = [  # (text, the line of the error within it, column)
    ("rule\n", 1, 5),  # the declaration ends where an id should be
    ("rule LSS-R01 }\n", 1, 14),  # an unexpected token
    ("field x { ? }\n", 1, 11),  # an unexpected character
    ("field y {\n  type flag\n", 1, 9),  # a block never closed: said where it opens
]
_GOOD_DECL = 'parameter p{n} {{\n  label "P {n}"\n  value {n} from 2000\n}}\n'


def _many_errors(size: int) -> tuple[str, list[tuple[int, int]], dict[str, int]]:
    """A spec of about ``size`` characters, a broken declaration between good ones: (text, where each
    error is, the line of each good parameter)."""
    parts: list[str] = []
    errors: list[tuple[int, int]] = []
    good: dict[str, int] = {}
    line, n = 1, 0
    while sum(map(len, parts)) < size:
        text, at, column = _BROKEN_DECLS[n % len(_BROKEN_DECLS)]
        errors.append((line + at - 1, column))
        good_text = _GOOD_DECL.format(n=n)
        good[f"p{n}"] = line + text.count("\n") + 1
        parts += [text, "\n", good_text, "\n"]
        line += text.count("\n") + 1 + good_text.count("\n") + 1
        n += 1
    return "".join(parts), errors, good


def test_a_large_spec_with_many_syntax_errors_reports_each_where_it_is(monkeypatch):
    from lss_rules.language.diagnostics import Diagnostics
    from lss_rules.language.syntax import ParameterDecl, parse_decls

    text, errors, good = _many_errors(100_000)
    assert len(text) >= 100_000 and len(errors) > 1_000
    lark = parser()
    parsed: list[int] = []
    real_parse = lark.parse
    monkeypatch.setattr(lark, "parse", lambda t, *a, **kw: parsed.append(len(t)) or real_parse(t, *a, **kw))
    diags = Diagnostics()
    decls = parse_decls(text, "x.lss", diags)
    assert [(d.code, d.pos.line, d.pos.column) for d in diags.items] == [("E001", ln, col) for ln, col in errors]
    # every good declaration after the errors is read, at its own line
    assert {d.name: d.pos.line for d in decls if isinstance(d, ParameterDecl)} == good
    # the text is parsed once whole and once in pieces: the parser reads it twice, not once per declaration
    assert sum(parsed) <= 2 * len(text) + len(parsed)
