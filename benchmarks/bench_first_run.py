"""Validators as users start them: a fresh process, a first run, end to end (issue 23's headline figures).

    python benchmarks/bench_first_run.py [--rounds N]

A vendor's CI and the conformance runner start ``node lss-2023.mjs FILE…`` or ``lss-rules validate FILE…``
once per register: what they meet is the whole process — start-up, reading the module or the cache, V8's
first (cold) run, writing the report — not the twentieth warm run inside one process.  On the 2023 register
of about 80,000 records in 290 files (``bench_validate.py``'s), the two commands are run alternately,
``--rounds`` times each (so a neighbour on a shared machine slows both alike), each as a new process with its
JSON report to /dev/null; printed: the median and best wall-clock seconds, the median CPU seconds of the
process (user + system), and the ratio node / lss-rules measured in the same run.  ``lss-rules validate``'s
cache of compiled modules is warm (run once before), as for a user on the second day; the node module is
written once beforehand (``lss-rules compile --target js``).

Targets (issue 23): ``lss-rules validate`` <= 0.35 s; node <= 0.5 x ``lss-rules validate``.
Warm in-process figures are ``bench_javascript.py``'s and ``bench_validate.py``'s (secondary).
``--also OLD.mjs`` times another module beside (e.g. one compiled on ``main``): before and after in one run.

Where a cold ``node lss-2023.mjs`` goes (node 20, 2 cores shared by seven agents, December 2026; CPU
seconds of the process, which count V8's background compiler too; ``--cpu-prof``, ``--trace-opt``,
``--trace-gc``, and timings taken between the phases in a fresh process):

- node itself (``node -e 0``) ~45 ms; parsing the module and running its top level ~6 ms (V8 compiles
  each function when it is first called).
- ``validate`` ~185-200 ms in a first run against ~65 ms for the same call the fourth time in one
  process: ~120 ms is the first run's own.  The first ~30 files (8,000 of the 80,000 lines) cost as much
  as the other 260: the interpreter and Sparkplug run them while TurboFan compiles ``_check_file``
  (~100 ms on the background thread here) and ``KeyMap.tallyInto`` (50-80 ms); the small functions
  (``py_fields``, ``slot``, the form test) are optimised within the first files.  The garbage collector
  is not the cost: 14 scavenges of a few ms, and a larger young generation (``--min-semi-space-size=16``)
  made the run slower.  Flags would help (``--max-inlined-bytecode-size-cumulative=100`` -30 ms,
  ``--no-concurrent-recompilation`` -35 ms) but a vendor starts ``node lss-2023.mjs`` without any, and
  setting them from the module (``v8.setFlagsFromString``) is undefined behaviour after start: not used.
- The whole-file hints (the first 4 KiB of each file read again): 45 ms, split into strings line by line
  in the interpreter; 26 ms since they take ``runtime.py``'s short path (every line separated as it
  should be, nothing quoted) and count separators without splitting.  Of what is left ~6 ms is opening
  and reading the files again (keeping each file's start from its first reading saved only that: not
  kept), the rest a stat per file and the counting before V8 optimises it.
- Building the report and writing its JSON (19 KB here): a few ms.

The floor is therefore about 45 (node) + 6 (module) + 65 (a warm validate) + ~15 (hints) + ~5 (report)
~= 135 ms CPU, ~0.4 x ``lss-rules validate`` if everything ran warm; a first run adds the ~100 ms above.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import machine, register_2023, write_register


def timed(cmd: list[str], cwd: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run of ``cmd``; exit 0 or 1 (a verdict) expected."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed (exit {proc.returncode}): {proc.stderr.decode(errors='replace')[:500]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--also", action="append", default=[], metavar="MODULE", help="another node module to time")
    args = parser.parse_args()
    node = shutil.which("node") or shutil.which("nodejs")
    cli = shutil.which("lss-rules") or str(Path(sys.executable).with_name("lss-rules"))
    if node is None or not Path(cli).exists():
        raise SystemExit("node and lss-rules are needed (scripts/setup; apt-get install nodejs)")

    from lss_rules.language.load import load_spec

    ym = load_spec().for_year(2023)
    reg = register_2023(ym)
    with tempfile.TemporaryDirectory(prefix="lss-first-run-") as tmp:
        names = [os.path.basename(p) for p in write_register(reg.files, Path(tmp) / "reg")]
        folder = str(Path(tmp) / "reg")
        module = str(Path(tmp) / "lss-2023.mjs")
        subprocess.run([cli, "compile", "--year", "2023", "--target", "js", "-o", module], check=True, cwd=tmp)
        commands = {
            "lss-rules validate": [cli, "validate", "--year", "2023", "--format", "json", *names],
            "node lss-2023.mjs": [node, module, "--format", "json", *names],
        }
        for i, other in enumerate(args.also):
            commands[f"node also-{i + 1}.mjs"] = [node, str(Path(other).resolve()), "--format", "json", *names]
        timed(commands["lss-rules validate"], folder)  # the cache of compiled modules filled, as on day two
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        for _ in range(args.rounds):
            for name, cmd in commands.items():
                runs[name].append(timed(cmd, folder))
        records = sum(len(v) for v in reg.files.values())
        print(f"{machine()}\n{len(names)} files, {records} records (2023); {args.rounds} rounds, alternated\n")
        print(f"{'':20} {'median s':>9} {'best s':>8} {'CPU s':>7}")
        medians = {}
        for name, got in runs.items():
            walls = [w for w, _ in got]
            medians[name] = statistics.median(walls)
            cpu = statistics.median(c for _, c in got)
            print(f"{name:20} {medians[name]:9.3f} {min(walls):8.3f} {cpu:7.3f}")
        print()
        base = medians["lss-rules validate"]
        for name in medians:
            if name.startswith("node "):
                print(f"{name} / lss-rules validate: {medians[name] / base:.2f} (target <= 0.5)")
        print("lss-rules validate target <= 0.35 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
