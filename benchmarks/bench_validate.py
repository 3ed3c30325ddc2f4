"""Benchmark of `lss-rules validate` on a realistic 2023 register.

    python benchmarks/bench_validate.py [--quick]

Builds a national register of about 80,000 records (290 municipality files) with
``lss_rules.generators.bulk.build_register`` (personnummer from Skatteverket's test
lists only) and one of 1,000,000 records, then prints:

- rows/s of the compiled validator and of the reference evaluator, and their ratio
  (in-process, reading the files from disk, best of three);
- end-to-end time of ``lss-rules validate`` on the 80k register (a subprocess, warm cache);
- peak memory (max RSS) of ``lss-rules validate`` on the 1M register.

Targets (issue 4): compiled >= 300,000 rows/s, >= 10x the reference, 80k end to end
< 0.5 s, 1M with peak RSS < 300 MB.

Skatteverket's lists hold about 43,000 personnummer valid in 2023 (and only about
9,800 persons with the real age shape), so the 80k register is drawn with
``allow_distortion`` (ages bent towards the test numbers there are) and has most
persons in two municipalities (with different insatser, as
the rules allow) and the 1M register repeats the 80k one: there every person
holds the same insats in many files, so nearly every line draws LSS-R09 — a
worst case for memory, reported as such.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.platform()}; CPU {cpu} x{os.cpu_count()}; Python {platform.python_version()}"


REPO = Path(__file__).resolve().parents[1]


def write_register(files: dict[str, list[str]], folder: Path, copies: int = 1, limit: int | None = None) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    total = 0
    for c in range(copies):
        for code, lines in files.items():
            if limit is not None and total >= limit:
                return paths
            take = lines if limit is None else lines[: limit - total]
            p = folder / f"{code}_{c}.txt"
            p.write_text("".join(line + "\n" for line in take), encoding="utf-8")
            paths.append(str(p))
            total += len(take)
    return paths


def register_2023(ym, error_rate: float = 0.0):
    """The benchmarks' register of 2023: 290 files, about 80,000 records (as many persons as the test lists
    allow in two municipalities each; the same for every benchmark, so their figures compare)."""
    from lss_rules.errors import LssError
    from lss_rules.generators.bulk import build_register

    for persons in (42000, 41000, 40000, 38000, 35000):
        try:
            return build_register(
                ym,
                persons=persons,
                seed=1,
                municipalities=290,
                shared=0.9,
                allow_distortion=True,
                error_rate=error_rate,
            )
        except LssError:
            continue
    raise SystemExit("no register of 2023 could be built from the test lists")


def installed(tmp: str) -> str:
    """``lss-rules`` as the README installs it: a new virtual environment and ``pip install .`` of this checkout.

    pip writes each module's ``.pyc`` as it installs; the development install (``scripts/setup``: editable,
    and on a machine with PYTHONDONTWRITEBYTECODE set, no ``.pyc`` at all) compiles every module it imports
    from source on every run (~50 ms more here) and searches through setuptools' editable finder.
    """
    venv = Path(tmp) / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    build = Path(tmp) / "source"
    # a copy of the checkout's tracked files, so that setuptools' build/ folder is not left in the checkout
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        src = REPO / os.fsdecode(name)
        if src.is_file() and not src.is_symlink():
            (build / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, build / os.fsdecode(name))
        elif src.is_symlink():
            (build / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(src), build / os.fsdecode(name))
    subprocess.run([*pip, str(build)], check=True)
    return str(venv / "bin" / "lss-rules")


def cli_run(cli: list[str], cwd: str, stdout) -> int:
    """Run ``lss-rules`` (in ``cwd``: never the repository's own folder, whose ``lss_rules`` is not installed)."""
    proc = subprocess.run(cli, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"lss-rules validate failed (exit {proc.returncode}):\n{proc.stderr}")
    return proc.returncode


def best_of(n: int, fn) -> float:
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the 1,000,000-record run")
    args = ap.parse_args()

    from lss_rules.backends.python.cache import load_validator
    from lss_rules.language.load import load_spec
    from lss_rules.meaning.evaluate import Evaluator
    from lss_rules.runtime import python as runtime

    print(f"machine: {machine()}", flush=True)
    ym = load_spec().for_year(2023)
    t = time.perf_counter()
    reg = register_2023(ym)
    n = sum(len(v) for v in reg.files.values())
    print(f"register 2023: {n} records in {len(reg.files)} files (built in {time.perf_counter() - t:.1f} s)")

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_register(reg.files, Path(tmp) / "80k")
        mod = load_validator(2023)  # warms the cache for the CLI run below
        compiled = best_of(3, lambda: mod.validate(paths))
        _, findings = mod.validate(paths)

        def reference() -> None:
            Evaluator(ym).run([list(runtime.iter_lines(p)) for p in paths])

        ref = best_of(1, reference)
        print(f"compiled validator: {n / compiled:,.0f} rows/s ({compiled:.3f} s, {len(findings)} findings)")
        print(f"reference evaluator: {n / ref:,.0f} rows/s ({ref:.3f} s)")
        print(f"ratio: {ref / compiled:.1f}x")

        cli = [sys.executable, "-P", "-m", "lss_rules", "validate", *paths, "--year", "2023", "--format", "json"]
        cli_run(cli, tmp, subprocess.DEVNULL)  # warm
        e2e = best_of(3, lambda: cli_run(cli, tmp, subprocess.DEVNULL))
        print(f"end to end, lss-rules validate, {n} records: {e2e:.3f} s (warm cache, best of 3)")

        if not args.quick:
            copies = -(-1_000_000 // n)
            big = write_register(reg.files, Path(tmp) / "1m", copies=copies, limit=1_000_000)
            cli = [sys.executable, "-P", "-m", "lss_rules", "validate", *big, "--year", "2023", "--format", "json"]
            t = time.perf_counter()
            with open(os.devnull, "w") as sink:
                code = cli_run(cli, tmp, sink)
            took = time.perf_counter() - t
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"1,000,000 records in {len(big)} files: {took:.1f} s, exit {code}, peak RSS {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
