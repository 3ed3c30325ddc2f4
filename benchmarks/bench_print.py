"""Benchmark of the Python printer (``to_python``): the spec's years, and a spec of conditions as deep as allowed.

    python benchmarks/bench_print.py [--rounds N] [--against REF]

Prints the median seconds of printing each module (the IR lowered once beforehand: the printer alone).
``--against REF`` loads ``lss_rules/backends/python/printer.py`` as it is at the git commit REF as a second
printer and alternates the two on the same trees, round by round, so that the machine's drift falls on both
alike; the ratio of the medians is printed.  The deep spec is the real one with one rule a shape of condition
(``and``, ``or`` and ``not`` chains, alternating ``and``/``or`` nested both ways), each ``syntax.MAX_DEPTH``
levels deep: the printer once made every level's flat text again (3.6 s for that module).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_validate import machine

REPO = Path(__file__).resolve().parents[1]
ATOM = "age(personnummer) >= 12"


def deep_spec(folder: Path) -> Path:
    """The real spec and one rule a shape of condition, each as deep as the language allows."""
    from lss_rules.language.syntax import MAX_DEPTH

    n = MAX_DEPTH - 2  # levels above the atom (a comparison over a call: two)
    nested, left = ATOM, ATOM
    for i in range(n):
        nested = f"({ATOM} {'and' if i % 2 else 'or'} {nested})"
        left = f"({left} {'or' if i % 2 else 'and'} {ATOM})"
    shapes = [" and ".join([ATOM] * (n + 1)), " or ".join([ATOM] * (n + 1)), nested, left, "not " * n + ATOM]
    dst = folder / "spec"
    shutil.copytree(REPO / "spec", dst, ignore=shutil.ignore_patterns("__pycache__", "*.py", "examples"))
    with (dst / "rules.lss").open("a", encoding="utf-8") as f:
        for i, cond in enumerate(shapes):
            f.write(
                f'\nrule LSS-R{90 + i} {{\n  title "Djup {i}"\n  message "Djupt villkor."\n  fix "Rätta posten."\n'
                f"  scope record\n  severity warning from 1999\n  when daglig_verksamhet = 1\n  require {cond}\n}}\n"
            )
    return dst


def printer_at(ref: str) -> Callable[..., str]:
    """``to_source`` of the printer as it is at ``ref``."""
    text = subprocess.run(
        ["git", "show", f"{ref}:lss_rules/backends/python/printer.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType(f"printer_at_{ref}")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(text, f"printer.py@{ref}", "exec"), module.__dict__)
    return module.to_source


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7, help="rounds (default 7)")
    ap.add_argument("--against", metavar="REF", help="a git commit whose printer runs alternately beside")
    args = ap.parse_args()

    from lss_rules.backends.python.printer import to_source
    from lss_rules.backends.validator.lower import to_module
    from lss_rules.language.load import load_spec

    print(f"machine: {machine()}", flush=True)
    printers: dict[str, Callable[..., str]] = {"this": to_source}
    if args.against:
        printers[args.against] = printer_at(args.against)
    spec = load_spec()
    with tempfile.TemporaryDirectory() as tmp:
        deep = load_spec(deep_spec(Path(tmp)))
        trees: dict[str, Any] = {f"{y}": to_module(spec.for_year(y)) for y in (2003, 2015, 2023)}
        trees["2023, deep conditions"] = to_module(deep.for_year(2023))
    outputs = {name: {t: p(tree, None) for t, tree in trees.items()} for name, p in printers.items()}
    same = all(o == outputs["this"] for o in outputs.values())
    times: dict[tuple[str, str], list[float]] = {(t, n): [] for t in trees for n in printers}
    for _ in range(args.rounds):
        for t, tree in trees.items():
            for name, p in printers.items():
                start = time.perf_counter()
                p(tree, None)
                times[t, name].append(time.perf_counter() - start)
    for t in trees:
        row = [f"{name} {statistics.median(times[t, name]):.3f} s" for name in printers]
        if args.against:
            ratio = statistics.median(times[t, args.against]) / statistics.median(times[t, "this"])
            row.append(f"{args.against}/this {ratio:.1f}")
        print(f"{t:>24}: " + ", ".join(row), flush=True)
    if args.against:
        print("the same source from both printers" if same else "THE PRINTERS DIFFER", flush=True)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
