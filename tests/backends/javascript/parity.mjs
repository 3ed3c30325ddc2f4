// Call the JavaScript runtime's functions on a batch of inputs in one node process (the parity tests).
//
// argv[2]: the runtime as a module (tests/backends/javascript/test_js_parity.py writes it: runtime_source()
// with its private findingDetails and pyRepr exported for the test); stdin: a JSON list of calls
// [name, ...args]; stdout: a JSON list of {value} or {error} (an InputError's message), one per call.
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const rt = await import(pathToFileURL(process.argv[2]).href);

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
};

const out = [];
for (const [name, ...args] of JSON.parse(fs.readFileSync(0, "utf-8"))) {
  try {
    const value = CALLS[name](...args);
    out.push({ value: value === undefined ? null : value });
  } catch (exc) {
    if (!(exc instanceof rt.InputError)) throw exc;
    out.push({ error: exc.message });
  }
}
process.stdout.write(JSON.stringify(out));
