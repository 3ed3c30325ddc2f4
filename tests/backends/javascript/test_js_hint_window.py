"""Both validators read the same start of a file for the whole-file hints (issue 23).

``runtime.py`` read the first 4 KiB, ``runtime.mjs`` 8 KiB: a 5.6 KB file whose first lines are
separated by ``;`` and later ones by ``,`` got a separator hint from the JavaScript module and none
from the Python one.  The window is one constant now (``runtime._HINT_BYTES``, emitted into the
JavaScript runtime); these reports are compared byte for byte, text and JSON.
"""

from __future__ import annotations

import json
import resource
import subprocess

from test_js_differential import check_batch

from lss_rules.runtime import python as runtime

FIELDS = 20  # the layout of 2023


def _over_the_window() -> bytes:
    """Long ``;`` lines filling the window, then short ``,`` lines past it (within twice the window)."""
    long_line = ";".join(["0114", "198001012384", *["0"] * (FIELDS - 3), "0" + "x" * 480]) + "\n"
    short_line = ",".join(["0114", "198001012384", *["0"] * (FIELDS - 2)]) + "\n"
    n_long = runtime._HINT_BYTES // len(long_line)
    data = (long_line * n_long + short_line * 14).encode()
    assert runtime._HINT_BYTES < len(data) < 2 * runtime._HINT_BYTES
    return data


def test_a_file_over_the_hint_window_has_one_report(js_module, run_batch, tmp_path):
    data = _over_the_window()
    batch = [{"files": [data], "deceased": None, "show": False, "format": fmt} for fmt in ("json", "text")]
    check_batch(2023, batch, tmp_path, js_module, run_batch)


def test_many_files_over_the_window_keep_their_hints(node, js_module, tmp_path):
    """The hints read the start of a file and close it: the JavaScript module held the descriptor of every file
    longer than the window open until the process ended, so past the limit of open files (1,024 by default,
    64 here) the later files' hints were silently missing and the report differed from Python's."""
    header = ";".join(["kommun", "personnummer", "personkrets", *["0"] * (FIELDS - 3)]) + "\n"
    record = ";".join(["0114", "198001012384", *["0"] * (FIELDS - 2)]) + "\n"
    data = header + record * (runtime._HINT_BYTES // len(record) + 5)
    assert len(data) > runtime._HINT_BYTES
    names = [f"{i:03}.txt" for i in range(80)]
    for name in names:
        (tmp_path / name).write_text(data, encoding="utf-8")

    def few_descriptors() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    cmd = [node, str(js_module(2023)), "--format", "json", *names]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, preexec_fn=few_descriptors, check=False)
    assert proc.returncode == 1, proc.stderr.decode(errors="replace")
    hints = [[h["code"] for h in f.get("hints", [])] for f in json.loads(proc.stdout)["files"]]
    assert hints == [["header_line"]] * len(names)
