"""``lss-rules conformance export|run``: the conformance suite for vendors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lss_rules.runtime.python import os_error_text, plural, printable
from lss_rules.tools.conformance.reasons import EARLY


def register(sub: Any) -> None:
    from lss_rules.cli import add_spec_argument

    p = sub.add_parser(
        "conformance",
        help="konformitetssvit för leverantörer: exportera testvektorer, kör ett eget program mot dem",
        description="Konformitetssviten: testvektorer med kända svar för ett år (export) och en körning av "
        "ett leverantörsprogram mot dem (run). Avslutningskod för run: 0 alla vektorer godkända, 1 någon "
        "vektor underkänd, 2 körningen kunde inte göras.",
    )
    cs = p.add_subparsers(dest="conformance_command", metavar="KOMMANDO")
    cs.required = True
    ex = cs.add_parser(
        "export",
        help="skriv årets svit till en mapp",
        description="Skriv en mapp per testvektor (inlämningsfiler, deceased.txt vid behov, expected.json) "
        "och manifest.json.",
    )
    ex.add_argument("--year", type=int, required=True, help="insamlingsår")
    ex.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="mapp att skriva sviten till (tom eller ny)"
    )
    ex.add_argument(
        "--force",
        action="store_true",
        help="skriv också i en mapp som inte är tom: det en tidigare export skrev där och antecknade i "
        ".lss-rules-utdata.json tas bort; finns något annat där tas ingenting bort (avslutningskod 2)",
    )
    add_spec_argument(ex)
    ex.set_defaults(func=run_export)
    rn = cs.add_parser(
        "run",
        help="kör ett leverantörsprogram mot en exporterad svit",
        description="Kör VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] -- FIL... i varje "
        "vektors mapp och jämför status och mängden (fil, rad, regel, allvarlighetsgrad) med expected.json. "
        "Sviten kontrolleras först (manifest.json och expected.json mot sina scheman, bara vanliga filer och "
        "mappar inuti sviten); en trasig svit, ett kommando som inte kan startas eller en körning som avbryts "
        "tidigt (se --keep-going) ger avslutningskod 2.",
    )
    rn.add_argument("--suite", type=Path, required=True, metavar="DIR", help="mapp från `conformance export`")
    what = rn.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--cmd",
        metavar="VENDOR_COMMAND",
        help='programmet att pröva, t.ex. "lss-rules validate"; ord som är filer där du står görs absoluta',
    )
    what.add_argument(
        "--module",
        type=Path,
        metavar="FIL",
        help="en modul från lss-rules compile (lss_2023.py eller lss-2023.mjs) som körs utan en process per "
        "vektor: Python-modulen i den här processen, JavaScript-modulen i en enda node-process",
    )
    rn.add_argument("--junit", type=Path, metavar="FILE", help="skriv resultatet som JUnit XML")
    rn.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="sekunder per vektor (standard 60; inte för en Python-modul med --module, som körs i processen)",
    )
    rn.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="vektorer som körs samtidigt med --cmd (standard: antalet kärnor); utskriften kommer i svitens "
        "ordning; --module kör en vektor i taget",
    )
    rn.add_argument(
        "--keep-going",
        action="store_true",
        help=f"kör alla vektorer även när de {EARLY} första ger samma fel som inte gäller reglerna (programmet "
        "saknas, kod 2, ingen JSON, en krasch); utan den avbryts körningen där med ett meddelande",
    )
    rn.set_defaults(func=run_run)


def run_export(args: argparse.Namespace) -> int:
    from lss_rules.cli import load_spec_of
    from lss_rules.errors import UsageError
    from lss_rules.tools.conformance import export

    spec, source = load_spec_of(args)
    if args.year < spec.first_year:
        raise UsageError(f"registret börjar {spec.first_year}; {args.year} finns inte")
    out: Path = args.output
    try:
        manifest = export(spec.for_year(args.year), out, force=args.force)
    except OSError as exc:
        raise UsageError(f"{exc.filename or out}: kan inte skrivas ({os_error_text(exc)})") from None
    kinds: dict[str, int] = {}
    for v in manifest["vectors"]:
        kinds[v["kind"]] = kinds.get(v["kind"], 0) + 1
    covered = sorted({v["rule"] for v in manifest["vectors"] if v["rule"] and v["kind"] == "violation"})
    missing = [r for r in manifest["rules"] if r not in covered]
    detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    vectors = plural(len(manifest["vectors"]), "vektor", "vektorer")
    covering = f"för {plural(len(covered), 'regel', 'regler')} och kontroller {args.year}"
    print(f"{printable(str(out))}: {vectors} ({detail}) {covering}")
    print(source.describe(spec.digest))
    if missing:
        print(f"Utan bryt-vektor (kan inte brytas {args.year}): {', '.join(missing)}")
    return 0


def run_run(args: argparse.Namespace) -> int:
    from lss_rules.tools.conformance import Result, junit_xml, run_suite

    def show(r: Result) -> None:
        if r.passed:
            print(f"ok    {r.vector.id}", flush=True)
        else:
            print(f"FEL   {r.vector.id}: {printable(r.reason)}", flush=True)

    run = run_suite(
        args.suite,
        args.cmd,
        module=args.module,
        timeout=args.timeout,
        progress=show,
        jobs=args.jobs,
        keep_going=args.keep_going,
    )
    passed = sum(1 for r in run.results if r.passed)
    failed = len(run.results) - passed
    if args.junit is not None:
        try:
            args.junit.parent.mkdir(parents=True, exist_ok=True)
            args.junit.write_bytes(junit_xml(run.manifest, run.results))
        except OSError as exc:
            print(f"lss-rules: {args.junit}: kan inte skrivas ({os_error_text(exc)})", file=sys.stderr)
            return 2
    if run.stopped is not None:  # the program gave no usable answer: the run could not be made
        print(f"lss-rules: {printable(run.stopped)}", file=sys.stderr)
        return 2
    print(f"{passed} godkända, {failed} underkända")
    return 0 if failed == 0 and run.results else 1
