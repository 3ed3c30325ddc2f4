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
        ratio = medians["node lss-2023.mjs"] / medians["lss-rules validate"]
        print(f"\nnode / lss-rules validate: {ratio:.2f} (target <= 0.5); lss-rules validate target <= 0.35 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
