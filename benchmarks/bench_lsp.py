"""Benchmark of ``lss-rules lsp``: the time from an edit to the whole spec's diagnostics (issue 26).

    python benchmarks/bench_lsp.py

Starts the server over stdio with a real client (pygls' LanguageClient, ``tests/lsp_client.py``) on a copy
of the spec, opens ``rules.lss`` and makes edits that alternate a misspelled name with the correct text.
Each figure is the wall time from sending ``didChange`` to the answer of a request sent right after it,
by which time the server has checked every ``.lss`` and data file of the spec and published its
diagnostics (it handles messages in order).  The target is 300 ms after an edit.  The worked examples
are not run on a change, only when an example is opened or a file saved; the last line times a save.
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
            session.change("rules.lss", text)  # as on disk: the save runs the examples
            start = time.perf_counter()
            session.save("rules.lss")
            print(
                f"save (the spec and its {len(list((folder / 'examples').glob('*.yaml')))} example files): "
                f"{(time.perf_counter() - start) * 1000:.0f} ms"
            )
        finally:
            session.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
