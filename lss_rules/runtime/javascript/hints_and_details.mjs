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

/** Python's ``text.count(sep)``: non-overlapping occurrences, found without a string a field. */
function countOf(text, sep) {
  if (sep.length === 0) return text.length + 1;
  let n = 0;
  for (let at = text.indexOf(sep); at !== -1; at = text.indexOf(sep, at + sep.length)) n++;
  return n;
}

function wideEncoding(head) {
  const starts = (bom) => bom.every((b, i) => head[i] === b);
  if (head[0] === 0xff || head[0] === 0xfe || head[0] === 0) {
    // (a byte-order mark of UTF-16 or UTF-32 starts so: nearly every file is not asked four times)
    if (starts([0xff, 0xfe, 0, 0]) || starts([0, 0, 0xfe, 0xff])) return "UTF-32";
    if (starts([0xff, 0xfe]) || starts([0xfe, 0xff])) return "UTF-16";
  }
  const sample = head.subarray(0, 4096);
  if (sample.length >= 8 && sample.indexOf(0) !== -1) {
    // (a file with no NUL byte, nearly every one, is not counted byte by byte in the interpreter)
    let nul = 0;
    for (let i = 0; i < sample.length; i++) nul += sample[i] === 0 ? 1 : 0;
    if (nul * 8 >= sample.length * 5) return "UTF-32";
    if (nul * 8 >= sample.length * 3) return "UTF-16";
  }
  return null;
}

function bare(value) {
  return pyStrip(pyStrip(value).replace(/^["']+|["']+$/g, "")).toLowerCase();
}

function headOf(path) {
  const reader = sourceOf(path).open(HINT_BYTES);
  const parts = [];
  let size = 0;
  try {
    while (size < HINT_BYTES) {
      const chunk = reader.read();
      if (!chunk) break;
      parts.push(chunk.slice(0, HINT_BYTES - size));
      size += Math.min(chunk.length, HINT_BYTES - size);
    }
  } finally {
    reader.close?.(); // a file longer than the window: its descriptor is not left open (one a file, up to the limit)
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
  const plain = plainTest(separator, fields);
  return paths.map((path) => fileHints(path, separator, fields, lang, plain));
}

const HINT_TEXT = new TextDecoder("utf-8", { ignoreBOM: true }); // Python's errors="replace"

// a line that pyStrip makes empty (every character Python's whitespace)
const BLANK = new RegExp(`^[${[...PY_SPACE].map(unicodeEscape).join("")}]*$`);

function unicodeEscape(ch) {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * The test of a file's text that has no hint at all on the common path below (fileHints'), or null: no
 * quote in it, each of its first HINT_LINES lines blank or with every separator (``len(fields) - 1``), the
 * first that is not blank digits and separators only (no field name: a header line has one).  Regular
 * expressions (V8 runs them as native code from the first file on): for a separator of one character,
 * not CR (a line's CRs at its end are not counted), and fields none of which is named by digits alone.
 */
function plainTest(separator, fields) {
  const n = fields.length;
  if (separator.length !== 1 || separator === "\r" || n < 1) return null;
  if (fields.some((f) => /^[0-9]*$/.test(f.toLowerCase()))) return null;
  const sep = unicodeEscape(separator);
  const separated = new RegExp(`^(?:[^${sep}]*${sep}){${n - 1}}`);
  const digits = new RegExp(`^[0-9${sep}\\r]*$`);
  return (text) => {
    if (text.includes('"') || text.includes("'")) return false;
    let first = true;
    for (const line of text.split("\n", HINT_LINES)) {
      if (BLANK.test(line)) continue;
      if (!separated.test(line) || (first && !digits.test(line))) return false;
      first = false;
    }
    return true;
  };
}

function fileHints(path, separator, fields, lang, plain = null) {
  const state = file_state(path);
  if (state === null) return [];
  let head = typeof path === "string" ? keptHead(path, state) : null; // its start as first read, if unchanged
  if (head !== null) {
    STATED = null; // (the source file_state made is not read)
  } else {
    try {
      head = headOf(path);
    } catch {
      return [];
    }
  }
  const wide = wideEncoding(head);
  if (wide !== null) return [hint("encoding", lang, { encoding: wide })];
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) head = head.subarray(3);
  const text = HINT_TEXT.decode(head);
  if (plain !== null && plain(text)) return [];
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
  if (!text.includes('"') && !text.includes("'") && lines.every((line) => countOf(line, separator) >= n - 1)) {
    // the common case (as runtime.py): every line is separated as it should be and nothing is quoted
    const named = first.split(separator).map(bare).filter((v) => names.has(v));
    return named.length >= 2 ? [hint("header_line", lang, { names: named.slice(0, 3).join(", ") })] : [];
  }
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
  // the detail says a field by its label; a table without labels, by name
  const labels = get(details, "labels");
  const labelOf = (name) => (labels === undefined || labels === null ? name : get(labels, name) ?? name);
  const say = (name, value) =>
    value === ""
      ? fmt(words.empty, { field: labelOf(name) })
      : fmt(words.is, { field: labelOf(name), value: shown(name, value, details, show) });
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

