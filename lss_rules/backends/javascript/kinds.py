"""What the JavaScript printer knows a value holds: by the kind the lowering declared, or by its node.

And the names a function assigns (declared once at its top with ``let``).
"""

from __future__ import annotations

from lss_rules.backends.validator import ir

#: the native kind (in JavaScript) of each kind of local the lowering declares
NATIVE: dict[str, str] = {
    **{"str": "str", "field": "str", "int": "int", "bool": "bool"},
    **{"list": "list", "pieces": "list", "findings": "list", "set": "set"},
    **{"map": "map", "tally": "map", "key_map": "map"},
}

#: the truth of a value of a known kind (Python's: an empty string, list, set or map, and 0, are false)
TRUTH = {"str": '{} !== ""', "int": "{} !== 0", "bool": "{}", "list": "{}.length !== 0"}
TRUTH |= {"set": "{}.size !== 0", "map": "{}.size !== 0"}


def assigned(body: tuple[ir.Stmt, ...]) -> set[str]:
    """The names a function body assigns (not in nested functions): declared once at its top.

    A ReadFields's field locals and pieces are not assigned in JavaScript (read where they lie); the
    printer adds the locals it makes there (:attr:`Printer.extra`).
    """
    out: set[str] = set()
    for s in body:
        match s:
            case ir.Assign(target=ir.Var(name=name)) | ir.AugAssign(target=ir.Var(name=name)):
                out.add(name)
            case ir.Assign(target=ir.TupleLit(items=items)):
                out |= {x.name for x in items if isinstance(x, ir.Var) and x.name != "_"}
            case ir.If(body=b, orelse=o) | ir.ReadFields(wrong=o, body=b):
                out |= assigned(b) | assigned(o)
            case ir.For(item=item, body=b, index=index):
                out |= {item, *([index] if index else [])} | assigned(b)
            case ir.Block(body=b):
                out |= assigned(b)  # the function's locals, given to the block's function (``gives`` back from it)
            case _:
                pass
    return out


def kind_of(e: ir.Expr) -> str | None:
    """What an expression that is not a name holds, by its node."""
    match e:
        case ir.SetLit() | ir.Intrinsic(name="new_set") | ir.Call(func=ir.Runtime(name="dead_by")):
            return "set"
        case ir.DictLit() | ir.Intrinsic(name="new_tally" | "new_key_map"):
            return "map"
        case ir.TupleLit() | ir.Intrinsic(name="new_list" | "new_findings" | "list_of" | "split" | "split_head"):
            return "list"
        case ir.BinOp(op="++"):
            return "list"
        case ir.BinOp(op="+", left=a, right=b) if any(isinstance(x, ir.Slice) or _is_str(x) for x in (a, b)):
            return "str"
        case ir.BinOp() | ir.Intrinsic(name="len" | "to_int" | "to_count" | "bits" | "truth"):
            return "int"
        case ir.Lit(value=bool()) | ir.Compare() | ir.Between() | ir.Not() | ir.OneOf():
            return "bool"
        case ir.Intrinsic(name="is_digits"):
            return "bool"
        case ir.Lit(value=int()):
            return "int"
    return None


def _is_str(e: ir.Expr) -> bool:
    return isinstance(e, ir.Lit) and isinstance(e.value, str)
