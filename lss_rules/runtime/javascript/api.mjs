// --------------------------------------------------------------------------- the API of generated code
//
// The names of lss_rules/backends/validator/ir.py's RUNTIME_API, with the meaning lss_rules/runtime/python.py gives them.
// A "path" is a file name (node) or a source (bytes, a browser File wrapped by the caller: see asSource).

// node's fs, or null outside node: process.getBuiltinModule where node has it (20.16 and later: at once), else a
// dynamic import (the first of a process costs about 2 ms of a run as users start it)
const NODE_FS =
  typeof process !== "undefined" && process.versions && process.versions.node
    ? (process.getBuiltinModule?.("node:fs") ?? (await import("node:fs")))
    : null;

// [path, source]: the node file file_state looked at last, for iter_lines to read without a second stat
let STATED = null;

// path -> its source as run_main's check of every input made it (its stat), not yet read: the first file_state
// or reading of the file takes it, not a stat more (on the 80k register, 290 of 1,160; the descriptor read is
// still checked with fstat when opened, and a second reading stats the file again)
const CHECKED = new Map();

/** The source of the node file ``path``: the one run_main's check made, if not yet taken, else a new stat. */
function nodeSource(path) {
  const checked = CHECKED.get(path);
  if (checked === undefined) return nodeFileSource(NODE_FS, path);
  CHECKED.delete(path);
  return checked;
}

function sourceOf(path) {
  if (typeof path === "string") {
    if (NODE_FS === null) throw new InputError(`${path}: filer läses med node; ge webbläsarens filer som källor`);
    if (STATED !== null && STATED[0] === path) {
      const source = STATED[1];
      STATED = null;
      return source;
    }
    return nodeSource(path);
  }
  return asSource(path);
}

/** The size of the input ``path`` as known without a stat more (run_main's check, a source's own), else 0. */
function knownBytes(path) {
  if (typeof path !== "string") return typeof path?.size === "number" ? path.size : 0;
  const source = CHECKED.get(path) ?? (STATED !== null && STATED[0] === path ? STATED[1] : undefined);
  return source === undefined ? 0 : source.size;
}

function nameOf(path) {
  return typeof path === "string" ? path : path.name;
}

/**
 * The decoded lines of a file (without line ends), an iterable reading a block at a time.  ``found``: the
 * run's findings (``Findings`` keeps its bound as they are pushed: nothing to do here, unlike runtime.py).
 */
export function iter_lines(path, found = null) {
  const source = keepingHead(path, sourceOf(path)); // its first bytes kept for the hints (heads.mjs)
  return {
    bytes: source.size ?? 0, // the file's size as known before it is read (a KeyMap for its keys is sized by it)
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
    const source = nodeSource(path); // its state is the one of its stat
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
    // every input exists and is a regular file, first (as Python's run_main); its source kept for its first reading
    CHECKED.clear();
    for (const path of [...args.files, ...(args.deceased !== null ? [args.deceased] : [])]) {
      CHECKED.set(path, nodeFileSource(NODE_FS, path));
    }
    const deceased = args.deceased !== null ? read_deceased(args.deceased) : null;
    result = report(args.files, deceased, args.showPersonnummer, true, null, args.lang);
    if (args.explain) result = explain(result, args.files, deceased); // the traces, and "contract": 2
  } catch (exc) {
    const why = exc instanceof InputError ? said(exc.message, args.showPersonnummer) : resourceMessage(exc);
    if (why === null) throw exc;
    process.stderr.write(`${prog}: ${why}\n`);
    return EXIT_USAGE;
  } finally {
    CHECKED.clear(); // a source not read (a run that failed) is not kept for a later call
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
// Generated code reads a field there by number (backends/javascript/field_reads.py): a typed array is read faster
// than a string (a slice of the file's text), and no string is made for a field that is only compared.
// For a line of an all-ASCII block (nearly all) CODES is the block's bytes, else a copy of the line.
// FIELD_ONE[i] is field i's char code when it is one UTF-16 unit long, else -1: a field tested against a
// code of one character ("0", "1", "2"; the most common test of a rule) is read once, not as a length and a
// char code (fewer reads a line for V8's interpreter and its compilers alike).
const FIELD_AT = new Int32Array(512);
const FIELD_ONE = new Int32Array(256);
let CODES = new Uint16Array(1 << 16);
let BASE = 0;
let SCRATCH = CODES; // a line is at most 64 KiB (MAX_LINE): longer only if given so

// the line iter_lines gave last, if it came from an all-ASCII block: its bytes and where it starts in them
let LINE = null;
let LINE_BYTES = null;
let LINE_AT = 0;

/**
 * ``len(text.split(sep))``, remembering in FIELD_AT where the first ``max`` pieces lie (and in FIELD_ONE the
 * code of each that is one unit long) and in CODES the text.
 */
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
  const one = FIELD_ONE;
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
          one[k] = i - start === 1 ? codes[start] : -1;
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
        one[k] = base + i - start === 1 ? codes[start] : -1;
      }
      k++;
      start = base + i + sep.length;
    }
  }
  if (k < max) {
    at[2 * k] = start;
    at[2 * k + 1] = end;
    one[k] = end - start === 1 ? codes[start] : -1;
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
