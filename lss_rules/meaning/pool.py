"""The pool of Skatteverket's test numbers (personnummer and samordningsnummer) the generated data draws from.

Synthetic registers use only these numbers, never invented ones: :func:`pool` gives those valid on a reference
date by birth year (so a person of a given age can be drawn) and those that fail LSS-R01.  The boundary solver
(:mod:`lss_rules.meaning.derive`) and the generators read it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from lss_rules.runtime import python as runtime

DATA_FILES = ("skatteverket-testpersonnummer.json", "skatteverket-testsamordningsnummer.json")


@functools.cache
def test_numbers() -> tuple[str, ...]:
    """Every Skatteverket test number (personnummer and samordningsnummer), sorted, unique."""
    folder = resources.files("lss_rules.generators") / "data"
    numbers: set[str] = set()
    for name in DATA_FILES:
        numbers.update(json.loads((folder / name).read_text(encoding="utf-8")))
    return tuple(sorted(numbers))


@dataclass(frozen=True, slots=True)
class Pool:
    """The test numbers of one reference date: valid ones by birth year, and those failing LSS-R01."""

    reference_date: dt.date
    by_birth_year: Mapping[int, tuple[str, ...]]
    invalid: tuple[str, ...]

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.by_birth_year.values())

    def of_age(self, year: int, age: int) -> tuple[str, ...]:
        return self.by_birth_year.get(year - age, ())


@functools.cache
def pool(reference_date: dt.date) -> Pool:
    """The test numbers valid on ``reference_date`` (LSS-R01) by birth year, and the others, each in sorted order.

    A number valid on some day stays valid on every later one: so those valid ever are found once
    (:func:`_valid_ever`), and a date's pool checks again only the numbers born in its own year — born
    earlier they are valid, born later they are not (``check`` of 27 years read 1.2 million numbers before).
    """
    ever, never = _valid_ever()
    by_year: dict[int, tuple[str, ...]] = {}
    invalid: list[str] = list(never)
    for year, numbers in ever.items():
        if year < reference_date.year:
            by_year[year] = numbers
        elif year == reference_date.year:
            ok = tuple(p for p in numbers if runtime.valid_personnummer(p, reference_date))
            if ok:
                by_year[year] = ok
            kept = set(ok)
            invalid += [p for p in numbers if p not in kept]
        else:
            invalid += numbers
    return Pool(reference_date, by_year, tuple(sorted(invalid)))


@functools.cache
def _valid_ever() -> tuple[dict[int, tuple[str, ...]], tuple[str, ...]]:
    """The test numbers valid on the last day there is, by birth year (ascending); those never valid."""
    by_year: dict[int, list[str]] = {}
    never: list[str] = []
    for pnr in test_numbers():
        if runtime.valid_personnummer(pnr, dt.date.max):
            by_year.setdefault(int(pnr[:4]), []).append(pnr)
        else:
            never.append(pnr)
    return {y: tuple(v) for y, v in sorted(by_year.items())}, tuple(never)
