"""``lss-rules schema``: the JSON Schema (draft 2020-12) of one record of a year."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "schema",
        help="skriv JSON Schema för en post ett visst år",
        description="Skriv JSON Schema (draft 2020-12) för en post som `lss-rules convert --to json` ger den. "
        "Varje regel som kan uttryckas har sitt id i sitt delschemas title; varningar står i x-lss-warnings och "
        "det som inte kan uttryckas i x-lss-rules-not-expressed (som data i $defs/lss-annotations). "
        "Avslutningskod 0, 2 om körningen inte kunde göras.",
    )
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="insamlingsåret")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="skriv till filen (standard: standard ut)")
    add_spec_argument(p)
    p.set_defaults(func=run)


def load_year(spec_dir: Path | None, year: int) -> Any:
    """The year model of ``year`` (UsageError before the first year)."""
    from lss_rules.errors import UsageError
    from lss_rules.language.load import load_spec

    spec = load_spec(spec_dir)
    if year < spec.first_year:
        raise UsageError(f"registret börjar {spec.first_year}; {year} finns inte")
    return spec.for_year(year)


def run(args: argparse.Namespace) -> int:
    from lss_rules.backends.jsonschema import ANNOTATIONS
    from lss_rules.backends.registry import BACKENDS
    from lss_rules.cli import spec_source_of, write_output

    source = spec_source_of(args)
    ym = load_year(source.path, args.year)
    ((_, text),) = BACKENDS["jsonschema"](ym).files  # the one interface
    schema = json.loads(text)
    # where the spec came from (the command knows, the backend does not), beside the other annotations, as
    # data: an unknown top-level keyword would make ajv refuse the schema
    schema["$defs"][ANNOTATIONS]["const"]["x-lss-spec"] = source.as_json(ym.spec.digest)
    write_output(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", args.output)
    return 0
