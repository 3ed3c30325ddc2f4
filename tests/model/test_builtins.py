"""Built-in functions are node types of the model; names and calls by name exist only in the syntax.

Lowering turns a condition as written (``lss_rules.language.syntax.Expr``) into the model's expression:
every name resolved, every call the built-in's own node, with located diagnostics where it cannot.
"""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from lss_rules.language import model as m
from lss_rules.language import syntax
from lss_rules.language.load import analyse

BASE = (Path(__file__).resolve().parent.parent / "spec" / "base.lss").read_text(encoding="utf-8")
REQUIRE = "  require age(personnummer) >= 16\n"


def _lower(tmp_path: Path, require: str) -> tuple[m.Spec | None, list[tuple[str, str, int, int]]]:
    assert REQUIRE in BASE
    (tmp_path / "spec.lss").write_text(BASE.replace(REQUIRE, f"  require {require}\n"), encoding="utf-8")
    spec, diags = analyse([tmp_path / "spec.lss"])
    return spec, [(d.code, d.message, d.pos.line, d.pos.column) for d in diags]


def test_the_model_has_only_resolved_nodes():
    nodes = set(typing.get_args(m.Expr))
    assert not hasattr(m, "Name") and not hasattr(m, "Call")
    assert syntax.Name not in nodes and syntax.Call not in nodes
    assert set(typing.get_args(m.Builtin)) <= nodes


def test_every_function_has_its_node():
    assert {f.node for f in m.FUNCTIONS.values()} == set(typing.get_args(m.Builtin))
    for name, f in m.FUNCTIONS.items():
        assert f.node.function == name == f.name


def _literals(alias: object) -> set[str]:
    """The strings of a Literal type alias (a union of Literals too)."""
    args = typing.get_args(alias)
    return {a for a in args if isinstance(a, str)} | {x for a in args if not isinstance(a, str) for x in _literals(a)}


def test_the_types_of_conditions_are_closed_and_said_in_words():
    """Every type of the condition language and every kind of parameter has words of its own in a message (no
    raw name such as ``personnummer`` shown), and every built-in's signature is made of them."""
    from lss_rules.language.conditions import _words

    kinds = _literals(m.ValueType) | _literals(m.ParamKind)
    assert {"int", "bool", "flag", "count", "enum", "municipality", "personnummer", "group", "field"} <= kinds
    words = {k: _words(k) for k in kinds}
    assert len(set(words.values())) == len(kinds) and not any(k == w for k, w in words.items())
    assert _literals(m.FieldKind) <= _literals(m.ValueType) and set(m.NUMERIC) <= _literals(m.ValueType)
    for f in m.FUNCTIONS.values():
        assert set(f.params) <= _literals(m.ParamKind) and f.result in _literals(m.ResultType)


@pytest.mark.parametrize(
    ("require", "node"),
    [
        ("age(personnummer) >= 16", m.Age),
        ("birth_year(personnummer) >= 1950", m.BirthYear),
        ("present(daglig_verksamhet)", m.Present),
        ("valid_personnummer(personnummer)", m.ValidPersonnummer),
    ],
)
def test_lowering_builds_the_node(tmp_path, require, node):
    spec, diags = _lower(tmp_path, require)
    assert diags == []
    assert spec is not None
    (built,) = [e for e in m.walk(spec.rules[0].require) if isinstance(e, m.Builtin)]
    assert type(built) is node
    assert built.arg == m.FieldRef("daglig_verksamhet" if node is m.Present else "personnummer")
    assert (built.pos.line, built.pos.column) == (84, 11)


def test_no_surface_node_survives_in_the_spec(spec):
    exprs = [e for r in spec.rules for e in (r.when, r.require) if e is not None]
    exprs += [e for f in spec.fields for e in (f.required_when, f.empty_unless) if e is not None]
    allowed = tuple(typing.get_args(m.Expr))
    assert exprs
    for e in exprs:
        for node in m.walk(e):
            assert isinstance(node, allowed), node
    assert any(isinstance(node, m.Count) for e in exprs for node in m.walk(e))


@pytest.mark.parametrize(
    ("require", "expected"),
    [
        ("alder(personnummer) >= 16", ("E002", "okänd funktion `alder`", 84, 11)),
        ("age(personnummer, timmar) >= 16", ("E003", "`age` tar 1 argument, inte 2", 84, 11)),
        ("age(timmar) >= 16", ("E003", "`age` vill ha ett personnummer, inte ett antal", 84, 15)),
        ("present(1)", ("E003", "`present` vill ha ett fält, inte ett tal", 84, 19)),
        ("age(personnumer) >= 16", ("E002", "okänt namn `personnumer`", 84, 15)),
    ],
)
def test_a_call_that_does_not_resolve_is_one_located_diagnostic(tmp_path, require, expected):
    spec, diags = _lower(tmp_path, require)
    assert diags == [expected]
    assert spec is not None and spec.rules[0].require is None


def test_diagnostics_of_a_condition_that_does_not_lower_are_all_there(tmp_path):
    # the external function is reported although the condition did not lower (an unknown name in it);
    # the arguments of a call with the wrong number of them are resolved but not type-checked
    _, diags = _lower(tmp_path, "age(nope) >= 1 and deceased(personnummer) and age(1, nope2) > 0")
    assert diags == [
        ("E002", "okänt namn `nope`", 84, 15),
        ("E010", "`deceased` läser ett externt register: ange `scope external`", 84, 30),
        ("E003", "`age` tar 1 argument, inte 2", 84, 57),
        ("E002", "okänt namn `nope2`", 84, 64),
    ]
