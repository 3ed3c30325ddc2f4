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
  if (extra !== null) Object.assign(out, extra);
  const trace = traceOf(raw, rule, fi, line, fields); // only with --explain (explain in trace.mjs)
  if (trace !== null) out.trace = trace;
  return out;
}

/**
 * ``rule`` -> its "Så rättar du" text (or null) from the year's detail table (``DETAILS.fixes``): the
 * text report and the page "Granska fil" say it under a rule's findings; the JSON report does not carry it.
 */
export function howToFix(details) {
  const fixes = details === null || details === undefined ? undefined : get(details, "fixes");
  return (rule) => (fixes === undefined || fixes === null ? null : get(fixes, rule) ?? null);
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
      const extra = raw.explained ? true : findingDetail(raw, rule, fi, line, fields);
      if (extra !== null) {
        // with details or a trace: as the indented encoder writes it, one level in
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

/**
 * A finding's fields as a reader knows them: by their labels in the report's language (the detail table's
 * ``labels``, the spec's ``short`` form, which may hold any character: printable), a field the table does
 * not name by its identifier.
 */
function saidFields(fields, details) {
  const labels = details === null || details === undefined ? undefined : get(details, "labels");
  if (labels === undefined || labels === null) return [...fields];
  return fields.map((name) => {
    const label = get(labels, name);
    return label === undefined || label === null ? name : printable(label);
  });
}

/** The report for people, as ``lss-rules validate`` writes it (``lang``: "sv" or "en"). */
export function renderText(report, titles, notes = [], lang = "sv") {
  const words = REPORT_WORDS[lang];
  const count = (n, key) => plural(n, ...words[key]);
  const plain = plainReport(report);
  // "Så rättar du", once per rule and file under the rule's message: the year's detail table holds the texts
  const details = report[RAW]?.details;
  const fixes = howToFix(details);
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
    if (f.fields.length) detail.push(saidFields(f.fields, details).join(", "));
    if (f.personnummer) detail.push(printable(f.personnummer));
    let text = `    ${where}` + (detail.length ? ": " + detail.join("; ") : "");
    if (f.detail) text += "\n      " + printable(f.detail);
    if (f.trace) text += "\n      " + printable(traceText(f.trace, lang));
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
      const fix = fixes(rule);
      if (fix) lines.push("    " + fmt(words.fix, { fix: printable(fix) }));
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

