"""Broken validators for the mutation test: a year model with one rule removed or one limit moved by one.

Mutants are made with :func:`dataclasses.replace` on the typed model, so the reference evaluator
runs them unchanged.  Names: ``remove:LSS-R04`` and ``shift:LSS-R21:0:+1`` (the first integer of the
rule's ``when``/``require``, literal or parameter, plus one).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from lss_rules.language import model as m


def _ints(expr: m.Expr | None) -> list[m.Expr]:
    if expr is None:
        return []
    return [e for e in m.walk(expr) if isinstance(e, m.IntLit | m.ParamRef)]


def names(ym: m.YearModel) -> list[str]:
    out = [f"remove:{a.id}" for a in ym.active]
    for ar in ym.rules:
        n = len(_ints(ar.when)) + len(_ints(ar.require))
        for k in range(n):
            out += [f"shift:{ar.id}:{k}:+1", f"shift:{ar.id}:{k}:-1"]
    return out


def _shift(node: Any, target: list[int], delta: int) -> Any:
    """Rebuild an expression with the target-th integer node moved by delta (target is a countdown)."""
    if isinstance(node, m.IntLit | m.ParamRef):
        hit = target[0] == 0
        target[0] -= 1
        if hit:
            assert node.value is not None
            return dataclasses.replace(node, value=node.value + delta)
        return node
    if isinstance(node, tuple):
        return tuple(_shift(x, target, delta) for x in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in dataclasses.fields(node):
            if f.name == "pos":
                continue
            value = getattr(node, f.name)
            new = _shift(value, target, delta)
            if new is not value:
                changes[f.name] = new
        return dataclasses.replace(node, **changes) if changes else node
    return node


def apply(ym: m.YearModel, name: str) -> m.YearModel:
    kind, ident, *rest = name.split(":")
    if kind == "remove":
        return dataclasses.replace(
            ym,
            rules=tuple(r for r in ym.rules if r.id != ident),
            checks=tuple(c for c in ym.checks if c.id != ident),
        )
    k, delta = int(rest[0]), int(rest[1])
    rules = []
    for ar in ym.rules:
        if ar.id == ident:
            target = [k]
            when = _shift(ar.when, target, delta)
            require = _shift(ar.require, target, delta)
            ar = dataclasses.replace(ar, when=when, require=require)
        rules.append(ar)
    return dataclasses.replace(ym, rules=tuple(rules))
