"""A whole year's conformance suite, run each way a vendor can (issue 25).

    python benchmarks/bench_conformance.py [--year 2023] [--rounds N] [--cmd] [--jobs N]

The year's suite is exported once, the standalone Python module and the JavaScript module compiled once;
then ``lss-rules conformance run`` is started as a user starts it, a new process each time, with
``--module lss_YEAR.py`` (in-process) and ``--module lss-YEAR.mjs`` (one node process), ``--rounds`` times
each, alternately (a neighbour on a shared machine slows both alike).  ``--cmd`` adds the two ways of a
process per vector (``--cmd "python lss_YEAR.py"``, ``--cmd "node lss-YEAR.mjs"``), once each (they take
tens of seconds).  Printed: median and best wall-clock seconds, the median CPU seconds of the run and its
children, and the number of vectors; every run must pass every vector.

Target (issue 25): a whole year's suite <= 3 s with either module.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import machine

LSS = [sys.executable, "-m", "lss_rules"]


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the children, the summary line) of one run that must pass."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {proc.returncode}): {last} {proc.stderr[:500]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cmd", action="store_true", help="also a process per vector (slow)")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for the --cmd runs")
    args = parser.parse_args()
    year = args.year
    node = shutil.which("node") or shutil.which("nodejs")
    with tempfile.TemporaryDirectory(prefix="lss-bench-conformance-") as tmp:
        here = Path(tmp)
        for made in (
            ["conformance", "export", "--year", str(year), "-o", "svit"],
            ["compile", "--year", str(year), "--standalone", "-o", f"lss_{year}.py"],
            ["compile", "--year", str(year), "--target", "js", "-o", f"lss-{year}.mjs"],
        ):
            subprocess.run([*LSS, *made], cwd=here, check=True, capture_output=True)
        run = [*LSS, "conformance", "run", "--suite", "svit"]
        ways = {"--module python": [*run, "--module", f"lss_{year}.py"]}
        if node:
            ways["--module node"] = [*run, "--module", f"lss-{year}.mjs"]
        slow = {}
        if args.cmd:
            jobs = ["--jobs", str(args.jobs)] if args.jobs else []
            slow["--cmd python"] = [*run, "--cmd", f"{sys.executable} lss_{year}.py", *jobs]
            if node:
                slow["--cmd node"] = [*run, "--cmd", f"node lss-{year}.mjs", *jobs]
        print(f"# {machine()}; node {'yes' if node else 'missing'}")
        print(f"# conformance suite {year}, lss-rules conformance run as a new process each time")
        times: dict[str, list[tuple[float, float, str]]] = {name: [] for name in [*ways, *slow]}
        for _ in range(args.rounds):
            for name, cmd in ways.items():
                times[name].append(timed(cmd, here))
        for name, cmd in slow.items():
            times[name].append(timed(cmd, here))
        for name, got in times.items():
            walls = [w for w, _, _ in got]
            cpus = [c for _, c, _ in got]
            print(
                f"{name:16} median {statistics.median(walls):6.2f} s, best {min(walls):6.2f} s, "
                f"CPU {statistics.median(cpus):6.2f} s ({len(got)} run(s)): {got[-1][2]}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
