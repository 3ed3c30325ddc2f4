// The conformance runner's driver for a JavaScript validator (`lss-rules conformance run --module X.mjs`):
// one node process for a whole suite instead of one per vector.
//
//   node driver.mjs MODULE
//   stdin:  one JSON line per vector, {"folder": "...", "files": ["0114.txt", ...], "deceased": true|false}
//   stdout: {"year": YEAR} once the module is loaded, then one JSON line per vector, {"code": 0|1|2, "out": "<the JSON report>", "err": "<standard error>"}
//
// Each vector runs as `node MODULE --format json [--deceased deceased.txt] -- FILE...` would in its
// folder, through the module's own exports (report, emit, exit_code): the same report, byte for byte.
import readline from "node:readline";
import { pathToFileURL } from "node:url";

const path = process.argv[2];
const mod = await import(pathToFileURL(path).href);
const prog = path.split(/[\\/]/).pop();
for (const name of ["YEAR", "report", "emit", "exit_code", "read_deceased", "TITLES", "NOTES"]) {
  if (!(name in mod)) {
    process.stderr.write(`Error: ${prog} har ingen export ${name}; är det en modul från lss-rules compile --target js?\n`);
    process.exit(2);
  }
}

process.stdout.write(JSON.stringify({ year: mod.YEAR ?? null }) + "\n"); // loaded: the year it checks

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line) continue;
  const job = JSON.parse(line);
  let out = "";
  let err = "";
  let code;
  try {
    process.chdir(job.folder);
    const deceased = job.deceased ? mod.read_deceased("deceased.txt") : null;
    const report = mod.report(job.files, deceased, false, true);
    mod.emit(report, "json", mod.TITLES, mod.NOTES, (s) => (out += s));
    code = mod.exit_code(report, false);
  } catch (exc) {
    out = "";
    if (mod.InputError && exc instanceof mod.InputError) {
      code = 2;
      err = `${prog}: ${exc.message}\n`;
    } else {
      code = 1;
      err = `${(exc && exc.stack) || exc}\n`;
    }
  }
  process.stdout.write(JSON.stringify({ code, out, err }) + "\n");
}
