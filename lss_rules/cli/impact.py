"""``lss-rules impact``: what a change of the rules would do to a register, before it is decided."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "impact",
        help="jämför två versioner av reglerna på ett register: fynd som tillkommer och försvinner",
        description="Kör två versioner av reglerna över samma register och visa per regel de fynd som "
        "tillkommer och försvinner, filerna som byter status och exempelrader (personnummer maskerade). "
        "Versionerna är antingen den aktuella specifikationen mot en annan specifikationsmapp (--against MAPP, "
        "t.ex. en utcheckning av den senaste utgåvan) för ett år (--year), eller ett års regler mot ett annat "
        "års (--from-year A --to-year B). Registret är de filer som ges, annars ett realistiskt genererat "
        "register för året med de regler som gällde före (Skatteverkets testpersonnummer). "
        "Avslutningskod 0, 2 om körningen inte kunde göras.",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="registrets filer (en per kommun); standard: genererat")
    p.add_argument(
        "--spec", type=Path, metavar="DIR", help="den aktuella specifikationen (standard: spec/ eller den installerade)"
    )
    p.add_argument("--against", type=Path, metavar="DIR", help="specifikationen att jämföra med (reglerna före)")
    p.add_argument("--year", type=int, help="året med --against (standard: specifikationens sista år)")
    p.add_argument("--from-year", type=int, metavar="A", help="reglerna före: år A")
    p.add_argument("--to-year", type=int, metavar="B", help="reglerna efter: år B")
    p.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="utdatats form (standard: text)"
    )
    p.add_argument("--deceased", type=Path, metavar="FILE", help="utdrag ur dödsregistret (för LSS-R02)")
    p.add_argument(
        "--persons", type=int, default=2000, metavar="N", help="det genererade registrets storlek (standard 2000)"
    )
    p.add_argument(
        "--seed", type=int, default=1, metavar="S", help="slumpfrö för det genererade registret (standard 1)"
    )
    p.add_argument(
        "--error-rate",
        type=float,
        default=0.05,
        metavar="P",
        help="andel poster med ett fynd i det genererade registret (standard 0.05)",
    )
    p.add_argument(
        "--examples", type=int, default=3, metavar="K", help="exempelrader per regel och ändring (standard 3)"
    )
    p.add_argument("--show-personnummer", action="store_true", help="visa personnumren omaskerade")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="skriv till filen i stället för standard ut")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import json

    from lss_rules.cli import write_output
    from lss_rules.errors import UsageError
    from lss_rules.language.load import load_spec
    from lss_rules.language.source import announce, resolve
    from lss_rules.tools import impact

    years_mode = args.from_year is not None or args.to_year is not None
    if years_mode == (args.against is not None):
        raise UsageError("ange antingen --against MAPP eller --from-year A --to-year B")
    if args.examples < 0:
        raise UsageError(f"--examples ska vara 0 eller mer ({args.examples})")
    source = resolve(args.spec, working_copy=True)  # an editing command: the working copy spec/ by default
    announce(source)
    current_path = source.path
    current = load_spec(current_path)
    specs = None
    if years_mode:
        if args.from_year is None or args.to_year is None:
            raise UsageError("--from-year och --to-year ges tillsammans")
        if args.year is not None:
            raise UsageError("--year hör till --against; med --from-year/--to-year ges åren där")
        for y in (args.from_year, args.to_year):
            if y < current.first_year:
                raise UsageError(f"registret börjar {current.first_year}; {y} finns inte")
        before, after = current.for_year(args.from_year), current.for_year(args.to_year)
        specs = (source.as_json(current.digest), source.as_json(current.digest))
        label = (f"reglerna {args.from_year}", f"reglerna {args.to_year}")
    else:
        other = load_spec(args.against)
        year = args.year if args.year is not None else current.last_stated_year
        if year < max(current.first_year, other.first_year):
            raise UsageError(f"registret börjar {max(current.first_year, other.first_year)}; {year} finns inte")
        before, after = other.for_year(year), current.for_year(year)
        specs = (resolve(args.against).as_json(other.digest), source.as_json(current.digest))
        label = (f"{args.against} ({year})", f"{source.shown_path or 'den installerade'} ({year})")
    files, description = _register(args, before)
    deceased = None
    if args.deceased is not None:
        from lss_rules.cli.validate import check_inputs
        from lss_rules.runtime.python import read_deceased

        check_inputs([str(args.deceased)])
        deceased = read_deceased(str(args.deceased))
    result = impact.compare(
        before,
        after,
        files,
        label=label,
        register=description,
        deceased=deceased,
        examples=args.examples,
        show_personnummer=args.show_personnummer,
        specs=specs,
    )
    if args.format == "json":
        text = json.dumps(impact.to_json(result), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "markdown":
        text = impact.render_markdown(result)
    else:
        text = impact.render_text(result)
    write_output(text, args.output)
    return 0


def _register(args: argparse.Namespace, before: Any) -> tuple[dict[str, list[str]], str]:
    """The files (name -> lines) and a description: given, or generated with the rules before."""
    if args.files:
        from lss_rules.cli.validate import check_inputs
        from lss_rules.errors import UsageError
        from lss_rules.runtime.python import iter_lines

        check_inputs(list(args.files))
        if len(set(args.files)) != len(args.files):
            raise UsageError("samma fil ges två gånger")
        files = {}
        for path in args.files:
            files[path] = list(iter_lines(path))
        return files, f"{len(args.files)} filer som gavs"
    from lss_rules.generators.bulk import build_register

    reg = build_register(before, persons=args.persons, seed=args.seed, error_rate=args.error_rate)
    return reg.files, (
        f"genererat för {before.year} med reglerna före ({args.persons} personer, frö {args.seed}, "
        f"andel fel {args.error_rate})"
    )
