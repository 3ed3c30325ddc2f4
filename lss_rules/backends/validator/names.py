"""The names the generated code of a year uses: a local and a bit per field, the module's constants.

Part of the validators' lowering (:mod:`lss_rules.backends.validator.lower`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from lss_rules.backends.validator import ir
from lss_rules.backends.validator.ir import (
    TRUE,
    BinOp,
    ExprStmt,
    Intrinsic,
    Lit,
    Not,
    Stmt,
    TupleLit,
    Var,
    ident,
)
from lss_rules.language import model as m

EMPTY = Lit("")

# --------------------------------------------------------------------------- names


@dataclass(frozen=True, slots=True)
class Names:
    """How the generated code refers to the fields of one year: a local and a bit each."""

    fields: tuple[m.Field, ...]
    local: dict[str, str]
    bit: dict[str, int]
    bit_name: dict[str, str]  # field -> the constant of its bit (``U_KOMMUN``)
    pnr: str | None  # the personnummer field, if the layout has one
    params: dict[str, str]  # parameter -> its constant
    masks: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the masks named as code asks for them

    @staticmethod
    def of(ym: m.YearModel) -> Names:
        local: dict[str, str] = {}
        for f in ym.fields:
            name = ident("v_", f.name)
            while name in local.values():
                name += "_"
            local[f.name] = name
        bit = {f.name: 1 << i for i, f in enumerate(ym.fields)}
        bit_name: dict[str, str] = {}
        for f in ym.fields:
            const = ident("U_", f.name.upper())
            while const in bit_name.values():
                const += "_"
            bit_name[f.name] = const
        taken = _MODULE_NAMES | set(bit_name.values()) | {set_name(f) for f in ym.fields}
        pnr = next((f.name for f in ym.fields if isinstance(f.type, m.PersonnummerType)), None)
        params: dict[str, str] = {}
        for name, _ in ym.parameters:
            const = ident("", name.upper())
            while const in params.values() or const in taken:
                const += "_"
            params[name] = const
        return Names(ym.fields, local, bit, bit_name, pnr, params)

    def bits(self, fields: Iterable[str]) -> ir.Expr | None:
        """The named bits of the fields in the layout, or-ed (``U_PERSONNUMMER | U_FAMILJEHEM``); None if none."""
        out: ir.Expr | None = None
        for name in self.ordered(fields):
            out = Var(self.bit_name[name]) if out is None else BinOp("|", out, Var(self.bit_name[name]))
        return out

    def known(self, fields: Iterable[str], label: str) -> ir.Expr:
        """``not u & U_A``: none of the fields is missing or malformed on this line (true if none is read).

        Two or more fields are one mask named after what reads them (``READS_LSS_R08 = U_A | U_B``): one
        constant in the hot loop, not an ``|`` of many per line.
        """
        fields = self.ordered(fields)
        if not fields:
            return TRUE
        if len(fields) == 1:
            return Not(BinOp("&", Var("u"), Var(self.bit_name[fields[0]])))
        name = ident("READS_", label.upper())
        while self.masks.get(name, fields) != fields or name in self.bit_name.values():
            name += "_"
        self.masks[name] = fields
        return Not(BinOp("&", Var("u"), Var(name)))

    def ordered(self, fields: Iterable[str]) -> tuple[str, ...]:
        fs = set(fields)
        return tuple(f.name for f in self.fields if f.name in fs)

    def field(self, name: str) -> m.Field:
        return next(f for f in self.fields if f.name == name)

    def var(self, name: str) -> Var:
        return Var(self.local[name])

    @property
    def pnr_value(self) -> ir.Expr:
        return Lit(None) if self.pnr is None else self.var(self.pnr)


# the module's own constants (a parameter's constant never takes one of these names)
_MODULE_NAMES = frozenset(
    {"YEAR", "REFERENCE_DATE", "SEPARATOR", "PROG", "FIELDS", "NOTES", "RULES", "TITLES", "SPEC_DIGEST"}
    | {"NOTES_EN", "RULES_EN", "TITLES_EN", "DETAILS", "DETAILS_EN"}
)


def set_name(f: m.Field) -> str:
    """The constant holding a field's valid raw values (only for fields with a finite domain)."""
    return ident("VALID_", f.name.upper())


def append_finding(rule: str, fields: ir.Expr, pnr: ir.Expr, line: ir.Expr | None = None) -> Stmt:
    """``out.append((rule, fi, n, fields, personnummer))``: one raw finding (on line ``n`` unless given)."""
    where = Var("n") if line is None else line
    return ExprStmt(Intrinsic("append", (Var("out"), TupleLit((Lit(rule), Var("fi"), where, fields, pnr)))))


def lits(values: Iterable[str | int]) -> TupleLit:
    return TupleLit(tuple(Lit(v) for v in values))


def check_id(ym: m.YearModel, kind: str) -> str | None:
    return next((c.id for c in ym.checks if c.check.kind == kind), None)
