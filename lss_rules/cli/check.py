"""``lss-rules check [PATH]``: every problem of a spec, located, in one run; then its worked examples."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="kontrollera specifikationen (syntax, namn, typer, årsintervall) och dess exempel",
        description="Kontrollera en specifikation och visa alla fel som fil:rad:kolumn. När mappen har "
        "examples/*.yaml körs varje exempel med referensutvärderaren och den kompilerade validatorn; ett "
        "exempel som inte ger sina fynd visas som fil:rad:kolumn i YAML-filen. "
        "Avslutningskod 0 inga fel, 1 fel hittades, 2 användningsfel.",
    )
    p.add_argument("path", nargs="?", type=Path, help="specifikationsmapp eller .lss-fil (standard: spec/)")
    p.add_argument("--no-examples", action="store_true", help="kör inte exemplen i examples/")
    p.set_defaults(func=run)


def default_path() -> Path:
    """The spec an editing command reads by default (:mod:`lss_rules.language.source`): ``spec/`` here, else
    the installed one."""
    from lss_rules.language.source import announce, resolve

    source = resolve(None, working_copy=True)
    announce(source)
    return source.path


def run(args: argparse.Namespace) -> int:
    from lss_rules.language.diagnostics import render_all
    from lss_rules.language.load import analyse, spec_files
    from lss_rules.runtime.python import plural, printable

    path = args.path or default_path()
    files = spec_files(path)
    spec, diags = analyse(files)
    for shown in render_all(diags):
        print(shown, file=sys.stderr)
    if diags:
        print(f"{printable(str(path))}: {len(diags)} fel", file=sys.stderr)
        return 1
    assert spec is not None
    n_items = len(spec.checks) + len(spec.rules)
    print(
        f"{printable(str(path))}: inga fel — {plural(len(files), 'fil', 'filer')}, {len(spec.fields)} fält, "
        f"{n_items} regler och kontroller, "
        f"år {spec.first_year}–{spec.last_stated_year} ({_later_years(spec.last_stated_year, spec.last_change_year)}); "
        f"sha256:{spec.digest[:12]}"
    )
    if args.no_examples or not path.is_dir():
        return 0
    return _examples(spec, path)


def _examples(spec: Any, path: Path) -> int:
    from lss_rules.language.diagnostics import render_all
    from lss_rules.language.examples import example_files
    from lss_rules.runtime.python import printable
    from lss_rules.tools.examples import check_examples

    folder = path / "examples"
    if not example_files(folder):
        return 0
    n, problems = check_examples(spec, folder, path)
    for shown in render_all(problems):
        print(shown, file=sys.stderr)
    if problems:
        print(f"{printable(str(folder))}: {len(problems)} fel i {n} exempel", file=sys.stderr)
        return 1
    print(f"{printable(str(folder))}: {n} exempel ger sina fynd (referensutvärderaren och den kompilerade validatorn)")
    return 0


def _later_years(last_stated: int, last_change: int) -> str:
    """What a year after the last the spec states is checked with, in plain Swedish."""
    said = f"ett senare år granskas med {last_stated} års regler"
    return said if last_change >= last_stated else f"{said}, senast ändrade {last_change}"
