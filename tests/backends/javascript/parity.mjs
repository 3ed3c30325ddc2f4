// Call the JavaScript runtime's functions on a batch of inputs in one node process: the Python tests draw the
// inputs (Hypothesis) and compare each result with runtime.py's (test_js_parity.py, test_js_runtime.py,
// test_js_findings.py, test_capped_findings.py; the fixture js_calls in conftest.py starts this).
//
// argv[2]: the assembled runtime (tests/conftest.py's runtime_mjs; its private findingDetails and pyRepr exported
// here); stdin: a JSON list of calls [name, ...args]; stdout: a JSON list of {value} or {error} (an InputError's
// message), one per call.
import { importWith, stdinJson } from "./under_test.mjs";

const rt = await importWith(process.argv[2], ["findingDetails as finding_details", "pyRepr as quoted"]);

const plain = (x) => (x instanceof Map ? Object.fromEntries([...x].map(([k, v]) => [k, plain(v)])) : x);

/** A run's report as runtime.build_report makes it (``lazy``), then as JSON and as text. */
function report({ year, paths, records, findings, rules, notChecked, show, spec, hints, details, listed, titles, notes, lang }) {
  let raw = findings;
  if (listed !== null) {
    raw = new rt.Findings(listed);
    for (const f of findings) raw.push(f);
  }
  const built = rt.build_report(year, paths, records, raw, rules, notChecked, show, true, spec, hints, details);
  return { json: rt.reportJson(built), text: rt.renderText(built, titles, notes, lang) };
}

/** Findings pushed into the store, kept whole (listed: null) or to a bound: what it gives back and counts. */
function store(findings, listed, rules, paths, show) {
  const kept = new rt.Findings(listed ?? Infinity);
  for (const f of findings) kept.push(f);
  const json = (items) => rt.reportJson(rt.buildReport(2023, paths, paths.map(() => 1), items, rules, [], show));
  return {
    length: kept.length,
    back: Array.from(kept),
    mapped: kept.map((f) => f),
    more: kept.notListed(rules),
    // the report of the store as the report of the plain list (with every finding kept)
    json: listed === null ? [json(findings), json(kept)] : null,
    plain: listed === null ? rt.plainReport(rt.buildReport(2023, paths, paths.map(() => 1), kept, rules, [], show)).findings : null,
  };
}

const CALLS = {
  hints: (path, separator, fields, lang) => rt.hints_of([path], separator, fields, lang)[0],
  details: (rule, fields, parts, details, show) => rt.finding_details(rule, fields, parts, details, show),
  report,
  mask: (text) => rt.mask(text),
  mask_text: (text) => rt.maskText(text),
  printable: (text) => rt.printable(text),
  quoted: (text) => rt.quoted(text),
  deceased: (path) => plain(rt.read_deceased(path)),
  personnummer: (pnr, ymd) => rt.personnummerChecker(ymd)(pnr),
  os_error_text: (exc) => rt.osErrorText(exc),
  store,
  // a finding's trace (--explain) and its "Spårning:" line; deceased: personnummer -> "YYYYMMDD" (a plain object)
  trace: (rule, fields, parts, details, show, deceased, others, lang) => {
    const trace = rt.findingTrace(rule, fields, parts, details, show, deceased, others);
    return { trace, text: trace === null ? null : rt.traceText(trace, lang) };
  },
};

const out = [];
for (const [name, ...args] of stdinJson()) {
  try {
    const value = CALLS[name](...args);
    out.push({ value: value === undefined ? null : value });
  } catch (exc) {
    if (!(exc instanceof rt.InputError)) throw exc;
    out.push({ error: exc.message });
  }
}
process.stdout.write(JSON.stringify(out));
