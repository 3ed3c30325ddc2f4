"""The impact of a change of rules on a register: findings gained and lost, files whose status changes.

Two versions of the rules — two year models, from two spec folders (the
current spec against a checkout of the last release) or from two years of one
spec — are run by the reference evaluator over the same files, and the
findings are compared by (file, line, rule):

- *gained*: the after-rules give a finding the before-rules did not;
- *lost*: the before-rules gave it, the after-rules do not;
- *severity*: both give it, with different severities (LSS-R06 from 2020).

Example lines are shown as the file holds them, every personnummer-shaped
run masked (``19800101****``, ``800101-****``: the field keeps its place on
the line; :func:`lss_rules.runtime.python.mask_text`), file names too, unless asked
otherwise.  :func:`render_text`, :func:`render_markdown` and :func:`to_json`
print the result.

>>> from lss_rules.language.load import load_spec
>>> spec = load_spec()
>>> line = "0114;201001012382;1;1;800;0;;1;0;;0;;0;0;0;0;0;;0"
>>> imp = compare(spec.for_year(2020), spec.for_year(2021), {"0114.txt": [line]}, label=("2020", "2021"))
>>> [(r.rule, r.gained, r.lost) for r in imp.rules if r.gained or r.lost]
[('LSS-R17', 0, 1), ('LSS-R21', 1, 0)]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lss_rules.language import model as m
from lss_rules.runtime import python as runtime

EXAMPLES_PER_RULE = 3
STATUS_SV = {"accepted": "godkänd", "accepted_with_warnings": "godkänd med varningar", "rejected": "underkänd"}
SEVERITY_SV = {"error": "fel", "warning": "varning", None: "–"}
CHANGE_SV = {"gained": "tillkommer", "lost": "försvinner", "severity": "ny allvarlighetsgrad"}

Key = tuple[str, int | None, str]  # (file, line, rule)


def mask_line(text: str) -> str:
    """Every personnummer-shaped run of a line as ``ååååmmdd****`` (``ååmmdd-****``...): the line keeps its fields.

    The masking of every report (:func:`lss_rules.runtime.python.mask_text`): ten or twelve digits, with or without
    ``-``/``+`` — before, only runs of twelve digits were masked, so ``19691014-9290`` passed.
    """
    masked: str = runtime.mask_text(text)
    return masked


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # gained | lost | severity
    file: str
    line: int | None
    rule: str
    before: str | None  # severity before (None: no finding)
    after: str | None
    text: str | None  # the line as the file holds it (masked), None for a whole-file finding


@dataclass(frozen=True, slots=True)
class RuleImpact:
    rule: str
    title: str
    in_force: tuple[bool, bool]
    before: int
    after: int
    gained: int
    lost: int
    severity: int
    examples: tuple[Change, ...]

    @property
    def changed(self) -> bool:
        return bool(self.gained or self.lost or self.severity)


@dataclass(frozen=True, slots=True)
class FileChange:
    file: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Impact:
    label: tuple[str, str]
    years: tuple[int, int]
    register: str
    files: int
    records: int
    status: tuple[str, str]
    rules: tuple[RuleImpact, ...]
    file_changes: tuple[FileChange, ...]
    notes: tuple[str, ...] = ()
    specs: tuple[dict[str, Any], dict[str, Any]] | None = None  # {"path", "digest"} of the rules before and after
    # the changes of the rules that break a vendor's program written for the rules before (meaning.diff)
    breaking: tuple[str, ...] = ()


def _findings(
    ym: m.YearModel, files: Mapping[str, Sequence[str]], deceased: Mapping[str, dt.date] | None
) -> dict[Key, str]:
    from lss_rules.meaning.evaluate import Evaluator, rule_table

    names = list(files)
    _, found = Evaluator(ym, deceased).run([list(files[n]) for n in names])
    table = rule_table(ym)
    return {(names[f.file], f.line, f.rule): table[f.rule][0] for f in found}


def compare(
    before: m.YearModel,
    after: m.YearModel,
    files: Mapping[str, Sequence[str]],
    *,
    label: tuple[str, str],
    register: str = "",
    deceased: Mapping[str, dt.date] | None = None,
    examples: int = EXAMPLES_PER_RULE,
    show_personnummer: bool = False,
    specs: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> Impact:
    """Run both versions of the rules over ``files`` (name -> lines) and compare their findings."""
    old = _findings(before, files, deceased)
    new = _findings(after, files, deceased)
    titles: dict[str, str] = {}
    for ym in (after, before):
        for ident in ym.spec.ids:
            titles.setdefault(ident, ym.spec.item(ident).title.sv)
    order = list(titles)
    order.sort(key=lambda i: (after.spec.ids.index(i) if i in after.spec.ids else len(order), i))
    in_before = {a.id for a in before.active}
    in_after = {a.id for a in after.active}

    def line_text(file: str, line: int | None) -> str | None:
        if line is None:
            return None
        text = files[file][line - 1]
        return text if show_personnummer else mask_line(text)

    def shown(file: str) -> str:  # a file name is echoed too
        return file if show_personnummer else mask_line(file)

    rules = []
    for ident in order:
        o = {k: s for k, s in old.items() if k[2] == ident}
        n = {k: s for k, s in new.items() if k[2] == ident}
        if not (o or n or ident in in_before or ident in in_after):
            continue
        changes = [Change("gained", k[0], k[1], ident, None, n[k], None) for k in n if k not in o]
        changes += [Change("lost", k[0], k[1], ident, o[k], None, None) for k in o if k not in n]
        changes += [Change("severity", k[0], k[1], ident, o[k], n[k], None) for k in n if k in o and o[k] != n[k]]
        changes.sort(key=lambda c: (list(files).index(c.file), c.line or 0, c.kind))
        picked: list[Change] = []
        for kind in ("gained", "lost", "severity"):
            for c in [c for c in changes if c.kind == kind][:examples]:
                text = line_text(c.file, c.line)
                picked.append(Change(c.kind, shown(c.file), c.line, c.rule, c.before, c.after, text))
        rules.append(
            RuleImpact(
                ident,
                titles[ident],
                (ident in in_before, ident in in_after),
                len(o),
                len(n),
                sum(1 for c in changes if c.kind == "gained"),
                sum(1 for c in changes if c.kind == "lost"),
                sum(1 for c in changes if c.kind == "severity"),
                tuple(picked),
            )
        )
    file_changes = []
    for name in files:
        s_old = runtime.status_of(s for k, s in old.items() if k[0] == name)
        s_new = runtime.status_of(s for k, s in new.items() if k[0] == name)
        if s_old != s_new:
            file_changes.append(FileChange(shown(name), s_old, s_new))
    notes = []
    if before.year != after.year:
        notes.append(
            f"Åldern räknas per kalenderår mot varje års regler: samma person är {after.year - before.year} år "
            "äldre med reglerna efter, så en åldersregel kan ge andra fynd utan att regeln själv ändrats."
        )
    from lss_rules.meaning.diff import diff_models
    from lss_rules.meaning.release_notes import breaking_lines

    return Impact(
        label,
        (before.year, after.year),
        register,
        len(files),
        sum(len(v) for v in files.values()),
        (runtime.status_of(old.values()), runtime.status_of(new.values())),
        tuple(rules),
        tuple(file_changes),
        tuple(notes),
        specs,
        tuple(breaking_lines(diff_models(before, after))),
    )


# --------------------------------------------------------------------------- output


def to_json(imp: Impact) -> dict[str, Any]:
    sides = []
    for i in (0, 1):
        side: dict[str, Any] = {"label": imp.label[i], "year": imp.years[i], "status": imp.status[i]}
        if imp.specs is not None:
            side["spec"] = imp.specs[i]
        sides.append(side)
    return {
        "before": sides[0],
        "after": sides[1],
        "register": {"description": imp.register, "files": imp.files, "records": imp.records},
        "rules": [
            {
                "rule": r.rule,
                "title": r.title,
                "in_force": {"before": r.in_force[0], "after": r.in_force[1]},
                "findings": {"before": r.before, "after": r.after},
                "gained": r.gained,
                "lost": r.lost,
                "severity_changed": r.severity,
                "examples": [
                    {
                        "change": c.kind,
                        "file": c.file,
                        "line": c.line,
                        "severity": {"before": c.before, "after": c.after},
                        "text": c.text,
                    }
                    for c in r.examples
                ],
            }
            for r in imp.rules
        ],
        "files_changing_status": [{"file": f.file, "before": f.before, "after": f.after} for f in imp.file_changes],
        "notes": list(imp.notes),
        "breaking_changes": list(imp.breaking),
    }


def _force(r: RuleImpact) -> str:
    match r.in_force:
        case (False, True):
            return " (börjar gälla)"
        case (True, False):
            return " (slutar gälla)"
        case (False, False):
            return " (gäller inte)"
    return ""


def _where(c: Change) -> str:
    return f"{c.file}:{c.line}" if c.line is not None else f"{c.file} (hela filen)"


def _what(c: Change) -> str:
    if c.kind == "severity":
        return f"{SEVERITY_SV[c.before]} → {SEVERITY_SV[c.after]}"
    return f"{CHANGE_SV[c.kind]} ({SEVERITY_SV[c.after if c.kind == 'gained' else c.before]})"


def render_text(imp: Impact) -> str:
    out = [
        f"Påverkan: {imp.label[0]} → {imp.label[1]}",
        f"Register: {imp.register} — {imp.files} filer, {imp.records} poster",
        f"Status för hela körningen: {STATUS_SV[imp.status[0]]} → {STATUS_SV[imp.status[1]]}",
    ]
    if imp.specs is not None:
        out += [f"Före: {runtime.spec_line(imp.specs[0])}", f"Efter: {runtime.spec_line(imp.specs[1])}"]
    out.append("")
    changed = [r for r in imp.rules if r.changed]
    if not changed:
        out.append("Inga fynd tillkommer eller försvinner.")
    for r in changed:
        parts = [f"+{r.gained} tillkommer", f"-{r.lost} försvinner"]
        if r.severity:
            parts.append(f"{r.severity} byter allvarlighetsgrad")
        out.append(f"{r.rule} {r.title}{_force(r)}: {r.before} → {r.after} fynd ({', '.join(parts)})")
        for c in r.examples:
            text = "" if c.text is None else f": {c.text}"
            out.append(f"    {_what(c)} {_where(c)}{text}")
    same = [r.rule for r in imp.rules if not r.changed and (r.before or r.after)]
    if same:
        out += ["", "Oförändrade fynd: " + ", ".join(same)]
    out.append("")
    if imp.file_changes:
        out.append(f"Filer som byter status ({len(imp.file_changes)}):")
        out += [f"    {f.file}: {STATUS_SV[f.before]} → {STATUS_SV[f.after]}" for f in imp.file_changes]
    else:
        out.append("Ingen fil byter status.")
    out += [f"Obs: {n}" for n in imp.notes]
    out += _breaking_text(imp)
    return runtime.printable_lines("\n".join(out)) + "\n"  # lines and file names may hold ESC, a bidi override...


def _breaking_text(imp: Impact) -> list[str]:
    if not imp.breaking:
        return ["", "Ingen ändring av reglerna bryter mot ett leverantörsprogram skrivet för reglerna före."]
    return [
        "",
        f"Ändringar som bryter mot ett leverantörsprogram skrivet för reglerna före ({len(imp.breaking)}):",
        *(f"    {line}" for line in imp.breaking),
    ]


def _md(text: object) -> str:
    """Text for a markdown table cell: no pipe, no line break, no markup."""
    s = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "`*_[]<>#":
        s = s.replace(ch, "\\" + ch)
    return s


def _fence(lines: Sequence[str]) -> list[str]:
    longest = max((len(r) for ln in lines for r in re.findall(r"`+", ln)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *lines, fence]


def render_markdown(imp: Impact) -> str:
    """A summary to paste into a review (GitHub-flavoured markdown)."""
    out = [
        f"### Påverkan: {_md(imp.label[0])} → {_md(imp.label[1])}",
        "",
        f"Register: {_md(imp.register)} — {imp.files} filer, {imp.records} poster. "
        f"Status för hela körningen: **{STATUS_SV[imp.status[0]]} → {STATUS_SV[imp.status[1]]}**.",
        "",
    ]
    # only what changes: a rule whose findings or force change (the others are counted in one sentence)
    shown = [r for r in imp.rules if r.changed or r.in_force[0] != r.in_force[1]]
    if shown:
        out += [
            "| Regel | Titel | Fynd före | Fynd efter | Tillkommer | Försvinner | Byter allvarlighetsgrad |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
    else:
        out.append("Inga fynd tillkommer eller försvinner.")
    for r in shown:
        row = [r.rule, r.title + _force(r), r.before, r.after, r.gained, r.lost, r.severity]
        out.append("| " + " | ".join(_md(c) for c in row) + " |")
    same = [r for r in imp.rules if r not in shown and (r.before or r.after)]
    if same:
        out += ["", f"{runtime.plural(len(same), 'regel', 'regler')} har samma fynd före och efter."]
    out.append("")
    if imp.file_changes:
        out += [f"**Filer som byter status** ({len(imp.file_changes)}):", "", "| Fil | Före | Efter |", "|---|---|---|"]
        out += [f"| {_md(f.file)} | {STATUS_SV[f.before]} | {STATUS_SV[f.after]} |" for f in imp.file_changes]
    else:
        out.append("Ingen fil byter status.")
    out.append("")
    out += [f"*Obs:* {_md(n)}\n" for n in imp.notes]
    if imp.breaking:
        out += [f"**Bryter för leverantörer** ({len(imp.breaking)}):", "", *(f"- {_md(b)}" for b in imp.breaking), ""]
    changed = [r for r in imp.rules if r.changed]
    if changed:
        out += ["<details><summary>Exempelrader (personnummer maskerade)</summary>", ""]
        for r in changed:
            lines = [f"{_what(c)} {_where(c)}" + ("" if c.text is None else f": {c.text}") for c in r.examples]
            out += [f"**{r.rule}**", "", *_fence(lines), ""]
        out += ["</details>", ""]
    return runtime.printable_lines("\n".join(out))
