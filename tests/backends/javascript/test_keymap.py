"""The runtime's ``KeyMap`` (the tallies of the national rules) behaves as a ``Map``, and a big national run is exact.

``KeyMap`` keeps keys of 1..14 ASCII digits as numbers in typed arrays and any other key in a Map; a
long deterministic sequence of operations on keys of every shape (leading zeros, too long, not digits,
empty) must give what a ``Map`` gives, iteration order included, and ``tally`` on KeyMaps what it gives on
Maps.  Then a register large enough to grow the tables, with LSS-R09 findings, gives Python's report.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

from lss_rules.backends.python.cache import load_validator
from lss_rules.generators.bulk import build_register

SCRIPT = r"""
import { pathToFileURL } from "node:url";
const mod = await import(pathToFileURL(process.argv[2]).href);
const { KeyMap, KeySet, tally } = mod;
let seed = 12345;
const rnd = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
const SHAPES = [
  () => String(190000000000 + rnd(5000) * 7919).padStart(12, "0"),
  () => "0" + String(rnd(300)),
  () => String(rnd(300)),
  () => "000000000000",
  () => "99999999999999",
  () => "123456789012345",
  () => "",
  () => "12a4",
  () => "19800101-2384",
  () => "\uff11\uff12",
];
const key = () => SHAPES[rnd(SHAPES.length)]();
const fail = (what) => { console.log(JSON.stringify({ ok: false, what })); process.exit(0); };
const a = new KeyMap(), b = new Map();
for (let i = 0; i < 60000; i++) {
  const k = key();
  const op = rnd(4);
  if (op === 0) { const v = rnd(2048); a.set(k, v); b.set(k, v); }
  else if (op === 1) { if (a.get(k) !== b.get(k)) fail(["get", k, a.get(k), b.get(k)]); }
  else if (op === 2) { if (a.has(k) !== b.has(k)) fail(["has", k]); }
  else if (a.size !== b.size) fail(["size", a.size, b.size]);
}
if (JSON.stringify([...a]) !== JSON.stringify([...b])) fail("iteration");
// tally over files: KeyMaps and Maps give the same seen and shared, in the same order, after every file; every
// other file has only keys of digits (as personnummer are: the numeric path), and a shared Map beside a KeyMap one
const seenA = new KeyMap(), sharedA = new KeyMap(), seenB = new Map(), sharedB = new Map();
const seenC = new KeyMap(), sharedC = new Map();
const digits = () => SHAPES[rnd(5)]();
let shared = 0;
for (let f = 0; f < 40; f++) {
  const hereA = new KeyMap(), hereB = new Map(), hereC = new KeyMap();
  for (let i = 0; i < 300 + 40 * f; i++) {
    const k = f % 2 ? key() : digits(), v = 1 << rnd(11);
    hereA.set(k, (hereA.get(k) ?? 0) | v);
    hereB.set(k, (hereB.get(k) ?? 0) | v);
    hereC.orBits(k, v); // as the generated code ORs a line's flags in
  }
  tally(hereA, seenA, sharedA);
  tally(hereB, seenB, sharedB);
  tally(hereC, seenC, sharedC);
  if (f % 2 === 0) shared = Math.max(shared, sharedB.size);
  for (const [x, y] of [[seenA, seenB], [sharedA, sharedB], [seenC, seenB], [sharedC, sharedB]]) {
    if (JSON.stringify([...x]) !== JSON.stringify([...y])) fail(["tally", f]);
  }
}
// a KeySet is a Set: has() remembers a slot for the add() of the same key, never for another key's
const ks = new KeySet(), set = new Set();
for (let i = 0; i < 40000; i++) {
  const k = key(), j = key();
  const op = rnd(5);
  if (op === 0) { ks.has(k); ks.add(j); set.add(j); ks.add(k); set.add(k); }
  else if (op === 1) {
    if (ks.has(k) !== set.has(k)) fail(["KeySet has", k]);
    if (!ks.has(k)) { ks.add(k); set.add(k); }
  }
  else if (op === 2) { ks.add(k); set.add(k); }
  else if (op === 3) { if (ks.size !== set.size) fail(["KeySet size", ks.size, set.size]); }
  else { ks.has(k); ks.has(j); ks.add(k); set.add(k); }
}
if (JSON.stringify([...ks]) !== JSON.stringify([...set])) fail("KeySet iteration");
if (ks.size < 2048) fail(["the KeySet did not grow", ks.size]);
if (shared < 100) fail(["too few keys shared by files of digits", shared]);
console.log(JSON.stringify({ ok: true, keys: b.size, shared: sharedB.size }));
"""


def test_keymap_is_a_map(node, js_module, tmp_path):
    script = tmp_path / "keymap.mjs"
    script.write_text(SCRIPT, encoding="utf-8")
    proc = subprocess.run([node, str(script), str(js_module(2023))], capture_output=True, text=True, check=True)
    result = json.loads(proc.stdout)
    assert result["ok"], result
    # the tables grew (256 slots at first), and tally found shared keys
    assert result["keys"] > 1024 and result["shared"] > 100


def test_national_run_with_findings_is_python_report(node, js_module, tmp_path):
    reg = build_register(2023, persons=2500, seed=7, municipalities=12, error_rate=0.2, shared=0.5)
    paths = []
    for name, lines in sorted(reg.files.items()):
        path = Path(tmp_path) / name
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        paths.append(str(path))
    mod = load_validator(2023)
    want = subprocess.run(
        [node, str(js_module(2023)), *paths, "--format", "json"], capture_output=True, text=True, check=False
    )
    report = mod.report(paths, None, False, lazy=True)
    out = io.StringIO()
    mod.emit(report, "json", mod.TITLES, mod.NOTES, out)
    assert want.returncode == mod.exit_code(report)
    assert want.stdout == out.getvalue()
    assert '"LSS-R09"' in want.stdout  # the national rule fired, across the grown tables
