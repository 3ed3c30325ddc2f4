"""Personnummer-shaped text for the masking tests (issue 22, item 2): strategies and an independent oracle.

The rule (README, "Masking"): a run of twelve or ten ASCII digits, or of eight or six followed by ``-`` or
``+`` and four, with no ASCII digit just before or after it, reads as a personnummer or samordningsnummer.
:func:`runs` finds such runs by walking the text, not with the runtime's regular expression, so the two
are compared and not copied.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

DIGITS = "0123456789"


def _digits_from(text: str, i: int) -> int:
    """The end of the run of ASCII digits starting at ``i``."""
    while i < len(text) and text[i] in DIGITS:
        i += 1
    return i


def runs(text: str) -> list[str]:
    """Every personnummer-shaped run of ``text``, as it stands there."""
    found = []
    i = 0
    while i < len(text):
        if text[i] not in DIGITS or (i and text[i - 1] in DIGITS):
            i += 1
            continue
        end = _digits_from(text, i)
        if end - i in (10, 12):
            found.append(text[i:end])
        elif end - i in (6, 8) and end < len(text) and text[end] in "-+":
            tail = _digits_from(text, end + 1)
            if tail - end - 1 == 4:
                found.append(text[i:tail])
        i = end
    return found


def leaked(inputs: list[str], output: str) -> list[str]:
    """The personnummer-shaped runs of ``inputs`` that ``output`` shows in full (as a run: no digit around
    it; the same digits inside a longer run of digits read as no personnummer)."""
    return [r for text in inputs for r in runs(text) if re.search(f"(?<![0-9]){re.escape(r)}(?![0-9])", output)]


@st.composite
def pnr_shaped(draw: st.DrawFn) -> str:
    """A personnummer or samordningsnummer in one of its written forms (any digits: a typo reads as one too)."""
    century = draw(st.sampled_from(["19", "20", "18"]))
    yy = draw(st.integers(0, 99))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28)) + (60 if draw(st.booleans()) else 0)  # samordningsnummer: day + 60
    serial = draw(st.integers(0, 9999))
    date = f"{yy:02d}{month:02d}{day:02d}"
    if draw(st.integers(0, 5)) == 0:
        date = draw(st.text(DIGITS, min_size=6, max_size=6))  # not a date at all
    long = draw(st.booleans())
    head = century + date if long else date
    sep = draw(st.sampled_from(["", "", "-", "+"]))
    return f"{head}{sep}{serial:04d}"


def with_pnrs(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text with personnummer-shaped runs in it, alone or between other characters."""
    return st.lists(st.one_of(pnr_shaped(), text), min_size=1, max_size=4).map("".join)
