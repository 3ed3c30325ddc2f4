"""LSS-R07's other line under ``--explain``: kept by the validator as it reads, or looked for in the lines.

A module compiled before validators kept each key's first line (``keep_first_lines``) gives findings without
them; ``--explain`` then looks for the line in the lines it reads again.  Both ways give the same report.
"""

from __future__ import annotations

import io
import json

from lss_rules.backends.python.cache import load_validator
from lss_rules.runtime import python as runtime

LINE = "0180;{pnr};1;0;;0;;1;0;;0;;0;0;0;0;0;;{dv}"
PNRS = ("198001022386", "199001011230", "198507152383")


def _explained(paths, forget):
    mod = load_validator(2023)
    report = mod.report(paths, None, False, lazy=True)
    if forget:
        report["findings"].first_lines = {}  # as from a module that kept none
    runtime.explain(report, paths)
    out = io.StringIO()
    mod.emit(report, "json", mod.TITLES, mod.NOTES, out)
    return json.loads(out.getvalue())


def test_the_kept_first_line_is_the_one_looked_for(tmp_path):
    lines = []
    for i in range(30):  # each personnummer again and again, some lines not judged (a field too many)
        pnr = PNRS[i % 3] if i % 4 else PNRS[(i // 4) % 3]
        line = LINE.format(pnr=pnr, dv=i % 2)
        lines.append(line + ";" if i in (0, 7) else line)
    path = tmp_path / "0180.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kept, looked_for = _explained([str(path)], False), _explained([str(path)], True)
    assert kept == looked_for
    others = [f["trace"]["others"] for f in kept["findings"] if f["rule"] == "LSS-R07"]
    assert len(others) >= 20 and all(len(o) == 1 and o[0]["line"] > 1 for o in others)
