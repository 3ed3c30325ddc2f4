"""The release notes of a diff (``lss-rules diff``'s text and Markdown, a kit's ``ÄNDRINGAR.md``, the site's
changes page, the PDF): each change of :mod:`lss_rules.meaning.diff` said in Swedish, grouped in sections, a change
that breaks a vendor's program marked with why.  Conditions, groups, fields and parameters are said by their labels
(the words the diff computed with :mod:`lss_rules.meaning.wording`); the JSON document stays the diff's own.

>>> from lss_rules.language.load import load_spec
>>> from lss_rules.meaning.diff import diff_years
>>> print(render_text(diff_years(load_spec(), 2022, 2023)).splitlines()[2])
Inga ändringar: 2023 har samma postbeskrivning, mätdatum, regler, parametrar och kommunkoder som 2022.
"""

from __future__ import annotations

import re

from lss_rules.language import model as m
from lss_rules.meaning.breaking import breaks
from lss_rules.meaning.diff import month_day, why
from lss_rules.meaning.diff_model import Change, FieldInfo, TextChange, YearDiff
from lss_rules.meaning.wording import field_words, join_words

SEVERITY_SV = {"error": "fel", "warning": "varning"}
MONTHS_SV = (
    "",
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


# ----------------------------------------------------------------- release notes


def _date_sv(d: m.MonthDay) -> str:
    return f"{d.day} {MONTHS_SV[d.month]}"


_PART_SV = {
    "required_when": "krävs när",
    "empty_unless": "tomt utom när",
    "differs_from": "skilt från",
}


def _none_sv(text: str | None) -> str:
    return "(inget)" if text is None else text


def render_text(d: YearDiff, lang: str = "sv") -> str:
    """The diff as release notes.  Only Swedish (``lang="sv"``) is written so far."""
    if lang != "sv":
        raise ValueError(f"okänt språk {lang!r}: ändringslistan finns bara på svenska (sv)")
    out = [f"Ändringar från {d.a} till {d.b}"]
    if d.backward:
        out.append(f"(bakåt i tiden: det som gällde {d.a} jämfört med det som gällde {d.b})")
    for y in d.beyond_spec:
        out.append(
            f"{y} ligger efter det sista år som specifikationen beskriver: samma regler som {d.last_change_year}."
        )
    if d.empty:
        out.append("")
        out.append(
            f"Inga ändringar: {d.b} har samma postbeskrivning, mätdatum, regler, parametrar och kommunkoder som {d.a}."
        )
        return "\n".join(out) + "\n"

    for title, lines in sections(d):
        out.append("")
        out.append(title)
        out.extend(f"  - {line}" for line in lines)
    return "\n".join(out) + "\n"


def render_markdown(d: YearDiff) -> str:
    """The release notes as Markdown (a kit's ``ÄNDRINGAR.md``): the spec's text is never read as markup."""
    out = [f"# Ändringar från {d.a} till {d.b}", ""]
    if d.backward:
        out += [_md_text(f"Bakåt i tiden: det som gällde {d.a} jämfört med det som gällde {d.b}."), ""]
    if d.empty:
        out.append(
            _md_text(
                f"Inga ändringar: {d.b} har samma postbeskrivning, mätdatum, regler, parametrar och "
                f"kommunkoder som {d.a}."
            )
        )
        return "\n".join(out) + "\n"
    for title, lines in classified_sections(d):
        out += [f"## {_md_text(title)}", ""]
        for text, c in lines:
            if c is not None and breaks(c.effect):
                out.append(f"- **Bryter:** {_md_text(text)} ({_md_text(why(c))})")
            else:
                out.append(f"- {_md_text(text)}")
        out.append("")
    return "\n".join(out)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _md_text(text: str) -> str:
    """Text as Markdown that shows it as it is: every character Markdown could read as markup escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def sections(d: YearDiff) -> list[tuple[str, list[str]]]:
    """The changes as (section title, lines), in the order of the release notes; empty sections left out.

    A change that breaks a vendor's program (:mod:`lss_rules.meaning.breaking`) ends in ``[bryter: why]``.
    """
    return [(title, [_marked(text, c) for text, c in lines]) for title, lines in classified_sections(d)]


def _marked(text: str, c: Change | None) -> str:
    return f"{text} [bryter: {why(c)}]" if c is not None and breaks(c.effect) else text


Line = tuple[str, "Change | None"]  # the text of a change and the change (None: a line that explains another)


def classified_sections(d: YearDiff) -> list[tuple[str, list[Line]]]:
    """:func:`sections` with each line's change, so a writer can show whether it breaks in its own way."""
    found: list[tuple[str, list[Line]]] = []

    def section(title: str, lines: list[Line]) -> None:
        if lines:
            found.append((title, lines))

    if not d.empty:
        section("För leverantörer", [(vendor_summary(d), None)])

    layout: list[Line] = []
    if d.layout is not None:
        lo, ln = d.layout.old, d.layout.new
        text = f"Postbeskrivningen {ln.name} ({len(ln.fields)} fält) ersätter {lo.name} ({len(lo.fields)} fält)."
        layout.append((text, d.layout))
        if d.layout.order_changed:
            layout.append(("Fälten som finns båda åren kommer i en annan ordning.", None))
    # a field by its label; the identifier follows for a vendor (the JSON schema's property, changes.json)
    for f in d.fields_added:
        layout.append((f"Nytt fält {f.position}: {_field_sv(f)}.", f))
    for f in d.fields_removed:
        layout.append((f"Fältet försvinner: {_field_sv(f)}, tidigare fält {f.position}.", f))
    for c in d.field_conditions:
        old, new = _none_sv(c.said_old), _none_sv(c.said_new)
        layout.append((f"{c.label or c.field} – {_PART_SV[c.part]}: {old} → {new}.", c))
    section("Postbeskrivning", layout)

    group_lines: list[Line] = []
    for g in d.groups:
        parts = []
        if g.added:
            parts.append("nu även " + join_words(list(g.added_said or g.added), "sv"))
        if g.removed:
            parts.append("inte längre " + join_words(list(g.removed_said or g.removed), "sv"))
        group_lines.append((f"{g.label}: {'; '.join(parts)}.", g))
    section("Grupper (följer fälten som samlas in)", group_lines)

    dates: list[Line] = []
    if d.reference_date is not None:
        text = (
            f"Mätdatum: {_date_sv(d.reference_date.old)} ({month_day(d.reference_date.old)}) → "
            f"{_date_sv(d.reference_date.new)} ({month_day(d.reference_date.new)})."
        )
        dates.append((text, d.reference_date))
    if d.deadline is not None:
        dates.append((f"Sista inlämningsdag: {_date_sv(d.deadline.old)} → {_date_sv(d.deadline.new)}.", d.deadline))
    section("Datum", dates)

    rules: list[Line] = []
    for i in d.started:
        rules.append((f"Börjar gälla: {i.id} {i.title} ({SEVERITY_SV.get(i.severity, i.severity)}).", i))
    for i in d.stopped:
        rules.append((f"Gäller inte längre: {i.id} {i.title} (var {SEVERITY_SV.get(i.severity, i.severity)}).", i))
    for s in d.severity_changed:
        text = (
            f"Ändrad allvarlighetsgrad: {s.id} {s.title}: {SEVERITY_SV.get(s.old, s.old)} → "
            f"{SEVERITY_SV.get(s.new, s.new)}."
        )
        rules.append((text, s))
    for t in d.rule_changes:
        rules.append((f"Ändrad regel: {t.id} {t.title}: {_rule_change_sv(t)}", t))
    section("Regler och kontroller", rules)

    params: list[Line] = []
    for p in d.parameters:
        unit = f" {p.unit}" if p.unit else ""
        params.append((f"{p.label}: {_none_sv(_str(p.old))} → {_none_sv(_str(p.new))}{unit}.", p))
    section("Parametrar", params)

    munis: list[Line] = [(f"Ny kommunkod: {x.code} {x.name}.", x) for x in d.municipalities_added]
    munis += [(f"Kommunkoden upphör: {x.code} {x.name}.", x) for x in d.municipalities_removed]
    section("Kommunkoder", munis)
    return found


def _field_sv(f: FieldInfo) -> str:
    """A field by its label, its identifier after it unless the label says the same ("Personkrets")."""
    return f.label if field_words(f.name) == f.label.lower() else f"{f.label} ({f.name})"


def _rule_change_sv(t: TextChange) -> str:
    """What a rule checked before and checks now, in words ("krävde att …; kräver nu att …")."""
    old = t.said_old if t.said_old is not None else t.old
    new = t.said_new if t.said_new is not None else t.new
    if t.part == "when":
        return f"gällde {_where_sv(old)}; gäller nu {_where_sv(new)}."
    if t.part == "message":
        return f"meddelandet var ”{_none_sv(old)}”; nu ”{_none_sv(new)}”"  # a message ends in its own stop
    return f"krävde {_need_sv(old)}; kräver nu {_need_sv(new)}."


def _where_sv(condition: str | None) -> str:
    return "på alla rader" if condition is None else f"på rader där {condition}"


def _need_sv(condition: str | None) -> str:
    return "inget" if condition is None else f"att {condition}"


def breaking_lines(d: YearDiff) -> list[str]:
    """The changes that break a vendor's program written for year ``a``, one Swedish line each, with why."""
    return [f"{text} — {why(c)}" for _, lines in classified_sections(d) for text, c in lines if c and breaks(c.effect)]


def vendor_summary(d: YearDiff) -> str:
    """One Swedish sentence: whether a vendor's program written for year ``a`` must change for year ``b``."""
    n, total = len(d.breaking), len(d.changes())
    if n == 0:
        return f"Ingen av ändringarna bryter mot ett program skrivet för {d.a}: ingen fil det godkänner underkänns."
    return (
        f"{n} av {total} ändringar bryter mot ett program skrivet för {d.a} (markerade [bryter]): "
        f"en fil det godkänner kan underkännas {d.b}."
    )


def _str(v: int | None) -> str | None:
    return None if v is None else str(v)
