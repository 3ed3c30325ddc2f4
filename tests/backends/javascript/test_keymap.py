"""A national run with LSS-R09 findings gives Python's report, the ``KeyMap`` tables sized for the files' lines
(as a run makes them: none grows) and made far too small (every one grows on the way).

That ``KeyMap`` (keys of 1..14 ASCII digits as numbers in typed arrays, any other key in a Map) behaves as a
``Map`` and ``tally`` on them as on Maps is keymap.test.mjs's (run by tests/test_node.py).
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from lss_rules.backends.python.cache import load_validator
from lss_rules.generators.bulk import build_register


def test_national_run_with_findings_is_python_report(node, js_module, tmp_path):
    reg = build_register(2023, persons=2500, seed=7, municipalities=12, error_rate=0.2, shared=0.5)
    paths = []
    for name, lines in sorted(reg.files.items()):
        path = Path(tmp_path) / name
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        paths.append(str(path))
    mod = load_validator(2023)
    report = mod.report(paths, None, False, lazy=True)
    out = io.StringIO()
    mod.emit(report, "json", mod.TITLES, mod.NOTES, out)
    module = js_module(2023)
    sized = "const KEY_LINE_BYTES = 40;"
    source = module.read_text(encoding="utf-8")
    assert source.count(sized) == 1
    small = tmp_path / "too-small.mjs"  # a table for a key every 100,000 bytes: 16 slots, grown as it fills
    small.write_text(source.replace(sized, "const KEY_LINE_BYTES = 100000;"), encoding="utf-8")
    for mjs in (module, small):
        want = subprocess.run([node, str(mjs), *paths, "--format", "json"], capture_output=True, text=True, check=False)
        assert want.returncode == mod.exit_code(report), mjs
        assert want.stdout == out.getvalue(), mjs
    assert '"LSS-R09"' in want.stdout  # the national rule fired, across the grown tables
