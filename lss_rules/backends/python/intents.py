"""How Python carries out the lowering's intents: a field that is one of some codes, the fields of a line read.

Each is said with the IR's plain nodes, which :mod:`lss_rules.backends.python.printer` prints.
"""

from __future__ import annotations

from lss_rules.backends.validator import ir


def one_of(e: ir.OneOf, negated: bool = False) -> ir.Compare:
    """``value in TABLE``, ``value == 'x'`` or ``value in ('x', 'y')`` (``not in``, ``!=`` when ``negated``)."""
    if e.table is not None:
        return ir.Compare("not in" if negated else "in", e.value, e.table)
    if len(e.codes) == 1:
        return ir.Compare("!=" if negated else "==", e.value, ir.Lit(e.codes[0]))
    return ir.Compare("not in" if negated else "in", e.value, ir.TupleLit(tuple(ir.Lit(c) for c in e.codes)))


#: the local of the pieces up to a skip's field (:func:`split_fields`)
HEAD = "head"


def split_fields(s: ir.ReadFields) -> tuple[ir.Stmt, ...]:
    """Python reads a line's fields by splitting it and unpacking the pieces.

    With a ``skip`` of field ``k``, first only as far as that field (``split(sep, k + 1)``): the lines
    skipped (most, in ``_national``) are never split whole.
    """
    pieces, line, sep = s.pieces, s.line, s.sep
    count = ir.Compare("!=", ir.Intrinsic("len", (pieces,)), ir.Lit(len(s.fields)))
    read: list[ir.Stmt] = [
        ir.Assign(pieces, ir.Intrinsic("split", (line, sep))),
        ir.If(count, s.wrong),
        ir.Assign(ir.TupleLit(s.fields), pieces),
    ]
    if s.skip is None:
        return (*read, *s.body)
    assert s.wrong == (ir.Continue(),), "a skip with more than continue on a wrong line"
    (k,) = {i for i, v in enumerate(s.fields) if v != ir.Var("_") and v in ir.nodes(s.skip)}
    head = ir.Var(HEAD)
    first: tuple[ir.Stmt, ...] = (
        ir.Assign(head, ir.Intrinsic("split_head", (line, sep, ir.Lit(k + 1))), note="as far as the field tested"),
        ir.If(ir.Compare("<=", ir.Intrinsic("len", (head,)), ir.Lit(k)), (ir.Continue(),)),
        ir.Assign(s.fields[k], ir.Index(head, ir.Lit(k))),
        ir.If(s.skip, (ir.Continue(),)),
    )
    return (*first, *read, *s.body)
