// The fixed runtime of every JavaScript validator: reading bytes, personnummer, reports.
//
// The mirror of lss_rules/runtime/python.py, written by hand once and free of any rule: the JavaScript
// backend (lss_rules/backends/javascript/to_javascript.py) copies this file verbatim into every generated module,
// followed by the year's rules printed from the IR (lss_rules/backends/javascript/printer.py).  It needs no
// Node and no browser API (node:fs is imported only when node runs it), so the same module runs in
// node, in a browser and in a Web Worker.  What a line, a personnummer or a report is must agree with
// the Python runtime to the byte: the differential test (tests/backends/javascript) compares the two.
// The names generated code calls (ir.RUNTIME_API: iter_lines, build_report, run_main, ...) are at
// the end, with Python's meaning.

// --------------------------------------------------------------------------- errors

/** An input cannot be read at all: the run cannot be made (exit code 2). */
export class InputError extends Error {}

export const EXIT_ACCEPTED = /* runtime.py */ null;
export const EXIT_REJECTED = /* runtime.py */ null;
export const EXIT_USAGE = /* runtime.py */ null;

// --------------------------------------------------------------------------- the operating system's errors

// errno name -> Swedish text: runtime.py's _STRERROR_SV (node's and the C library's texts are English)
const STRERROR_SV = /* runtime.py */ null;

/** ``runtime.os_error_text``: the reason of a system error in Swedish (STRERROR_SV), never node's English. */
export function osErrorText(exc) {
  const name = exc && typeof exc.code === "string" && /^E[A-Z0-9]+$/.test(exc.code) ? exc.code : null;
  if (name !== null && Object.hasOwn(STRERROR_SV, name)) return STRERROR_SV[name];
  return name !== null ? fmt(INPUT_MESSAGES.system_error, { name }) : INPUT_MESSAGES.system_error_unknown;
}

// --------------------------------------------------------------------------- reading

const MAX_LINE = /* runtime.py */ null; // longer lines are not records (a binary file?); they are cut to this many bytes
const BLOCK = /* runtime.py */ null; // bytes read at a time
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }); // Python's strict "utf-8"

/** ISO-8859-1: every byte is the code point of the same number (not the browser's windows-1252). */
function latin1(bytes) {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return out;
}

/** One line's bytes (without its LF): CR of a CRLF dropped, cut at MAX_LINE, UTF-8 else ISO-8859-1. */
function oneLine(raw, ended) {
  if (ended && raw.length && raw[raw.length - 1] === 13) raw = raw.subarray(0, raw.length - 1);
  if (raw.length > MAX_LINE) raw = raw.subarray(0, MAX_LINE);
  try {
    return UTF8.decode(raw);
  } catch {
    return latin1(raw);
  }
}

function splitBytes(head) {
  const out = [];
  let start = 0;
  for (;;) {
    const lf = head.indexOf(10, start);
    if (lf < 0) break;
    out.push(oneLine(head.subarray(start, lf), true));
    start = lf + 1;
  }
  out.push(oneLine(head.subarray(start), true));
  return out;
}

/** The lines of a run of complete lines (every one ended by LF, the last LF already removed). */
function blockLines(head) {
  let text;
  try {
    text = UTF8.decode(head);
  } catch {
    return splitBytes(head); // some line is not UTF-8: decide line by line
  }
  const lines = text.split("\n");
  if (head.length > MAX_LINE) {
    // a line may be longer than MAX_LINE bytes (a UTF-16 unit is at most three bytes): cut it as bytes
    for (const line of lines) if (line.length * 3 > MAX_LINE) return splitBytes(head);
  }
  const cr = text.indexOf("\r") >= 0;
  if (cr) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
    }
  }
  // all ASCII (as many UTF-16 units as bytes): each line's char codes are its bytes (iter_lines, py_fields)
  if (text.length === head.length) asciiBlocks.set(lines, head);
  return lines;
}

// the blocks of lines (arrays) that are all ASCII -> their bytes: a line is read there by number (py_fields)
const asciiBlocks = new WeakMap();

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * A source of bytes to read (once or more): a Uint8Array, an ArrayBuffer, or an object with
 * ``name``, ``size`` and ``open()`` giving a reader whose ``read()`` returns the next chunk
 * (a Uint8Array) or null at the end.  Node files and browser File objects are wrapped so.
 */
export function bytesSource(bytes, name = "") {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return {
    name,
    size: data.length,
    open() {
      let at = 0;
      return {
        read() {
          if (at >= data.length) return null;
          const chunk = data.subarray(at, at + BLOCK);
          at += chunk.length;
          return chunk;
        },
      };
    },
  };
}

export function asSource(input, name = "") {
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) return bytesSource(input, name);
  if (typeof input === "string") return bytesSource(new TextEncoder().encode(input), name);
  return input;
}

/**
 * Call ``onLines(lines)`` with the lines of a source, a block at a time, decoded, without line ends.
 *
 * Streams (a block of about 1 MiB in memory at a time).  LF or CRLF; UTF-8 with or without a
 * byte-order mark, else ISO-8859-1 (decided per line, so a file that mixes them loses nothing).  A
 * final line end is optional; every other line end ends a line, so a blank line inside the file is a
 * line.  A line longer than 64 KiB (a binary file) is cut to 64 KiB.  ``onBytes(n)``: progress.
 */
export function readLines(source, onLines, onBytes) {
  for (const lines of lineBlocks(source, onBytes)) onLines(lines);
}

/** The blocks of lines of ``readLines``, as a generator. */
export function* lineBlocks(source, onBytes) {
  const reader = source.open();
  let carry = null;
  let first = true;
  for (;;) {
    let block = reader.read();
    if (block && onBytes) onBytes(block.length);
    if (first) {
      while (block && block.length < 3 && [0xef, 0xbb, 0xbf].slice(0, block.length).every((b, i) => block[i] === b)) {
        const more = reader.read(); // a very short read: make sure a BOM is seen whole
        if (!more) break;
        if (onBytes) onBytes(more.length);
        block = concat(block, more);
      }
      if (block && block.length >= 3 && block[0] === 0xef && block[1] === 0xbb && block[2] === 0xbf) {
        block = block.subarray(3);
      }
      first = false;
    }
    if (!block) {
      if (carry && carry.length) yield [oneLine(carry, false)];
      return;
    }
    if (!block.length) continue;
    const data = carry && carry.length ? concat(carry, block) : block;
    const cut = data.lastIndexOf(10);
    if (cut < 0) {
      carry = data.slice(0, MAX_LINE + 2); // the line goes on; only its start is ever used
      continue;
    }
    carry = data.slice(cut + 1, Math.min(data.length, cut + 1 + MAX_LINE + 2));
    yield blockLines(data.subarray(0, cut));
  }
}

/** Every line of a source as one array (tests and small inputs). */
export function allLines(source) {
  const out = [];
  readLines(asSource(source), (lines) => {
    for (const line of lines) out.push(line);
  });
  return out;
}

// --------------------------------------------------------------------------- national rules

/** Add one file's flags per key (``here``: key -> bits) to those of the files before it. */
export function tally(here, seen, shared) {
  if (here instanceof FileTally && here.seen === seen && here.shared === shared) {
    tally(here.rest, seen, shared); // its keys of digits are in seen and shared already
    return;
  }
  if (here instanceof FileTally) throw new Error("a FileTally is tallied into the maps it was made for");
  if (here instanceof KeyMap && seen instanceof KeyMap) {
    here.tallyInto(seen, shared);
    return;
  }
  for (const [key, bits] of here) {
    const before = seen.get(key) || 0;
    seen.set(key, before | bits);
    if (before & bits) shared.set(key, (shared.get(key) || 0) | (before & bits));
  }
}

const KEY_DIGITS = 14; // a string of 1..14 ASCII digits is a number below 2**53 with its length
const KEY_SPAN = 1e14;

let LAST_KEY = null; // the key digitKey saw last and its number: a lookup and an insertion of one key parse it once
let LAST_CODE = -1;

/** A string of 1..14 ASCII digits as one number (value + length * 1e14: "012" and "12" differ), else -1. */
function digitKey(key) {
  if (key === LAST_KEY) return LAST_CODE;
  const code = digitCode(key);
  LAST_KEY = key;
  LAST_CODE = code;
  return code;
}

function digitCode(key) {
  if (typeof key !== "string") return -1;
  const n = key.length;
  if (n === 0 || n > KEY_DIGITS) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v + n * KEY_SPAN;
}

function keyText(code) {
  const n = Math.floor(code / KEY_SPAN);
  return String(code - n * KEY_SPAN).padStart(n, "0");
}

/**
 * A Map (the subset generated code uses: get, set, has, size, iteration in insertion order) for the
 * tallies of the national rules, whose keys are personnummer: a key of digits lives as a number in an
 * open-addressing table of typed arrays (no string kept, one probe a lookup); any other key in a Map.
 */
export class KeyMap {
  constructor() {
    this.bits = 8; // a file's tally starts small (fresh memory costs a page fault a page); the national one grows
    // slot i: table[2i] the key's code (0: empty; every code is at least 1e14), table[2i + 1] its value (bits):
    // side by side, a lookup in a big table touches one cache line
    this.table = new Float64Array(2 << this.bits);
    this.order = []; // the keys in insertion order: codes, or the other keys themselves
    this.other = null;
    this.pending = null; // the FileTally entries not yet tallied into this map (Pending), if any
    this.lastCode = -1; // hasKey remembers the slot it found
    this.lastAt = 0;
  }

  /** Tally what FileTally left pending first: every read or write of the map but a KeySet's comes here (not the
   * hot ``slot``: a branch V8 never saw taken there would deoptimise the callers it is inlined into). */
  settle() {
    if (this.pending !== null) this.pending.settle(this);
  }

  get size() {
    this.settle();
    return this.order.length;
  }

  /** Where ``code``'s slot starts in the table: where it is, or the empty one where it goes. */
  slot(code) {
    const lo = code >>> 0;
    const hi = (code / 4294967296) >>> 0;
    const end = 2 << this.bits;
    let at = 2 * (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> (32 - this.bits));
    const table = this.table;
    for (;;) {
      const c = table[at];
      if (c === 0 || c === code) return at;
      at += 2;
      if (at === end) at = 0;
    }
  }

  get(key) {
    return this.getKey(digitKey(key), key);
  }

  has(key) {
    return this.hasKey(digitKey(key), key);
  }

  set(key, value) {
    const code = digitKey(key);
    if (code < 0) {
      this.settle();
      if (this.other === null) this.other = new Map();
      if (!this.other.has(key)) this.order.push(key);
      this.other.set(key, value);
    } else {
      this.setCode(code, value);
    }
    return this;
  }

  setCode(code, value) {
    this.settle();
    const at = this.slot(code);
    if (this.table[at] === 0) this.insert(at, code, value);
    else this.table[at + 1] = value;
  }

  /** A new key into its empty slot at ``at``; where its slot is then. */
  insert(at, code, value) {
    this.lastCode = -1; // a slot filled (and the table perhaps grown): the slot remembered may be another key's now
    this.order.push(code);
    if (this.order.length * 4 > 3 << this.bits) {
      // at most three quarters full: short probes, and a smaller table to fault in
      this.grow();
      at = this.slot(code);
    }
    this.table[at] = code;
    this.table[at + 1] = value;
    return at;
  }

  /** ``has(key)``, given ``code`` = digitKey(key) (py_key_at: read where the key lies in its line). */
  hasKey(code, key) {
    this.settle();
    if (code < 0) return this.other !== null && this.other.has(key);
    const at = this.slot(code);
    this.lastCode = code; // the get of the same key that follows (the national rules) needs no second probe
    this.lastAt = at;
    return this.table[at] !== 0;
  }

  /** ``get(key)``, given ``code`` = digitKey(key). */
  getKey(code, key) {
    this.settle();
    if (code < 0) return this.other === null ? undefined : this.other.get(key);
    const at = code === this.lastCode ? this.lastAt : this.slot(code);
    return this.table[at] === 0 ? undefined : this.table[at + 1];
  }

  /** ``orBits(key, bits)``, given ``code`` = digitKey(key). */
  orKey(code, key, bits) {
    if (code < 0) return this.set(key, (this.get(key) ?? 0) | bits);
    this.orCode(code, bits);
    return this;
  }

  /** ``set(key, (get(key) ?? 0) | bits)`` with one lookup. */
  orBits(key, bits) {
    return this.orKey(digitKey(key), key, bits);
  }

  orCode(code, bits) {
    this.settle();
    const at = this.slot(code);
    if (this.table[at] === 0) this.insert(at, code, bits);
    else this.table[at + 1] |= bits;
  }

  getCode(code) {
    this.settle();
    const at = this.slot(code);
    return this.table[at] === 0 ? undefined : this.table[at + 1];
  }

  grow() {
    const old = this.table;
    this.bits++;
    this.table = new Float64Array(2 << this.bits);
    const table = this.table;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0) {
        const at = this.slot(old[i]);
        table[at] = old[i];
        table[at + 1] = old[i + 1];
      }
    }
  }

  *[Symbol.iterator]() {
    this.settle();
    for (const k of this.order) {
      if (typeof k === "number") yield [keyText(k), this.getCode(k)];
      else yield [k, this.other.get(k)];
    }
  }

  /** ``tally(this, seen, shared)`` without a string a key. */
  tallyInto(seen, shared) {
    this.settle();
    seen.settle();
    if (shared instanceof KeyMap) shared.settle();
    for (const k of this.order) {
      if (typeof k !== "number") {
        const bits = this.other.get(k);
        const before = seen.get(k) || 0;
        seen.set(k, before | bits);
        if (before & bits) shared.set(k, (shared.get(k) || 0) | (before & bits));
        continue;
      }
      const bits = this.getCode(k);
      const at = seen.slot(k);
      if (seen.table[at] === 0) {
        seen.insert(at, k, bits);
        continue;
      }
      const before = seen.table[at + 1];
      seen.table[at + 1] = before | bits;
      if (before & bits) {
        if (shared instanceof KeyMap) shared.setCode(k, (shared.getCode(k) || 0) | (before & bits));
        else shared.set(keyText(k), (shared.get(keyText(k)) || 0) | (before & bits));
      }
    }
  }
}

/** The 32-bit hash of a key's code (as KeyMap hashes it). */
export function codeHash(code) {
  const lo = code >>> 0;
  const hi = (code / 4294967296) >>> 0;
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0;
}

/** The hash Pending sorts keys by: a remix of codeHash, so that keys added in that order to a KeyMap (the
 * shared keys of a tally) do not come in the order of their slots (linear probing would cluster). */
function sortHash(code) {
  const h = codeHash(code);
  return Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
}

function hashCodes(codes, hash, n) {
  for (let i = 0; i < n; i++) hash[i] = sortHash(codes[i]);
}

/** One stable pass of an LSD radix sort of entries (``from``: {hash, code, bits, file}) into ``to`` by the 11
 * bits of their hash at ``shift``.  One loop a function: V8 compiles a loop that a call runs once on the fly
 * (OSR), and code after it would deoptimise that code every call. */
function radixPass(from, to, count, shift, n) {
  count.fill(0);
  countDigits(from.hash, count, shift, n);
  startsOf(count);
  scatter(from.hash, from.code, from.bits, from.file, to.hash, to.code, to.bits, to.file, count, shift, n);
}

function countDigits(hash, count, shift, n) {
  for (let i = 0; i < n; i++) count[(hash[i] >>> shift) & 2047]++;
}

function startsOf(count) {
  let sum = 0;
  for (let d = 0; d < count.length; d++) {
    const c = count[d];
    count[d] = sum;
    sum += c;
  }
}

function scatter(hash, code, bits, file, hashTo, codeTo, bitsTo, fileTo, count, shift, n) {
  for (let i = 0; i < n; i++) {
    const h = hash[i];
    const j = count[(h >>> shift) & 2047]++;
    hashTo[j] = h;
    codeTo[j] = code[i];
    bitsTo[j] = bits[i];
    fileTo[j] = file[i];
  }
}

function entries(n) {
  return { hash: new Uint32Array(n), code: new Float64Array(n), bits: new Int32Array(n), file: new Int32Array(n) };
}

/**
 * The entries (key code, bits, file number) that the FileTallies of one ``seen`` and ``shared`` wrote, in the
 * order written, not yet tallied: appending costs no lookup in a big table a line (a cache miss each).  Read or
 * written, ``shared`` (or ``seen``) first settles them: the entries sorted by the hash of their key (a radix
 * sort, stable: each key's entries stay in file order), then each key's run folded as ``tally`` would have
 * folded its files one after the other.  ``seen`` is only filled if it is read itself.
 */
class Pending {
  constructor(seen, shared) {
    this.seen = seen;
    this.shared = shared;
    this.files = 0;
    this.n = 0;
    // no room yet: the first add() grows them, so the growing is never a path V8 has not seen (a call it has no
    // feedback for, in code it compiled, would deoptimise the hot loop it is inlined into when a big file grows it)
    this.codes = new Float64Array(0);
    this.bits = new Int32Array(0);
    this.file = new Int32Array(0);
    this.sharedDone = false;
    this.sorted = null;
  }

  add(code, bits, file) {
    const n = this.n;
    if (n === this.codes.length) this.grow();
    this.codes[n] = code;
    this.bits[n] = bits;
    this.file[n] = file;
    this.n = n + 1;
  }

  grow() {
    const size = Math.max(1024, 2 * this.codes.length);
    const codes = new Float64Array(size);
    const bits = new Int32Array(size);
    const file = new Int32Array(size);
    codes.set(this.codes);
    bits.set(this.bits);
    file.set(this.file);
    this.codes = codes;
    this.bits = bits;
    this.file = file;
  }

  /** The entries ordered by their key's hash ({hash, code, bits, file}), the entries of a key in the order written. */
  order() {
    const n = this.n;
    let from = { hash: new Uint32Array(n), code: this.codes, bits: this.bits, file: this.file };
    hashCodes(this.codes, from.hash, n);
    let to = entries(n);
    const count = new Int32Array(2048);
    for (let shift = 0; shift < 32; shift += 11) {
      radixPass(from, to, count, shift, n);
      const t = from.code === this.codes ? entries(n) : from; // the entries as written stay as they are
      from = to;
      to = t;
    }
    return from;
  }

  /** Tally the entries into ``shared`` (and into ``seen`` if ``map`` is seen). */
  settle(map) {
    const seen = this.seen;
    const shared = this.shared;
    const fillSeen = map === seen;
    seen.pending = null; // the maps' own reads and writes below must not settle again
    shared.pending = null;
    if (this.sharedDone && !fillSeen) return;
    if (this.sorted === null) this.sorted = this.order();
    const seenBefore = seen.order.length !== 0; // keys tallied into seen before these entries: another file's
    const foldShared = !this.sharedDone;
    // the loops are in functions of their own: code after a loop that a call runs once deoptimises V8's OSR code
    this.walk(this.sorted, seenBefore, foldShared, fillSeen);
    this.sharedDone = true;
    if (!fillSeen) seen.pending = this; // seen is filled when it is read itself
    if (fillSeen) {
      this.codes = this.bits = this.file = null;
      this.sorted = null;
      this.n = 0;
    }
  }

  /** Each key's run of entries (sorted: ``t``) folded (two keys with one hash, rare, each apart). */
  walk(t, seenBefore, foldShared, fillSeen) {
    const n = this.n;
    const { hash, code } = t;
    const alone = !seenBefore && !fillSeen; // a key of one entry then shares nothing and fills nothing
    let s = 0;
    while (s < n) {
      const h = hash[s];
      let e = s + 1;
      while (e < n && hash[e] === h) e++;
      if (e - s === 1 && alone) {
        s = e;
        continue;
      }
      let one = true;
      for (let j = s + 1; j < e; j++) if (code[j] !== code[s]) one = false;
      if (one) this.fold(t, s, e, seenBefore, foldShared, fillSeen);
      else this.foldApart(t, s, e, seenBefore, foldShared, fillSeen);
      s = e;
    }
  }

  /** The entries ``t[s..e)`` of several keys with one hash: ordered by key, each key's entries in the order written. */
  foldApart(t, s, e, seenBefore, foldShared, fillSeen) {
    const at = [];
    for (let j = s; j < e; j++) at.push(j);
    at.sort((x, y) => t.code[x] - t.code[y] || x - y);
    const part = entries(at.length);
    at.forEach((x, k) => {
      part.code[k] = t.code[x];
      part.bits[k] = t.bits[x];
      part.file[k] = t.file[x];
    });
    let i = 0;
    while (i < at.length) {
      let j = i + 1;
      while (j < at.length && part.code[j] === part.code[i]) j++;
      this.fold(part, i, j, seenBefore, foldShared, fillSeen);
      i = j;
    }
  }

  /** The entries ``t[s..e)``, of one key in the order written, folded as ``tally`` folds files in turn. */
  fold(t, s, e, seenBefore, foldShared, fillSeen) {
    const code = t.code[s];
    const before = seenBefore ? (this.seen.getCode(code) ?? 0) : 0;
    const bitsOf = t.bits;
    const fileOf = t.file;
    let prior = before; // the bits of the files before the current one
    let current = 0;
    let file = -1;
    let found = 0;
    let union = before;
    for (let j = s; j < e; j++) {
      if (fileOf[j] !== file) {
        prior |= current;
        current = 0;
        file = fileOf[j];
      }
      const b = bitsOf[j];
      current |= b;
      found |= prior & b;
      union |= b;
    }
    if (found !== 0 && foldShared) this.shared.orCode(code, found);
    if (fillSeen) this.seen.setCode(code, union);
  }
}

/**
 * One file's ``here`` of ``tally(here, seen, shared)`` for the generated code, which makes one where the IR
 * makes a file's map that it only ORs bits into (``orBits``) and then tallies.  A key of digits is one entry
 * appended to the Pending of seen and shared, tallied when either is first read; any other key waits in
 * ``rest`` for the tally.  Only the contents of seen and shared are the same as ``tally``'s, not the order of
 * their keys: the national rules only look keys up.  The FileTallies of one pair write one after another (a
 * file at a time), as the generated code does: a key's entries in the order written are its files in turn.
 */
export class FileTally {
  constructor(seen, shared) {
    this.seen = seen;
    this.shared = shared;
    this.pending = null;
    this.file = 0;
    const maps = seen instanceof KeyMap && shared instanceof KeyMap && seen !== shared;
    if (maps && !(seen instanceof KeySet || shared instanceof KeySet)) {
      let p = seen.pending;
      if (p === null || p.shared !== shared || shared.pending !== p || p.n >= FileTally.LIMIT) {
        // (a file's entries are never split: between two files, so many entries are tallied into seen first)
        seen.settle();
        shared.settle();
        p = new Pending(seen, shared);
        seen.pending = p;
        shared.pending = p;
      }
      this.pending = p;
      this.file = ++p.files;
    }
    this.rest = new Map();
  }

  /** Entries pending (16 bytes each, 40 more while they are sorted) after which the next file's tally first
   * tallies them into seen and shared: memory stays that of the national table, not of every line, on a
   * register of many millions of lines (2**22 entries: about 4 million lines with an insats). */
  static LIMIT = 1 << 22;

  /** ``orBits(key, bits)``, given ``code`` = digitKey(key). */
  orKey(code, key, bits) {
    if (code < 0 || this.pending === null) this.rest.set(key, (this.rest.get(key) ?? 0) | bits);
    else this.pending.add(code, bits, this.file);
    return this;
  }

  orBits(key, bits) {
    return this.orKey(digitKey(key), key, bits);
  }
}

/** A Set (has, add, size, iteration) of keys kept as KeyMap keeps them: a personnummer is not hashed as a string. */
export class KeySet extends KeyMap {
  has(key) {
    return this.hasKey(digitKey(key), key);
  }

  add(key) {
    return this.addKey(digitKey(key), key);
  }

  /** ``has(key)``, given ``code`` = digitKey(key) (py_key_at: read where the key lies in its line). */
  hasKey(code, key) {
    if (code < 0) return this.other !== null && this.other.has(key);
    const at = this.slot(code);
    this.lastCode = code;
    this.lastAt = at;
    return this.table[at] !== 0;
  }

  /** ``add(key)``, given ``code`` = digitKey(key): the slot ``hasKey`` found for it, if it asked last. */
  addKey(code, key) {
    if (code < 0) return this.set(key, 1);
    const at = code === this.lastCode ? this.lastAt : this.slot(code);
    if (this.table[at] === 0) this.insert(at, code, 1);
    return this;
  }

  *[Symbol.iterator]() {
    for (const [key] of super[Symbol.iterator]()) yield key;
  }
}

/** A Set of strings of ``width`` ASCII digits that can also test a piece of a line by char code (``hasAt``). */
export class DigitSet extends Set {
  constructor(items, width) {
    super(items);
    this.width = width;
    this.table = new Uint8Array(10 ** width);
    for (const item of this) this.table[+item] = 1;
  }

  /** ``this.has(line.slice(a, b))`` of the line py_fields scanned last, without the string. */
  hasAt(a, b) {
    if (b - a !== this.width) return false;
    const codes = CODES;
    let v = 0;
    for (let i = a; i < b; i++) {
      const c = codes[i] - 48;
      if (c < 0 || c > 9) return false;
      v = v * 10 + c;
    }
    return this.table[v] === 1;
  }
}

// --------------------------------------------------------------------------- personnummer

const MONTH_DAYS = /* runtime.py */ null;
const DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];

function leap(year) {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * ``check(pnr)``: a 12-digit personnummer that is a real one on the reference date.
 *
 * A real calendar date (a samordningsnummer has day + 60), a serial other than 000, the right Luhn
 * check digit, and a birth date on or before the reference date ("YYYYMMDD").  ``pnr`` is twelve
 * ASCII digits.
 */
export function personnummerChecker(referenceYmd) {
  const key = +referenceYmd; // "YYYYMMDD" as a number: compared as numbers, the same order
  // the twelve digits (char code - 48; NaN past the end of a shorter string: false, as Python's)
  const valid = (d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11) => {
    const year = d0 * 1000 + d1 * 100 + d2 * 10 + d3;
    const month = d4 * 10 + d5;
    let day = d6 * 10 + d7;
    if (day > 60) day -= 60;
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    const last = month === 2 && leap(year) ? 29 : MONTH_DAYS[month];
    if (day > last) return false;
    if (d8 === 0 && d9 === 0 && d10 === 0) return false;
    if (year * 10000 + month * 100 + day > key) return false;
    const total = DOUBLED[d2] + d3 + DOUBLED[d4] + d5 + DOUBLED[d6] + d7 + DOUBLED[d8] + d9 + DOUBLED[d10] + d11;
    return total % 10 === 0;
  };
  function check(pnr) {
    const c = (i) => pnr.charCodeAt(i) - 48;
    return valid(c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7), c(8), c(9), c(10), c(11));
  }
  /** ``check(line.slice(a - BASE, b - BASE))`` of the line py_fields scanned last, by char code. */
  check.at = (line, a, b) => {
    if (b - a !== 12) return check(line.slice(a - BASE, b - BASE));
    const p = CODES;
    return valid(
      p[a] - 48, p[a + 1] - 48, p[a + 2] - 48, p[a + 3] - 48, p[a + 4] - 48, p[a + 5] - 48,
      p[a + 6] - 48, p[a + 7] - 48, p[a + 8] - 48, p[a + 9] - 48, p[a + 10] - 48, p[a + 11] - 48,
    );
  };
  return check;
}

// Python's str.isspace, for the deceased list
const PY_SPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

export function pyStrip(s) {
  let a = 0;
  let b = s.length;
  while (a < b && PY_SPACE.includes(s[a])) a++;
  while (b > a && PY_SPACE.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function ymd(year, month, day) {
  return String(year).padStart(4, "0") + String(month).padStart(2, "0") + String(day).padStart(2, "0");
}

/** ``datetime.date.fromisoformat`` of Python 3.11 as "YYYYMMDD", or null. */
export function isoDate(text) {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) || /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) {
    const [year, month, day] = [+m[1], +m[2], +m[3]];
    if (year < 1 || month < 1 || month > 12 || day < 1) return null;
    if (day > (month === 2 && leap(year) ? 29 : MONTH_DAYS[month])) return null;
    return ymd(year, month, day);
  }
  m = /^(\d{4})-W(\d{2})(?:-(\d))?$/.exec(text) || /^(\d{4})W(\d{2})(\d)?$/.exec(text);
  if (m) {
    const [year, week, weekday] = [+m[1], +m[2], m[3] === undefined ? 1 : +m[3]];
    if (year < 1 || week < 1 || weekday < 1 || weekday > 7) return null;
    const jan4 = new Date(Date.UTC(2000, 0, 4));
    jan4.setUTCFullYear(year);
    const monday = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86400000; // of week 1
    if (week > 52) {
      const dec28 = new Date(Date.UTC(2000, 11, 28));
      dec28.setUTCFullYear(year);
      const lastMonday = dec28.getTime() - ((dec28.getUTCDay() + 6) % 7) * 86400000;
      if (monday + (week - 1) * 7 * 86400000 > lastMonday) return null;
    }
    const d = new Date(monday + ((week - 1) * 7 + weekday - 1) * 86400000);
    if (d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) return null;
    return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return null;
}

/** The death-register extract: ``personnummer;YYYY-MM-DD`` a line -> Map personnummer -> "YYYYMMDD". */
export function readDeceased(source, name = "") {
  const out = new Map();
  let number = 0;
  readLines(asSource(source), (lines) => {
    for (const line of lines) {
      number++;
      if (!pyStrip(line)) continue;
      const parts = line.split(";");
      if (parts.length !== 2 || !/^[0-9]{12}$/.test(parts[0])) {
        throw new InputError(fmt(INPUT_MESSAGES.deceased_line, { path: name, line: number }));
      }
      // exactly ÅÅÅÅ-MM-DD, a real date (runtime.read_deceased)
      const died = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(parts[1]) ? isoDate(parts[1]) : null;
      if (died === null) {
        // never a personnummer where the date belongs: masked before the cut and after it (runtime.read_deceased)
        const shown = printable(maskText(Array.from(maskText(parts[1])).slice(0, 40).join("")));
        throw new InputError(fmt(INPUT_MESSAGES.deceased_date, { path: name, line: number, value: pyRepr(shown) }));
      }
      out.set(parts[0], died);
    }
  });
  return out;
}

// --------------------------------------------------------------------------- reports

export const SEVERITY_WORDS = /* runtime.py */ null;
export const STATUS_WORDS = /* runtime.py */ null;

const MASKED_OTHER = /* runtime.py */ null; // what any value but twelve digits shows

/** ``runtime.mask``: twelve ASCII digits show the birth date and ``-****``; any other value shows twelve
 * asterisks whatever its length; empty stays empty, null stays null. */
export function mask(pnr) {
  if (pnr === null || pnr === undefined || pnr === "") return pnr;
  if (/^[0-9]{12}$/.test(pnr)) return pnr.slice(0, 8) + "-****";
  return MASKED_OTHER;
}

// ``runtime._PNR_SHAPED``: twelve or ten ASCII digits, or eight or six, "-" or "+" and four; no digit around
const PNR_SHAPED = /(?<![0-9])([0-9]{8}|[0-9]{6})([-+]?)[0-9]{4}(?![0-9])/g;

/** ``runtime.mask_text``: every personnummer-shaped run of ``text`` with its last four digits as ``****``. */
export function maskText(text) {
  if (text === null || text === undefined || text.length < 10) return text;
  return text.replace(PNR_SHAPED, "$1$2****");
}

/** A field's value as a report shows it without ``--show-personnummer`` (``runtime._masked``). */
function masked(field, value, details) {
  return get(get(details, "kinds"), field) === "personnummer" ? mask(value) : maskText(value);
}

export function statusOf(severities) {
  let warning = false;
  for (const s of severities) {
    if (s === "error") return "rejected";
    if (s === "warning") warning = true;
  }
  return warning ? "accepted_with_warnings" : "accepted";
}

/**
 * The raw findings of a run, ``[rule, fileIndex, line or null, fields, personnummer or null]`` each,
 * held as columns of typed arrays (about 21 bytes a finding, not an array and a string each: the
 * LSS-R09 findings of a national run are a million).  ``push`` takes a raw finding, ``at(i)`` gives
 * it back equal (its fields list shared with the findings of the same fields); ``length``, iteration,
 * ``map`` and ``filter`` as an array's.  ``sorted(rules)`` is a view in report order.
 *
 * As ``runtime.RawFindings``: at most ``listed`` (LISTED) of one rule in one file are kept, the first
 * pushed (a file is checked line by line); the others are only counted (``notListed``).
 */
const RECENT_LISTS = 16;
export const LISTED = /* runtime.py */ null; // findings listed per rule and file

export class Findings {
  constructor(listed = LISTED) {
    this.listed = listed;
    this.tallies = new Map(); // file index -> the findings pushed of each rule (by rule index)
    this.tallyFile = -1; // the file of the findings pushed last, and its tallies
    this.tally = null;
    this.count = 0;
    this.ruleIds = new Uint8Array(1024); // index into this.rules
    this.fileIds = new Uint32Array(1024);
    this.lineNos = new Int32Array(1024); // -1: a whole-file finding (line null)
    this.fieldIds = new Uint32Array(1024); // index into this.fieldLists
    this.people = new Float64Array(1024); // a personnummer of digits as its digitKey; -1 null; -2 - k: this.texts[k]
    this.rules = [];
    this.ruleIndex = new Map();
    this.fieldLists = [];
    this.fieldIndex = new Map(); // the fields as JSON -> index
    this.recent = new Array(RECENT_LISTS).fill(null); // the fields lists pushed last (the same objects) and their ids
    this.recentIds = new Int32Array(RECENT_LISTS);
    this.listIds = new WeakMap(); // every fields list pushed (the same object) -> its id
    this.recentAt = 0;
    this.texts = [];
    this.textIndex = new Map();
    this.order = null; // a sorted view: positions in report order
  }

  get length() {
    return this.count;
  }

  grow() {
    const more = (Type, old) => {
      const out = new Type(old.length * 2);
      out.set(old);
      return out;
    };
    this.ruleIds = more(Uint8Array, this.ruleIds);
    this.fileIds = more(Uint32Array, this.fileIds);
    this.lineNos = more(Int32Array, this.lineNos);
    this.fieldIds = more(Uint32Array, this.fieldIds);
    this.people = more(Float64Array, this.people);
  }

  push(f) {
    const [rule, fi, line, fields, pnr] = f;
    let r = this.ruleIndex.get(rule);
    if (r === undefined) {
      r = this.rules.length;
      if (r > 255) throw new Error("more than 256 rules");
      this.rules.push(rule);
      this.ruleIndex.set(rule, r);
    }
    if (fi !== this.tallyFile) {
      // findings come a file at a time: its tallies are looked up when the file changes, not a finding
      this.tallyFile = fi;
      this.tally = this.tallies.get(fi);
      if (this.tally === undefined) {
        this.tally = new Float64Array(32);
        this.tallies.set(fi, this.tally);
      }
    }
    if (r >= this.tally.length) {
      const more = new Float64Array(256);
      more.set(this.tally);
      this.tally = more;
      this.tallies.set(fi, more);
    }
    if (this.tally[r]++ >= this.listed) return this.count; // counted, not kept
    const i = this.count;
    if (i === this.people.length) this.grow();
    // a rule's fields are often one shared list (LSS-R09's a list per set of shared flags): found by identity
    let k = -1;
    const recent = this.recent;
    for (let j = 0; j < RECENT_LISTS; j++) {
      if (recent[j] === fields) {
        k = this.recentIds[j];
        break;
      }
    }
    if (k < 0) {
      k = this.listIds.get(fields) ?? -1; // a list seen before, further back than RECENT_LISTS
      if (k < 0) {
        const id = JSON.stringify(fields); // [] and [""] differ, and so do ["a\0b"] and ["a", "b"]
        k = this.fieldIndex.get(id);
        if (k === undefined) {
          k = this.fieldLists.length;
          this.fieldLists.push(Object.freeze([...fields]));
          this.fieldIndex.set(id, k);
        }
        this.listIds.set(fields, k);
      }
      const j = this.recentAt;
      recent[j] = fields;
      this.recentIds[j] = k;
      this.recentAt = (j + 1) % RECENT_LISTS;
    }
    let who = -1;
    if (pnr !== null && pnr !== undefined) {
      who = digitKey(pnr);
      if (who < 0) {
        let t = this.textIndex.get(pnr);
        if (t === undefined) {
          t = this.texts.length;
          this.texts.push(pnr);
          this.textIndex.set(pnr, t);
        }
        who = -2 - t;
      }
    }
    this.ruleIds[i] = r;
    this.fileIds[i] = fi;
    this.lineNos[i] = line === null || line === undefined ? -1 : line;
    this.fieldIds[i] = k;
    this.people[i] = who;
    this.count = i + 1;
    return this.count;
  }

  /** The position in the columns of the i-th finding. */
  pos(i) {
    return this.order === null ? i : this.order[i];
  }

  rule(j) {
    return this.rules[this.ruleIds[j]];
  }

  line(j) {
    const n = this.lineNos[j];
    return n < 0 ? null : n;
  }

  person(j) {
    const who = this.people[j];
    if (who >= 0) return keyText(who);
    return who === -1 ? null : this.texts[-2 - who];
  }

  at(i) {
    const j = this.pos(i);
    return [this.rule(j), this.fileIds[j], this.line(j), this.fieldLists[this.fieldIds[j]], this.person(j)];
  }

  *[Symbol.iterator]() {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  map(fn) {
    const out = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = fn(this.at(i), i);
    return out;
  }

  filter(fn) {
    const out = [];
    for (let i = 0; i < this.count; i++) {
      const f = this.at(i);
      if (fn(f, i)) out.push(f);
    }
    return out;
  }

  /** ``runtime.not_listed_of``: [rule, fileIndex, count] of the findings counted but not kept, by file, then rule. */
  notListed(rules) {
    const order = new Map(Object.keys(rules).map((r, i) => [r, i]));
    const out = [];
    for (const [fi, tally] of this.tallies) {
      this.rules.forEach((rule, r) => {
        if (r < tally.length && tally[r] > this.listed) out.push([rule, fi, tally[r] - this.listed]);
      });
    }
    return out.sort((a, b) => a[1] - b[1] || order.get(a[0]) - order.get(b[0]));
  }

  /** The rules that have a finding. */
  present() {
    const seen = new Uint8Array(this.rules.length);
    for (let j = 0; j < this.count; j++) seen[this.ruleIds[j]] = 1;
    return this.rules.filter((_, r) => seen[r]);
  }

  /** The same findings in report order (``sortFindings``): a view sharing the columns. */
  sorted(rules) {
    const order = new Map(Object.keys(rules).map((r, i) => [r, i]));
    const rank = this.rules.map((r) => order.get(r));
    const count = this.count;
    const keys = new Float64Array(count);
    let sorted = true;
    for (let i = 0; i < count; i++) {
      const j = this.pos(i);
      const line = this.lineNos[j];
      keys[i] = (this.fileIds[j] * 2 ** 30 + (line < 0 ? 0 : line)) * 128 + rank[this.ruleIds[j]];
      if (i && keys[i] < keys[i - 1]) sorted = false;
    }
    if (sorted) return this;
    const index = new Uint32Array(count);
    for (let i = 0; i < count; i++) index[i] = i;
    index.sort((a, b) => keys[a] - keys[b] || a - b);
    const view = Object.create(Findings.prototype);
    Object.assign(view, this);
    view.order = index;
    if (this.order !== null) for (let i = 0; i < count; i++) index[i] = this.order[index[i]];
    return view;
  }
}

/**
 * Raw findings in report order: by file, by line (a whole-file finding first), by the order of ``rules``.
 * A raw finding is ``[rule, fileIndex, line or null, fields, personnummer or null]``.
 */
export function sortFindings(findings, rules) {
  if (findings instanceof Findings) return findings.sorted(rules);
  const order = new Map(Object.keys(rules).map((r, i) => [r, i]));
  const count = findings.length;
  // one number a finding as its key (file, line, rule: 53 bits), and the findings' positions sorted by it
  const keys = new Float64Array(count);
  const index = new Uint32Array(count);
  let sorted = true;
  for (let i = 0; i < count; i++) {
    const f = findings[i];
    keys[i] = (f[1] * 2 ** 30 + (f[2] || 0)) * 128 + order.get(f[0]);
    index[i] = i;
    if (i && keys[i] < keys[i - 1]) sorted = false;
  }
  if (sorted) return findings;
  index.sort((a, b) => keys[a] - keys[b] || a - b);
  const out = new Array(count);
  for (let i = 0; i < count; i++) out[i] = findings[index[i]];
  return out;
}

/**
 * The JSON report of the contract (README, lss_rules/schemas/report.schema.json), with its findings
 * still raw (sorted): ``findingObjects`` makes them objects, ``writeJson`` writes the report.
 */
export function buildReport(year, paths, records, findings, rules, notChecked, showPersonnummer = false, spec = null, hints = null, details = null) {
  const items = sortFindings(findings, rules);
  const more = findings instanceof Findings ? findings.notListed(rules) : [];
  const lines = details !== null ? detailLines(items, paths, details) : null;
  const files = paths.map((path, i) => {
    const entry = { path: showPersonnummer ? nameOf(path) : maskText(nameOf(path)), records: records[i] };
    if (hints && hints[i] && hints[i].length) entry.hints = [...hints[i]];
    return entry;
  });
  const severities = items instanceof Findings ? items.present().map((r) => rules[r][0]) : items.map((f) => rules[f[0]][0]);
  const report = {
    year,
    status: statusOf([...severities, ...more.map(([rule]) => rules[rule][0])]),
    files,
    findings: items,
  };
  if (more.length) {
    // only in a report that left findings out: every other report is as it was
    report.not_listed = more.map(([rule, fi, count]) => ({ file: files[fi].path, rule, severity: rules[rule][0], count }));
  }
  report.not_checked = [...notChecked];
  report[RAW] = { paths: files.map((f) => f.path), rules, showPersonnummer, details, lines };
  if (spec !== null && spec !== undefined) report.spec = spec;
  return report;
}

const RAW = Symbol("raw findings");

function findingDetail(raw, rule, fi, line, fields) {
  if (raw.details === null || raw.details === undefined || !raw.lines || line === null) return null;
  const parts = raw.lines.get(`${fi}:${line}`);
  if (parts === undefined) return null;
  return findingDetails(rule, fields, parts, raw.details, raw.showPersonnummer);
}

function findingObject(f, raw) {
  const [rule, fi, line, fields, pnr] = f;
  const [severity, message] = raw.rules[rule];
  const out = {
    rule,
    severity,
    file: raw.paths[fi],
    line,
    fields: [...fields],
    message,
    personnummer: raw.showPersonnummer ? pnr : mask(pnr),
  };
  const extra = findingDetail(raw, rule, fi, line, fields);
  return extra === null ? out : Object.assign(out, extra);
}

/** The report as plain data (what JSON.parse of the written report gives). */
export function plainReport(report) {
  const raw = report[RAW];
  if (!raw) return report;
  const { [RAW]: _, ...rest } = report;
  rest.findings = report.findings.map((f) => findingObject(f, raw));
  return rest;
}

function indented(value) {
  // encoded on its own, then indented one level: strings in JSON hold no line ends
  return JSON.stringify(value, null, 2).replaceAll("\n", "\n  ");
}

/**
 * ``report`` as Python's ``json.dump(report, out, ensure_ascii=False, indent=2)`` writes it, and a
 * newline, through ``write(text)`` a piece at a time (a thousand findings a write).
 */
export function writeJson(report, write) {
  const raw = report[RAW];
  const keys = Object.keys(report);
  if (!keys.length) {
    write("{}\n");
    return;
  }
  let first = true;
  for (const key of keys) {
    write((first ? "{\n  " : ",\n  ") + JSON.stringify(key) + ": ");
    first = false;
    if (key === "findings" && raw) writeFindings(report.findings, raw, write);
    else write(indented(report[key]));
  }
  write("\n}\n");
}

function writeFindings(items, raw, write) {
  if (!items.length) {
    write("[]");
    return;
  }
  const { paths, rules, showPersonnummer } = raw;
  const heads = {};
  const tails = {};
  for (const [rule, [severity, message]] of Object.entries(rules)) {
    heads[rule] = `{\n      "rule": ${JSON.stringify(rule)},\n      "severity": ${JSON.stringify(severity)},\n      "file": `;
    tails[rule] = `,\n      "message": ${JSON.stringify(message)},\n      "personnummer": `;
  }
  const files = paths.map((p) => JSON.stringify(p));
  const named = new Map(); // fields -> their list
  let start = "[\n    ";
  let chunk = [];
  const compact = items instanceof Findings;
  const byList = new Map(); // a fields list (shared by the compact findings) -> its JSON
  for (let i = 0; i < items.length; i++) {
    const item = compact ? items.at(i) : items[i];
    const [rule, fi, line, fields, pnr] = item;
    if (raw.lines) {
      const extra = findingDetail(raw, rule, fi, line, fields);
      if (extra !== null) {
        // a finding with details: as the indented encoder writes it, one level in
        chunk.push(JSON.stringify(findingObject(item, raw), null, 2).replaceAll("\n", "\n    "));
        if (chunk.length === 1000) {
          write(start + chunk.join(",\n    "));
          start = ",\n    ";
          chunk = [];
        }
        continue;
      }
    }
    let listed = byList.get(fields);
    if (listed === undefined) {
      const id = JSON.stringify(fields);
      listed = named.get(id);
      if (listed === undefined) {
        listed = fields.length ? "[\n        " + fields.map((x) => JSON.stringify(x)).join(",\n        ") + "\n      ]" : "[]";
        named.set(id, listed);
      }
      if (compact) byList.set(fields, listed);
    }
    const who = showPersonnummer ? pnr : mask(pnr);
    const body = `${files[fi]},\n      "line": ${line === null ? "null" : line},\n      "fields": ${listed}`;
    chunk.push(`${heads[rule]}${body}${tails[rule]}${who === null ? "null" : JSON.stringify(who)}\n    }`);
    if (chunk.length === 1000) {
      write(start + chunk.join(",\n    "));
      start = ",\n    ";
      chunk = [];
    }
  }
  if (chunk.length) write(start + chunk.join(",\n    "));
  write("\n  ]");
}

/** The whole JSON text of a report (small reports; ``writeJson`` streams). */
export function reportJson(report) {
  const parts = [];
  writeJson(report, (s) => parts.push(s));
  return parts.join("");
}

/** The report for people, as ``lss-rules validate`` writes it (``lang``: "sv" or "en"). */
export function renderText(report, titles, notes = [], lang = "sv") {
  const words = REPORT_WORDS[lang];
  const count = (n, key) => plural(n, ...words[key]);
  const plain = plainReport(report);
  const lines = [fmt(words.title, { year: plain.year }), ...notes.map(printable)];
  if (plain.spec) lines.push(specLine(plain.spec, lang));
  const byFile = new Map();
  const severities = new Map();
  let errors = 0;
  let warnings = 0;
  for (const f of plain.findings) {
    if (!byFile.has(f.file)) byFile.set(f.file, new Map());
    const rules = byFile.get(f.file);
    if (!rules.has(f.rule)) rules.set(f.rule, [f.severity, f.message, []]);
    const group = rules.get(f.rule);
    if (!severities.has(f.file)) severities.set(f.file, new Set());
    severities.get(f.file).add(f.severity);
    errors += f.severity === "error";
    warnings += f.severity === "warning";
    const where = f.line === null ? words.whole_file : fmt(words.line, { n: f.line });
    const detail = [];
    if (f.fields.length) detail.push(f.fields.join(", "));
    if (f.personnummer) detail.push(printable(f.personnummer));
    let text = `    ${where}` + (detail.length ? ": " + detail.join("; ") : "");
    if (f.detail) text += "\n      " + printable(f.detail);
    group[2].push(text);
  }
  const more = new Map(); // file -> rule -> findings counted but not listed
  for (const { file, rule, severity, count: n } of plain.not_listed || []) {
    if (!more.has(file)) more.set(file, new Map());
    more.get(file).set(rule, n);
    if (!byFile.has(file)) byFile.set(file, new Map());
    if (!byFile.get(file).has(rule)) byFile.get(file).set(rule, [severity, "", []]); // listed ones come first: never new
    if (!severities.has(file)) severities.set(file, new Set());
    severities.get(file).add(severity);
    if (severity === "error") errors += n;
    if (severity === "warning") warnings += n;
  }
  for (const entry of plain.files) {
    const status = words.status[statusOf(severities.get(entry.path) || [])];
    lines.push("");
    lines.push(`${printable(entry.path)}: ${count(entry.records, "record")} — ${status}`);
    for (const h of entry.hints || []) lines.push("  " + fmt(words.hint, { message: printable(h.message) }));
    for (const [rule, [severity, message, found]] of byFile.get(entry.path) || []) {
      const shownSeverity = words.severity[severity] ?? severity;
      const rest = more.get(entry.path)?.get(rule) ?? 0;
      lines.push(`  ${rule} ${printable(titles[rule] ?? "")} (${shownSeverity}, ${fmt(words.count, { n: found.length + rest })})`);
      lines.push(`    ${printable(message)}`);
      for (const text of found) lines.push(text);
      if (rest) lines.push("    " + fmt(words.not_listed, { n: rest, shown: found.length }));
    }
  }
  lines.push("");
  const total = plain.files.reduce((a, e) => a + e.records, 0);
  lines.push(
    `${words.summary}: ${count(plain.files.length, "file")}, ${count(total, "record")}, ` +
      `${count(errors, "error")}, ${count(warnings, "warning")} — ${words.status[plain.status]}`,
  );
  for (const rule of plain.not_checked) lines.push(fmt(words.not_checked, { rule, title: printable(titles[rule] ?? "") }));
  return lines.join("\n") + "\n";
}

export function exitCode(report, strict = false) {
  const status = report.status;
  return status === "rejected" || (strict && status === "accepted_with_warnings") ? EXIT_REJECTED : EXIT_ACCEPTED;
}

// --------------------------------------------------------------------------- node, as a script

// the messages of an input that cannot be read and of a run that cannot be made; what an input is
const INPUT_MESSAGES = /* runtime.py */ null;
const KIND_WORDS = /* runtime.py */ null;

/** ``runtime.folder_message``: a folder given where a file belongs; its files named the shell's way. */
function folderMessage(path) {
  const folder = path.replace(/[/\\]+$/, "") || path;
  return fmt(INPUT_MESSAGES.folder, { path, folder });
}

/** ``runtime.not_a_file``: what to say of an input that is no regular file (its ``fs.Stats``). */
function notAFile(path, st) {
  if (st.isDirectory()) return folderMessage(path);
  const kind = st.isFIFO()
    ? KIND_WORDS.fifo
    : st.isCharacterDevice() || st.isBlockDevice()
      ? KIND_WORDS.device
      : st.isSocket()
        ? KIND_WORDS.socket
        : KIND_WORDS.other;
  return fmt(INPUT_MESSAGES.not_a_file, { path, kind });
}

/**
 * A file on disk as a source (node): read 1 MiB at a time with ``fs.readSync``.  Only a regular file:
 * a folder, a FIFO, a device (``/dev/urandom``) or a socket is an InputError, before a byte is read.
 */
export function nodeFileSource(fs, path) {
  let state = null;
  try {
    const st = fs.statSync(path);
    if (!st.isFile()) throw new InputError(notAFile(path, st));
    state = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch (exc) {
    if (exc instanceof InputError) throw exc;
    if (exc.code === "ENOENT") throw new InputError(fmt(INPUT_MESSAGES.missing, { path }));
    throw new InputError(fmt(INPUT_MESSAGES.unreadable, { path, why: osErrorText(exc) }));
  }
  let opened = 0;
  return {
    name: path,
    size: 0,
    state,
    open() {
      if (opened++ && state !== null) {
        // the national rules read a file a second time: it must be the file read the first time
        let now = null;
        try {
          const st = fs.statSync(path);
          now = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
        } catch {
          now = null;
        }
        if (now !== state) throw new InputError(fmt(INPUT_MESSAGES.changed, { path }));
      }
      let fd;
      try {
        // without blocking: a FIFO put in the file's place after the stat does not keep the run waiting
        fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0));
      } catch (exc) {
        if (exc.code === "EISDIR") throw new InputError(folderMessage(path));
        if (exc.code === "ENOENT") throw new InputError(fmt(INPUT_MESSAGES.missing, { path }));
        throw new InputError(fmt(INPUT_MESSAGES.unreadable, { path, why: osErrorText(exc) }));
      }
      let found;
      try {
        found = fs.fstatSync(fd);
      } catch (exc) {
        fs.closeSync(fd);
        throw new InputError(fmt(INPUT_MESSAGES.unreadable, { path, why: exc.message }));
      }
      if (!found.isFile()) {
        fs.closeSync(fd);
        throw new InputError(notAFile(path, found)); // the descriptor itself, never the path again
      }
      let done = false;
      let buf = null; // one buffer a reading, reused: readLines is done with a chunk before it asks for the next
      return {
        read() {
          if (done) return null;
          if (buf === null) {
            let size = BLOCK;
            try {
              size = Math.min(BLOCK, Math.max(fs.fstatSync(fd).size, 1 << 12)); // a small file, a small buffer
            } catch {
              size = BLOCK;
            }
            buf = new Uint8Array(size);
          }
          let n;
          try {
            n = fs.readSync(fd, buf, 0, buf.length, null);
          } catch (exc) {
            fs.closeSync(fd);
            done = true;
            throw new InputError(fmt(INPUT_MESSAGES.unreadable, { path, why: osErrorText(exc) }));
          }
          if (n === 0) {
            fs.closeSync(fd);
            done = true;
            return null;
          }
          return n === buf.length ? buf : buf.subarray(0, n);
        },
      };
    },
  };
}

// The command line's texts, as the Python module's parser writes them (runtime.argument_parser, argparse
// with runtime.ARGPARSE_SV) when standard out is no terminal: 80 columns.  A copy of those texts
// (tests/cli/test_swedish.py::test_javascript_module_speaks_like_the_python_module compares the two).
const HELP_WIDTH = 78; // argparse: the columns less 2
const USAGE_OPTIONS = ["[-h]", "[--year ÅR]", "[--deceased FIL]", "[--format {text,json}]", "[--strict]", "[--show-personnummer]", "[--lang {sv,en}]"];
const USAGE_FILES = ["FIL", "[FIL ...]"];
const HELP_BODY =
  "Granska LSS-filer mot årets regler. Avslutningskod 0 godkänd, 1 ej godkänd, 2\n" +
  "körningen kunde inte göras.\n\n" +
  "argument:\n" +
  "  FIL                   en fil per kommun; flera filer granskas tillsammans\n\n" +
  "flaggor:\n" +
  "  -h, --help            visa den här hjälpen och avsluta\n" +
  "  --year ÅR             insamlingsår\n" +
  "  --deceased FIL        utdrag ur dödsregistret: personnummer;ÅÅÅÅ-MM-DD per\n" +
  "                        rad\n" +
  "  --format {text,json}  rapportens form (standard: text)\n" +
  "  --strict              varningar ger också avslutningskod 1\n" +
  "  --show-personnummer   visa hela personnummer i rapporten\n" +
  "  --lang {sv,en}        rapportens och meddelandenas språk (standard: sv)\n";
const OPTIONS = ["-h", "--help", "--year", "--deceased", "--format", "--strict", "--show-personnummer", "--lang"];
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/; // argparse reads these as values, not options

/** argparse's lines of a usage: ``parts`` joined by spaces, a new line (at ``indent``) where one would be too long. */
function usageLines(parts, indent, prefix = null) {
  const lines = [];
  let line = [];
  let length = (prefix === null ? indent.length : prefix.length) - 1;
  for (const part of parts) {
    if (length + 1 + part.length > HELP_WIDTH && line.length) {
      lines.push(indent + line.join(" "));
      line = [];
      length = indent.length - 1;
    }
    line.push(part);
    length += part.length + 1;
  }
  if (line.length) lines.push(indent + line.join(" "));
  if (prefix !== null) lines[0] = lines[0].slice(indent.length);
  return lines;
}

/** ``användning: PROG [-h] ...``, as argparse lays it out. */
function usage(prog) {
  const prefix = "användning: ";
  const whole = [prog, ...USAGE_OPTIONS, ...USAGE_FILES].join(" ");
  if (prefix.length + whole.length <= HELP_WIDTH) return `${prefix}${whole}\n`;
  let lines;
  if (prefix.length + prog.length <= 0.75 * HELP_WIDTH) {
    const indent = " ".repeat(prefix.length + prog.length + 1);
    lines = [...usageLines([prog, ...USAGE_OPTIONS], indent, prefix), ...usageLines(USAGE_FILES, indent)];
  } else {
    const indent = " ".repeat(prefix.length);
    lines = usageLines([...USAGE_OPTIONS, ...USAGE_FILES], indent);
    if (lines.length > 1) lines = [...usageLines(USAGE_OPTIONS, indent), ...usageLines(USAGE_FILES, indent)];
    lines = [prog, ...lines];
  }
  return `${prefix}${lines.join("\n")}\n`;
}

/** The option ``a`` (without ``=value``) names: itself, the one long option it begins (as argparse), the
 * options it could begin, or null. */
function optionNamed(a) {
  if (OPTIONS.includes(a)) return a;
  if (!a.startsWith("--")) return null;
  const matches = OPTIONS.filter((o) => o.startsWith("--") && o.startsWith(a));
  if (matches.length > 1) return matches;
  return matches.length ? matches[0] : null;
}

/** ``[option or null, inline value or null]`` of an argument, as argparse classifies it (null: a value). */
function classify(given) {
  if (!given.startsWith("-") || given === "-") return [null, null];
  if (given === "--") return ["--", null]; // the end of the options
  const eq = given.startsWith("--") ? given.indexOf("=") : -1;
  const named = optionNamed(eq < 0 ? given : given.slice(0, eq));
  if (Array.isArray(named)) throw new InputError(`flaggan ${given} är tvetydig: ${named.join(", ")}`);
  if (named !== null) return [named, eq < 0 ? null : given.slice(eq + 1)];
  if (NEGATIVE_NUMBER.test(given) || given.includes(" ")) return [null, null];
  return ["?", null]; // an option this parser does not have
}

/**
 * The arguments of ``lss-rules validate``: {files, year, deceased, format, strict, showPersonnummer, lang},
 * ``{help: true}``, or an InputError with argparse's Swedish message (``runtime.ARGPARSE_SV``).
 */
export function parseArguments(argv, defaultYear) {
  const args = { files: [], year: defaultYear, deceased: null, format: "text", strict: false, showPersonnummer: false, lang: "sv" };
  const end = argv.indexOf("--");
  const kinds = argv.map((a, i) => (end >= 0 && i > end ? [null, null] : classify(a))); // argparse: every argument first
  const unknown = [];
  const value = (i, name) => {
    if (i >= argv.length || kinds[i][0] !== null) throw new InputError(`argument ${name}: ett värde saknas`);
    return argv[i];
  };
  const choice = (name, v, choices) => {
    if (!choices.includes(v)) {
      throw new InputError(`argument ${name}: ogiltigt val ${pyRepr(v)} (välj bland ${choices.map(pyRepr).join(", ")})`);
    }
    return v;
  };
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const given = argv[i];
    if (given === "--" && !onlyFiles) {
      onlyFiles = true;
      continue;
    }
    const [named, inline] = kinds[i];
    if (onlyFiles || named === null) {
      args.files.push(given);
      continue;
    }
    if (named === "?") {
      unknown.push(given);
      continue;
    }
    const take = () => (inline !== null ? inline : value(++i, named));
    const flag = () => {
      if (inline !== null) {
        const name = named === "-h" || named === "--help" ? "-h/--help" : named;
        throw new InputError(`argument ${name}: värdet ${pyRepr(inline)} gäller inte flaggan`);
      }
      return true;
    };
    if (named === "-h" || named === "--help") {
      flag();
      return { help: true };
    } else if (named === "--year") {
      const y = take();
      if (!/^\s*[+-]?\d+\s*$/.test(y)) throw new InputError(`argument --year: ${pyRepr(y)} är inte ett heltal`);
      args.year = parseInt(y, 10);
    } else if (named === "--deceased") args.deceased = take();
    else if (named === "--format") args.format = choice(named, take(), ["text", "json"]);
    else if (named === "--lang") args.lang = choice(named, take(), ["sv", "en"]);
    else if (named === "--strict") args.strict = flag();
    else if (named === "--show-personnummer") args.showPersonnummer = flag();
  }
  if (!args.files.length) throw new InputError("följande argument måste anges: FIL");
  if (unknown.length) throw new InputError(`okända argument: ${unknown.join(" ")}`);
  return args;
}

/** The module at ``url`` is the script node runs (``node lss-2023.mjs ...``), not an import. */
export async function isMain(url) {
  if (typeof process === "undefined" || !process.argv || !process.argv[1] || !process.versions?.node) return false;
  try {
    const { pathToFileURL } = await import("node:url");
    const { realpathSync } = await import("node:fs");
    return url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}


// --------------------------------------------------------------------------- whole-file hints and finding details
// (runtime.py's file_hints and finding_details, with its texts)

const HINT_BYTES = /* runtime.py */ null; // the start of a file read for the whole-file diagnoses
const HINT_LINES = /* runtime.py */ null;
const OTHER_SEPARATORS = /* runtime.py */ null;
const DETAIL_LINES = /* runtime.py */ null; // lines kept for the findings' details
const DETAIL_WIDTH = /* runtime.py */ null; // a longer line keeps only its number of fields
const SHOWN_FIELDS = /* runtime.py */ null; // fields described one by one in a finding's detail
const HINT_TEXTS = /* runtime.py */ null;
const SEPARATOR_NAMES = /* runtime.py */ null;
const DETAIL_WORDS = /* runtime.py */ null;
const REPORT_WORDS = /* runtime.py */ null;

function fmt(template, values) {
  return template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
}

function hint(code, lang, values = {}) {
  return { code, message: fmt(HINT_TEXTS[lang][code], values) };
}

function countOf(text, sep) {
  return text.split(sep).length - 1;
}

function wideEncoding(head) {
  const starts = (bom) => bom.every((b, i) => head[i] === b);
  if (starts([0xff, 0xfe, 0, 0]) || starts([0, 0, 0xfe, 0xff])) return "UTF-32";
  if (starts([0xff, 0xfe]) || starts([0xfe, 0xff])) return "UTF-16";
  const sample = head.subarray(0, 4096);
  if (sample.length >= 8) {
    let nul = 0;
    for (const b of sample) nul += b === 0;
    if (nul * 8 >= sample.length * 5) return "UTF-32";
    if (nul * 8 >= sample.length * 3) return "UTF-16";
  }
  return null;
}

function bare(value) {
  return pyStrip(pyStrip(value).replace(/^["']+|["']+$/g, "")).toLowerCase();
}

function headOf(path) {
  const reader = sourceOf(path).open();
  const parts = [];
  let size = 0;
  while (size < HINT_BYTES) {
    const chunk = reader.read();
    if (!chunk) break;
    parts.push(chunk.slice(0, HINT_BYTES - size));
    size += Math.min(chunk.length, HINT_BYTES - size);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The whole-file diagnoses of each of ``paths``, a list per file. */
export function hints_of(paths, separator, fields, lang = "sv") {
  return paths.map((path) => fileHints(path, separator, fields, lang));
}

function fileHints(path, separator, fields, lang) {
  if (file_state(path) === null) return [];
  let head;
  try {
    head = headOf(path);
  } catch {
    return [];
  }
  const wide = wideEncoding(head);
  if (wide !== null) return [hint("encoding", lang, { encoding: wide })];
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) head = head.subarray(3);
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(head);
  const lines = text
    .split("\n")
    .slice(0, HINT_LINES)
    .filter((line) => pyStrip(line))
    .map((line) => line.replace(/\r+$/, ""));
  if (!lines.length) return [];
  const hints = [];
  const n = fields.length;
  const names = new Set(fields.map((f) => f.toLowerCase()));
  const first = lines[0];
  let used = separator;
  if (countOf(first, separator) < n - 1) {
    let guess = OTHER_SEPARATORS[0];
    for (const c of OTHER_SEPARATORS) if (countOf(first, c) > countOf(first, guess)) guess = c;
    if (countOf(first, guess) >= n - 2) used = guess;
  }
  const named = first.split(used).map(bare).filter((v) => names.has(v));
  if (named.length >= 2) hints.push(hint("header_line", lang, { names: named.slice(0, 3).join(", ") }));
  const records = named.length >= 2 ? lines.slice(1) : lines;
  if (!records.length) return hints;
  const other = new Map();
  for (const line of records) {
    if (countOf(line, separator) >= n - 1) continue;
    for (const candidate of OTHER_SEPARATORS) {
      if (candidate !== separator && countOf(line, candidate) >= n - 1) {
        other.set(candidate, (other.get(candidate) || 0) + 1);
        break;
      }
    }
  }
  let best = null;
  for (const [k, v] of other) if (best === null || v > other.get(best)) best = k;
  if (best !== null && other.get(best) * 2 > records.length) {
    const namedAs = SEPARATOR_NAMES[lang];
    const found = namedAs[best] ?? pyRepr(best);
    const wanted = namedAs[separator] ?? pyRepr(separator);
    hints.push(hint("separator", lang, { found, wanted }));
    used = best;
  }
  let quoted = 0;
  for (const line of records) {
    const values = line.split(used);
    const q = values.filter((v) => v.length >= 2 && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'"));
    if (q.length * 2 > values.length) quoted++;
  }
  if (quoted * 2 > records.length) hints.push(hint("quoted", lang));
  return hints;
}

function get(map, key) {
  return map instanceof Map ? map.get(key) : map[key];
}

function keysOf(map) {
  return map instanceof Map ? [...map.keys()] : Object.keys(map);
}

/** (file index, line) -> the line's fields (or their number), for the findings ``details`` covers. */
function detailLines(items, paths, details) {
  const covered = new Set([...keysOf(get(details, "checks")), ...keysOf(get(details, "rules"))]);
  const wanted = new Map();
  const compact = items instanceof Findings;
  for (let i = 0; i < items.length; i++) {
    const j = compact ? items.pos(i) : i;
    const rule = compact ? items.rule(j) : items[i][0];
    if (!covered.has(rule)) continue;
    const [, fi, line] = compact ? items.at(i) : items[i];
    if (line !== null) {
      if (!wanted.has(fi)) wanted.set(fi, new Set());
      wanted.get(fi).add(line);
    }
  }
  const out = new Map();
  let room = DETAIL_LINES;
  const sep = get(details, "separator");
  const width = get(details, "fields").length;
  for (const fi of [...wanted.keys()].sort((a, b) => a - b)) {
    if (file_state(paths[fi]) === null) continue;
    const numbers = wanted.get(fi);
    const last = Math.max(...numbers);
    try {
      let n = 0;
      for (const text of iter_lines(paths[fi])) {
        n++;
        if (numbers.has(n)) {
          let parts = Array.from(text).length <= DETAIL_WIDTH ? text.split(sep) : null;
          if (parts === null || parts.length !== width) parts = countOf(text, sep) + 1;
          out.set(`${fi}:${n}`, parts);
          room--;
          if (room === 0) return out;
        }
        if (n >= last) break;
      }
    } catch (exc) {
      if (!(exc instanceof InputError)) throw exc;
    }
  }
  return out;
}

// The characters shown as they are: runtime.PRINTABLE_RANGES of lss_rules/runtime/python.py, put here when a
// module is generated (lss_rules.backends.javascript.assemble.runtime_source) — one table for every engine, whose
// own Unicode data (\p{...}) differ from each other's and from Python's.
const PRINTABLE_RANGES = /* runtime.py */ null;
const [PRINTABLE_STARTS, PRINTABLE_ENDS] = (() => {
  const starts = [], ends = [];
  for (const item of PRINTABLE_RANGES.split(",")) {
    const [first, last] = item.split("-");
    starts.push(parseInt(first, 16));
    ends.push(parseInt(last ?? first, 16));
  }
  return [starts, ends];
})();

/** ``runtime.shows``: whether a character (one code point) is shown as it is. */
export function shows(ch) {
  const c = ch.codePointAt(0);
  if (c >= 0x20 && c < 0x7f) return true;
  let lo = 0, hi = PRINTABLE_STARTS.length;  // the last start <= c
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (PRINTABLE_STARTS[mid] <= c) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && c <= PRINTABLE_ENDS[lo - 1];
}

/** Python's ``repr`` of a str. */
function pyRepr(s) {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === "\\" || ch === q) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (!shows(ch)) {
      if (c < 0x100) out += "\\x" + c.toString(16).padStart(2, "0");
      else if (c < 0x10000) out += "\\u" + c.toString(16).padStart(4, "0");
      else out += "\\U" + c.toString(16).padStart(8, "0");
    } else out += ch;
  }
  return q + out + q;
}

function shown(field, value, details, show) {
  return pyRepr(show ? value : masked(field, value, details));
}

function findingDetails(rule, fields, parts, details, show) {
  const words = DETAIL_WORDS[get(details, "lang")];
  const names = get(details, "fields");
  const kinds = get(details, "kinds");
  const kind = get(get(details, "checks"), rule);
  if (kind === "field_count") {
    const n = typeof parts === "number" ? parts : parts.length;
    const expected = get(details, "layout");
    return { values: {}, expected, detail: `${fmt(words.fields, { n })}; ${expected}` };
  }
  if (typeof parts === "number" || parts.length !== names.length) return null;
  const valueOf = new Map(names.map((name, i) => [name, parts[i]]));
  const values = {};
  for (const name of fields) {
    const value = valueOf.get(name) ?? "";
    values[name] = show ? value : masked(name, value, details);
  }
  const say = (name, value) =>
    value === "" ? fmt(words.empty, { field: name }) : fmt(words.is, { field: name, value: shown(name, value, details, show) });
  if (kind !== undefined && kind !== null) {
    const texts = get(details, { value_form: "form", required_value: "required", empty_value: "empty" }[kind]);
    const expected = [];
    const pieces = [];
    for (const name of fields.slice(0, SHOWN_FIELDS)) {
      const value = valueOf.get(name) ?? "";
      let want = get(texts, name) ?? "";
      if (kind === "value_form" && get(kinds, name) === "municipality" && /^\p{Nd}+$/u.test(value)) {
        const code = value.padStart(4, "0");
        if (Array.from(value).length < 4 && py_in(code, get(details, "codes"))) want += ", " + fmt(words.example, { code });
      }
      expected.push(`${name}: ${want}`);
      pieces.push(`${say(name, value)}; ${want}`);
    }
    if (fields.length > SHOWN_FIELDS) pieces.push(fmt(words.more, { n: fields.length - SHOWN_FIELDS }));
    return { values, expected: expected.join("; "), detail: pieces.join("; ") };
  }
  const table = get(get(details, "rules"), rule);
  if (table === undefined || table === null) return null;
  const found = [];
  if (get(table, "age")) {
    const pnrField = names.find((n) => get(kinds, n) === "personnummer");
    const pnr = pnrField === undefined ? "" : valueOf.get(pnrField);
    const head = Array.from(pnr).slice(0, 4).join("");
    if (/^[0-9]+$/.test(head)) {
      const year = get(details, "year");
      found.push(fmt(words.age, { age: year - +pnr.slice(0, 4), year }));
    }
  }
  for (const name of fields) {
    if (get(kinds, name) === "personnummer" && get(table, "age")) continue;
    found.push(say(name, valueOf.get(name) ?? ""));
  }
  const expected = get(table, "expected");
  const said = expected.slice(0, 1).toLowerCase() + expected.slice(1);
  return { values, expected, detail: [...found, said].join("; ") };
}


/** ``runtime.printable``: what is not printable written as ``\\xNN``/``\\uNNNN``/``\\UNNNNNNNN`` (Python's ascii()). */
export function printable(text) {
  let out = "";
  for (const ch of text) {
    if (shows(ch)) {
      out += ch;
      continue;
    }
    const c = ch.codePointAt(0);
    if (ch === "\t") out += "\\t";  // as Python's ascii()
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x100) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c < 0x10000) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += "\\U" + c.toString(16).padStart(8, "0");
  }
  return out;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** The report's ``spec``: the spec folder (null: the one installed with lss-rules) and its sha256. */
export function spec_object(path, digest) {
  return { path: path === null || path === undefined ? null : String(path), digest };
}

function specLine(spec, lang) {
  const words = REPORT_WORDS[lang];
  const where = spec.path === null ? words.installed : printable(spec.path);
  return `${words.spec}: ${where} (sha256:${spec.digest.slice(0, 12)})`;
}

// --------------------------------------------------------------------------- the API of generated code
//
// The names of lss_rules/backends/validator/ir.py's RUNTIME_API, with the meaning lss_rules/runtime/python.py gives them.
// A "path" is a file name (node) or a source (bytes, a browser File wrapped by the caller: see asSource).

const NODE_FS = typeof process !== "undefined" && process.versions && process.versions.node ? await import("node:fs") : null;

// [path, source]: the node file file_state looked at last, for iter_lines to read without a second stat
let STATED = null;

function sourceOf(path) {
  if (typeof path === "string") {
    if (NODE_FS === null) throw new InputError(`${path}: filer läses med node; ge webbläsarens filer som källor`);
    if (STATED !== null && STATED[0] === path) {
      const source = STATED[1];
      STATED = null;
      return source;
    }
    return nodeFileSource(NODE_FS, path);
  }
  return asSource(path);
}

function nameOf(path) {
  return typeof path === "string" ? path : path.name;
}

/**
 * The decoded lines of a file (without line ends), an iterable reading a block at a time.  ``found``: the
 * run's findings (``Findings`` keeps its bound as they are pushed: nothing to do here, unlike runtime.py).
 */
export function iter_lines(path, found = null) {
  const source = sourceOf(path);
  return {
    [Symbol.iterator]() {
      const blocks = lineBlocks(source, source.onBytes); // an iterator by hand: a for-of over it costs no generator step a line
      let lines = [];
      let i = 0;
      let bytes = null; // the block's bytes, if all ASCII: the line given last starts at ``at`` (LINE_AT)
      let at = 0;
      return {
        next() {
          while (i >= lines.length) {
            LINE = null; // the next read may reuse the buffer of the bytes of the line given last
            const step = blocks.next();
            if (step.done) return { value: undefined, done: true };
            lines = step.value;
            bytes = asciiBlocks.get(lines) ?? null;
            at = 0;
            i = 0;
          }
          const line = lines[i++];
          if (bytes !== null) {
            LINE = line;
            LINE_BYTES = bytes;
            LINE_AT = at;
            at += line.length;
            at += bytes[at] === 13 ? 2 : 1; // the CR of a CRLF (dropped from the line), then the LF
          } else {
            LINE = null;
          }
          return { value: line, done: false };
        },
      };
    },
  };
}

/** What read_again needs to read the file again, or null for an input that cannot be read twice (a pipe). */
export function file_state(path) {
  if (typeof path !== "string") return path.state === null ? null : "source";
  if (NODE_FS === null) return null;
  STATED = null;
  try {
    const source = nodeFileSource(NODE_FS, path); // its state is the one of this stat
    STATED = [path, source];
    return source.state;
  } catch {
    return null;
  }
}

/** The lines of a file once more (the national rules); InputError if it changed since ``state``. */
export function read_again(path, state, found = null) {
  if (file_state(path) !== state) throw new InputError(fmt(INPUT_MESSAGES.changed, { path: nameOf(path) }));
  return iter_lines(path);
}

/** A date as the validators compare it: "YYYYMMDD" (what readDeceased gives). */
export function make_date(year, month, day) {
  return ymd(year, month, day);
}

export function personnummer_checker(referenceDate) {
  return personnummerChecker(referenceDate);
}

/** The set of personnummer dead on or before the date. */
export function dead_by(deceased, referenceDate) {
  const out = new Set();
  for (const [pnr, died] of deceased) if (died <= referenceDate) out.add(pnr);
  return out;
}

/** ``names`` sorted by their place in ``fields``. */
export function layout_order(names, fields) {
  return [...names].sort((a, b) => fields.indexOf(a) - fields.indexOf(b));
}

/** The names of ``slots`` ([name, bit]) whose bit is 0 or set in ``bits``. */
export function fields_with_bits(slots, bits) {
  return slots.filter(([, bit]) => !bit || bit & bits).map(([name]) => name);
}

export function build_report(year, paths, records, findings, rules, notChecked, show = false, lazy = false, spec = null, hints = null, details = null) {
  const table = rules instanceof Map ? Object.fromEntries(rules) : rules;
  const report = buildReport(year, paths, records, findings, table, notChecked, show, spec, hints, details);
  return lazy ? report : plainReport(report);
}

/** The death-register extract of a file: personnummer -> "YYYYMMDD". */
export function read_deceased(path) {
  return readDeceased(sourceOf(path), nameOf(path));
}

/** Write the report as text or JSON to standard output (node), or through ``write``. */
export function emit(report, format, titles, notes = [], write = null, lang = "sv") {
  const out = write || ((text) => writeOut(text));
  if (format === "json") writeJson(report, out);
  else out(renderText(report, titles instanceof Map ? Object.fromEntries(titles) : titles, notes, lang));
}

function writeOut(text) {
  const data = new TextEncoder().encode(text);
  let at = 0;
  while (at < data.length) {
    try {
      at += NODE_FS.writeSync(1, data, at, data.length - at);
    } catch (exc) {
      if (exc.code !== "EAGAIN") throw exc; // a non-blocking pipe that is full: try again
    }
  }
}

export function exit_code(report, strict = false) {
  return exitCode(report, strict);
}

/** The command line of a validator (node): the arguments of ``lss-rules validate``, its output and exit code. */
export function run_main(argv, year, prog, report, titles, notes, titlesEn = null, notesEn = null) {
  let args;
  try {
    args = parseArguments(argv || process.argv.slice(2), year);
  } catch (exc) {
    if (!(exc instanceof InputError)) throw exc;
    process.stderr.write(usage(prog) + `${prog}: fel: ${printable(exc.message)}\n`);
    return EXIT_USAGE;
  }
  if (args.help) {
    try {
      writeOut(usage(prog) + "\n" + HELP_BODY);
    } catch (exc) {
      return writeFailed(exc, EXIT_ACCEPTED);
    }
    return EXIT_ACCEPTED;
  }
  if (args.year !== year) {
    process.stderr.write(`${prog}: fel: ${fmt(INPUT_MESSAGES.other_year, { given: args.year, year })}\n`);
    return EXIT_USAGE;
  }
  let result;
  try {
    // every input exists and is a regular file, first (as Python's run_main)
    for (const path of [...args.files, ...(args.deceased !== null ? [args.deceased] : [])]) nodeFileSource(NODE_FS, path);
    const deceased = args.deceased !== null ? read_deceased(args.deceased) : null;
    result = report(args.files, deceased, args.showPersonnummer, true, null, args.lang);
  } catch (exc) {
    const why = exc instanceof InputError ? said(exc.message, args.showPersonnummer) : resourceMessage(exc);
    if (why === null) throw exc;
    process.stderr.write(`${prog}: ${why}\n`);
    return EXIT_USAGE;
  }
  const parts = [];
  let size = 0;
  const write = (text) => {
    parts.push(text);
    size += text.length;
    if (size > 1 << 20) {
      writeOut(parts.join(""));
      parts.length = 0;
      size = 0;
    }
  };
  try {
    const english = args.lang === "en" && titlesEn !== null;
    emit(result, args.format, english ? titlesEn : titles, english ? notesEn : notes, write, args.lang);
    writeOut(parts.join(""));
  } catch (exc) {
    return writeFailed(exc, exit_code(result, args.strict));
  }
  return exit_code(result, args.strict);
}

// the texts of runtime.resource_message
const OUT_OF_MEMORY = /* runtime.py */ null;
const TOO_DEEP = /* runtime.py */ null;
const TOO_MANY_FILES = /* runtime.py */ null;

/**
 * ``runtime.resource_message``: the one line for a run that ran out of a resource (exit code 2), or null.
 * V8 says so with a RangeError (a string, an array or a buffer too large; the call stack exceeded);
 * node with ENOMEM, EMFILE, ENFILE.  (An exhausted V8 heap ends node itself: the findings kept have a
 * bound, LISTED per rule and file, so that a run's memory follows its files' count, not their lines.)
 */
export function resourceMessage(exc) {
  if (exc instanceof RangeError) {
    return /call stack/i.test(exc.message) ? TOO_DEEP : OUT_OF_MEMORY;
  }
  const code = exc && exc.code;
  if (code === "ENOMEM") return OUT_OF_MEMORY;
  if (code === "EMFILE" || code === "ENFILE") return TOO_MANY_FILES;
  return null;
}

/**
 * Standard out could not be written (``runtime.writing``): a reader that went away ends the run quietly
 * with ``code``; out of a resource, a full disk, a closed descriptor is one line on standard error and 2.
 */
function writeFailed(exc, code) {
  if (exc.code === "EPIPE") return code;
  let why = resourceMessage(exc);
  if (why === null) {
    if (typeof exc.code !== "string") throw exc;
    why = exc.code === "EBADF" ? "standard ut är stängd" : `standard ut kan inte skrivas (${osErrorText(exc)})`;
  }
  const script = process.argv[1] ? process.argv[1].split(/[\\/]/).pop() : "lss-rules";
  try {
    process.stderr.write(`${script}: ${why}\n`);
  } catch {
    // standard error is gone as well: the exit code says it
  }
  return EXIT_USAGE;
}

/** A message as the command writes it on standard error (``runtime.said``): printable, personnummer masked. */
function said(message, showPersonnummer = false) {
  return printable(showPersonnummer ? message : maskText(message));
}

// Python's truth, membership, items and lengths, for the tree the printer prints (lss_rules/backends/javascript/printer.py)
function py_bool(x) {
  if (x === null || x === undefined) return false;
  if (typeof x !== "object") return !!x;
  if (x instanceof Map || x instanceof Set) return x.size > 0;
  if (Array.isArray(x)) return x.length > 0;
  return true;
}

function py_in(x, container) {
  if (container instanceof Set || container instanceof Map) return container.has(x);
  return container.includes(x);
}

function py_index(container, key) {
  return container instanceof Map ? container.get(key) : container[key];
}

function py_setitem(container, key, value) {
  if (container instanceof Map) container.set(key, value);
  else container[key] = value;
}

function py_get(map, key, fallback) {
  const found = map.get(key);
  return found === undefined ? fallback : found;
}

function py_len(x) {
  return x instanceof Map || x instanceof Set ? x.size : x.length;
}

/** ``text.split(sep)`` (sep not empty): indexOf and slice, faster in V8 than String.prototype.split a line. */
function py_split(text, sep) {
  const out = [];
  const step = sep.length;
  let start = 0;
  for (;;) {
    const at = text.indexOf(sep, start);
    if (at < 0) break;
    out.push(text.slice(start, at));
    start = at + step;
  }
  out.push(text.slice(start));
  return out;
}

/** ``s.isdigit() and s.isascii()``: one or more ASCII digits (a loop on char codes: no regular expression a value). */
function py_isdigits(s) {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// the empty tuple: one frozen array (a tuple is never changed, so every () may be this one)
const PY_EMPTY = Object.freeze([]);

/** ``text.split(sep, n)``: at most n + 1 pieces, the last one the rest (no split of the rest of the line). */
function py_split_head(text, sep, n) {
  const out = [];
  let start = 0;
  while (out.length < n) {
    const at = text.indexOf(sep, start);
    if (at < 0) break;
    out.push(text.slice(start, at));
    start = at + sep.length;
  }
  out.push(text.slice(start));
  return out;
}

// Where the fields of the line last scanned by py_fields lie, and the line's char codes: field i is
// line.slice(FIELD_AT[2i] - BASE, FIELD_AT[2i + 1] - BASE), and CODES[BASE + j] is line.charCodeAt(j).
// Generated code reads a field there by number (jsfields.py: FieldRead): a typed array is read faster
// than a string (a slice of the file's text), and no string is made for a field that is only compared.
// For a line of an all-ASCII block (nearly all) CODES is the block's bytes, else a copy of the line.
const FIELD_AT = new Int32Array(512);
let CODES = new Uint16Array(1 << 16);
let BASE = 0;
let SCRATCH = CODES; // a line is at most 64 KiB (MAX_LINE): longer only if given so

// the line iter_lines gave last, if it came from an all-ASCII block: its bytes and where it starts in them
let LINE = null;
let LINE_BYTES = null;
let LINE_AT = 0;

/** ``len(text.split(sep))``, remembering in FIELD_AT where the first ``max`` pieces lie and in CODES the text. */
function py_fields(text, sep, max) {
  const n = text.length;
  let codes;
  let base;
  if (text === LINE) {
    codes = LINE_BYTES; // the same text as the line read last (the same string, nearly always): its bytes
    base = LINE_AT;
  } else {
    if (n > SCRATCH.length) SCRATCH = new Uint16Array(n);
    codes = SCRATCH;
    base = 0;
    for (let i = 0; i < n; i++) codes[i] = text.charCodeAt(i);
  }
  CODES = codes;
  BASE = base;
  const at = FIELD_AT;
  const end = base + n;
  let k = 0;
  let start = base;
  if (sep.length === 1) {
    const c = sep.charCodeAt(0);
    for (let i = base; i < end; i++) {
      if (codes[i] === c) {
        if (k < max) {
          at[2 * k] = start;
          at[2 * k + 1] = i;
        }
        k++;
        start = i + 1;
      }
    }
  } else {
    for (;;) {
      const i = text.indexOf(sep, start - base);
      if (i < 0) break;
      if (k < max) {
        at[2 * k] = start;
        at[2 * k + 1] = base + i;
      }
      k++;
      start = base + i + sep.length;
    }
  }
  if (k < max) {
    at[2 * k] = start;
    at[2 * k + 1] = end;
  }
  return k + 1;
}

/** ``digitKey(line.slice(a - BASE, b - BASE))`` of the line py_fields scanned last, by char code. */
function py_key_at(a, b) {
  const n = b - a;
  if (n === 0 || n > KEY_DIGITS) return -1;
  const codes = CODES;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = codes[i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v + n * KEY_SPAN;
}

/** ``py_isdigits(line.slice(a, b))`` of the line py_fields scanned last, without the string. */
function py_digits_at(a, b) {
  if (a >= b) return false;
  const codes = CODES;
  for (let i = a; i < b; i++) {
    const c = codes[i];
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// a count is compared as its number up to 10**12, a larger one as 10**12
// (Number() of a long count is Infinity, or rounds past 2**53; leading zeros count for nothing)
const COUNT_DIGITS = /* runtime.py */ null;
const COUNT_CAP = /* runtime.py */ null;

/** ``runtime.count_value``: min(int(text), COUNT_CAP) of a string of ASCII digits of any length. */
function py_count(text) {
  let a = 0;
  const b = text.length;
  while (b - a > COUNT_DIGITS && text.charCodeAt(a) === 48) a++;
  if (b - a > COUNT_DIGITS) return COUNT_CAP;
  let v = 0;
  for (let i = a; i < b; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  return v;
}

/** ``py_count`` of the field at ``a``..``b`` of the line py_fields scanned last, by char code (ASCII digits). */
function py_count_at(a, b) {
  const codes = CODES;
  while (b - a > COUNT_DIGITS && codes[a] === 48) a++;
  if (b - a > COUNT_DIGITS) return COUNT_CAP;
  let v = 0;
  for (let i = a; i < b; i++) v = v * 10 + (codes[i] - 48);
  return v;
}

/** ``+line.slice(a - BASE, b - BASE)`` (the int of ASCII digits) by char code; the string only for a long or odd value. */
function py_int_at(line, a, b) {
  if (b - a > 15) return +line.slice(a - BASE, b - BASE);
  const codes = CODES;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = codes[i] - 48;
    if (c < 0 || c > 9) return +line.slice(a - BASE, b - BASE);
    v = v * 10 + c;
  }
  return v;
}
