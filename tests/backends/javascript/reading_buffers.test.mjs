// A node file's reader borrows the buffer of the reading done last (command_line.mjs: borrowBuffer, for speed
// only): whatever the order in which readers of files of every size are opened, read, closed or left
// unfinished, each gives its own file's bytes, and a chunk given stays as it was until its reader is asked
// for the next.  Run by tests/test_node.py (node --test, the runtime assembled by the pytest run).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

import { runtime } from "./under_test.mjs";

const { nodeFileSource, iter_lines, file_state } = await runtime();

const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lss-buffers-"));

/** A file of ``size`` bytes, different from every other one this makes (the byte at i: (i * 7 + seed) % 251). */
function file(name, size, seed) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + seed) % 251;
  const p = path.join(folder, name);
  fs.writeFileSync(p, bytes);
  return [p, bytes];
}

/** Every chunk of a reader, each checked against the file's bytes as it is given. */
function readAll(reader, bytes, at = 0) {
  for (let chunk = reader.read(); chunk !== null; chunk = reader.read()) {
    assert.deepEqual(chunk, bytes.subarray(at, at + chunk.length));
    at += chunk.length;
  }
  assert.equal(at, bytes.length);
}

test("readers one after another, larger and smaller, each give their own file's bytes", () => {
  const sizes = [1, 4095, 4096, 4097, 70000, 10, 300000, 5000, 1 << 20, (1 << 20) + 3, 4096, 12];
  sizes.forEach((size, i) => {
    const [p, bytes] = file(`one-${i}`, size, i);
    readAll(nodeFileSource(fs, p).open(), bytes);
  });
});

test("readers read in turns never share a buffer: a chunk stays as given until its reader reads again", () => {
  const [a, bytesA] = file("a", 200000, 1);
  const [b, bytesB] = file("b", 150000, 2);
  readAll(nodeFileSource(fs, a).open(), bytesA); // a buffer given back, to be lent
  const ra = nodeFileSource(fs, a).open();
  const rb = nodeFileSource(fs, b).open();
  let atA = 0, atB = 0;
  for (;;) {
    const ca = ra.read();
    const cb = rb.read();
    if (ca !== null) {
      assert.deepEqual(ca, bytesA.subarray(atA, atA + ca.length)); // after b's read: not b's bytes
      atA += ca.length;
    }
    if (cb !== null) {
      assert.deepEqual(cb, bytesB.subarray(atB, atB + cb.length));
      atB += cb.length;
    }
    if (ca === null && cb === null) break;
  }
  assert.equal(atA, bytesA.length);
  assert.equal(atB, bytesB.length);
});

test("a reader closed early or left unfinished, and the hints' short reads, do not disturb another", () => {
  const [a, bytesA] = file("c", 100000, 3);
  const [b, bytesB] = file("d", 90000, 4);
  const left = nodeFileSource(fs, a).open();
  const first = left.read(); // never finished: its buffer is never given back
  const copy = first.slice();
  const short = nodeFileSource(fs, b).open(4096);
  assert.deepEqual(short.read(), bytesB.subarray(0, 4096));
  short.close();
  readAll(nodeFileSource(fs, b).open(), bytesB);
  assert.deepEqual(first, copy);
  readAll(left, bytesA, first.length);
});

test("iter_lines of files in a row gives each file's lines", () => {
  const texts = ["0114;1\n".repeat(3000), "x\n", "0180;2\r\n".repeat(40000), "last line without LF", "0115;3\n".repeat(9)];
  texts.forEach((text, i) => {
    const p = path.join(folder, `lines-${i}`);
    fs.writeFileSync(p, text);
    file_state(p);
    assert.deepEqual([...iter_lines(p)], text.replace(/\r/g, "").replace(/\n$/, "").split("\n"), `file ${i}`);
  });
});
