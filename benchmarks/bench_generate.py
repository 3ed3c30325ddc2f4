"""Benchmark of the bulk generator: 40,000 persons, and memory against the number of persons.

    python benchmarks/bench_generate.py

Prints the wall and CPU time of ``build_register(2023, persons=40_000, allow_distortion=True)`` (best of three,
the year model and the published shape already loaded, as in a long-running process; the first run
includes the shape), the time of the default (largest realistic) register of 2021 and 2023, and the
peak memory traced while building 10,000, 20,000 and 40,000 persons (tracemalloc, per run; the
register's lines are held in memory, so it grows with the number of persons, by about 0.4 KB each).

Target (issue 15): 40,000 persons in under 5 s on the 2-core machine.
"""

from __future__ import annotations

import platform
import sys
import time
import tracemalloc


def main() -> int:
    from lss_rules.generators.bulk import build_register, capacity
    from lss_rules.language.load import load_spec

    print(f"machine: {platform.platform()}, Python {sys.version.split()[0]}", flush=True)
    spec = load_spec()
    ym = spec.for_year(2023)
    t = time.perf_counter()
    cap = capacity(ym)
    took = time.perf_counter() - t
    print(f"2023: largest realistic register {cap} persons (shape and test numbers read in {took:.2f} s)")
    times = []
    cpu = []
    lines = 0
    for seed in (1, 2, 3):
        t, c = time.perf_counter(), time.process_time()
        reg = build_register(ym, persons=40_000, seed=seed, allow_distortion=True)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        lines = reg.lines
    print(
        f"40,000 persons (2023, {lines} records, 290 files): {min(times):.2f} s wall, {min(cpu):.2f} s CPU "
        f"(best of 3; wall {', '.join(f'{x:.2f}' for x in times)})"
    )
    for year in (2021, 2023):
        y = spec.for_year(year)
        capacity(y)
        t = time.perf_counter()
        reg = build_register(y, seed=1)
        print(f"default register {year}: {reg.lines} records in {time.perf_counter() - t:.2f} s")
    for n in (10_000, 20_000, 40_000):
        tracemalloc.start()
        reg = build_register(ym, persons=n, seed=1, allow_distortion=True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del reg
        print(f"{n:>6} persons: peak traced memory {peak / 2**20:.1f} MiB ({peak / n:.0f} bytes per person)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
