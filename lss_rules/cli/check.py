"""``lss-rules check [PATH]``: every problem of a spec, located, in one run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="kontrollera specifikationen (syntax, namn, typer, årsintervall)",
        description="Kontrollera en specifikation och visa alla fel som fil:rad:kolumn. "
        "Avslutningskod 0 inga fel, 1 fel hittades, 2 användningsfel.",
    )
    p.add_argument("path", nargs="?", type=Path, help="specifikationsmapp eller .lss-fil (standard: spec/)")
    p.set_defaults(func=run)


def default_path() -> Path:
    """The spec every command reads by default (:mod:`lss_rules.spec_source`): ``spec/`` here, else installed."""
    from lss_rules.spec_source import resolve

    return resolve(None).path


def run(args: argparse.Namespace) -> int:
    from lss_rules.diagnostics import render
    from lss_rules.load import analyse, spec_files
    from lss_rules.runtime import plural

    path = args.path or default_path()
    files = spec_files(path)
    spec, diags = analyse(files)
    for d in diags:
        print(render(d), file=sys.stderr)
    if diags:
        print(f"{path}: {len(diags)} fel", file=sys.stderr)
        return 1
    assert spec is not None
    n_items = len(spec.checks) + len(spec.rules)
    print(
        f"{path}: inga fel — {plural(len(files), 'fil', 'filer')}, {len(spec.fields)} fält, "
        f"{n_items} regler och kontroller, "
        f"år {spec.first_year}–{spec.last_stated_year} (senare år som {spec.last_change_year}); "
        f"sha256:{spec.digest[:12]}"
    )
    return 0
