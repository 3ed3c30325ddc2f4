"""``lss-rules docs``: write the generated documentation pages (markdown and JSON Schema files)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lss_rules.runtime.python import os_error_text, plural, printable


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "docs",
        help="skriv dokumentationens genererade sidor (markdown) till en mapp",
        description="Skriv de sidor som dokumentationswebbplatsen genererar från specifikationen (år, regler, "
        "fält, ändringar, rapportformat, kommandon) och JSON Schema per år till en mapp. Webbplatsen byggs med "
        "`mkdocs build --strict` i förrådet; där gör en mkdocs-hook samma sak automatiskt. "
        "Avslutningskod 0, 2 om körningen inte kunde göras.",
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="mappen att skriva till")
    add_spec_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lss_rules.backends.output import SpecInputs
    from lss_rules.backends.registry import SPEC_BACKENDS
    from lss_rules.cli import load_spec_of
    from lss_rules.cli.reference import cli_reference_md
    from lss_rules.errors import UsageError

    spec, source = load_spec_of(args)
    # the one interface, in its spec-wide form; the command line hands the docs backend its own reference page
    files = dict(SPEC_BACKENDS["docs"](spec, SpecInputs(cli_reference=cli_reference_md())).files)
    out: Path = args.output
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: finns redan och är inte en mapp")
    try:
        for rel, text in sorted(files.items()):
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{exc.filename or out}: kan inte skrivas ({os_error_text(exc)})") from None
    print(f"{printable(str(out))}: skrev {plural(len(files), 'fil', 'filer')}")
    print(source.describe(spec.digest))
    return 0
