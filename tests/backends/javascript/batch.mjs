// Run many validations in one node process (the tests start node once per batch, not per case).
//
// stdin: a JSON list of jobs {module, files, names, deceased, show, format}; stdout: a JSON list of
// {out, code, error}: what ``node MODULE FILE... --format FORMAT`` prints and its exit code, computed
// through the module's own exports (files read a chunk at a time from disk, as the script does).
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const jobs = JSON.parse(fs.readFileSync(0, "utf-8"));
const modules = new Map();
const results = [];
for (const job of jobs) {
  if (!modules.has(job.module)) modules.set(job.module, await import(pathToFileURL(job.module).href));
  const mod = modules.get(job.module);
  try {
    const sources = job.files.map((p) => mod.nodeFileSource(fs, p));
    const deceased = job.deceased ? mod.readDeceased(mod.nodeFileSource(fs, job.deceased), job.deceased) : null;
    const report = mod.report(sources, { names: job.names, deceased, showPersonnummer: !!job.show });
    let out = "";
    if (job.format === "text") out = mod.renderText(report, mod.TITLES, mod.NOTES);
    else mod.writeJson(report, (s) => (out += s));
    results.push({ out, code: mod.exitCode(report, false), error: null });
  } catch (exc) {
    if (!(exc instanceof mod.InputError)) throw exc;
    results.push({ out: "", code: 2, error: exc.message });
  }
}
process.stdout.write(JSON.stringify(results));
