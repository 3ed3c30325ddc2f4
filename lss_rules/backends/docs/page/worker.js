// The worker of the page "Granska fil": runs a year's validator (lss-YEAR.mjs, generated) off the
// page's thread.  Files are read a chunk at a time (FileReaderSync), never uploaded: nothing here
// makes a request except importing the year's module from this site.
const modules = new Map();
let last = null; // {mod, report}: the last report, for its JSON

function load(year) {
  if (!modules.has(year)) modules.set(year, import(`./lss-${year}.mjs`));
  return modules.get(year);
}

function fileSource(file, onBytes = null) {
  return {
    name: file.name,
    size: file.size,
    onBytes,
    open() {
      const reader = new FileReaderSync();
      let at = 0;
      return {
        read() {
          if (at >= file.size) return null;
          const chunk = new Uint8Array(reader.readAsArrayBuffer(file.slice(at, at + (1 << 20))));
          at += chunk.length;
          return chunk.length ? chunk : null;
        },
      };
    },
  };
}

/** The year's module builds the report of the last check, as `validate` does (`json`: for the download). */
function built({ mod, report, sources }, show, json) {
  return mod.build_report(
    report.year,
    sources,
    report.files.map((f) => f.records),
    report.findings,
    mod.RULES,
    report.not_checked,
    show,
    json,
    report.spec ?? null,
    report.files.map((f) => f.hints || []),
    mod.DETAILS,
  );
}

/** The report's findings as plain objects (the JSON report's), personnummer shown or masked. */
function detailed(last, show) {
  const { mod } = last;
  const plain = built(last, show, false);
  const fixOf = mod.howToFix(mod.DETAILS); // "Så rättar du", from the year's module
  return plain.findings.map((f, index) => ({
    index, // its place in the report: the trace of a finding opened on the page is asked for by it
    fix: fixOf(f.rule),
    rule: f.rule,
    severity: f.severity,
    file: f.file,
    line: f.line,
    fields: f.fields,
    personnummer: f.personnummer,
    text: f.detail || f.message,
  }));
}

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    if (msg.type === "load") {
      await load(msg.year);
      self.postMessage({ type: "loaded", year: msg.year });
    } else if (msg.type === "check") {
      const mod = await load(msg.year);
      const deceased = msg.deceased ? mod.read_deceased(fileSource(msg.deceased)) : null;
      const total = msg.files.reduce((a, f) => a + f.size, 0);
      let done = 0;
      let sent = 0;
      const onBytes = (n) => {
        done += n; // the national rules read some files twice: the bar stops at its end
        const now = Date.now();
        if (now - sent > 100) {
          sent = now;
          self.postMessage({ type: "progress", done: Math.min(done, total), total });
        }
      };
      const sources = msg.files.map((f) => fileSource(f, onBytes));
      const started = Date.now();
      const report = mod.report(sources, deceased, false, true);
      last = { mod, report, sources, deceased };
      // the verdict first: the status, the counts and the whole-file problems are shown while the findings'
      // details (what was found and what is expected, a second pass over the findings) are still being made
      self.postMessage({
        type: "report",
        seconds: (Date.now() - started) / 1000,
        year: report.year,
        status: report.status,
        files: report.files, // their paths as the report shows them (a personnummer-shaped run masked)
        names: msg.files.map((f) => f.name), // as chosen, for the switch that shows personnummer
        notChecked: report.not_checked,
        rules: Object.fromEntries(mod.RULES),
        titles: Object.fromEntries(mod.TITLES),
        notes: mod.NOTES,
        findings: Array.from(report.findings), // raw: [rule, file index, line, fields, personnummer]
        notListed: report.not_listed || [], // [{file, rule, severity, count}]: past the first LISTED of a rule in a file
        hints: report.files.map((f) => (f.hints || []).map((h) => h.message)), // whole-file problems, said once
      });
      // then the findings as the JSON report has them, sorted as in it, personnummer masked
      self.postMessage({ type: "listed", show: false, listed: detailed(last, false) });
    } else if (msg.type === "listed") {
      self.postMessage({ type: "listed", show: !!msg.showPersonnummer, listed: detailed(last, !!msg.showPersonnummer) });
    } else if (msg.type === "trace") {
      // one finding's trace, made when it is opened on the page (runtime's explain, as `validate --explain`)
      // the report explained once for each setting of the switch (its lines read again once), then a trace a finding
      const show = !!msg.showPersonnummer;
      last.explained ??= new Map();
      if (!last.explained.has(show)) last.explained.set(show, last.mod.explain(built(last, show, true), last.sources, last.deceased));
      const trace = last.mod.traceAt(last.explained.get(show), msg.index);
      self.postMessage({ type: "trace", key: msg.key, trace, words: last.mod.TRACE_WORDS.sv });
    } else if (msg.type === "json") {
      const shown = built(last, !!msg.showPersonnummer, true);
      const parts = [];
      last.mod.writeJson(shown, (s) => parts.push(s));
      self.postMessage({ type: "json", blob: new Blob(parts, { type: "application/json" }) });
    }
  } catch (exc) {
    self.postMessage({ type: "error", message: exc && exc.message ? exc.message : String(exc) });
  }
};
