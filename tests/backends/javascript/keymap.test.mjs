// The runtime's KeyMap (the tallies of the national rules, LSS-R07's first lines) behaves as a Map, and tally on
// them gives what it gives on Maps.
//
// KeyMap keeps keys of 1..14 ASCII digits as numbers in typed arrays and any other key in a Map: long
// deterministic sequences of operations on keys of every shape (leading zeros, too long, not digits, empty, wide
// digits) must give what a Map gives, iteration order included, and grow the tables (256 slots at first).
// Run by tests/test_node.py (node --test, the runtime assembled by the pytest run).
import assert from "node:assert/strict";
import { test } from "node:test";

import { runtime } from "./under_test.mjs";

const { KeyMap, tally, digitCode } = await runtime(["digitCode"]);

/** A deterministic stream of numbers below n (the same keys in every run). */
function numbers(seed) {
  return (n) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
}

function keys(rnd) {
  const shapes = [
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
  return { any: () => shapes[rnd(shapes.length)](), digits: () => shapes[rnd(5)]() };
}

const entries = (m) => JSON.stringify([...m]);

test("a KeyMap is a Map", () => {
  const rnd = numbers(12345);
  const key = keys(rnd).any;
  const a = new KeyMap(), b = new Map();
  for (let i = 0; i < 60000; i++) {
    const k = key();
    const op = rnd(4);
    if (op === 0) {
      const v = rnd(2048);
      a.set(k, v);
      b.set(k, v);
    } else if (op === 1) assert.equal(a.get(k), b.get(k), `get ${k}`);
    else if (op === 2) assert.equal(a.has(k), b.has(k), `has ${k}`);
    else assert.equal(a.size, b.size);
  }
  assert.equal(entries(a), entries(b));
  assert.ok(b.size > 1024, `the tables grew: ${b.size} keys`);
});

test("tally on KeyMaps and a KeyMap beside a Map is tally on Maps, after every file", () => {
  const rnd = numbers(777);
  const { any, digits } = keys(rnd);
  const seenA = new KeyMap(), sharedA = new KeyMap(), seenB = new Map(), sharedB = new Map();
  const seenC = new KeyMap(), sharedC = new Map();
  let shared = 0;
  for (let f = 0; f < 40; f++) {
    const hereA = new KeyMap(), hereB = new Map(), hereC = new KeyMap();
    for (let i = 0; i < 300 + 40 * f; i++) {
      // every other file has only keys of digits (as personnummer are: the numeric path)
      const k = f % 2 ? any() : digits(), v = 1 << rnd(11);
      hereA.set(k, (hereA.get(k) ?? 0) | v);
      hereB.set(k, (hereB.get(k) ?? 0) | v);
      hereC.orBits(k, v); // as the generated code ORs a line's flags in
    }
    tally(hereA, seenA, sharedA);
    tally(hereB, seenB, sharedB);
    tally(hereC, seenC, sharedC);
    if (f % 2 === 0) shared = Math.max(shared, sharedB.size);
    for (const [x, y] of [[seenA, seenB], [sharedA, sharedB], [seenC, seenB], [sharedC, sharedB]]) {
      assert.equal(entries(x), entries(y), `tally, file ${f}`);
    }
  }
  assert.ok(shared >= 100, `too few keys shared by files of digits: ${shared}`);
});

test("putKey after hasKey is a Map's set: the slot hasKey found is used for the same key, never for another's", () => {
  // LSS-R07's map of keys to the line each was first judged on: tested (hasKey), then put into (putKey)
  const rnd = numbers(99);
  const key = keys(rnd).any;
  const km = new KeyMap(), map = new Map();
  const put = (k, v) => {
    km.putKey(digitCode(k), k, v);
    map.set(k, v);
  };
  for (let i = 0; i < 40000; i++) {
    const k = key(), j = key();
    const op = rnd(5);
    if (op === 0) {
      km.hasKey(digitCode(k), k);
      put(j, i);
      put(k, i);
    } else if (op === 1) {
      assert.equal(km.hasKey(digitCode(k), k), map.has(k), `KeyMap has ${k}`);
      if (!map.has(k)) put(k, i);
    } else if (op === 2) put(k, i);
    else if (op === 3) assert.equal(km.size, map.size);
    else {
      km.hasKey(digitCode(k), k);
      km.hasKey(digitCode(j), j);
      put(k, i);
    }
  }
  assert.equal(entries(km), entries(map));
  assert.ok(km.size >= 2048, `the KeyMap did not grow: ${km.size}`);
});

test("a KeyMap made for lines of a known size holds a key a line of them without growing, and is a Map all the same", () => {
  // generated code: new KeyMap(lines) for a file's keys (iter_lines gives the file's size as ``bytes``),
  // new KeyMap(paths) for the national tally (each input's size as run_main's check or the source gave it)
  const rnd = numbers(4242);
  const key = keys(rnd).any;
  const lines = 3000;
  const file = { bytes: 46 * lines }; // lines of 46 bytes, as a record of 2023 is at the least
  const files = [{ name: "a", size: 46 * 1000 }, { name: "b", size: 46 * 2000 }]; // browser sources: their size
  for (const source of [file, files]) {
    const km = new KeyMap(source), map = new Map();
    const slots = km.table.length;
    for (let i = 0; i < lines; i++) {
      const k = i % 7 ? String(190000000000 + rnd(1e9)) : key(); // as many keys as lines, nearly all new
      km.set(k, i);
      map.set(k, i);
    }
    assert.equal(km.table.length, slots, "the table grew: it was not sized for the lines");
    assert.equal(entries(km), entries(map));
  }
  // nothing known of the lines: small at first (256 slots), growing as it fills
  const unknown = new KeyMap({ bytes: 0 });
  assert.equal(unknown.table.length, new KeyMap().table.length);
  assert.equal(new KeyMap([]).table.length, new KeyMap().table.length);
  assert.equal(new KeyMap(["not/checked/by/run_main.txt"]).table.length, new KeyMap().table.length);
  // a size estimate never makes a table larger than 2**21 slots (a huge file: it grows as it fills, if it does)
  assert.equal(new KeyMap({ bytes: 2 ** 40 }).table.length, 2 * 2 ** 21);
  // a small file, a small table
  assert.ok(new KeyMap({ bytes: 46 * 10 }).table.length < new KeyMap().table.length);
});
