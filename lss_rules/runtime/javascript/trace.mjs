// --------------------------------------------------------------------------- traces (--explain, issue 27)
// runtime.py's trace interpreter and object builder (finding_trace, trace_text, explain): a rule's entry of
// the year's trace table (DETAILS.traces, made by lss_rules/meaning/trace.py) evaluated three-valued (Kleene)
// on a finding's line.  No rule and no sentence here: the clauses' words and the templates of derived values
// come from the table, the few fixed words from runtime.py (TRACE_WORDS, TRACE_CONTRACT).

export const TRACE_WORDS = /* runtime.py */ null;
const TRACE_CONTRACT = /* runtime.py */ null;

function wellFormed(kind, text, details, name) {
  if (kind === "flag") return text === "0" || text === "1";
  if (kind === "count") return py_isdigits(text);
  if (kind === "personnummer") return text.length === 12 && py_isdigits(text);
  if (kind === "municipality") return py_in(text, get(details, "codes"));
  if (!py_isdigits(text)) return false;
  const codes = get(get(details, "enums"), name);
  return codes !== undefined && codes !== null && py_in(py_count(text), codes);
}

/** ``runtime.TraceLine``: a line's fields as the interpreter reads them (text, value, state). */
class TraceLine {
  constructor(parts, details, deceased = null) {
    const names = get(details, "fields");
    this.text = new Map();
    for (let i = 0; i < Math.min(names.length, parts.length); i++) this.text.set(names[i], parts[i]);
    this.details = details;
    this.deceased = deceased;
    this.year = get(details, "year");
    const [y, m, d] = get(details, "reference_date");
    this.reference = ymd(y, m, d);
  }

  /** "value", "empty" or "malformed". */
  state(name) {
    const text = this.text.get(name) ?? "";
    if (text === "") return "empty";
    return wellFormed(get(get(this.details, "kinds"), name), text, this.details, name) ? "value" : "malformed";
  }

  /** The field's value (a number for flags, codes and counts, else its text); null when empty or malformed. */
  value(name) {
    if (this.state(name) !== "value") return null;
    const text = this.text.get(name);
    const kind = get(get(this.details, "kinds"), name);
    if (kind === "count" || kind === "flag" || kind === "enum") return py_count(text);
    return text;
  }

  /** The date of death ("YYYYMMDD") on or before the reference date; null: alive, unknown or no list given. */
  died(name) {
    const pnr = this.value(name);
    const died = pnr === null || this.deceased === null ? undefined : get(this.deceased, pnr);
    return died !== undefined && died !== null && died <= this.reference ? died : null;
  }
}

function kleeneAnd(values) {
  if (values.includes(false)) return false;
  return values.includes(null) ? null : true;
}

function kleeneOr(values) {
  if (values.includes(true)) return true;
  return values.includes(null) ? null : false;
}

const TRACE_CMP = {
  "=": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

/** ``runtime.trace_eval``: one expression node of the table on a line (null: unknown). */
function traceEval(x, line) {
  const k = get(x, "k");
  if (k === "int" || k === "str") return get(x, "v");
  if (k === "field") return line.value(get(x, "field"));
  if (k === "present") return (line.text.get(get(x, "field")) ?? "") !== "";
  if (k === "count") return get(x, "members").filter((name) => line.value(name) === 1).length;
  if (k === "and" || k === "or") {
    const both = [traceEval(get(x, "left"), line), traceEval(get(x, "right"), line)];
    return k === "and" ? kleeneAnd(both) : kleeneOr(both);
  }
  if (k === "not") {
    const v = traceEval(get(x, "value"), line);
    return v === null ? null : !v;
  }
  if (k === "member") {
    const v = traceEval(get(x, "value"), line);
    return v === null ? null : get(x, "options").includes(v);
  }
  if (k === "age" || k === "birth_year" || k === "valid" || k === "deceased") {
    const pnr = line.value(get(x, "field"));
    if (pnr === null || (k === "deceased" && line.deceased === null)) return null;
    if (k === "valid") return personnummerChecker(line.reference)(pnr);
    if (k === "deceased") return line.died(get(x, "field")) !== null;
    const born = +pnr.slice(0, 4);
    return k === "age" ? line.year - born : born;
  }
  if (k === "between") {
    const [v, low, high] = ["value", "low", "high"].map((key) => traceEval(get(x, key), line));
    return v === null || low === null || high === null ? null : low <= v && v <= high;
  }
  const a = traceEval(get(x, "left"), line);
  const b = traceEval(get(x, "right"), line);
  if (a === null || b === null) return null;
  if (k === "arith") return get(x, "op") === "+" ? a + b : a - b;
  return TRACE_CMP[get(x, "op")](a, b); // "cmp"
}

/** Every clause's value of ``node`` and under it, in pre-order, into ``out``; the node's value. */
function clauseValues(node, line, out) {
  if (node === null || node === undefined) return null;
  const at = out.length;
  out.push(null);
  const op = get(node, "op");
  if (op === "test") {
    out[at] = traceEval(get(node, "expr"), line);
  } else {
    const values = get(node, "clauses").map((child) => clauseValues(child, line, out));
    if (op === "not") out[at] = values[0] === null ? null : !values[0];
    else out[at] = op === "and" ? kleeneAnd(values) : kleeneOr(values);
  }
  return out[at];
}

function traceDerived(items, line, details) {
  const out = [];
  const labels = get(details, "labels");
  for (const d of items) {
    const k = get(d, "k");
    if (k === "count") {
      const members = get(d, "members");
      const on = members.filter((n) => line.value(n) === 1).map((n) => get(labels, n) ?? n);
      out.push(fmt(get(d, on.length ? "set" : "text"), { n: on.length, total: members.length, fields: on.join(", ") }));
      continue;
    }
    const pnr = line.value(get(d, "field"));
    if (pnr === null || (k === "deceased" && line.deceased === null)) continue;
    const born = +pnr.slice(0, 4);
    if (k === "age") out.push(fmt(get(d, "text"), { age: line.year - born, year: line.year, born }));
    else if (k === "birth_year") out.push(fmt(get(d, "text"), { born }));
    else if (k === "valid") out.push(get(d, personnummerChecker(line.reference)(pnr) ? "text" : "no"));
    else {
      const died = line.died(get(d, "field"));
      const date = died === null ? null : `${died.slice(0, 4)}-${died.slice(4, 6)}-${died.slice(6, 8)}`;
      out.push(died === null ? get(d, "no") : fmt(get(d, "text"), { date }));
    }
  }
  return out;
}

function traceClause(node, values, line, details) {
  const value = values.next().value;
  let unknown = null;
  if (value === null && line !== null) {
    for (const name of get(node, "reads")) {
      const state = line.state(name);
      if (state !== "value") {
        unknown = state;
        break;
      }
    }
  }
  const op = get(node, "op");
  const out = { op, words: get(node, "words"), value, unknown };
  if (op === "test") out.derived = line !== null ? traceDerived(get(node, "derived"), line, details) : [];
  else out.clauses = get(node, "clauses").map((child) => traceClause(child, values, line, details));
  return out;
}

function traceTest(words, derived = []) {
  return { op: "test", words, value: false, unknown: null, derived: [...derived] };
}

/** ``runtime.trace_object``: the trace of a finding from its clauses' values (``[when's, require's]``). */
function traceObject(entry, values, parts, details, rule, show = false, deceased = null, extra = {}) {
  const line = Array.isArray(parts) ? new TraceLine(parts, details, deceased) : null;
  const labels = get(details, "labels");
  const shown = get(entry, "reads").map((name) => {
    const text = line !== null ? line.text.get(name) ?? "" : "";
    return {
      field: name,
      label: get(labels, name) ?? name,
      value: show ? text : masked(name, text, details),
      state: line !== null ? line.state(name) : "empty",
    };
  });
  const when = get(entry, "when");
  const require = get(entry, "require");
  const out = {
    rule,
    fired: extra.fired ?? true,
    skipped: extra.skipped ?? null,
    when: when === null || when === undefined ? null : traceClause(when, values[0][Symbol.iterator](), line, details),
    require:
      extra.require ??
      (require === null || require === undefined ? null : traceClause(require, values[1][Symbol.iterator](), line, details)),
    values: shown,
    source: [...get(entry, "source")],
    fix: get(entry, "fix") ?? null,
  };
  if (get(entry, "kind") === "unique") out.others = [...(extra.others ?? [])];
  return out;
}

/** The ``require`` of a check's trace: one false test per field the finding names (S01, S05: one). */
function checkRequire(kind, entry, fields, parts, details) {
  if (kind === "empty_file") return traceTest(get(entry, "words"));
  if (kind === "field_count") {
    const n = typeof parts === "number" ? parts : parts.length;
    return traceTest(get(details, "layout"), [fmt(DETAIL_WORDS[get(details, "lang")].fields, { n })]);
  }
  const texts = get(details, { value_form: "form", required_value: "required", empty_value: "empty" }[kind]);
  const labels = get(details, "labels");
  const tests = fields.map((n) => traceTest(`${get(labels, n) ?? n} ${get(texts, n) ?? ""}`));
  if (tests.length === 1) return tests[0];
  return { op: "and", words: tests.map((t) => t.words).join("; "), value: false, unknown: null, clauses: tests };
}

/**
 * ``runtime.finding_trace``: the trace of one finding of a validator, or null (no table entry, or its line was
 * not read again).  ``parts``: the line's fields (their number for LSS-S01, null for a whole-file finding);
 * ``deceased``: personnummer -> "YYYYMMDD"; ``others``: a unique rule's other lines, [{file, line}].
 */
export function findingTrace(rule, fields, parts, details, show = false, deceased = null, others = null) {
  const table = get(details, "traces");
  let entry = table === undefined || table === null ? undefined : get(table, rule);
  if (entry === undefined || entry === null) return null;
  const kind = get(entry, "kind");
  if (kind === "rule") {
    if (!Array.isArray(parts)) return null;
    const line = new TraceLine(parts, details, deceased);
    const values = [[], []];
    clauseValues(get(entry, "when"), line, values[0]);
    clauseValues(get(entry, "require"), line, values[1]);
    return traceObject(entry, values, parts, details, rule, show, deceased);
  }
  let require;
  if (kind === "unique") require = traceTest(get(entry, "words"));
  else {
    entry = new Map([...(entry instanceof Map ? entry : Object.entries(entry))]);
    entry.set("reads", kind === "field_count" || kind === "empty_file" ? [] : [...fields]);
    require = checkRequire(kind, entry, fields, parts, details);
  }
  return traceObject(entry, [[], []], parts, details, rule, show, deceased, { require, others });
}

/** What was derived in a clause and under it (a ``not`` is said as one clause, with its tests' values). */
function allDerived(clause) {
  if (clause.op === "test") return clause.derived;
  const out = [];
  for (const child of clause.clauses) for (const d of allDerived(child)) if (!out.includes(d)) out.push(d);
  return out;
}

/** ``runtime.trace_text``: the "Spårning:" line of a finding: its tests (what was derived before each), "Se också". */
export function traceText(trace, lang = "sv") {
  const words = TRACE_WORDS[lang];
  const pieces = [];
  const walk = (clause) => {
    if (clause === null || clause === undefined) return;
    if (clause.op === "and" || clause.op === "or") {
      for (const child of clause.clauses) walk(child);
      return;
    }
    pieces.push(...allDerived(clause));
    const value = clause.value;
    const said = value === null ? words[clause.unknown || "unknown"] : words[value ? "true" : "false"];
    pieces.push(`${clause.words} (${said})`);
  };
  walk(trace.when);
  walk(trace.require);
  if (trace.others && trace.others.length) {
    const at = trace.others.map((o) => fmt(words.at, { file: o.file, line: o.line })).join(", ");
    pieces.push(`${words.also}: ${at}`);
  }
  return `${words.label}: ` + pieces.join(" · ");
}

/** ``runtime._judged``: the line was judged by the unique rule (no value it needs empty, no flag it reads malformed). */
function judged(row, entry) {
  return (
    get(entry, "needed").every((n) => row.get(n)) && get(entry, "members").every((n) => ["0", "1", ""].includes(row.get(n)))
  );
}

/** The findings of a report's list (compact or not) that ``keep``, as ``[rule, fi, line, fields, pnr]``. */
function pick(items, keep) {
  const compact = items instanceof Findings;
  const out = [];
  for (let i = 0; i < items.length; i++) {
    const item = compact ? items.at(i) : items[i];
    if (keep(item)) out.push(item);
  }
  return out;
}

/** ``runtime._unique_lines``: "rule\0fi:line" -> the "others" of each unique rule's finding, from the files read again. */
function uniqueLines(items, raw, paths) {
  const details = raw.details;
  const traces = get(details, "traces");
  const fields = get(details, "fields");
  const unique = (rule) => {
    const entry = get(traces, rule);
    return entry !== undefined && entry !== null && get(entry, "kind") === "unique";
  };
  const wanted = pick(items, (item) => unique(item[0]) && item[2]);
  const keys = [...new Set(wanted.map((item) => item[4]).filter((key) => key))]; // the personnummer the findings carry
  const seen = new Map(); // file index -> its lines that hold a wanted key: [line, fields by name]
  for (let fi = 0; fi < (wanted.length ? paths.length : 0); fi++) {
    if (file_state(paths[fi]) === null) continue; // a pipe: read once only
    try {
      let n = 0;
      for (const text of iter_lines(paths[fi])) {
        n++;
        if (!keys.some((key) => text.includes(key))) continue;
        const parts = text.split(get(details, "separator"));
        if (parts.length !== fields.length) continue; // a line with LSS-S01 was not judged
        if (!seen.has(fi)) seen.set(fi, []);
        seen.get(fi).push([n, new Map(fields.map((name, i) => [name, parts[i]]))]);
      }
    } catch (exc) {
      if (!(exc instanceof InputError)) throw exc;
    }
  }
  const others = new Map();
  const files = [...seen.keys()].sort((a, b) => a - b);
  for (const [rule, fi, line, named, pnr] of wanted) {
    const entry = get(traces, rule);
    const byFile = get(entry, "scope") === "file";
    const flags = named.filter((name) => get(entry, "members").includes(name));
    let at = [];
    for (const fj of files) {
      for (const [n, row] of seen.get(fj)) {
        if (row.get(get(entry, "key")) !== pnr || !judged(row, entry)) continue;
        if (byFile ? fj === fi && n < line : fj !== fi && flags.some((f) => row.get(f) === "1")) at.push([fj, n]);
      }
    }
    if (byFile) at = at.slice(0, 1); // LSS-R07: the first line with the key
    others.set(`${rule}\0${fi}:${line}`, at.map(([fj, n]) => ({ file: raw.paths[fj], line: n })));
  }
  return others;
}

/**
 * ``runtime.explain``: every finding of a report (built lazily, ``build_report(..., lazy = true)``) gets its
 * ``trace`` (``--explain``), and the report ``"contract": 2``, first.  ``paths``: the files as given (read
 * again for the lines of findings that have no detail, and for the unique rules' other lines).
 */
export function explain(report, paths, deceased = null) {
  const raw = report[RAW];
  if (raw && raw.details !== null && raw.details !== undefined) {
    const traces = get(raw.details, "traces");
    if (traces !== undefined && traces !== null) {
      if (!raw.lines) raw.lines = new Map();
      // the lines of findings that have no detail (LSS-R02, the unique rules): read again now
      const missing = pick(report.findings, (f) => f[2] && get(traces, f[0]) && !raw.lines.has(`${f[1]}:${f[2]}`));
      if (missing.length) {
        const table = raw.details instanceof Map ? Object.fromEntries(raw.details) : raw.details;
        for (const [at, parts] of detailLines(missing, paths, { ...table, checks: {}, rules: traces })) raw.lines.set(at, parts);
      }
      raw.explained = { deceased, others: uniqueLines(report.findings, raw, paths) };
    }
  }
  return { contract: TRACE_CONTRACT, ...report };
}

/** The trace of a finding of the report (``runtime.Findings.trace``), or null. */
function traceOf(raw, rule, fi, line, fields) {
  if (!raw.explained) return null;
  const parts = raw.lines.get(`${fi}:${line}`);
  if (line !== null && parts === undefined) return null; // its line was not read again
  const others = raw.explained.others.get(`${rule}\0${fi}:${line}`) ?? null;
  return findingTrace(rule, fields, parts ?? null, raw.details, raw.showPersonnummer, raw.explained.deceased, others);
}

/** The trace of the ``i``-th finding of a report ``explain`` gave (the page: one finding, when it is opened). */
export function traceAt(report, i) {
  const raw = report[RAW];
  const items = report.findings;
  if (!raw || i < 0 || i >= items.length) return null;
  const [rule, fi, line, fields] = items instanceof Findings ? items.at(i) : items[i];
  return traceOf(raw, rule, fi, line, fields);
}
