"""Benchmark of ``lss-rules check`` on a spec full of syntax errors: time against size (issue 22).

    python benchmarks/bench_check_errors.py

Writes specs of 25, 50 and 100 KB in which every declaration is broken (``rule`` without its id, one a
line: an error a line) and runs ``lss-rules check`` on each in-process, printing the wall time and
the number of errors.  The time should grow with the size, not with its square: before the fix,
100 KB took 55 s (each declaration was parsed again with every line before it, and each diagnostic
read the file again for its source line); after it, about 1 s.
"""

from __future__ import annotations

import contextlib
import io
import platform
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    from lss_rules.cli import main as cli

    print(f"machine: {platform.platform()}, Python {sys.version.split()[0]}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for kb in (25, 50, 100):
            spec = Path(tmp) / f"x{kb}.lss"
            spec.write_text("rule\n" * (kb * 1000 // 5), encoding="utf-8")
            err = io.StringIO()
            t = time.perf_counter()
            with contextlib.redirect_stderr(err):
                code = cli(["check", str(spec)])
            took = time.perf_counter() - t
            errors = err.getvalue().count("error[E001]")
            print(f"{kb:>4} KB: {errors} errors, exit {code}, {took:.2f} s ({took / kb * 1000:.1f} ms per KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
