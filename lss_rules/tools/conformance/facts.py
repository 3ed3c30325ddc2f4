"""What the docs say about the suite and the rules, computed from the code when the site is built.

``docs/hooks.py`` replaces a marker ``<!-- lss: NAME ARG... -->`` in a page with what :func:`fragment`
gives (``suite-vectors 2023``: the number of vectors of the 2023 suite; ``suite-table 2023 2005``: a
table of the vectors per year and kind; ``rule-ids``: the ranges of rule ids; the hook itself fills
``tools``, the vendor's commands with the command line's help), so no count in a page is typed by hand.
A suite is built once per year and process (:func:`kind_counts` is cached).
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lss_rules.language import model as m

#: The kinds of vector in the order the vendor guide explains them; a kind not here comes after them.
KINDS = ("violation", "inside", "combination", "convention", "interpretation", "example", "format", "register")


@functools.cache
def _counts(spec: m.Spec, year: int) -> tuple[tuple[str, int], ...]:
    from lss_rules.tools.conformance.build import build_suite

    found = Counter(v.kind for v in build_suite(spec.for_year(year)))
    order = [k for k in KINDS if k in found] + sorted(k for k in found if k not in KINDS)
    return tuple((k, found[k]) for k in order)


def kind_counts(spec: m.Spec, year: int) -> dict[str, int]:
    """The number of vectors of each kind in the year's suite, in :data:`KINDS` order."""
    return dict(_counts(spec, year))


def suite_table(spec: m.Spec, years: list[int]) -> str:
    """A Markdown table: the vectors of each kind (a row) in each year's suite (a column), all in the last row.
    Kinds down and years across: a row per year and a column per kind was too wide to read without scrolling
    sideways (axe: a scrolled region keyboard users cannot reach)."""
    counts = {y: kind_counts(spec, y) for y in years}
    kinds = [k for k in KINDS if any(k in c for c in counts.values())]
    kinds += sorted({k for c in counts.values() for k in c} - set(kinds))
    head = "| sort | " + " | ".join(str(y) for y in years) + " |"
    rule = "|---|" + "---:|" * len(years)
    rows = [f"| `{k}` | " + " | ".join(str(counts[y].get(k, 0)) for y in years) + " |" for k in kinds]
    total = "| **alla** | " + " | ".join(f"**{sum(counts[y].values())}**" for y in years) + " |"
    return "\n".join([head, rule, *rows, total])


def rule_ids(spec: m.Spec) -> str:
    """The rule ids as ranges: ``LSS-S01``–``S05`` för strukturkontroller, ``LSS-R01``–``R24`` för …."""
    checks = sorted(c.id for c in spec.checks)
    rules = sorted(r.id for r in spec.rules)
    return f"{_span(checks)} för strukturkontroller, {_span(rules)} för rimlighetskontroller"


def _span(ids: list[str]) -> str:
    if not ids:
        return "inga"
    if len(ids) == 1:
        return f"`{ids[0]}`"
    last = ids[-1].rsplit("-", 1)[-1]
    return f"`{ids[0]}`–`{last}`"


def fragment(spec: m.Spec, name: str, args: list[str]) -> str:
    """The text of the marker ``<!-- lss: NAME ARGS -->``; ValueError for a marker that is not one of these."""
    years = [int(a) for a in args]
    if name == "suite-vectors" and len(years) == 1:
        return str(sum(kind_counts(spec, years[0]).values()))
    if name == "suite-table" and years:
        return suite_table(spec, years)
    if name == "early-vectors" and not args:
        from lss_rules.tools.conformance.reasons import EARLY

        return str(EARLY)
    if name == "rule-ids" and not args:
        return rule_ids(spec)
    raise ValueError(f"okänd markör <!-- lss: {name} {' '.join(args)} -->")
