// The worker of the page "Granska fil": runs a year's validator (lss-YEAR.mjs, generated) off the
// page's thread.  Files are read a chunk at a time (FileReaderSync), never uploaded: nothing here
// makes a request except importing the year's module from this site.
const modules = new Map();
let last = null; // {mod, report}: the last report, for its JSON

function load(year) {
  if (!modules.has(year)) modules.set(year, import(`./lss-${year}.mjs`));
  return modules.get(year);
}

function fileSource(file) {
  return {
    name: file.name,
    size: file.size,
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

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    if (msg.type === "load") {
      await load(msg.year);
      self.postMessage({ type: "loaded", year: msg.year });
    } else if (msg.type === "check") {
      const mod = await load(msg.year);
      let deceased = null;
      if (msg.deceased) deceased = mod.readDeceased(fileSource(msg.deceased), msg.deceased.name);
      let sent = 0;
      const onProgress = (fi, done, total) => {
        const now = Date.now();
        if (now - sent > 100) {
          sent = now;
          self.postMessage({ type: "progress", file: fi, done, total });
        }
      };
      const sources = msg.files.map(fileSource);
      const started = Date.now();
      const report = mod.report(sources, { names: msg.files.map((f) => f.name), deceased, onProgress });
      last = { mod, report };
      self.postMessage({
        type: "report",
        seconds: (Date.now() - started) / 1000,
        year: report.year,
        status: report.status,
        files: report.files,
        notChecked: report.not_checked,
        rules: mod.RULES,
        titles: mod.TITLES,
        notes: mod.NOTES,
        findings: report.findings, // raw: [rule, file index, line, fields, personnummer]
      });
    } else if (msg.type === "json") {
      const { mod, report } = last;
      const shown = mod.buildReport(
        report.year,
        report.files.map((f) => f.path),
        report.files.map((f) => f.records),
        report.findings,
        mod.RULES,
        report.not_checked,
        !!msg.showPersonnummer,
      );
      const parts = [];
      mod.writeJson(shown, (s) => parts.push(s));
      self.postMessage({ type: "json", blob: new Blob(parts, { type: "application/json" }) });
    }
  } catch (exc) {
    self.postMessage({ type: "error", message: exc && exc.message ? exc.message : String(exc) });
  }
};
