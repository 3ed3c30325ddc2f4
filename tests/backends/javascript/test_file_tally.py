"""Where the JavaScript printer makes a file's tally a ``FileTally`` (written into seen and shared as it goes).

A ``FileTally`` cannot be read: only a map that is made empty where it is tallied, ORed into, handed on under
its own name and tallied into one pair of maps may be one.  Every year's module uses it for LSS-R09.
"""

from __future__ import annotations

from lss_rules.backends.javascript.printer import file_tallies
from lss_rules.backends.javascript.to_javascript import to_javascript
from lss_rules.backends.validator import ir

V = ir.Var


def _or(m: str, k: str = "pnr") -> ir.Assign:
    get = ir.Intrinsic("get", (V(m), V(k), ir.Lit(0)))
    return ir.Assign(ir.Index(V(m), V(k)), ir.BinOp("|", get, V("bits")))


def _module(check_body: tuple, validate_body: tuple, check_params: tuple[str, ...] = ("here",)) -> ir.Module:
    check = ir.FunctionDef("check", tuple(ir.Param(p) for p in check_params), check_body)
    validate = ir.FunctionDef("validate", (), validate_body)
    return ir.Module(header=(), doc="", sections=(ir.Section("s", (check, validate)),))


TALLY = ir.ExprStmt(ir.Call(ir.Runtime("tally"), (V("here"), V("seen"), V("shared"))))
MADE = ir.Assign(V("here"), ir.DictLit(()))
HANDED = ir.ExprStmt(ir.Call(V("check"), (V("here"),)))


def test_a_map_only_ored_into_and_tallied_is_a_file_tally():
    assert file_tallies(_module((_or("here"),), (MADE, HANDED, TALLY))) == {"here": ("seen", "shared")}


def test_a_map_that_is_read_is_not():
    read = ir.ExprStmt(ir.Intrinsic("get", (V("here"), V("pnr"), ir.Lit(0))))
    assert file_tallies(_module((_or("here"), read), (MADE, HANDED, TALLY))) == {}
    loop = ir.For("k", V("here"), (ir.Pass(),))
    assert file_tallies(_module((_or("here"),), (MADE, HANDED, TALLY, loop))) == {}


def test_a_map_handed_on_under_another_name_is_not():
    # check(m) reads m: the uses of "here" alone do not say what happens to it there
    body = (_or("m"), ir.ExprStmt(ir.Intrinsic("get", (V("m"), V("pnr"), ir.Lit(0)))))
    assert file_tallies(_module(body, (MADE, HANDED, TALLY), check_params=("m",))) == {}


def test_a_map_tallied_into_two_pairs_or_made_elsewhere_is_not():
    other = ir.ExprStmt(ir.Call(ir.Runtime("tally"), (V("here"), V("seen2"), V("shared2"))))
    assert file_tallies(_module((_or("here"),), (MADE, HANDED, TALLY, other))) == {}
    assert file_tallies(_module((MADE, _or("here")), (HANDED, TALLY))) == {}
    again = ir.Assign(V("here"), V("seen"))
    assert file_tallies(_module((_or("here"),), (MADE, HANDED, TALLY, again))) == {}


def test_every_years_module_tallies_lss_r09_as_it_goes(year_model):
    for year in (1999, 2005, 2015, 2023):
        source = to_javascript(year_model(year))
        assert "= new FileTally(national0, shared0);" in source, year
