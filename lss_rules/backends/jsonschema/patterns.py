"""Numbers as text for JSON Schema: a record's values are strings, so ``value op n`` is a regular expression.

A count is digits (leading zeros allowed) compared as a number; a personnummer's birth year is its first four
digits.  These build the patterns (:func:`number_pattern`, :func:`year_pattern`) that
:mod:`lss_rules.backends.jsonschema` puts where a rule compares such a value with a constant.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any] | bool


def _range_regex(lo: str, hi: str) -> str:
    """A regex for the digit strings of the same width between lo and hi (inclusive)."""
    assert len(lo) == len(hi)
    if not lo:
        return ""
    if lo == hi:
        return lo
    if lo[0] == hi[0]:
        return lo[0] + _group(_range_regex(lo[1:], hi[1:]))
    w = len(lo) - 1
    parts: list[str] = []
    a, b = int(lo[0]), int(hi[0])
    if set(lo[1:]) <= {"0"} and set(hi[1:]) <= {"9"}:
        return _digit_class(a, b) + ("[0-9]" + (f"{{{w}}}" if w > 1 else "") if w else "")
    parts.append(lo[0] + _group(_range_regex(lo[1:], "9" * w)))
    if b - a > 1:
        parts.append(_digit_class(a + 1, b - 1) + ("[0-9]" + (f"{{{w}}}" if w > 1 else "") if w else ""))
    parts.append(hi[0] + _group(_range_regex("0" * w, hi[1:])))
    return "(?:" + "|".join(parts) + ")"


def _group(regex: str) -> str:
    return regex if regex.startswith("(?:") or len(regex) <= 1 or "|" not in regex else f"(?:{regex})"


def _digit_class(a: int, b: int) -> str:
    return str(a) if a == b else f"[{a}-{b}]"


def _at_least(n: int) -> str:
    """Regex (without anchors) for decimal numbers >= n written without leading zeros."""
    n = max(n, 0)
    if n == 0:
        return "(?:0|[1-9][0-9]*)"
    s = str(n)
    width = len(s)
    same = _range_regex(s, "9" * width)
    longer = f"[1-9][0-9]{{{width},}}"
    return f"(?:{same}|{longer})"


def number_pattern(op: str, n: int) -> Schema:
    """A schema for digit strings (leading zeros allowed) whose value satisfies ``value op n``."""
    match op:
        case ">":
            return number_pattern(">=", n + 1)
        case ">=":
            return {"pattern": f"^0*{_at_least(n)}$"} if n > 0 else True
        case "<":
            return {"not": number_pattern(">=", n)}
        case "<=":
            return {"not": number_pattern(">=", n + 1)}
        case "=":
            return {"pattern": f"^0*{n}$"} if n > 0 else {"pattern": "^0+$"} if n == 0 else False
        case "!=":
            return {"not": number_pattern("=", n)}
    raise AssertionError(f"okänd jämförelse {op}")  # pragma: no cover


def year_pattern(lo: int, hi: int) -> Schema:
    """Personnummer whose four first digits (the birth year) lie in lo..hi."""
    lo, hi = max(lo, 0), min(hi, 9999)
    if lo > hi:
        return False
    if lo == 0 and hi == 9999:
        return True
    return {"pattern": "^" + _group(_range_regex(f"{lo:04d}", f"{hi:04d}"))}


FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def interval(op: str, n: int) -> tuple[int, int] | None:
    """The integers x with ``x op n`` as an interval (None for !=)."""
    big = 10**9
    return {
        "<": (-big, n - 1),
        "<=": (-big, n),
        ">": (n + 1, big),
        ">=": (n, big),
        "=": (n, n),
    }.get(op)
