// The starts of files kept from their first reading (heads.mjs) give the hints the bytes a second reading
// would: the same hints as without them, for a file read whole, cut short or never read, and a file changed
// since its first reading is read again.  Run by tests/test_node.py (node --test, the runtime assembled by
// the pytest run).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

import { runtime } from "./under_test.mjs";

const { iter_lines, file_state, hints_of, HEADS, HINT_BYTES } = await runtime(["HEADS", "HINT_BYTES"]);

const FIELDS = ["kommun", "personnummer", "personkrets"];
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lss-heads-"));

function file(name, text) {
  const p = path.join(folder, name);
  fs.writeFileSync(p, text);
  return p;
}

/** Read the file as validate does (file_state, then every line). */
function readWhole(p) {
  file_state(p);
  let n = 0;
  for (const _ of iter_lines(p)) n++;
  return n;
}

test("a file read first has the hints of one never read", () => {
  const texts = [
    "",
    "0114;198001012384;1\n",
    "kommun;personnummer;personkrets\n0114;198001012384;1\n",
    "\ufeffkommun;personnummer;personkrets\r\n0114;198001012384;1\r\n",
    '"0114";"198001012384";"1"\n'.repeat(40),
    "0114,198001012384,1\n".repeat(20),
    "kommun;personnummer;personkrets\n" + "0114;198001012384;1\n".repeat(400), // past the window
    "0114;198001012384;1\n".repeat(300) + "0114,198001012384,1\n".repeat(300),
    "kommun;personnummer;personkrets\n" + "0114;198001012384;1\n".repeat(60000), // read in two blocks (one buffer)
    Buffer.from([0xff, 0xfe, 0x6b, 0, 0x6f, 0]), // UTF-16
  ];
  texts.forEach((text, i) => {
    const p = file(`same-${i}.txt`, text);
    const never = hints_of([p], ";", FIELDS, "en");
    assert.equal(HEADS.has(p), false);
    readWhole(p);
    assert.equal(HEADS.has(p), true, String(text).slice(0, 40));
    assert.equal(HEADS.get(p)[1].length, Math.min(Buffer.byteLength(text), HINT_BYTES));
    assert.deepEqual(hints_of([p], ";", FIELDS, "en"), never, String(text).slice(0, 40));
    assert.equal(HEADS.has(p), false); // given back when taken
  });
});

test("a file changed since its first reading is read again", () => {
  const p = file("changed.txt", "0114;198001012384;1\n".repeat(10));
  readWhole(p);
  fs.writeFileSync(p, "kommun;personnummer;personkrets\n" + "0114;198001012384;1\n".repeat(10));
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(p, later, later);
  assert.deepEqual(
    hints_of([p], ";", FIELDS, "en")[0].map((h) => h.code),
    ["header_line"],
  );
});

test("a reading stopped early keeps nothing it did not read", () => {
  const p = file("stopped.txt", "kommun;personnummer;personkrets\n" + "0114;198001012384;1\n".repeat(400));
  file_state(p);
  const lines = iter_lines(p)[Symbol.iterator]();
  lines.next(); // the first block read: its first HINT_BYTES are kept
  assert.equal(HEADS.get(p)[1].length, HINT_BYTES);
  assert.deepEqual(
    hints_of([p], ";", FIELDS, "en")[0].map((h) => h.code),
    ["header_line"],
  );
});
