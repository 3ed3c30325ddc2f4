"""Both validators read the same start of a file for the whole-file hints (issue 23).

``runtime.py`` read the first 4 KiB, ``runtime.mjs`` 8 KiB: a 5.6 KB file whose first lines are
separated by ``;`` and later ones by ``,`` got a separator hint from the JavaScript module and none
from the Python one.  The window is one constant now (``runtime._HINT_BYTES``, emitted into the
JavaScript runtime); these reports are compared byte for byte, text and JSON.
"""

from __future__ import annotations

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
