// The fixed runtime of every JavaScript validator: reading bytes, personnummer, reports.
//
// The mirror of lss_rules/runtime/python.py, written by hand once and free of any rule, in parts: this one
// (errors), reading, national rules, personnummer, reports, traces, the command line, the starts of files
// kept from their first reading (speed only), hints and details, the API.
// lss_rules/backends/javascript/assemble.py joins them in that order (PARTS) and fills in the tables shared
// with runtime.py; the JavaScript backend copies the result verbatim into every generated module,
// followed by the year's rules printed from the IR (lss_rules/backends/javascript/printer.py).  It needs no
// Node and no browser API (node:fs is imported only when node runs it), so the same module runs in
// node, in a browser and in a Web Worker.  What a line, a personnummer or a report is must agree with
// the Python runtime to the byte: the differential test (tests/backends/javascript) compares the two.
// The names generated code calls (ir.RUNTIME_API: iter_lines, build_report, run_main, ...) are at
// the end, with Python's meaning.

// --------------------------------------------------------------------------- errors

/** An input cannot be read at all: the run cannot be made (exit code 2). */
export class InputError extends Error {}

export const EXIT_ACCEPTED = /* runtime.py */ null;
export const EXIT_REJECTED = /* runtime.py */ null;
export const EXIT_USAGE = /* runtime.py */ null;

// --------------------------------------------------------------------------- the operating system's errors

// errno name -> Swedish text: runtime.py's _STRERROR_SV (node's and the C library's texts are English)
const STRERROR_SV = /* runtime.py */ null;

/** ``runtime.os_error_text``: the reason of a system error in Swedish (STRERROR_SV), never node's English. */
export function osErrorText(exc) {
  const name = exc && typeof exc.code === "string" && /^E[A-Z0-9]+$/.test(exc.code) ? exc.code : null;
  if (name !== null && Object.hasOwn(STRERROR_SV, name)) return STRERROR_SV[name];
  return name !== null ? fmt(INPUT_MESSAGES.system_error, { name }) : INPUT_MESSAGES.system_error_unknown;
}

