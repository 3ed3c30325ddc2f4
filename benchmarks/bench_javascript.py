"""Benchmark of the JavaScript validator (``lss-rules compile --target js``) in node, beside Python's.

    python benchmarks/bench_javascript.py [--quick]

The registers are those of ``bench_validate.py`` (2023, about 80,000 records in
290 files, and 1,000,000 records).  Prints:

- rows/s of the JavaScript module in node and of the compiled Python module, in
  their own process, reading the files from disk, on both registers, with the CPU
  seconds beside the wall-clock ones (on a shared machine the wall clock says more
  about the neighbours than about the code): Python best of three (one on 1M);
  JavaScript best of twenty (three on 1M) in one node process, with the median of the
  warm runs, and its first, cold run apart (V8 compiles the hot functions during it);
- end to end and peak memory (max RSS) of ``node lss-2023.mjs FILE... --format json``
  on the 1M register, beside ``lss-rules validate``'s.

Targets (issue 14): JavaScript >= 1,500,000 rows/s; 1M records under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import best_of, machine, register_2023, write_register

TIMER = """
import fs from "node:fs";
import { pathToFileURL } from "node:url";
const [module, list] = process.argv.slice(2);
const mod = await import(pathToFileURL(module).href);
const paths = JSON.parse(fs.readFileSync(list, "utf-8"));
const runs = +process.argv[4];
let best = Infinity, cpu = Infinity, findings = 0, first = 0;
const warm = [];
for (let i = 0; i < runs; i++) {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  const [, found] = mod.validate(paths);
  const took = Number(process.hrtime.bigint() - t) / 1e9;
  if (i === 0) first = took;
  else warm.push(took);
  best = Math.min(best, took);
  const used = process.cpuUsage(c); // every thread of node: V8 compiles and collects beside the main one
  cpu = Math.min(cpu, (used.user + used.system) / 1e6);
  findings = found.length;
}
warm.sort((a, b) => a - b);
const median = warm.length ? warm[warm.length >> 1] : first;
process.stdout.write(JSON.stringify({ seconds: best, cpu, findings, first, median }));
"""

#: runs of validate() in one node process: the first one cold (V8 compiles the module's functions as they get
#: hot), the best one warm (what a long-lived process, the page's worker checking a second file, gets).  On 80k
#: V8 takes about a dozen runs to settle (functions optimised, deoptimised once, optimised again): twenty runs
RUNS = {"80k": 20, "1M": 3}


def run_measured(cmd: list[str], cwd: str) -> tuple[float, int, float]:
    """Seconds, exit code and peak RSS (MB) of one process, its output thrown away."""
    t = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed (exit {code}): {proc.stderr.read().decode() if proc.stderr else ''}")
    return took, code, usage.ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the 1,000,000-record register")
    args = ap.parse_args()
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise SystemExit("node saknas: installera Debians nodejs (scripts/test gör det)")

    from lss_rules.backends.javascript.to_javascript import to_javascript
    from lss_rules.backends.python.cache import load_validator
    from lss_rules.language.load import load_spec

    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"machine: {machine()}; node {version}", flush=True)
    ym = load_spec().for_year(2023)
    reg = register_2023(ym)
    n = sum(len(v) for v in reg.files.values())

    with tempfile.TemporaryDirectory() as tmp:
        module = Path(tmp) / "lss-2023.mjs"
        module.write_text(to_javascript(ym), encoding="utf-8")
        (Path(tmp) / "timer.mjs").write_text(TIMER, encoding="utf-8")
        mod = load_validator(2023)
        registers = [("80k", write_register(reg.files, Path(tmp) / "80k"), n)]
        if not args.quick:
            copies = -(-1_000_000 // n)
            big = write_register(reg.files, Path(tmp) / "1m", copies=copies, limit=1_000_000)
            registers.append(("1M", big, 1_000_000))
        for label, paths, rows in registers:
            listing = Path(tmp) / f"{label}.json"
            listing.write_text(json.dumps(paths), encoding="utf-8")
            out = subprocess.run(
                [node, str(Path(tmp) / "timer.mjs"), str(module), str(listing), str(RUNS[label])],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            js = json.loads(out)
            cpu0 = time.process_time()
            py = best_of(3 if label == "80k" else 1, lambda paths=paths: mod.validate(paths))
            py_cpu = (time.process_time() - cpu0) / (3 if label == "80k" else 1)
            print(
                f"{label} ({rows:,} records, {len(paths)} files, {js['findings']:,} findings): "
                f"JavaScript {rows / js['seconds']:,.0f} rows/s (best of {RUNS[label]}: {js['seconds']:.3f} s; "
                f"CPU {js['cpu']:.3f} s; median of the warm runs {js['median']:.3f} s = {rows / js['median']:,.0f} "
                f"rows/s; the first, cold run {js['first']:.3f} s = {rows / js['first']:,.0f} rows/s), "
                f"Python {rows / py:,.0f} rows/s ({py:.3f} s; CPU {py_cpu:.3f} s), {py / js['seconds']:.1f}x",
                flush=True,
            )
        if not args.quick:
            big = registers[-1][1]
            took, code, peak = run_measured([node, str(module), *big, "--format", "json"], tmp)
            print(f"node lss-2023.mjs, 1,000,000 records: {took:.1f} s end to end, exit {code}, peak RSS {peak:.0f} MB")
            cli = [sys.executable, "-m", "lss_rules", "validate", *big, "--year", "2023", "--format", "json"]
            took, code, peak = run_measured(cli, tmp)
            print(
                f"lss-rules validate, 1,000,000 records: {took:.1f} s end to end, exit {code}, peak RSS {peak:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
