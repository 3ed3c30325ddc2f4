"""A name's kind is the lowering's word (``ir.Local``), not something the JavaScript printer infers.

The lowering declares what each local holds (a key set, a tally, a field of the line, ...); the printer picks
the runtime's structure by that kind alone: ``KeyMap`` for a ``tally`` and a ``key_map``.  A local
the lowering forgot to declare is an error where the function is made, never a slower module without a word
(issue 23).
"""

from __future__ import annotations

import pytest

from lss_rules.backends.javascript.printer import Printer
from lss_rules.backends.javascript.to_javascript import to_javascript
from lss_rules.backends.validator import ir
from lss_rules.backends.validator.functions import function

V = ir.Var


def _printed(f: ir.FunctionDef) -> str:
    return "\n".join(Printer().stmt(f, ""))


def test_a_tally_is_made_and_ored_into_as_declared():
    body = (
        ir.Assign(V("here"), ir.Intrinsic("new_tally", ())),
        ir.ExprStmt(ir.Intrinsic("or_into", (V("here"), V("pnr"), V("bits")))),
        ir.ExprStmt(ir.Call(ir.Runtime("tally"), (V("here"), V("seen"), V("shared")))),
    )
    kinds: dict[str, ir.LocalKind] = {"here": "tally", "seen": "tally", "shared": "tally"}
    kinds |= {"pnr": "str", "bits": "int"}
    source = _printed(function("f", ("seen", "shared", "pnr", "bits"), body, "", kinds))
    assert "here = new KeyMap();" in source
    assert "here.orBits(pnr, bits);" in source


def test_the_kind_not_the_shape_picks_the_structure():
    """The same statements print as a Map or a KeyMap by the kind declared for the name alone."""
    test = ir.If(ir.Compare("in", V("k"), V("m")), (ir.Return(ir.Lit(1)),))
    made = ir.Assign(V("m"), ir.Intrinsic("new_tally", ()))
    tally = _printed(function("f", ("k",), (made, test), "", {"m": "tally", "k": "str"}))
    assert "m = new KeyMap();" in tally and "m.has(k)" in tally
    made = ir.Assign(V("m"), ir.Intrinsic("new_key_map", ()))
    put = ir.ExprStmt(ir.Intrinsic("put", (V("m"), V("k"), ir.Lit(7))))
    keys = _printed(function("f", ("k",), (made, test, put), "", {"m": "key_map", "k": "str"}))
    assert "m = new KeyMap();" in keys and "m.has(k)" in keys and "m.set(k, 7);" in keys
    made = ir.Assign(V("m"), ir.DictLit(()))
    plain = _printed(function("f", ("k",), (made, test), "", {"m": "map", "k": "str"}))
    assert "m = new Map();" in plain and "m.has(k)" in plain
    unknown = _printed(function("f", ("k",), (made, test), "", {"m": "value", "k": "str"}))
    assert "py_in(k, m)" in unknown  # a value of no declared kind: Python's ``in`` by the runtime


def test_a_local_without_a_kind_is_refused_where_the_function_is_made():
    body = (ir.Assign(V("here"), ir.DictLit(())), ir.Return(V("here")))
    with pytest.raises(AssertionError, match="no kind for"):
        function("f", ("x",), body, "", {"x": "int"})
    with pytest.raises(AssertionError, match="no kind for"):
        ir.declared(ir.FunctionDef("f", (), body, None, ()))


def test_every_years_module_keeps_personnummer_as_numbers(year_model):
    for year in (1999, 2005, 2015, 2023):
        source = to_javascript(year_model(year))
        # each sized for the keys of the lines it tallies: a file's, or all the files'
        for made in ("here0 = new KeyMap(lines);", "national0 = new KeyMap(paths);", "seen0 = new KeyMap(lines);"):
            assert made in source, (year, made)
        assert "here0.orKey(" in source and "seen0.hasKey(" in source and "shared0.hasKey(" in source, year
        assert "seen0.putKey(" in source, year  # LSS-R07's first lines: the key's number read in place too
        check_file = source[source.index("function _check_file(") :]
        check_file = check_file[: check_file.index("\n}\n")]
        # every helper of Python's meaning on a value of unknown kind is gone from the hot loop
        for helper in ("py_bool(", "py_len(", "py_in(", "py_get(", "py_setitem("):
            assert helper not in check_file, (year, helper)
