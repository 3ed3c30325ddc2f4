"""``lss-rules docs``: write the generated documentation pages (markdown and JSON Schema files)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "docs",
        help="skriv dokumentationens genererade sidor (markdown) till en mapp",
        description="Skriv de sidor som dokumentationswebbplatsen genererar från specifikationen (år, regler, "
        "fält, ändringar, rapportformat, kommandon) och JSON Schema per år till en mapp. Webbplatsen byggs med "
        "`mkdocs build --strict` i förrådet; där gör en mkdocs-hook samma sak automatiskt. "
        "Avslutningskod 0, 2 om körningen inte kunde göras.",
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="mappen att skriva till")
    p.add_argument("--spec", type=Path, metavar="DIR", help="specifikationsmapp (standard: den installerade)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lss_rules.backends.docs import site_files
    from lss_rules.cli.reference import cli_reference_md
    from lss_rules.errors import UsageError
    from lss_rules.load import load_spec

    files = site_files(load_spec(args.spec), cli_reference=cli_reference_md())
    out: Path = args.output
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: finns redan och är inte en mapp")
    try:
        for rel, text in sorted(files.items()):
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{exc.filename or out}: kan inte skrivas ({exc.strerror})") from None
    print(f"{len(files)} filer skrivna till {out}")
    return 0
