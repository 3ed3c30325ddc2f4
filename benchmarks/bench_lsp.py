"""Benchmark of ``lss-rules lsp``: the time from an edit to the whole spec's diagnostics (issue 26).

    python benchmarks/bench_lsp.py

Starts the server over stdio with a real client (pygls' LanguageClient, ``tests/lsp_client.py``) on a copy
of the spec, opens ``rules.lss`` and makes edits that alternate a misspelled name with the correct text.
Each figure is the wall time from sending ``didChange`` to the answer of a request sent right after it,
by which time the server has checked every ``.lss`` and data file of the spec and published its
diagnostics (it handles messages in order).  The target is 300 ms after an edit.  The worked examples
are not run on a change, only when an example is opened or a file saved, on a worker thread; the last
line times the save of an example with a wrong finding until its diagnostic arrives.
"""

from __future__ import annotations

import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def main() -> int:
    from lsp_client import Session

    from lss_rules.language.load import default_spec_dir

    print(f"machine: {platform.platform()}, Python {sys.version.split()[0]}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "spec"
        shutil.copytree(default_spec_dir(), folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
        session = Session(folder)
        try:
            text = (folder / "rules.lss").read_text(encoding="utf-8")
            wrong = text.replace("valid_personnummer(personnummer)", "valid_personnummer(personnumer)", 1)
            session.wait_until(lambda: any("exemplen är körda" in m for m in session.logged))  # the start's run
            session.open("rules.lss")
            times = []
            for i in range(21):
                start = time.perf_counter()
                session.change("rules.lss", wrong if i % 2 == 0 else text)
                times.append(time.perf_counter() - start)
                said = session.diagnostics()
                assert bool(said) == (i % 2 == 0), "the edit's diagnostics were not published"
            later = times[1:]
            print(f"first edit:  {times[0] * 1000:.0f} ms")
            print(
                f"later edits: median {statistics.median(later) * 1000:.0f} ms, "
                f"max {max(later) * 1000:.0f} ms ({len(later)} edits)"
            )
            session.change("rules.lss", text)  # as on disk again
            example = "examples/LSS-R04.yaml"
            yaml = (folder / example).read_text(encoding="utf-8")
            session.open(example)
            session.change(example, yaml.replace("findings: []", "findings: [{rule: LSS-R04, line: 1}]", 1))
            start = time.perf_counter()
            session.save(example)
            spec_done = time.perf_counter() - start
            session.wait_until(lambda: session.uri(example) in session.diagnostics())
            examples_done = time.perf_counter() - start
            session.save(example)  # and an edit while the examples run on the worker thread
            start = time.perf_counter()
            session.change("rules.lss", wrong)
            print(f"an edit while the examples run: {(time.perf_counter() - start) * 1000:.0f} ms")
            session.change("rules.lss", text)
            print(
                f"save of an example: the spec {spec_done * 1000:.0f} ms, then the "
                f"{len(list((folder / 'examples').glob('*.yaml')))} example files (on a worker thread) "
                f"{examples_done * 1000:.0f} ms"
            )
        finally:
            session.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
