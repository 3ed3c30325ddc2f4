"""The feedback file and the comparison report as JSON, CSV and text (``lss-rules report --format``).

The counting is :mod:`lss_rules.tools.report`; this module only writes what it counted.  Every text from
a file or the spec's data (a file name, a municipality's name) is made printable, and a CSV cell a
spreadsheet would read as a formula is quoted (:func:`csv_cell`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lss_rules.runtime import python as runtime
from lss_rules.tools.report import Comparison, Feedback, MunicipalityCount

# ----------------------------------------------------------------- output: JSON


def _muni_json(mc: MunicipalityCount) -> dict[str, Any]:
    return {
        "file": mc.file,
        "code": mc.code,
        "name": mc.name,
        "records": mc.records,
        "well_formed": mc.well_formed,
        "persons": mc.persons,
        "counts": dict(mc.counts),
    }


def feedback_json(fb: Feedback) -> dict[str, Any]:
    """``lss-rules report --format json`` without ``--previous``."""
    return {
        "report": "feedback",
        "year": fb.year,
        "insatser": [{"name": i.name, "label": i.label} for i in fb.insatser],
        "municipalities": [_muni_json(mc) for mc in fb.municipalities],
    }


def _percent(p: float | None) -> float | None:
    return None if p is None else round(p, 1)


def comparison_json(c: Comparison) -> dict[str, Any]:
    """``lss-rules report --previous ... --format json``."""
    return {
        "report": "comparison",
        "year": c.year,
        "previous_year": c.previous_year,
        "threshold_percent": c.threshold,
        "minimum_change": c.minimum,
        "municipalities": [
            {
                "code": mcmp.current.code,
                "name": mcmp.current.name,
                "file": mcmp.current.file,
                "previous_file": mcmp.previous.file if mcmp.previous else None,
                "current": _muni_json(mcmp.current),
                "previous": _muni_json(mcmp.previous) if mcmp.previous else None,
                "flagged": mcmp.flagged,
                "insatser": [
                    {
                        "insats": r.insats,
                        "label": r.label,
                        "now": r.now,
                        "previous": r.previous,
                        "change": r.change,
                        "percent": _percent(r.percent),
                        "comparable": r.comparable,
                        "reason": r.reason,
                        "flagged": r.flagged,
                    }
                    for r in mcmp.rows
                ],
            }
            for mcmp in c.municipalities
        ],
        "unmatched_previous": [_muni_json(mc) for mc in c.unmatched_previous],
    }


# ----------------------------------------------------------------- output: CSV

FEEDBACK_CSV_HEADER = ("ar", "kommun", "kommunnamn", "fil", "insats", "antal_personer")
COMPARISON_CSV_HEADER = (
    "ar",
    "kommun",
    "kommunnamn",
    "fil",
    "foregaende_fil",
    "insats",
    "antal",
    "antal_foregaende_ar",
    "forandring",
    "procent",
    "jamforbar",
    "orsak",
    "uppfoljning",
)


# OWASP, "CSV injection": a spreadsheet takes a cell that starts with one of these for a formula
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # a number the report writes (a change, a percentage): no formula


def csv_cell(value: Any) -> str:
    """One cell of a CSV the tool writes, as text between the commas.

    Text (a file name, a municipality's name from the spec's data) is made printable (ESC, CR, a bidi
    override... written ``\\x1b``, ``\\r``, ``\\u202e``), and text a spreadsheet would read as a formula
    (``=``, ``+``, ``-``, ``@``, tab or CR first) gets a single quote before it and double quotes around it,
    as OWASP recommends: ``=HYPERLINK(...)`` is written ``"'=HYPERLINK(...)"``.  Otherwise a cell is
    quoted as :mod:`csv` quotes it (a comma or a double quote inside), so other reports stay byte for byte.
    """
    if value is None:
        return ""
    text = runtime.printable(value) if isinstance(value, str) else str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        text = "'" + text
    elif not ("," in text or '"' in text):
        return text
    return '"' + text.replace('"', '""') + '"'


def _csv(rows: list[Sequence[Any]]) -> str:
    return "".join(",".join(csv_cell(v) for v in row) + "\n" for row in rows)


def feedback_csv(fb: Feedback) -> str:
    """One row per file and insats (long form), comma-separated, header first."""
    rows: list[Sequence[Any]] = [FEEDBACK_CSV_HEADER]
    for mc in fb.municipalities:
        for name, n in mc.counts:
            rows.append((fb.year, mc.code, mc.name, mc.file, name, n))
    return _csv(rows)


def comparison_csv(c: Comparison) -> str:
    """One row per file and insats (long form); booleans as 1/0, empty for no value."""
    rows: list[Sequence[Any]] = [COMPARISON_CSV_HEADER]
    for mcmp in c.municipalities:
        for r in mcmp.rows:
            pct = _percent(r.percent)
            rows.append(
                (
                    c.year,
                    mcmp.current.code,
                    mcmp.current.name,
                    mcmp.current.file,
                    mcmp.previous.file if mcmp.previous else None,
                    r.insats,
                    r.now,
                    r.previous,
                    r.change,
                    None if pct is None else f"{pct:.1f}",
                    int(r.comparable),
                    r.reason,
                    int(r.flagged),
                )
            )
    return _csv(rows)


# ----------------------------------------------------------------- output: text

_REASON_SV: dict[str, str] = {
    "not_collected_previous": "ej jämförbar: samlades inte in {prev}",
    "not_collected_now": "ej jämförbar: samlas inte in {now}",
    "no_previous_file": "ingen fil {prev}",
}


def _who(mc: MunicipalityCount) -> str:
    code = mc.code or "????"
    name = mc.name or "okänd kommun"
    return f"{code} {name}"


def feedback_text(fb: Feedback) -> str:
    width = max(len(i.label) for i in fb.insatser) if fb.insatser else 10
    out = [f"Återkopplingsfil {fb.register} {fb.year}: antal personer per insats"]
    for mc in fb.municipalities:
        out.append("")
        out.append(
            f"{_who(mc)} ({runtime.printable(mc.file)}): {runtime.plural(mc.records, 'post', 'poster')}, "
            f"{mc.well_formed} med rätt antal fält, {runtime.plural(mc.persons, 'person', 'personer')}"
        )
        for ins in fb.insatser:
            out.append(f"  {ins.label:<{width}}  {mc.count(ins.name):>6}")
    out.append("")
    out.append(
        "En person räknas en gång per insats (olika personnummer på rader med rätt antal fält och markeringen 1)."
    )
    text: str = runtime.printable_lines("\n".join(out))  # a municipality's name from the spec's data, too
    return text + "\n"


def comparison_text(c: Comparison) -> str:
    labels = [r.label for mcmp in c.municipalities for r in mcmp.rows]
    width = max((len(x) for x in labels), default=10)
    out = [
        f"Jämförelserapport {c.current.register} {c.year} mot {c.previous_year}",
        f"Uppföljning när skillnaden är minst {c.minimum} personer och mer än {c.threshold} procent "
        f"(eller från 0); parametrarna {c.parameters[1]} och {c.parameters[0]}.",
    ]
    for mcmp in c.municipalities:
        mc, prev = mcmp.current, mcmp.previous
        out.append("")
        prev_text = f"{c.previous_year}: {runtime.printable(prev.file)}" if prev else f"ingen fil {c.previous_year}"
        out.append(f"{_who(mc)} ({c.year}: {runtime.printable(mc.file)}; {prev_text}) — {mcmp.flagged} att följa upp")
        out.append(f"  {'insats':<{width}}  {c.year:>6}  {c.previous_year:>6}  {'ändring':>7}  {'procent':>8}")
        for r in mcmp.rows:
            now = "–" if r.now is None else str(r.now)
            before = "–" if r.previous is None else str(r.previous)
            if r.reason is not None:
                tail = _REASON_SV[r.reason].format(now=c.year, prev=c.previous_year)
                out.append(f"  {r.label:<{width}}  {now:>6}  {before:>6}  {tail}")
                continue
            change = "–" if r.change is None else "0" if r.change == 0 else f"{r.change:+d}"
            pct = "–" if r.percent is None else f"{r.percent:+.1f} %".replace(".", ",").replace("+0,0", "0,0")
            mark = "  FÖLJ UPP" if r.flagged else ""
            out.append(f"  {r.label:<{width}}  {now:>6}  {before:>6}  {change:>7}  {pct:>8}{mark}")
    for mc in c.unmatched_previous:
        out.append("")
        out.append(
            f"{_who(mc)} ({c.previous_year}: {runtime.printable(mc.file)}): ingen fil {c.year} med samma kommunkod"
        )
    text: str = runtime.printable_lines("\n".join(out))  # a municipality's name from the spec's data, too
    return text + "\n"
