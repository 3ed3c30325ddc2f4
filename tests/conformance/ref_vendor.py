"""A "vendor" for the tests: the reference evaluator behind validate's command line.

``LSS_MUTANT`` (``remove:LSS-R04`` or ``shift:LSS-R21:0:+1``) runs a broken year model instead.
"""

from __future__ import annotations

import json
import os
import sys

from lss_rules.language.load import load_spec
from lss_rules.meaning.evaluate import evaluate_files
from lss_rules.runtime import python as runtime


def main() -> int:
    args = runtime.argument_parser("ref-vendor").parse_args()
    ym = load_spec().for_year(args.year)
    mutant = os.environ.get("LSS_MUTANT")
    if mutant:
        sys.path.insert(0, os.path.dirname(__file__))
        from mutants import apply

        ym = apply(ym, mutant)
    deceased = runtime.read_deceased(args.deceased) if args.deceased else None
    report = evaluate_files(ym, args.files, deceased)
    sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    return runtime.exit_code(report)


if __name__ == "__main__":
    sys.exit(main())
