"""``lss-rules generate``: a synthetic register, one file per municipality, and its expected report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lss_rules.runtime.python import STATUS_WORDS, os_error_text, plural, printable


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "generate",
        help="skapa ett syntetiskt register (testpersonnummer) med förväntad rapport",
        description="Skapa ett syntetiskt LSS-register för ett år: en fil per kommun (<kommunkod>.txt) och "
        "expected.json, den JSON-rapport som `lss-rules validate --format json` ska ge när den körs i "
        "mappen med filnamnen som argument (fälten file är filnamnen utan mapp). Alla personnummer är "
        "Skatteverkets testpersonnummer. Registret har Sveriges form: personer per kommun efter folkmängd, "
        "ålder, kön och personkrets efter SCB:s tal, insatser per person efter de publicerade talen för "
        "2021. Utan --persons blir det det största register som testpersonnumren räcker till med den "
        "formen. Samma frö ger byte för byte samma filer.",
    )
    p.add_argument("--year", type=int, required=True, help="insamlingsår")
    p.add_argument(
        "--persons",
        type=int,
        default=None,
        metavar="N",
        help="antal personer (standard: det största register som testpersonnumren räcker till med verklig form)",
    )
    p.add_argument("--seed", type=int, required=True, metavar="S", help="slumpfrö")
    p.add_argument(
        "--municipalities",
        type=int,
        default=None,
        metavar="M",
        help="antal kommuner, slumpvis valda (standard: årets alla kommuner)",
    )
    p.add_argument(
        "--error-rate",
        type=float,
        default=0.0,
        metavar="P",
        help="andel poster med exakt ett fynd vardera (standard 0: registret godkänns)",
    )
    p.add_argument(
        "--allow-distortion",
        action="store_true",
        help="tillåt fler personer än som ryms med verklig form; fördelningen böjs och utskriften säger hur mycket",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="skriv registrets profil mot de publicerade talen (insatser, kön, ålder, personkrets, kommuner)",
    )
    p.add_argument(
        "-o", "--output", required=True, type=Path, metavar="DIR", help="mapp att skriva till (tom eller ny)"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="skriv också i en mapp som inte är tom: det en tidigare körning av generate skrev där och antecknade "
        "i .lss-rules-utdata.json tas bort; finns något annat där tas ingenting bort (avslutningskod 2)",
    )
    add_spec_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lss_rules.cli import load_spec_of
    from lss_rules.errors import UsageError
    from lss_rules.generators import profile
    from lss_rules.generators.bulk import write_register

    spec, source = load_spec_of(args)
    if args.year < spec.first_year:
        raise UsageError(f"registret börjar {spec.first_year}; {args.year} finns inte")
    ym = spec.for_year(args.year)
    out: Path = args.output
    try:
        reg = write_register(
            ym,
            out,
            persons=args.persons,
            seed=args.seed,
            municipalities=args.municipalities,
            error_rate=args.error_rate,
            allow_distortion=args.allow_distortion,
            force=args.force,
        )
    except OSError as exc:
        raise UsageError(f"{exc.filename or out}: kan inte skrivas ({os_error_text(exc)})") from None
    for note in reg.notes:
        print(f"Obs: {note}", file=sys.stderr)
    findings = len(reg.expected["findings"])
    print(
        f"{printable(str(out))}: {plural(len(reg.files), 'fil', 'filer')}, {plural(reg.lines, 'post', 'poster')}, "
        f"{findings} förväntade fynd "
        f"({STATUS_WORDS[reg.expected['status']]}) + expected.json",
        file=sys.stderr,
    )
    print(source.describe(spec.digest), file=sys.stderr)
    if args.profile or args.allow_distortion:
        measured = profile.measure(ym, reg.files)
        if args.profile:
            sys.stdout.write(profile.to_text(measured))
        if args.allow_distortion:
            print(f"Obs: {profile.bend(measured)}", file=sys.stderr)
    return 0
