"""A year model as a stable, readable text dump (golden files, ``diff`` and reviews).

>>> from lss_rules.language.load import load_spec
>>> print(dump_year(load_spec().for_year(2023)).splitlines()[0])
year 2023
"""

from __future__ import annotations

from typing import assert_never

from lss_rules.language import model as m

_PREC = {m.Or: 1, m.And: 2, m.Not: 3, m.Compare: 4, m.Between: 4, m.Member: 4, m.Arith: 5}


def expr_source(e: m.Expr, param: str = "{name}<{value}>") -> str:
    """An expression in the spec language's own syntax, minimal parentheses.

    A parameter with its year's value is written by ``param`` (``{name}``,
    ``{value}``); without a value, by its name.
    """

    def sub(x: m.Expr, need: int) -> str:
        s = expr_source(x, param)
        return f"({s})" if _PREC.get(type(x), 6) < need else s

    match e:
        case m.IntLit(value=v):
            return str(v)
        case m.StrLit(value=v):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        case m.FieldRef(name=n):
            return n
        case m.ParamRef(name=n, value=v):
            return n if v is None else param.format(name=n, value=v)
        case m.GroupRef(name=n, members=mem):
            return f"{n}[{', '.join(mem)}]" if mem else n
        case m.Age(arg=a) | m.BirthYear(arg=a) | m.Present(arg=a) | m.ValidPersonnummer(arg=a) | m.Deceased(arg=a):
            return f"{e.function}({expr_source(a, param)})"
        case m.Count(arg=g):
            return f"{e.function}({expr_source(g, param)})"
        case m.Compare(op=op, left=a, right=b):
            return f"{sub(a, 5)} {op} {sub(b, 5)}"
        case m.Between(value=v, low=lo, high=hi):
            return f"{sub(v, 5)} between {sub(lo, 5)} and {sub(hi, 5)}"
        case m.Member(value=v, options=opts):
            return f"{sub(v, 5)} in {{{', '.join(expr_source(o, param) for o in opts)}}}"
        case m.And(left=a, right=b):
            return f"{sub(a, 2)} and {sub(b, 3)}"
        case m.Or(left=a, right=b):
            return f"{sub(a, 1)} or {sub(b, 2)}"
        case m.Not(operand=o):
            return f"not {sub(o, 3)}"
        case m.Arith(op=op, left=a, right=b):
            return f"{sub(a, 5)} {op} {sub(b, 6)}"
        case _:
            assert_never(e)


def _type(t: m.FieldType) -> str:
    match t:
        case m.MunicipalityType(dataset=d):
            return f"municipality from {d}"
        case m.EnumType():
            return "enum {" + ", ".join(str(v) for v in t.values) + "}"
        case m.PersonnummerType() | m.FlagType() | m.CountType():
            return m.type_name(t)
        case _:
            assert_never(t)


def dump_year(ym: m.YearModel) -> str:
    """Everything a validator of ``ym.year`` needs, one fact a line, in a fixed order."""
    out = [f"year {ym.year}"]
    out.append(f"reference_date {ym.reference_date.isoformat()}")
    out.append(f"deadline {ym.deadline.isoformat()}")
    out.append(f"beyond_spec {'yes' if ym.beyond_spec else 'no'}")
    out.append(
        f"layout {ym.layout.name}: {len(ym.fields)} fields, separator {ym.layout.separator!r}, "
        f"encodings {', '.join(ym.layout.encodings)}"
    )
    for i, f in enumerate(ym.fields, start=1):
        parts = [f"  {i:>2} {f.name}: {_type(f.type)}"]
        if f.optional:
            parts.append("optional")
        if f.required_when is not None:
            parts.append(f"required when {expr_source(f.required_when)}")
        if f.empty_unless is not None:
            parts.append(f"empty unless {expr_source(f.empty_unless)}")
        if f.differs_from is not None:
            parts.append(f"differs from {f.differs_from}")
        if f.equalisation:
            parts.append("equalisation")
        out.append("; ".join(parts))
    out.append("parameters")
    for name, value in ym.parameters:
        out.append(f"  {name} = {value}")
    out.append(f"municipalities {len(ym.municipalities)}: {', '.join(sorted(ym.municipalities)[:3])}, …")
    out.append("checks")
    for c in ym.checks:
        out.append(f"  {c.id} {c.severity} {c.check.kind}")
    out.append("rules")
    for r in ym.rules:
        out.append(f"  {r.id} {r.severity} scope {r.rule.scope}")
        if r.when is not None:
            out.append(f"    when {expr_source(r.when)}")
        if r.require is not None:
            out.append(f"    require {expr_source(r.require)}")
        if r.unique is not None:
            each = f" for each set flag in {expr_source(r.unique.each_flag_in)}" if r.unique.each_flag_in else ""
            out.append(f"    unique {r.unique.key}{each}")
        out.append(f"    reads {', '.join(r.reads)}")
    inactive = [x for x in ym.spec.ids if ym.severity_of(x) is None]
    out.append(f"not in force {', '.join(inactive) if inactive else '-'}")
    return "\n".join(out) + "\n"
