"""What drawing lines of one year needs: the builder of a person's values and a line being built.

:mod:`lss_rules.generators.bulk` deals persons out with it, :mod:`lss_rules.generators.inject` turns some of
their lines into lines with one finding each, and :mod:`lss_rules.generators.strategies` draws values with it.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

from lss_rules.language import model as m
from lss_rules.meaning import derive

#: Plausible decided hours or days per month: (low, mode, high); clipped to the year's limits
#: (warning limits included, so a valid register draws no warning).  Our assumption.
PLAUSIBLE_COUNTS: dict[str, tuple[int, int, int]] = {
    "personlig_assistans_timmar": (20, 120, 600),
    "ledsagarservice_timmar": (2, 8, 40),
    "avlosarservice_timmar": (2, 12, 44),
    "korttidsvistelse_dygn": (1, 6, 14),
}

BOENDEKOMMUN_SHARE = 0.12


@dataclass(slots=True)
class Entry:
    """A line of a file being built, with the findings it draws."""

    text: str
    person: int
    findings: list[tuple[str, tuple[str, ...]]]
    locked: bool = False  # duplicates and error lines are not touched again
    shared: bool = False  # the person has a line in another municipality too


class Builder:
    """What drawing lines of one year needs once: the year's test numbers not yet used (by birth year, shuffled),
    the ages its rules allow for a set of insatser, and plausible values for a person."""

    def __init__(self, ym: m.YearModel, rng: random.Random, used: frozenset[str] | set[str] = frozenset()) -> None:
        self.ym = ym
        self.rng = rng
        self.lines = derive.Lines(ym)
        self.pool = self.lines.pool
        self.flags = [f.name for f in ym.fields if derive.is_flag(f)]
        self.limits = derive.count_limits(ym)
        self.enum = next((f for f in ym.fields if isinstance(f.type, m.EnumType)), None)
        self.codes = sorted(ym.municipalities)
        # unused numbers by birth year (for lines with findings), shuffled once
        self.buckets: dict[int, list[str]] = {}
        for y, nums in self.pool.by_birth_year.items():
            b = [x for x in nums if x not in used]
            rng.shuffle(b)
            self.buckets[y] = b
        self.invalid = list(self.pool.invalid)
        rng.shuffle(self.invalid)
        self._template = blank_record(ym)
        self._kommun_fields = [f.name for f in ym.fields if isinstance(f.type, m.MunicipalityType) and not f.optional]
        self._shapes: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]] = {}
        self._ages: dict[tuple[frozenset[str], str], tuple[int, ...]] = {}
        # ages at which some rule switches: rules are constant between these cut points
        cuts = {0}
        for c in derive._all_ages(ym):
            cuts.update((c, c + 1))
        self._cuts = sorted(cuts)

    def allowed_ages(self, flags: Sequence[str], krets: str) -> tuple[int, ...]:
        """Ages at which the year's rules accept this combination (cached), by running them (strategies)."""
        key = (frozenset(flags), krets)
        got = self._ages.get(key)
        if got is None:
            values = dict(self._template)
            for n in flags:
                values[n] = "1"
            if self.enum is not None:
                values[self.enum.name] = krets
            self.lines.fix_up(values)
            have = sorted(self.ym.year - y for y in self.pool.by_birth_year)
            ages: list[int] = []
            bounds = [*self._cuts, max(have) + 1]
            for lo, hi in itertools.pairwise(bounds):
                inside = [a for a in have if lo <= a < hi]
                if not inside:
                    continue
                values[self.lines.pnr] = self.pool.of_age(self.ym.year, inside[0])[0]
                if not self.lines.findings(values):
                    ages += inside
            got = tuple(sorted(ages))
            self._ages[key] = got
        return got

    def _shape(self, flags: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
        """For a set of insatser: the count fields that must be given, the optional codes that may be,
        and the template with the insatser set."""
        key = tuple(flags)
        got = self._shapes.get(key)
        if got is None:
            values = dict(self._template)
            for n in flags:
                values[n] = "1"
            need = tuple(
                f.name
                for f in self.ym.fields
                if isinstance(f.type, m.CountType)
                and f.required_when is not None
                and self.lines.holds(f.required_when, values)
            )
            may = tuple(
                f.name
                for f in self.ym.fields
                if isinstance(f.type, m.MunicipalityType)
                and f.optional
                and f.empty_unless is not None
                and self.lines.holds(f.empty_unless, values)
            )
            got = self._shapes[key] = (need, may, values)
        return got

    def values_for(self, kommun: str, pnr: str, flags: Sequence[str], krets: str) -> dict[str, str]:
        need, may, base = self._shape(flags)
        values = dict(base)
        values[self.lines.pnr] = pnr
        for name in self._kommun_fields:
            values[name] = kommun
        if self.enum is not None:
            values[self.enum.name] = krets
        for name in need:
            values[name] = str(self.count(name))
        for name in may:
            if self.rng.random() < BOENDEKOMMUN_SHARE:
                other = self.rng.choice(self.codes)
                if other != kommun:
                    values[name] = other
        return values

    def count(self, name: str) -> int:
        low, mode, high = PLAUSIBLE_COUNTS.get(name, (1, 5, 20))
        limit = self.limits.get(name)
        if limit is not None:
            high = min(high, limit)
            mode = min(mode, high)
            low = min(low, high)
        return round(self.rng.triangular(low, high, mode))


def blank_record(ym: m.YearModel) -> dict[str, str]:
    """The year's base record with no insats: every flag 0, every count and optional municipality empty (the
    values a generated person starts from)."""
    record = dict(derive.base_record(ym))
    for f in ym.fields:
        if derive.is_flag(f):
            record[f.name] = "0"
        elif isinstance(f.type, m.CountType) or (isinstance(f.type, m.MunicipalityType) and f.optional):
            record[f.name] = ""
    return record
