"""The text report names a finding's fields by their labels, in the JavaScript module as in Python (issue 24)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from lss_rules.backends.python.cache import load_validator

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "2023-med-fel"


def test_the_example_text_report_names_fields_by_label_in_both(js_module, run_batch):
    paths = [str(p) for p in sorted(EXAMPLE.glob("*.txt"))]
    mod = load_validator(2023)
    out = io.StringIO()
    mod.emit(mod.report(paths, None, False, lazy=True), "text", mod.TITLES, mod.NOTES, out)
    (got,) = run_batch(
        [
            {
                "module": str(js_module(2023)),
                "cwd": None,
                "files": paths,
                "deceased": None,
                "show": False,
                "format": "text",
            }
        ]
    )
    assert got["out"] == out.getvalue()
    assert "    rad 5: timmar personlig assistans per månad; 19890418-****\n" in got["out"]
    assert "    rad 6: personnummer, korttidstillsyn för skolungdom; 19690609-****\n" in got["out"]
    labels = mod.DETAILS["labels"]
    identifiers = {name for name, label in labels.items() if name != label}  # "boendekommun" is both
    for listed in re.findall(r"^    rad \d+: ([^;\n]+)", got["out"], flags=re.M):
        assert not set(listed.split(", ")) & identifiers, listed
