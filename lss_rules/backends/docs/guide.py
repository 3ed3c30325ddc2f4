"""The municipalities' guide's common findings, made from the bundled register with mistakes.

``examples/2023-med-fel`` holds the mistakes a municipality's file most often has (a header line, commas,
UTF-16, a municipality code without its leading zero, a flag written ``01``, too many hours, a line short of a
field ...).  The mkdocs hook checks it with the year's validator at build time and hands the JSON report here;
:func:`common_findings_md` says, for each whole-file problem and for each rule the example breaks, what the page
"Granska fil" shows — the rule's id, title and message from the spec, what was found in the example — and what
to do: the whole-file problem's own sentence, the rule's "Så rättar du" where the spec has one.  No rule id,
title or message is written in the guide by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from lss_rules.backends.docs.site import plain
from lss_rules.language import model as m

WHOLE_FILE_MARK = "<!-- lss:hela-filen -->"
COMMON_MARK = "<!-- lss:vanliga-fynd -->"
SHOWN = 5  # the rules the guide names: the example's most frequent ones


def _fix(item: m.ActiveCheck | m.ActiveRule) -> str:
    # "Så rättar du" (issue 24): a property of the year's rule once the spec has it, filled with the year's values
    return str(getattr(item, "fix", "") or "")


def whole_file_md(report: Mapping[str, Any]) -> str:
    """Markdown: each whole-file problem of the example once (header line, separator, encoding), in the words
    the validator says it in, what to do included."""
    items: list[str] = []
    seen: set[str] = set()
    for f in report.get("files", []):
        for hint in f.get("hints", []):
            if hint["code"] not in seen:
                seen.add(hint["code"])
                items.append(f"- {plain(hint['message'])}")
    return "\n".join(items) + "\n"


def common_findings_md(ym: m.YearModel, report: Mapping[str, Any], rules_base: str = "../regler/") -> str:
    """Markdown: a numbered list of the example's ``SHOWN`` most frequent rules (ties in the spec's order), each
    with its id (a link to its page), title and message, what was found in the example, and what to do."""
    findings = list(report.get("findings", []))
    count = Counter(f["rule"] for f in findings)
    active: dict[str, m.ActiveCheck | m.ActiveRule] = {a.id: a for a in ym.checks}
    active.update({a.id: a for a in ym.rules})
    order = {rule: i for i, rule in enumerate(active)}
    items: list[str] = []
    for rule in sorted(count, key=lambda r: (-count[r], order.get(r, len(order))))[:SHOWN]:
        a = active.get(rule)
        if a is None:
            continue
        # the example's shortest detail: one value and what is expected, as the page shows it
        shown = min((f.get("detail") or f.get("message", "") for f in findings if f["rule"] == rule), key=len)
        severity = "fel" if a.severity == "error" else "varning"
        # every text from the spec or the report as text, never markup (site.plain)
        text = f"**[{plain(rule)}]({rules_base}{rule}.md) {plain(a.title)}** ({severity}). {plain(a.message)}"
        text += f" I exemplet: *{plain(shown.rstrip('.'))}*."
        if _fix(a):
            text += f" **Så rättar du:** {plain(_fix(a))}"
        items.append(text)
    return "\n".join(f"{i}. {text}" for i, text in enumerate(items, 1)) + "\n"
