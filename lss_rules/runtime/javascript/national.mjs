// --------------------------------------------------------------------------- national rules

/** Add one file's flags per key (``here``: key -> bits) to those of the files before it. */
export function tally(here, seen, shared) {
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

/**
 * ``keep_first_lines(found, rule, fi, firstLines)``: runtime.py keeps, at the end of a file, the line each key of
 * the file's listed findings of a file-unique rule (LSS-R07) was first judged on, so that --explain need not look
 * for it.  The JavaScript explain (trace.mjs) reads every line of a file with such a finding again for the
 * unique rules' other lines and takes the first one from there: nothing to keep here.
 */
export function keep_first_lines(found, rule, fi, firstLines) {}

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

// a table sized from an estimate has at most 2**21 slots (32 MiB); past that it grows as it fills, by what it holds
const SIZED_BITS = 21;

/** The bytes of the lines a map's keys will come from: the lines of a file (iter_lines), or a list of files. */
function bytesFor(source) {
  if (source === null || source === undefined) return 0;
  if (Array.isArray(source)) {
    let bytes = 0;
    for (const path of source) bytes += knownBytes(path);
    return bytes;
  }
  return typeof source.bytes === "number" ? source.bytes : 0;
}

// the bytes of a line, as a table is sized for the lines of a file: a valid record of every year's layout has at
// least as many with its line end (2004-2006's, the shortest, 40; 2023's 47-55); a table for shorter lines grows
const KEY_LINE_BYTES = 40;

/** The bits of a table for the keys of ``bytes`` of lines: a key a line at most, three quarters full with as many. */
function sizedBits(bytes) {
  const keys = Math.ceil(bytes / KEY_LINE_BYTES);
  let bits = 4;
  while (bits < SIZED_BITS && 3 << bits < 4 * keys) bits++;
  return bits;
}

/**
 * A Map (the subset generated code uses: get, set, has, size, iteration in insertion order) for the
 * tallies of the national rules, whose keys are personnummer: a key of digits lives as a number in an
 * open-addressing table of typed arrays (no string kept, one probe a lookup); any other key in a Map.
 *
 * ``source``: the lines of a file (iter_lines) or the list of files whose keys it will hold, if their size is
 * known: its table is made for a key a line of them, so that it need not grow (each growth moves every key to a
 * new table: on the 80k register, the maps of the files grew 360 times and the national one 8 times, 193,000 keys
 * moved in all).  Without a size, it starts small (fresh memory costs a page fault a page) and grows.
 */
export class KeyMap {
  constructor(source = null) {
    const bytes = bytesFor(source);
    this.bits = bytes > 0 ? sizedBits(bytes) : 8;
    // slot i: table[2i] the key's code (0: empty; every code is at least 1e14), table[2i + 1] its value (bits):
    // side by side, a lookup in a big table touches one cache line
    this.table = new Float64Array(2 << this.bits);
    // the keys in insertion order: where a key of digits is in the table (2i: moved when the table grows), or
    // -1 - j for the j-th other key (others[j]); tallyInto and iteration read a key and its value there, no probe
    this.order = new Int32Array(1 << this.bits);
    this.count = 0;
    this.others = null; // the keys that are not digits, in insertion order, and their values (other)
    this.other = null;
    this.lastCode = -1; // hasKey remembers the slot it found
    this.lastAt = 0;
  }

  get size() {
    return this.count;
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
      if (this.other === null) {
        this.other = new Map();
        this.others = [];
      }
      if (!this.other.has(key)) {
        this.others.push(key);
        this.push(-this.others.length);
      }
      this.other.set(key, value);
    } else {
      this.setCode(code, value);
    }
    return this;
  }

  /** ``at`` (a slot, or -1 - j for others[j]) last in the insertion order. */
  push(at) {
    if (this.count === this.order.length) {
      const more = new Int32Array(2 * this.order.length);
      more.set(this.order);
      this.order = more;
    }
    this.order[this.count++] = at;
  }

  setCode(code, value) {
    const at = this.slot(code);
    if (this.table[at] === 0) this.insert(at, code, value);
    else this.table[at + 1] = value;
  }

  /** A new key into its empty slot at ``at``; where its slot is then. */
  insert(at, code, value) {
    this.lastCode = -1; // a slot filled (and the table perhaps grown): the slot remembered may be another key's now
    if ((this.count + 1) * 4 > 3 << this.bits) {
      // at most three quarters full: short probes, and a smaller table to fault in
      this.grow();
      at = this.slot(code);
    }
    this.push(at);
    this.table[at] = code;
    this.table[at + 1] = value;
    return at;
  }

  /** ``has(key)``, given ``code`` = digitKey(key) (py_key_at: read where the key lies in its line). */
  hasKey(code, key) {
    if (code < 0) return this.other !== null && this.other.has(key);
    const at = this.slot(code);
    this.lastCode = code; // the get of the same key that follows (the national rules) needs no second probe
    this.lastAt = at;
    return this.table[at] !== 0;
  }

  /** ``get(key)``, given ``code`` = digitKey(key). */
  getKey(code, key) {
    if (code < 0) return this.other === null ? undefined : this.other.get(key);
    const at = code === this.lastCode ? this.lastAt : this.slot(code);
    return this.table[at] === 0 ? undefined : this.table[at + 1];
  }

  /** ``set(key, value)``, given ``code`` = digitKey(key): the slot ``hasKey`` found for it, if it asked last. */
  putKey(code, key, value) {
    if (code < 0) return this.set(key, value);
    const at = code === this.lastCode ? this.lastAt : this.slot(code);
    if (this.table[at] === 0) this.insert(at, code, value);
    else this.table[at + 1] = value;
    return this;
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
    const at = this.slot(code);
    if (this.table[at] === 0) this.insert(at, code, bits);
    else this.table[at + 1] |= bits;
  }

  getCode(code) {
    const at = this.slot(code);
    return this.table[at] === 0 ? undefined : this.table[at + 1];
  }

  /** A table twice the size, every key of digits moved to its slot there (and its place in the order with it). */
  grow() {
    const old = this.table;
    this.bits++;
    this.table = new Float64Array(2 << this.bits);
    const table = this.table;
    const order = this.order;
    for (let i = 0; i < this.count; i++) {
      const from = order[i];
      if (from < 0) continue;
      const code = old[from];
      const at = this.slot(code);
      table[at] = code;
      table[at + 1] = old[from + 1];
      order[i] = at;
    }
  }

  *[Symbol.iterator]() {
    const order = this.order;
    for (let i = 0; i < this.count; i++) {
      const at = order[i];
      if (at >= 0) yield [keyText(this.table[at]), this.table[at + 1]];
      else {
        const k = this.others[-1 - at];
        yield [k, this.other.get(k)];
      }
    }
  }

  /** ``tally(this, seen, shared)`` without a string a key. */
  tallyInto(seen, shared) {
    // (an index, not for-of: no iterator to close, so a smaller function for TurboFan to compile in a first run)
    const order = this.order;
    const here = this.table;
    for (let i = 0; i < this.count; i++) {
      const from = order[i];
      if (from < 0) {
        const k = this.others[-1 - from];
        const bits = this.other.get(k);
        const before = seen.get(k) || 0;
        seen.set(k, before | bits);
        if (before & bits) shared.set(k, (shared.get(k) || 0) | (before & bits));
        continue;
      }
      const k = here[from];
      const bits = here[from + 1];
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

