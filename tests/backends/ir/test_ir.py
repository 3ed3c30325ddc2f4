"""The IR of generated code: negation and conjunction on structure, and the Python printer, for all inputs.

A reference meaning of IR expressions (``meaning``) is written here by hand; the printed Python
must agree with it, and ``negate``/``all_of``/``any_of``/``fold_constants`` must keep it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lss_rules.backends.python.printer import WIDTH, Printer, render, to_source
from lss_rules.backends.validator import ir

INTS = st.integers(-3, 3)
CODES = st.sampled_from(["", "0", "1", "12", "é", "'", '"', "\\", "x\nimport os"])


def ints() -> st.SearchStrategy[ir.Expr]:
    leaf = st.one_of(INTS.map(ir.Lit), st.sampled_from(["x", "y"]).map(ir.Var))
    return st.recursive(
        leaf, lambda inner: st.builds(ir.BinOp, st.sampled_from(["+", "-", "|", "&"]), inner, inner), max_leaves=4
    )


def conditions() -> st.SearchStrategy[ir.Expr]:
    compare = st.builds(ir.Compare, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), ints(), ints())
    member = st.builds(
        ir.Compare,
        st.sampled_from(["in", "not in"]),
        ints(),
        st.lists(INTS.map(ir.Lit), max_size=3).map(lambda xs: ir.TupleLit(tuple(xs))),
    )
    # OneOf: a value is one of some codes, by name (a table, bound in the environment) or as literals
    codes = st.lists(CODES, max_size=4, unique=True).map(tuple)
    one_of = st.one_of(
        st.builds(ir.OneOf, st.just(ir.Var("s")), codes),
        st.builds(ir.OneOf, st.just(ir.Var("s")), st.just(("0", "1", "12")), st.just(ir.Var("T"))),
    )
    leaf = st.one_of(
        compare,
        member,
        one_of,
        st.builds(ir.Between, ints(), ints(), ints()),
        st.sampled_from(["a", "b", "c"]).map(ir.Var),
        st.booleans().map(ir.Lit),
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(ir.Not, inner),
            st.lists(inner, min_size=2, max_size=4).map(lambda vs: ir.BoolOp("and", tuple(vs))),
            st.lists(inner, min_size=2, max_size=4).map(lambda vs: ir.BoolOp("or", tuple(vs))),
        ),
        max_leaves=8,
    )


ENV = st.fixed_dictionaries(
    {"a": st.booleans(), "b": st.booleans(), "c": st.booleans(), "x": INTS, "y": INTS, "s": CODES}
    | {"T": st.just(frozenset(("0", "1", "12")))}
)


def meaning(e: ir.Expr, env: dict[str, Any]) -> Any:
    match e:
        case ir.Lit(value=v):
            return v
        case ir.Var(name=n):
            return env[n]
        case ir.TupleLit(items=items):
            return tuple(meaning(i, env) for i in items)
        case ir.BinOp(op=op, left=a, right=b):
            x, y = meaning(a, env), meaning(b, env)
            return {"+": x + y, "-": x - y, "|": x | y, "&": x & y}[op]
        case ir.Compare(op=op, left=a, right=b):
            x, y = meaning(a, env), meaning(b, env)
            table = {"==": x == y, "!=": x != y}
            if op in ("in", "not in"):
                return (x in y) == (op == "in")
            return table[op] if op in table else {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
        case ir.Between(low=lo, value=v, high=hi):
            return meaning(lo, env) <= meaning(v, env) <= meaning(hi, env)
        case ir.Not(operand=o):
            return not meaning(o, env)
        case ir.OneOf(value=v, codes=codes):
            return meaning(v, env) in codes
        case ir.BoolOp(op="and", values=vs):
            return all(meaning(v, env) for v in vs)
        case ir.BoolOp(op="or", values=vs):
            return any(meaning(v, env) for v in vs)
    raise AssertionError(e)


def printed(e: ir.Expr, env: dict[str, Any]) -> Any:
    from lss_rules.backends.python.printer import flat

    return eval(flat(Printer().expr(e)), {}, dict(env))


@settings(max_examples=150, deadline=None)
@given(conditions(), ENV)
def test_printed_python_means_what_the_tree_means(e, env):
    assert bool(printed(e, env)) == bool(meaning(e, env))


@settings(max_examples=150, deadline=None)
@given(conditions(), ENV)
def test_negate_all_of_any_of_and_folding_keep_the_meaning(e, env):
    want = bool(meaning(e, env))
    assert bool(meaning(ir.negate(e), env)) is (not want)
    assert bool(printed(ir.negate(e), env)) is (not want)
    assert bool(meaning(ir.fold_constants(e), env)) is want
    assert bool(meaning(ir.all_of(e, ir.TRUE), env)) is want
    assert bool(meaning(ir.any_of(e, ir.FALSE), env)) is want


@settings(max_examples=30, deadline=None)
@given(st.lists(conditions(), min_size=1, max_size=12), ENV)
def test_long_conditions_fold_into_valid_lines(parts, env):
    # an `if` over many parts is folded on structure; the lines compile and mean the same
    test = ir.all_of(*parts)
    stmt = ir.If(test, (ir.Assign(ir.Var("r"), ir.TRUE),), (ir.Assign(ir.Var("r"), ir.FALSE),))
    lines = Printer().stmt(stmt, "    ")
    assert all(len(line) <= WIDTH for line in lines) or len(parts) == 1
    scope = dict(env)
    exec(compile("if True:\n" + "\n".join(lines), "<ir>", "exec"), {}, scope)
    assert scope["r"] is bool(meaning(test, env))


def test_negation_flips_comparisons_not_text():
    x, k = ir.Var("x"), ir.Lit(3)
    assert ir.negate(ir.Compare("==", x, k)) == ir.Compare("!=", x, k)
    assert ir.negate(ir.Compare("in", x, ir.TupleLit((k,)))) == ir.Compare("not in", x, ir.TupleLit((k,)))
    assert ir.negate(ir.Not(x)) == x
    both = ir.BoolOp("and", (x, ir.Var("y")))
    assert ir.negate(both) == ir.Not(both)


def test_comments_and_literals_cannot_break_out():
    evil = 'x\nimport os\n#"""\u2028\r'
    module = ir.Module(
        header=(evil,),
        doc=evil,
        sections=(ir.Section(evil, (ir.Comment(evil), ir.Assign(ir.Var("v"), ir.Lit(evil), note=evil))),),
    )
    source = to_source(module)
    assert not any(line.startswith("import os") for line in source.splitlines())
    scope: dict[str, Any] = {}
    exec(compile(source, "<ir>", "exec"), scope)
    assert scope["v"] == evil and scope["__doc__"] == evil


def test_identifiers_are_safe_in_python_and_javascript():
    assert ir.ident("v_", "class") == "v_class"
    assert ir.ident("", "class") == "_class"
    assert ir.ident("", "delete") == "_delete"  # a JavaScript keyword
    assert ir.ident("v_", "a-b c") == "v_a_b_c"


def test_render_keeps_short_lines_whole():
    assert render("x = 1", "", "", "") == ["x = 1"]


@settings(max_examples=100, deadline=None)
@given(st.lists(CODES, max_size=4, unique=True).map(tuple), CODES, st.booleans(), st.booleans())
def test_one_of_prints_as_membership(codes, s, table, negated):
    """OneOf (a value is one of some codes) prints in Python as ``==``/``in`` of literals or of its table."""
    e: ir.Expr = ir.OneOf(ir.Var("s"), codes, ir.Var("T") if table else None)
    e = ir.negate(e) if negated else e
    env = {"s": s, "T": frozenset(codes)}
    assert bool(printed(e, env)) is ((s in codes) != negated)
