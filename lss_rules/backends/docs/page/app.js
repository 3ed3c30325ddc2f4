// The page "Granska fil": choose a year and files, check them in a Web Worker, show the report.
// Nothing leaves the computer: the files are read by the worker in this browser; the only requests
// are for this site's own scripts (the year's generated validator, lss-YEAR.mjs).
const $ = (id) => document.getElementById(id);
// findings shown at a time ("Visa fler fynd" shows as many more; the filters reach any): a thousand blocks took
// 0.3 s of the page's thread to build and lay out, a few hundred fill several screens
const ROWS = 250;
const STATUS = { accepted: "godkänd", accepted_with_warnings: "godkänd med varningar", rejected: "ej godkänd" };
const SEVERITY = { error: "fel", warning: "varning" };

const root = $("lss-granska");
const rulesBase = new URL("../regler/", import.meta.url);
const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
let result = null; // the last report from the worker
let shown = ROWS;

const loading = new Map(); // year -> resolve, until the worker has imported that year's module

function loadYear(year) {
  // only the worker imports the year's module: the findings come from it masked or not, with their detail
  const inWorker = new Promise((resolve) => loading.set(year, resolve));
  worker.postMessage({ type: "load", year });
  return inWorker;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function setError(message) {
  const box = $("lss-error");
  box.hidden = !message;
  box.textContent = message || "";
}

function files() {
  return Array.from($("lss-files").files || []);
}

function updateChosen() {
  const chosen = files();
  $("lss-chosen").textContent = chosen.length
    ? `${chosen.length} ${chosen.length === 1 ? "fil vald" : "filer valda"}: ${chosen.map((f) => f.name).join(", ")}`
    : "Ingen fil vald.";
}

function check(event) {
  event.preventDefault();
  setError("");
  const chosen = files();
  if (!chosen.length) {
    setError("Välj minst en fil att granska.");
    $("lss-files").focus();
    return;
  }
  const deceased = ($("lss-deceased").files || [])[0] || null;
  $("lss-run").disabled = true;
  $("lss-progress").hidden = false;
  $("lss-bar").value = 0;
  $("lss-progress-text").textContent = "Granskar …";
  worker.postMessage({ type: "check", year: +$("lss-year").value, files: chosen, deceased });
}

worker.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "loaded") {
    if (loading.has(msg.year)) loading.get(msg.year)();
  } else if (msg.type === "progress") {
    $("lss-bar").value = msg.total ? msg.done / msg.total : 0;
    $("lss-progress-text").textContent = `Granskar … ${Math.floor((100 * msg.done) / Math.max(1, msg.total))} %`;
  } else if (msg.type === "report") {
    result = msg;
    result.listed = null; // the findings with their details: the worker sends them right after the report
    result.listedShown = null; // the findings with whole personnummer: asked for when the switch is turned
    result.askedShown = false;
    traces.clear(); // the traces of the report before
    $("lss-run").disabled = false;
    $("lss-bar").value = 1;
    $("lss-progress-text").textContent = `Klart på ${msg.seconds.toFixed(1)} s.`;
    showReport();
  } else if (msg.type === "listed") {
    if (result) {
      if (msg.show) result.listedShown = msg.listed;
      else result.listed = msg.listed;
      showFindings();
    }
  } else if (msg.type === "trace") {
    traceArrived(msg);
  } else if (msg.type === "json") {
    const url = URL.createObjectURL(msg.blob);
    const a = el("a", { href: url, download: "lss-rapport.json" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } else if (msg.type === "error") {
    $("lss-run").disabled = false;
    $("lss-progress").hidden = true;
    setError(`Granskningen kunde inte göras: ${msg.message}`);
  }
};
worker.onerror = (event) => {
  $("lss-run").disabled = false;
  setError(`Granskningen kunde inte göras: ${event.message || "fel i granskningen"}`);
};

/** "1 varning", "2 varningar": the number and the word that agrees with it (as the text report says). */
function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function showReport() {
  const r = result;
  $("lss-result").hidden = false;
  const records = r.files.reduce((a, f) => a + f.records, 0);
  const notListed = r.notListed || []; // counted, not listed: past the first of a rule in a file
  const more = (severity) => notListed.filter((m) => m.severity === severity).reduce((a, m) => a + m.count, 0);
  // each file's severities, in one pass over the findings (a filter per file was files x findings)
  const severities = r.files.map(() => new Set());
  let listedErrors = 0;
  for (const f of r.findings) {
    const severity = r.rules[f[0]][0];
    severities[f[1]].add(severity);
    if (severity === "error") listedErrors += 1;
  }
  const errors = listedErrors + more("error");
  const warnings = r.findings.length - listedErrors + more("warning");
  const status = $("lss-status");
  status.className = `lss-status lss-${r.status}`;
  status.textContent =
    `${r.year}: ${STATUS[r.status]} — ${plural(r.files.length, "fil", "filer")}, ` +
    `${plural(records, "post", "poster")}, ${errors} fel, ${plural(warnings, "varning", "varningar")}.`;
  // whole-file problems first, once per file: what is wrong with the file as a whole, and what to do
  const notes = r.hints.flatMap((messages, i) => messages.map((m) => `${r.files[i].path}: ${m}`));
  notes.push(...r.notes);
  for (const rule of r.notChecked) {
    notes.push(`Inte kontrollerat: ${rule} ${r.titles[rule] || ""} (ingen lista över avlidna angavs).`);
  }
  for (const m of notListed) {
    notes.push(`${m.file}: ${m.rule} har ${m.count} fynd till som inte listas (de första per regel och fil listas).`);
  }
  $("lss-notes").replaceChildren(...notes.map((n) => el("li", { text: n })));

  const perFile = $("lss-files-table").querySelector("tbody");
  perFile.replaceChildren(
    ...r.files.map((f, i) => {
      const sev = severities[i];
      for (const m of notListed) if (m.file === f.path) sev.add(m.severity);
      const st = sev.has("error") ? "rejected" : sev.has("warning") ? "accepted_with_warnings" : "accepted";
      return el("tr", {}, el("td", { "data-file": String(i) }), el("td", { text: String(f.records) }), el("td", { text: STATUS[st] }));
    }),
  );

  const counts = new Map();
  for (const f of r.findings) counts.set(f[0], (counts.get(f[0]) || 0) + 1);
  for (const m of notListed) counts.set(m.rule, (counts.get(m.rule) || 0) + m.count);
  const countRows = Object.keys(r.rules)
    .filter((rule) => counts.has(rule))
    .map((rule) =>
      el(
        "tr",
        {},
        el("td", {}, el("a", { href: new URL(`${rule}.html`, rulesBase).href, text: rule })),
        el("td", { text: r.titles[rule] || "" }),
        el("td", { text: SEVERITY[r.rules[rule][0]] }),
        el("td", { text: String(counts.get(rule)) }),
      ),
    );
  $("lss-counts").querySelector("tbody").replaceChildren(...countRows);
  $("lss-counts-none").hidden = countRows.length > 0;

  const ruleFilter = $("lss-filter-rule");
  ruleFilter.replaceChildren(
    el("option", { value: "", text: "alla regler" }),
    ...Object.keys(r.rules)
      .filter((rule) => counts.has(rule))
      .map((rule) => el("option", { value: rule, text: `${rule} (${counts.get(rule)})` })),
  );
  const fileFilter = $("lss-filter-file");
  fileFilter.replaceChildren(
    el("option", { value: "", text: "alla filer" }),
    ...r.files.map((f, i) => el("option", { value: String(i), "data-file": String(i) })),
  );
  shown = ROWS;
  showFindings();
  $("lss-result-heading").focus();
}

/** A file's name as the page shows it: as the report has it (a personnummer in it masked), or as chosen. */
function fileName(i) {
  return $("lss-show-pnr").checked ? result.names[i] : result.files[i].path;
}

function showFindings() {
  const r = result;
  if (!r) return;
  for (const node of document.querySelectorAll("#lss-granska [data-file]")) node.textContent = fileName(+node.dataset.file);
  const rule = $("lss-filter-rule").value;
  const file = $("lss-filter-file").value;
  const show = $("lss-show-pnr").checked;
  const listed = show ? r.listedShown : r.listed;
  if (listed === null) {
    if (show && !r.askedShown) {
      r.askedShown = true;
      worker.postMessage({ type: "listed", showPersonnummer: true }); // shown when the worker answers
    }
    $("lss-findings").replaceChildren();
    $("lss-findings-count").textContent = "Fynden förbereds …";
    $("lss-more").hidden = true;
    return;
  }
  const path = file === "" ? null : show ? r.names[+file] : r.files[+file].path;
  let rows = listed.filter((f) => (!rule || f.rule === rule) && (path === null || f.file === path));
  const byRule = $("lss-order").value === "rule";
  if (byRule) {
    const order = new Map(Object.keys(r.rules).map((id, i) => [id, i]));
    rows = rows.map((f, i) => [f, i]).sort((a, b) => order.get(a[0].rule) - order.get(b[0].rule) || a[1] - b[1]);
    rows = rows.map(([f]) => f);
  }
  // a heading before each group: the file (in file and line order) or the rule (by rule)
  const items = [];
  let group = null;
  for (const f of rows.slice(0, shown)) {
    const key = byRule ? f.rule : f.file;
    if (key !== group) {
      group = key;
      const text = byRule ? `${f.rule} ${r.titles[f.rule] || ""}` : `Fil ${f.file}`;
      items.push(el("li", { class: "lss-group" }, el("h4", { text })));
    }
    items.push(findingItem(f));
  }
  const list = document.createDocumentFragment();
  list.append(...items);
  $("lss-findings").replaceChildren(list);
  $("lss-findings-count").textContent =
    rows.length > shown ? `Visar ${shown} av ${rows.length} fynd.` : `${plural(rows.length, "fynd", "fynd")}.`;
  $("lss-more").hidden = rows.length <= shown;
}

/**
 * One finding as a short block that wraps at any width (a table of seven columns put the message
 * off-screen): the rule and its title, where (file, line, personnummer), and what was found and what
 * is expected, in the words of the JSON report's detail (its message when there is no detail).
 */
function findingItem(f) {
  const r = result;
  const where = [
    el("span", { class: "lss-finding-file", text: f.file }),
    el("span", { text: f.line === null ? "hela filen" : `rad ${f.line}` }),
  ];
  if (f.personnummer) where.push(el("span", { class: "lss-finding-pnr", text: f.personnummer }));
  return el(
    "li",
    { class: `lss-finding lss-finding-${f.severity}` },
    el(
      "p",
      { class: "lss-finding-head" },
      el("a", { href: new URL(`${f.rule}.html`, rulesBase).href, text: f.rule }),
      " ",
      el("strong", { text: r.titles[f.rule] || "" }),
      " ",
      el("span", { class: "lss-finding-severity", text: `(${SEVERITY[f.severity]})` }),
    ),
    el("p", { class: "lss-finding-where" }, ...where.flatMap((n, i) => (i ? [" · ", n] : [n]))),
    el("p", { class: "lss-finding-detail", text: f.text }),
    // "Så rättar du": the rule's text from the year's module (the spec's `fix`), never written here
    ...(f.fix ? [el("p", { class: "lss-finding-fix" }, el("strong", { text: "Så rättar du: " }), f.fix)] : []),
    traceBox(f),
  );
}

// ----------------------------------------------------------------------------------------- a finding's trace

// the traces asked of the worker: "index:show" -> the trace, or a list of the boxes waiting for it
const traces = new Map();

/**
 * A finding's trace behind a <details> (a button the keyboard reaches; the browser says open or closed): the
 * worker makes it only when it is opened, from the finding's line read again (issue 27) — the list stays as
 * quick to show as before, and a register of 80,000 lines makes no trace no one looks at.
 */
function traceBox(f) {
  const body = el("div", { class: "lss-trace-body" });
  const box = el("details", { class: "lss-trace" }, el("summary", { text: "Visa hur regeln prövades" }), body);
  const key = `${f.index}:${$("lss-show-pnr").checked}`;
  box.addEventListener("toggle", () => {
    if (!box.open || body.childNodes.length) return;
    const known = traces.get(key);
    if (known === undefined) {
      traces.set(key, [body]);
      worker.postMessage({ type: "trace", index: f.index, showPersonnummer: $("lss-show-pnr").checked, key });
      body.append(el("p", { text: "Spårningen förbereds …" }));
    } else if (Array.isArray(known)) {
      known.push(body);
      body.append(el("p", { text: "Spårningen förbereds …" }));
    } else {
      showTrace(body, known, f);
    }
  });
  box.lssFinding = f;
  return box;
}

function traceArrived(msg) {
  result.traceWords = msg.words;
  const waiting = traces.get(msg.key);
  traces.set(msg.key, msg.trace);
  for (const body of Array.isArray(waiting) ? waiting : []) showTrace(body, msg.trace, body.parentNode.lssFinding);
}

/** The trace in its box; ``data-when`` says whether the rule has a condition for the line (the guide's screenshot
 * shows such a trace). */
function showTrace(body, trace, f) {
  body.replaceChildren(...traceView(trace, f));
  body.dataset.when = trace && trace.when ? "true" : "false";
}

/** The state of a clause in words: the year's module's words (runtime.py's TRACE_WORDS, sent by the worker). */
function stateOf(clause) {
  const words = result.traceWords;
  if (clause.value === true) return ["lss-true", words.true];
  if (clause.value === false) return ["lss-false", words.false];
  return ["lss-unknown", clause.unknown === "malformed" ? words.malformed : words.empty];
}

// how an "and" or an "or" is said above its clauses: its own words repeat all of theirs (a check's "and" names
// every field of the line), so the list says only how they combine
const COMBINED = { and: "Alla dessa", or: "Minst en av dessa" };

/** A clause and its clauses as a nested list: its words, then its state; a test's derived values first. */
function clauseItem(clause) {
  const [cls, word] = stateOf(clause);
  const item = el("li", { class: "lss-clause" });
  for (const d of clause.derived || []) item.append(el("span", { class: "lss-derived", text: d }), el("br"));
  const said = COMBINED[clause.op] && clause.clauses && clause.clauses.length ? COMBINED[clause.op] : clause.words;
  item.append(said, " ", el("span", { class: `lss-state ${cls}`, text: `(${word})` }));
  if (clause.clauses && clause.clauses.length) item.append(el("ul", {}, ...clause.clauses.map(clauseItem)));
  return item;
}

/** The trace in plain Swedish: when the rule applies, what it requires, the values read, the other lines. */
function traceView(trace, f) {
  if (trace === null) return [el("p", { text: "Ingen spårning finns för det här fyndet." })];
  const out = [];
  if (trace.when) {
    out.push(el("p", { class: "lss-trace-part", text: "Regeln gäller raden när:" }), el("ul", {}, clauseItem(trace.when)));
  } else {
    out.push(el("p", { class: "lss-trace-part", text: "Regeln gäller varje rad." }));
  }
  if (trace.require) {
    out.push(el("p", { class: "lss-trace-part", text: "Det krävs att:" }), el("ul", {}, clauseItem(trace.require)));
  }
  if (trace.values && trace.values.length) {
    out.push(el("p", { class: "lss-trace-part", text: "Värden som regeln läste på raden:" }));
    out.push(
      el(
        "ul",
        { class: "lss-trace-values" },
        ...trace.values.map((v) =>
          el("li", { text: `${v.label}: ${v.state === "empty" ? "tomt" : `'${v.value}'`}${v.state === "malformed" ? " (felaktigt värde)" : ""}` }),
        ),
      ),
    );
  }
  if (trace.others && trace.others.length) {
    out.push(el("p", { class: "lss-trace-part", text: "Se också:" }));
    out.push(el("ul", {}, ...trace.others.map((o) => el("li", { text: `${o.file} rad ${o.line}` }))));
  }
  if (trace.source && trace.source.length) {
    out.push(el("p", {}, el("strong", { text: "Källa: " }), trace.source.join(", ")));
  }
  // "Så rättar du" stands above, under the finding; said here only when it is not there
  if (trace.fix && !f.fix) out.push(el("p", {}, el("strong", { text: "Så rättar du: " }), trace.fix));
  return out;
}

$("lss-form").addEventListener("submit", check);
$("lss-files").addEventListener("change", updateChosen);
$("lss-deceased").addEventListener("change", () => {
  const dead = ($("lss-deceased").files || [])[0];
  $("lss-dead-chosen").textContent = dead ? `Vald: ${dead.name}` : "Ingen fil vald.";
});
$("lss-year").addEventListener("change", () => {
  root.dataset.ready = "false";
  loadYear(+$("lss-year").value).then(() => (root.dataset.ready = "true"));
});
for (const id of ["lss-filter-rule", "lss-filter-file", "lss-order", "lss-show-pnr"]) {
  $(id).addEventListener("change", () => {
    shown = ROWS;
    showFindings();
  });
}
$("lss-more").addEventListener("click", () => {
  shown += ROWS;
  showFindings();
});
$("lss-download").addEventListener("click", () => {
  worker.postMessage({ type: "json", showPersonnummer: $("lss-show-pnr").checked });
});

const drop = $("lss-drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("lss-over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("lss-over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("lss-over");
  if (event.dataTransfer && event.dataTransfer.files.length) {
    $("lss-files").files = event.dataTransfer.files;
    updateChosen();
  }
});

loadYear(+$("lss-year").value).then(() => {
  root.dataset.ready = "true"; // the year's validator is loaded: the page works without the network
});
updateChosen();
