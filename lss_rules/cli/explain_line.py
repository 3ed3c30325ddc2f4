"""``lss-rules explain RULE --year Y --line FILE:N [FILE…]``: one rule on one line of a file, and why.

The reference evaluator (:mod:`lss_rules.meaning.traced`) evaluates every clause of the rule on the
line; the answer says whether the rule gives a finding there, and if not which clause made it pass
(``when`` false, or ``require`` true) or which value was unknown (the rule not evaluated: S01/S02/S03).
The file is untrusted: read as ``validate`` reads it (a regular file, streamed, lines bounded), never
held whole; a bad ``--line``, a line past the end or an unreadable file is one Swedish line, exit 2.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from lss_rules.errors import DataError, UsageError

_T = {
    "sv": {
        "bad_line": "--line ska vara FIL:RAD med ett radnummer från 1, t.ex. --line 0114.txt:12 (fick {got})",
        "no_line": "{path} har {n} rader; rad {line} finns inte. Ange en rad mellan 1 och {n}",
        "empty": "{path} är tom; det finns ingen rad att förklara",
        "deceased": "{rule} läser dödsregistret: ange ett utdrag med --deceased FIL",
        "head": "{rule} på rad {line} i {path}",
        "fired": "Fynd: ja — regeln ger ett fynd på raden",
        "not_fired": "Fynd: nej",
        "why": "Varför",
        "s01": "raden har fel antal fält ({check}); regeln prövas inte på raden",
        "skipped": "regeln prövas inte på raden: {fields} saknar giltigt värde ({check})",
        "when_false": "regeln gäller inte raden: villkoret att {words} är inte uppfyllt",
        "when_unknown": "det går inte att avgöra om regeln gäller raden: villkoret att {words} är {state}",
        "require_true": "kravet att {words} är uppfyllt",
        "require_unknown": "kravet att {words} kan inte prövas: {state}",
        "check_not": "kontrollen ger inget fynd på raden",
        "values": "Värden",
        "empty_value": "tomt",
        "source": "Källa",
        "fix": "Så rättar du",
    },
    "en": {
        "bad_line": "--line must be FILE:LINE with a line number from 1, e.g. --line 0114.txt:12 (got {got})",
        "no_line": "{path} has {n} lines; line {line} does not exist. Give a line from 1 to {n}",
        "empty": "{path} is empty; there is no line to explain",
        "deceased": "{rule} reads the register of deaths: give an extract with --deceased FILE",
        "head": "{rule} on line {line} of {path}",
        "fired": "Finding: yes — the rule gives a finding on the line",
        "not_fired": "Finding: no",
        "why": "Why",
        "s01": "the line has the wrong number of fields ({check}); the rule is not evaluated on it",
        "skipped": "the rule is not evaluated on the line: {fields} has no valid value ({check})",
        "when_false": "the rule does not apply to the line: {words} is not satisfied",
        "when_unknown": "whether the rule applies cannot be decided: {words} is {state}",
        "require_true": "the requirement is satisfied: {words}",
        "require_unknown": "the requirement cannot be tested: {words} is {state}",
        "check_not": "the check gives no finding on the line",
        "values": "Values",
        "empty_value": "empty",
        "source": "Source",
        "fix": "How to fix (in Swedish)",
    },
}


def parse_line(text: str, lang: str = "sv") -> tuple[str, int]:
    """``FILE:N`` -> (FILE, N); a file name may hold ``:`` (the last one separates the number)."""
    from lss_rules.runtime.python import mask_text, printable, quoted

    path, sep, number = text.rpartition(":")
    if not sep or not path or not (number.isascii() and number.isdigit()) or int(number) < 1 or len(number) > 12:
        raise UsageError(_T[lang]["bad_line"].format(got=quoted(printable(mask_text(text[:200])))))
    return path, int(number)


def explain_line_command(args: argparse.Namespace, ym: Any, ident: str) -> int:
    from lss_rules.cli.validate import check_inputs
    from lss_rules.language import model as m
    from lss_rules.meaning.expected import detail_table
    from lss_rules.meaning.traced import explain_line, rule_of, trace_json
    from lss_rules.runtime import python as runtime

    t = _T[args.lang]
    path, number = parse_line(args.line[0], args.lang)
    paths = [path, *args.line[1:]]
    check_inputs([*paths, *([args.deceased] if args.deceased else [])])
    item = rule_of(ym, ident)
    if item is None:  # explain without --line says why (not in force this year)
        raise DataError(f"{ident} gäller inte {ym.year}; kör `lss-rules explain {ident} --year {ym.year}`")
    deceased = runtime.read_deceased(args.deceased) if args.deceased else None
    if isinstance(item, m.ActiveRule) and item.rule.scope == "external" and deceased is None:
        raise UsageError(t["deceased"].format(rule=ident))
    files = [lambda p=p: runtime.iter_lines(p) for p in paths]
    lt = explain_line(ym, files, 0, number, ident, deceased)
    shown = runtime.clean_path(path) if args.show_personnummer else runtime.mask_text(runtime.clean_path(path))
    if lt is None:
        n = sum(1 for _ in runtime.iter_lines(path))
        raise DataError((t["no_line"] if n else t["empty"]).format(path=shown, n=n, line=number))
    shown_paths = [runtime.clean_path(p) for p in paths]
    if not args.show_personnummer:
        shown_paths = [runtime.mask_text(p) for p in shown_paths]
    trace = trace_json(detail_table(ym, args.lang), lt, shown_paths, args.show_personnummer, deceased)
    if args.format == "json":
        print(json.dumps({"file": shown, "line": number, "trace": trace}, ensure_ascii=False, indent=2))
        return 0
    out = [t["head"].format(rule=ident, line=number, path=shown)]
    out.append(t["fired"] if lt.fired else t["not_fired"])
    if not lt.fired:
        out.append(f"{t['why']}: {_why(trace, lt, args.lang)}")
    whole = not (isinstance(lt.parts, int) and lt.skipped)  # a rule not evaluated on a line with LSS-S01: no fields
    if whole and (trace["when"] is not None or trace["require"] is not None):
        out.append(runtime.trace_text(trace, args.lang))
    if whole and trace["values"]:
        vals = [
            f"{v['label']} = {runtime.quoted(v['value']) if v['value'] else t['empty_value']}" for v in trace["values"]
        ]
        out.append(f"{t['values']}: " + ", ".join(vals))
    if trace["source"]:
        out.append(f"{t['source']}: {', '.join(trace['source'])}")
    if trace["fix"]:
        out.append(f"{t['fix']}: {trace['fix']}")
    print(runtime.printable_lines("\n".join(out)))
    return 0


def _why(trace: dict[str, Any], lt: Any, lang: str) -> str:
    """Why the rule gives no finding: skipped, ``when`` not true, or ``require`` not false — in words."""
    from lss_rules.runtime.python import TRACE_WORDS

    t = _T[lang]
    unknown = TRACE_WORDS[lang]
    if lt.skipped is not None:
        fields, check = lt.skipped
        if not fields:
            return t["s01"].format(check=check)
        labels = {v["field"]: v["label"] for v in trace["values"]}
        return t["skipped"].format(fields=", ".join(labels.get(f, f) for f in fields), check=check)
    when, require = trace["when"], trace["require"]
    if when is not None and when["value"] is not True:
        key = "when_false" if when["value"] is False else "when_unknown"
        return t[key].format(words=when["words"], state=unknown[when["unknown"] or "unknown"])
    if require is not None:
        key = "require_true" if require["value"] is True else "require_unknown"
        return t[key].format(words=require["words"], state=unknown[require["unknown"] or "unknown"])
    return t["check_not"]
