// Run many validations in one node process (the tests start node once per batch, not per case).
//
// stdin: a JSON list of jobs {module, cwd, files, deceased, show, format, explain}; stdout: a JSON list of
// {out, code, error}: what ``node MODULE FILE... --format FORMAT [--explain]`` prints in ``cwd`` and its exit
// code, through the module's own exports (files read from disk a chunk at a time, as the script does).
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const jobs = JSON.parse(fs.readFileSync(0, "utf-8"));
const modules = new Map();
const results = [];
for (const job of jobs) {
  if (!modules.has(job.module)) modules.set(job.module, await import(pathToFileURL(job.module).href));
  const mod = modules.get(job.module);
  if (job.cwd) process.chdir(job.cwd);
  try {
    const deceased = job.deceased ? mod.read_deceased(job.deceased) : null;
    let report = mod.report(job.files, deceased, !!job.show, true);
    if (job.explain) report = mod.explain(report, job.files, deceased); // the traces, "contract": 2
    let out = "";
    mod.emit(report, job.format, mod.TITLES, mod.NOTES, (s) => (out += s));
    results.push({ out, code: mod.exit_code(report, false), error: null });
  } catch (exc) {
    if (!(exc instanceof mod.InputError)) throw exc;
    results.push({ out: "", code: 2, error: exc.message });
  }
}
process.stdout.write(JSON.stringify(results));
