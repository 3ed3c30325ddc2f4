"""What the rules saw, for a conformance failure: the reference evaluator's trace of a missed or added finding.

When a vendor's program misses a finding, the failure shows the trace of the expected finding (what the
rule saw on that line); when it adds one, why the rule does not fire there.  Masked, Swedish, and bounded:
at most :data:`SHOWN` traces of at most :data:`WIDTH` characters each.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lss_rules.runtime import python as runtime
from lss_rules.tools.conformance.suite import SuiteVector

SHOWN = 3  # traces shown in one failure
WIDTH = 400  # characters of one trace


def failure_traces(vector: SuiteVector, missing: Iterable[tuple[Any, ...]], extra: Iterable[tuple[Any, ...]]) -> str:
    """The traces of the findings that differ (file, line, rule, severity), one sentence each; "" if none applies."""
    wanted = [(f, True) for f in missing] + [(f, False) for f in extra]
    said: list[str] = []
    for (file, line, rule, _), expected in wanted:
        if len(said) == SHOWN:
            break
        if not isinstance(line, int) or file not in vector.files:
            continue
        text = _trace(vector, file, line, str(rule), expected)
        if text:
            said.append(text)
    left = len(wanted) - len(said)
    if said and left > 0 and len(wanted) > SHOWN:
        said.append(f"({left} fynd till utan spårning)")
    return " ".join(said)


def _trace(vector: SuiteVector, file: str, line: int, rule: str, expected: bool) -> str:
    from lss_rules.language.load import load_spec
    from lss_rules.meaning.expected import detail_table
    from lss_rules.meaning.traced import explain_line, rule_of, trace_json

    try:
        ym = load_spec().for_year(int(vector.expected["year"]))
        if rule_of(ym, rule) is None:
            return ""
        files = [lambda n=n: runtime.iter_lines(vector.folder / n) for n in vector.files]
        deceased = vector.read_deceased()
        lt = explain_line(ym, files, vector.files.index(file), line, rule, deceased)
    except (runtime.InputError, ValueError, OSError):
        return ""  # the suite's file cannot be read again: the failure is said without its trace
    if lt is None:
        return ""
    trace = trace_json(detail_table(ym), lt, [runtime.mask_text(n) for n in vector.files], deceased=deceased)
    where = f"{runtime.mask_text(file)} rad {line} {rule}"
    if expected:
        head = f"Väntat fynd {where}, så såg regeln raden:"
    elif lt.fired:
        head = f"Oväntat fynd {where}; regeln ger fyndet också här:"
    else:
        head = f"Oväntat fynd {where}; regeln ger inget fynd där:"
    text = runtime.trace_text(trace) if trace["when"] or trace["require"] else ""
    if lt.skipped is not None:
        text = f"regeln prövas inte på raden ({lt.skipped[1]}). {text}"
    shown = runtime.printable(runtime.mask_text(f"{head} {text}".strip()))
    return shown if len(shown) <= WIDTH else shown[: WIDTH - 1] + "…"
