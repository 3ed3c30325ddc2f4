"""The JavaScript runtime's text helpers agree with runtime.py's on every character class.

The differential test draws whole files and found a lone carriage return shown ``\\x0d`` by
JavaScript and ``\\r`` by Python; this test checks ``printable`` on every code point below
U+3000 and a sample above, so the next such slip is caught in a second, not by chance.

Characters unassigned in this Python's Unicode database are left out: node's ICU may know a
newer Unicode (Python 3.11 has 14.0, node 20 15.1), where such a character is printable.
"""

from __future__ import annotations

import json
import random
import subprocess
import unicodedata
from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st
from pnr_shapes import pnr_shaped, with_pnrs

from lss_rules import runtime

SAMPLE = [chr(c) for c in range(0x3000)] + [chr(c) for c in (0xE000, 0xFEFF, 0xFFFD, 0xFFFF, 0x1F600, 0x10FFFF)]
# lone surrogates cannot travel in JSON; unassigned characters depend on the Unicode version
SAMPLE = [c for c in SAMPLE if unicodedata.category(c) not in ("Cs", "Cn")]

SCRIPT = """
const { printable } = await import(process.argv[1]);
const texts = JSON.parse(require("fs").readFileSync(0, "utf-8"));
process.stdout.write(JSON.stringify(texts.map(printable)));
"""


def test_printable_is_pythons(node):
    module = resources.files("lss_rules") / "runtime.mjs"
    texts = [*SAMPLE, "".join(SAMPLE[:200]), "rad\r\n", "a\tb"]
    proc = subprocess.run(
        [node, "--input-type=commonjs", "-e", f"(async () => {{ {SCRIPT} }})()", "--", f"file://{module}"],
        input=json.dumps(texts).encode(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    got = json.loads(proc.stdout)
    differ = [(t, g, runtime.printable(t)) for t, g in zip(texts, got, strict=True) if g != runtime.printable(t)]
    assert not differ, differ[:5]


def _call(node, name: str, texts: list) -> list:
    """``name`` of runtime.mjs applied to each of ``texts`` in node."""
    module = resources.files("lss_rules") / "runtime.mjs"
    script = f"""
const mod = await import(process.argv[1]);
const texts = JSON.parse(require("fs").readFileSync(0, "utf-8"));
process.stdout.write(JSON.stringify(texts.map((t) => mod.{name}(t))));
"""
    proc = subprocess.run(
        [node, "--input-type=commonjs", "-e", f"(async () => {{ {script} }})()", "--", f"file://{module}"],
        input=json.dumps(texts).encode(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return json.loads(proc.stdout)


RANDOM_PIECES = ["196910149290", "19691014-9290", "691014+9290", "6910149290", "1", "12", "-", "+", "x", "é"]
RANDOM_PIECES.append("\U0001f600")  # a character of two UTF-16 units in JavaScript


@settings(max_examples=5, deadline=None)
@given(drawn=st.lists(st.one_of(with_pnrs(st.text(max_size=5)), pnr_shaped()), min_size=100, max_size=100))
def test_mask_text_is_pythons(node, drawn):
    """maskText masks what runtime.mask_text masks (issue 22, item 2): the same rule in both languages."""
    rng = random.Random(22)
    texts = ["".join(rng.choice(RANDOM_PIECES) for _ in range(rng.randint(1, 6))) for _ in range(2000)] + drawn
    got = _call(node, "maskText", texts)
    differ = [(t, g, runtime.mask_text(t)) for t, g in zip(texts, got, strict=True) if g != runtime.mask_text(t)]
    assert not differ, differ[:5]


def test_strerror_table_is_pythons(node):
    """The Swedish texts of the operating system's errors are one table, runtime._STRERROR_SV; runtime.mjs
    holds a copy (issue 22, item 15), kept equal here, and says them as runtime.os_error_text does."""
    import errno

    names = [*runtime._STRERROR_SV, "EHOSTDOWN", "", None, "ENOSPC"]
    got = _call(node, "osErrorText", [{"code": n} if n is not None else {} for n in names])

    class Fake(OSError):
        pass

    want = [runtime.os_error_text(Fake(getattr(errno, n), "x") if n else Fake()) for n in names]
    assert got == want
    assert "disken är full" in got
