"""Two compiled validator modules on the same files, in one process, runs alternated.

    python benchmarks/compare_modules.py OLD.py NEW.py FOLDER [ROUNDS]

Imports both modules (e.g. a cached validator of an older lss-rules and one of
today's), runs ``validate`` on every ``*.txt`` of FOLDER, alternating which goes
first, and prints the best rows/s of each. On a shared machine this is fairer
than two benchmark runs one after the other; compare a module with a copy of
itself to see the noise.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType


def load(path: str, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    old, new = load(argv[0], "compared_old"), load(argv[1], "compared_new")
    paths = sorted(str(p) for p in Path(argv[2]).glob("*.txt"))
    rounds = int(argv[3]) if len(argv) > 3 else 11
    rows = sum(Path(p).read_bytes().count(b"\n") for p in paths)
    best = {"old": float("inf"), "new": float("inf")}
    pair = [("old", old), ("new", new)]
    for r in range(rounds):
        for name, module in pair if r % 2 == 0 else pair[::-1]:
            t = time.perf_counter()
            module.validate(paths)
            best[name] = min(best[name], time.perf_counter() - t)
    for name, took in best.items():
        print(f"{name}: {rows / took:,.0f} rows/s ({took:.3f} s, best of {rounds})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
