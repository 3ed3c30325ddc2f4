"""Benchmark of ``lss-rules validate --explain`` against ``lss-rules validate`` (issue 27).

    python benchmarks/bench_explain.py [--rounds N] [--error-rate P]

The benchmarks' 80k register of 2023 (:func:`bench_validate.register_2023`, 290 files) with about
``P`` (default 2 %) of its records carrying one finding each (``generators.inject``: every rule and
check, LSS-R07 and LSS-R09 among them).  ``lss-rules validate --format json`` runs in a fresh process
each time (the compiled module cached, as a user's second run finds it), with and without
``--explain``, alternated so that the machine's drift falls on both alike; the medians of wall-clock
seconds and of the processes' CPU seconds (user + system: less moved by neighbours on a shared machine)
and their ratios are printed.  Target (issue 27): ratio <= 1.10.

``lss-rules`` is this checkout installed with ``pip install .`` into a new environment, as users have it
(``bench_validate.installed``; ``--lss-rules PATH`` times another): the development install, run where
PYTHONDONTWRITEBYTECODE is set, compiled its modules from source on every run, ~50 ms that made the base
larger and so the ratio smaller than users' (the figures before 2026-12-06's second round were taken so).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_validate import cli_run, installed, machine, register_2023, write_register


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7, help="runs of each (default 7)")
    ap.add_argument("--error-rate", type=float, default=0.02, help="share of records with a finding (0.02)")
    ap.add_argument(
        "--lss-rules",
        metavar="COMMAND",
        help="the lss-rules to time (default: this checkout installed with pip install . in a new environment)",
    )
    args = ap.parse_args()

    from lss_rules.language.load import load_spec

    print(f"machine: {machine()}", flush=True)
    ym = load_spec().for_year(2023)
    t = time.perf_counter()
    reg = register_2023(ym, error_rate=args.error_rate)
    n = sum(len(v) for v in reg.files.values())
    print(f"register 2023: {n} records in {len(reg.files)} files (built in {time.perf_counter() - t:.1f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_register(reg.files, Path(tmp) / "80k")
        cli = args.lss_rules or installed(tmp)  # as users have it: pip's .pyc files, no editable finder
        print(f"lss-rules: {cli}")
        base = [cli, "validate", *paths, "--year", "2023", "--format", "json"]
        out = Path(tmp) / "report.json"
        with out.open("w") as sink:
            cli_run([*base, "--explain"], tmp, sink)
        report = json.loads(out.read_text(encoding="utf-8"))
        lines = {(f["file"], f["line"]) for f in report["findings"] if f["line"] is not None}
        traced = sum("trace" in f for f in report["findings"])
        print(
            f"findings: {len(report['findings'])} on {len(lines)} lines ({100 * len(lines) / n:.1f} % of the records), "
            f"{traced} with a trace"
        )
        times: dict[bool, list[float]] = {False: [], True: []}
        cpu: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(args.rounds):
            for explain in (False, True):
                cmd = [*base, "--explain"] if explain else base
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                cli_run(cmd, tmp, subprocess.DEVNULL)
                times[explain].append(time.perf_counter() - t)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[explain].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    without, with_ = statistics.median(times[False]), statistics.median(times[True])
    cpu_without, cpu_with = statistics.median(cpu[False]), statistics.median(cpu[True])
    runs = f"({args.rounds} fresh processes)"
    print(f"lss-rules validate:           median {without:.3f} s, CPU {cpu_without:.3f} s {runs}")
    print(f"lss-rules validate --explain: median {with_:.3f} s, CPU {cpu_with:.3f} s {runs}")
    print(f"ratio: {with_ / without:.3f} wall-clock, {cpu_with / cpu_without:.3f} CPU (target <= 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
