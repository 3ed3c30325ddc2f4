"""The JavaScript runtime's text helpers agree with runtime.py's on every character class.

The differential test draws whole files and found a lone carriage return shown ``\\x0d`` by
JavaScript and ``\\r`` by Python; this test checks ``printable`` on every code point of the first three
planes and a sample above, so the next such slip is caught in a second, not by chance.

Unassigned characters and ones newer than Unicode 13 are in: both runtimes read one table
(``runtime.PRINTABLE_RANGES``), not their own Unicode data (node 20 knows 15.1, Python 3.11 14.0, and
U+18D80 once had two reports).
"""

from __future__ import annotations

import random
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from pnr_shapes import pnr_shaped, with_pnrs

from lss_rules.runtime import python as runtime

# lone surrogates cannot travel in JSON
SAMPLE = [chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000]
SAMPLE += [chr(c) for c in (0xE0001, 0xE0100, 0xF0000, 0xFFFFD, 0x10FFFF)]


def test_the_table_shows_only_what_this_python_prints():
    """The shared table is Unicode 13's printable characters: every Python from 3.9 prints each of them
    (a character printable once stays so), and what must never reach a terminal is not in it."""
    shown = [c for c in map(chr, range(0x110000)) if runtime.shows(c)]
    assert all(c.isprintable() for c in shown)
    assert len(shown) > 140_000
    never = [*map(chr, range(0x20)), "\x7f", "\x85", "\xa0", "\u2028", "\u2029", "\u200b", "\u200d", "\ufeff"]
    never += [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\ue000", "\U000f0000"]
    assert not any(runtime.shows(c) for c in never)
    assert runtime.printable("Åsa Öberg – 12 dygn, 4½ h …") == "Åsa Öberg – 12 dygn, 4½ h …"
    assert runtime.printable("\U00018d80") == "\\U00018d80"  # Unicode 13 left it unassigned
    assert unicodedata.unidata_version >= "13.0.0"


def test_quoted_is_repr_where_this_python_agrees():
    texts = ["", "a", "'", '"', "'\"", "\\", "\n\r\t", "\x1b[31m", "é\u2028", "\U0001f600", "x'y\\z"]
    for text in texts:
        assert runtime.quoted(text) == repr(text)
    assert runtime.quoted("\U00018d80") == "'\\U00018d80'"


def _call(js_calls, name: str, args: list) -> list:
    """``name`` of parity.mjs's calls (the JavaScript runtime's function) applied to each of ``args`` in node."""
    got = js_calls([[name, a] for a in args])
    assert all("value" in g for g in got), [g for g in got if "value" not in g][:5]
    return [g["value"] for g in got]


def test_printable_is_pythons(js_calls):
    texts = [*SAMPLE, "".join(SAMPLE[:200]), "rad\r\n", "a\tb"]  # one at a time: each on its own
    got = _call(js_calls, "printable", texts)
    differ = [(t, g, runtime.printable(t)) for t, g in zip(texts, got, strict=True) if g != runtime.printable(t)]
    assert not differ, differ[:5]


RANDOM_PIECES = ["196910149290", "19691014-9290", "691014+9290", "6910149290", "1", "12", "-", "+", "x", "é"]
RANDOM_PIECES.append("\U0001f600")  # a character of two UTF-16 units in JavaScript


@settings(max_examples=5, deadline=None)
@given(drawn=st.lists(st.one_of(with_pnrs(st.text(max_size=5)), pnr_shaped()), min_size=100, max_size=100))
def test_mask_text_is_pythons(js_calls, drawn):
    """maskText masks what runtime.mask_text masks (issue 22, item 2): the same rule in both languages."""
    rng = random.Random(22)
    texts = ["".join(rng.choice(RANDOM_PIECES) for _ in range(rng.randint(1, 6))) for _ in range(2000)] + drawn
    got = _call(js_calls, "mask_text", texts)
    differ = [(t, g, runtime.mask_text(t)) for t, g in zip(texts, got, strict=True) if g != runtime.mask_text(t)]
    assert not differ, differ[:5]


def test_strerror_table_is_pythons(js_calls):
    """The Swedish texts of the operating system's errors are one table, runtime._STRERROR_SV, written into
    runtime.mjs (issue 23; a copy kept equal here before), which says them as runtime.os_error_text does."""
    import errno

    names = [*runtime._STRERROR_SV, "EHOSTDOWN", "", None, "ENOSPC"]
    got = _call(js_calls, "os_error_text", [{"code": n} if n is not None else {} for n in names])

    class Fake(OSError):
        pass

    want = [runtime.os_error_text(Fake(getattr(errno, n), "x") if n else Fake()) for n in names]
    assert got == want
    assert "disken är full" in got
