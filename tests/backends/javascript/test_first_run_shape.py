"""The JavaScript module is shaped for V8's first run: no giant function left to the interpreter.

V8 compiles a small hot function with TurboFan within milliseconds; ``_check_file`` with every rule of a year
inline took hundreds of milliseconds to compile (``node --trace-opt``), longer than a run of the 80k register,
so a first run spent most of its time unoptimised.  The lowering marks the blocks of a line's work that
assign nothing (``ir.Block``: the record rules, the rules that read the personnummer) and the long test of every
field's form (``ir.Test``); the JavaScript printer makes each a function of its own, the Python printer keeps it
in place (a call a line costs there).
"""

from __future__ import annotations

import re

import pytest

from lss_rules.backends.javascript.printer import Printer
from lss_rules.backends.javascript.to_javascript import to_javascript
from lss_rules.backends.python.printer import Printer as PyPrinter
from lss_rules.backends.validator import ir
from lss_rules.backends.validator.functions import function

V = ir.Var


def _function(source: str, name: str) -> str:
    body = source[source.index(f"function {name}(") :]
    return body[: body.index("\n}\n")]


def test_the_rules_of_a_line_are_functions_of_their_own(year_model):
    for year in (1999, 2004, 2015, 2023):
        source = to_javascript(year_model(year))
        check_file = _function(source, "_check_file")
        assert "LSS-R01" not in check_file and "LSS-R08" not in check_file, year  # rules: out of the loop's body
        assert "VALID_KOMMUN" not in check_file, year  # the test of every field's form too
        assert "LSS-S03" not in check_file and "LSS-S04" not in check_file, year  # required and empty values too
        called = sorted(set(re.findall(r"(_check_file_\d+)\(", check_file)))
        assert len(called) == 5, (year, called)  # form test, required/empty values, rules, personnummer, tallies
        for name in called:
            assert f"\nfunction {name}(" in source, (year, name)
        assert re.search(r"\n +c = _check_file_\d+\(", check_file), year  # the values now missing come back
        assert check_file.count("\n") < 60, year  # (with every rule inline: over 200 lines in 2023)


def test_a_block_is_printed_in_place_by_python_and_as_a_call_by_javascript():
    finding = ir.ExprStmt(ir.Intrinsic("append", (V("out"), V("x"))))
    block = ir.Block("the rules", (ir.If(ir.Compare(">", V("x"), ir.Lit(1)), (finding,)),))
    f = function("f", ("out", "x"), (block,), "", {"out": "list", "x": "int"})
    js = "\n".join(Printer().stmt(f, ""))
    assert "  f_1(out, x);" in js and "function f_1(out, x) {" in js and "out.push(x);" in js
    py = "\n".join(PyPrinter().stmt(f, ""))
    assert "if x > 1:" in py and "out.append(x)" in py and "f_1" not in py


def test_a_block_that_gives_a_local_returns_it_in_javascript_and_assigns_it_in_place_in_python():
    body = (
        ir.Assign(V("c"), ir.Lit(0)),
        ir.If(ir.Compare(">", V("x"), ir.Lit(1)), (ir.AugAssign(V("c"), "|", ir.Lit(2)),)),
        ir.AugAssign(V("s"), "++", ir.TupleLit((ir.Lit("a"),))),
    )
    block = ir.Block("the values", body, gives="c", sets=("s",))
    after = ir.Return(ir.BinOp("|", V("c"), ir.Intrinsic("len", (V("s"),))))
    f = function("f", ("x", "s"), (block, after), "", {"x": "int", "s": "list", "c": "int"})
    js = "\n".join(Printer().stmt(f, ""))
    assert "  c = f_1(c, s, x);" in js and "function f_1(c, s, x) {" in js and "  return c;" in js
    py = "\n".join(PyPrinter().stmt(f, ""))
    assert "c = 0" in py and "f_1" not in py


def test_a_test_is_printed_in_place_by_python_and_as_a_function_by_javascript():
    test = ir.Test("x is big", ir.Compare(">", V("x"), ir.Lit(1)))
    body = (ir.If(test, (ir.ExprStmt(ir.Intrinsic("append", (V("out"), V("x")))),)),)
    f = function("f", ("out", "x"), body, "", {"out": "list", "x": "int"})
    js = "\n".join(Printer().stmt(f, ""))
    assert "if (f_1(x)) {" in js and "function f_1(x) {" in js and "return (x > 1);" in js
    py = "\n".join(PyPrinter().stmt(f, ""))
    assert "if x > 1:" in py and "f_1" not in py


@pytest.mark.parametrize(
    "stmt",
    [
        ir.Assign(V("u"), ir.Lit(0)),
        ir.AugAssign(V("u"), "|", ir.Lit(1)),
        ir.Continue(),
        ir.Return(),
        ir.For("x", V("xs"), (ir.Pass(),)),
    ],
)
def test_a_block_that_assigns_or_leaves_early_is_refused(stmt):
    with pytest.raises(AssertionError, match="a Block may not"):
        ir.Block("t", (ir.If(V("a"), (stmt,)),))
    with pytest.raises(AssertionError, match="a Block may not"):
        ir.Block("t", (ir.If(V("a"), (stmt,)),), gives="c", sets=("s",))  # another local than its own
