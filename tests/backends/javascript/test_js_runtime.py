"""The JavaScript runtime's text helpers agree with runtime.py's on every character class.

The differential test draws whole files and found a lone carriage return shown ``\\x0d`` by
JavaScript and ``\\r`` by Python; this test checks ``printable`` on every code point below
U+3000 and a sample above, so the next such slip is caught in a second, not by chance.

Characters unassigned in this Python's Unicode database are left out: node's ICU may know a
newer Unicode (Python 3.11 has 14.0, node 20 15.1), where such a character is printable.
"""

from __future__ import annotations

import json
import subprocess
import unicodedata
from importlib import resources

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
