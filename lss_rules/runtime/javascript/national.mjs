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

