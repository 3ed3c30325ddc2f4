"""What changed between two years, derived from the spec (``lss-rules diff A B``).

The diff compares two :class:`~lss_rules.language.model.YearModel` objects (and the
layout variants of :mod:`lss_rules.language.history`); nothing is written down per year.
It always describes the move *from* year ``a`` *to* year ``b``: "added" means
"in ``b`` but not in ``a``".  When ``a`` is later than ``b`` the diff is the same
list read backwards in time (``backward`` is true and the text says so), so
``diff_years(spec, 2007, 2006)`` is ``diff_years(spec, 2006, 2007)`` with every
change turned around.

Conditions are compared *resolved*: parameters carry that year's value and
groups hold only the fields collected that year, so R21's limit moving from 744
to 1488, or R05's housing group losing ``boende_vuxna`` in 2004, both show as
condition changes.

Public API (also used by the docs' "changes by year" page):

- :func:`diff_years` -> :class:`YearDiff`
- :func:`render_text` -> Swedish release notes
- :func:`to_json` -> the JSON document described by ``lss_rules/schemas/diff.schema.json``

>>> from lss_rules.language.load import load_spec
>>> d = diff_years(load_spec(), 2021, 2022)
>>> [(p.name, p.old, p.new) for p in d.parameters]
[('personlig_assistans_max_timmar', 744, 1488)]
>>> diff_years(load_spec(), 2022, 2023).empty
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lss_rules.language import model as m
from lss_rules.language.for_year import resolve_text
from lss_rules.language.history import LayoutVariant, layout_of
from lss_rules.language.model_text import expr_source

#: Version of the JSON document; bumped only on an incompatible change.
FORMAT_VERSION = 1

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


# ----------------------------------------------------------------- the diff model


@dataclass(frozen=True, slots=True)
class FieldInfo:
    name: str
    label: str
    position: int  # 1-based position in the year's record where the field is (or was)


@dataclass(frozen=True, slots=True)
class LayoutChange:
    old: LayoutVariant
    new: LayoutVariant
    order_changed: bool  # the fields both years have come in another order


@dataclass(frozen=True, slots=True)
class FieldConditionChange:
    field: str
    part: str  # "required_when" | "empty_unless" | "differs_from"
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class GroupChange:
    """A group whose members that year differ (groups hold only the fields collected in the year)."""

    name: str
    label: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """A check or rule that starts or stops applying."""

    id: str
    title: str
    severity: str  # the severity it has in the year where it applies
    scope: str


@dataclass(frozen=True, slots=True)
class SeverityChange:
    id: str
    title: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class TextChange:
    """A rule's condition part (``when``, ``require``, ``unique``) or message that reads differently."""

    id: str
    title: str
    part: str  # "when" | "require" | "unique" | "message"
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class ParameterChange:
    name: str
    label: str
    unit: str | None
    old: int | None
    new: int | None


@dataclass(frozen=True, slots=True)
class MunicipalityInfo:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class DateChange:
    old: m.MonthDay
    new: m.MonthDay


@dataclass(frozen=True, slots=True)
class YearDiff:
    """Every change from year ``a`` to year ``b``."""

    a: int
    b: int
    reference_date: DateChange | None
    deadline: DateChange | None
    layout: LayoutChange | None
    fields_added: tuple[FieldInfo, ...]
    fields_removed: tuple[FieldInfo, ...]
    field_conditions: tuple[FieldConditionChange, ...]
    groups: tuple[GroupChange, ...]
    started: tuple[ItemInfo, ...]
    stopped: tuple[ItemInfo, ...]
    severity_changed: tuple[SeverityChange, ...]
    rule_changes: tuple[TextChange, ...]
    parameters: tuple[ParameterChange, ...]
    municipalities_added: tuple[MunicipalityInfo, ...]
    municipalities_removed: tuple[MunicipalityInfo, ...]
    beyond_spec: tuple[int, ...]  # the years of the two that are after the last change in the spec
    last_change_year: int

    @property
    def backward(self) -> bool:
        return self.a > self.b

    @property
    def empty(self) -> bool:
        """Nothing changes between the two years."""
        return not (
            self.reference_date
            or self.deadline
            or self.layout
            or self.fields_added
            or self.fields_removed
            or self.field_conditions
            or self.groups
            or self.started
            or self.stopped
            or self.severity_changed
            or self.rule_changes
            or self.parameters
            or self.municipalities_added
            or self.municipalities_removed
        )


# ----------------------------------------------------------------- expressions as spec text


def expr_text(e: m.Expr | None) -> str | None:
    """A resolved condition written as in the spec, with the year's values shown.

    A parameter is written ``name (value)`` and a group ``name[member, ...]``, so
    that a change of value or of members is visible in the text.
    """
    if e is None:
        return None
    return expr_source(e, param=_PARAM)


_PARAM = "{name} ({value})"


def _unique_text(u: m.Unique | None) -> str | None:
    if u is None:
        return None
    if u.each_flag_in is None:
        return f"unique {u.key}"
    return f"unique {u.key} for each set flag in {expr_text(u.each_flag_in)}"


# ----------------------------------------------------------------- computing the diff


def diff_years(spec: m.Spec, a: int, b: int) -> YearDiff:
    """Every change from year ``a`` to year ``b`` (any years from the register's first; ``a > b`` is allowed).

    Raises :class:`~lss_rules.errors.DataError` for a year before the register's first year.
    """
    ya, yb = spec.for_year(a), spec.for_year(b)
    reg = spec.register
    ref_a, ref_b = reg.reference_date.at(a), reg.reference_date.at(b)
    dl_a, dl_b = reg.deadline.at(a), reg.deadline.at(b)
    assert ref_a and ref_b and dl_a and dl_b  # the checker guarantees coverage

    la, lb = layout_of(spec, a), layout_of(spec, b)
    names_a, names_b = ya.field_names, yb.field_names
    common_a = [n for n in names_a if n in names_b]
    common_b = [n for n in names_b if n in names_a]
    layout = None if la.fields == lb.fields else LayoutChange(la, lb, common_a != common_b)
    added = tuple(FieldInfo(f.name, f.label, i) for i, f in enumerate(yb.fields, 1) if f.name not in names_a)
    removed = tuple(FieldInfo(f.name, f.label, i) for i, f in enumerate(ya.fields, 1) if f.name not in names_b)

    field_conditions: list[FieldConditionChange] = []
    for name in common_b:
        fa, fb = ya.field(name), yb.field(name)
        for part, old, new in (
            ("required_when", expr_text(fa.required_when), expr_text(fb.required_when)),
            ("empty_unless", expr_text(fa.empty_unless), expr_text(fb.empty_unless)),
            ("differs_from", fa.differs_from, fb.differs_from),
        ):
            if old != new:
                field_conditions.append(FieldConditionChange(name, part, old, new))

    groups = []
    for g in spec.groups:
        ga = [n for n in g.members if n in names_a]
        gb = [n for n in g.members if n in names_b]
        if ga != gb:
            groups.append(
                GroupChange(g.name, g.label, tuple(n for n in gb if n not in ga), tuple(n for n in ga if n not in gb))
            )

    active_a = {x.id: x for x in ya.active}
    active_b = {x.id: x for x in yb.active}
    params_a, params_b = dict(ya.parameters), dict(yb.parameters)
    started, stopped, severities, texts = [], [], [], []
    for ident in spec.ids:
        item = spec.item(ident)
        title = item.title.sv
        xa, xb = active_a.get(ident), active_b.get(ident)
        if xa is None and xb is None:
            continue
        if xa is None:
            assert xb is not None
            started.append(ItemInfo(ident, title, xb.severity, item.scope))
            continue
        if xb is None:
            stopped.append(ItemInfo(ident, title, xa.severity, item.scope))
            continue
        if xa.severity != xb.severity:
            severities.append(SeverityChange(ident, title, xa.severity, xb.severity))
        if isinstance(xa, m.ActiveRule) and isinstance(xb, m.ActiveRule):
            for part, old, new in (
                ("when", expr_text(xa.when), expr_text(xb.when)),
                ("require", expr_text(xa.require), expr_text(xb.require)),
                ("unique", _unique_text(xa.unique), _unique_text(xb.unique)),
            ):
                if old != new:
                    texts.append(TextChange(ident, title, part, old, new))
        msg_a, msg_b = resolve_text(item.message.sv, params_a), resolve_text(item.message.sv, params_b)
        if msg_a != msg_b:
            texts.append(TextChange(ident, title, "message", msg_a, msg_b))

    parameters = []
    for p in spec.parameters:
        value_a, value_b = params_a.get(p.name), params_b.get(p.name)
        if value_a != value_b:
            parameters.append(ParameterChange(p.name, p.label, p.unit, value_a, value_b))

    names = {mu.code: mu.name for ds in spec.datasets for mu in ds.rows}
    # a code valid in both years under another name would be a rename; the data has none, and the code is what
    # a submission carries, so codes are compared
    muni_added = tuple(MunicipalityInfo(c, names.get(c, "")) for c in sorted(yb.municipalities - ya.municipalities))
    muni_removed = tuple(MunicipalityInfo(c, names.get(c, "")) for c in sorted(ya.municipalities - yb.municipalities))

    return YearDiff(
        a=a,
        b=b,
        reference_date=None if ref_a == ref_b else DateChange(ref_a, ref_b),
        deadline=None if dl_a == dl_b else DateChange(dl_a, dl_b),
        layout=layout,
        fields_added=added,
        fields_removed=removed,
        field_conditions=tuple(field_conditions),
        groups=tuple(groups),
        started=tuple(started),
        stopped=tuple(stopped),
        severity_changed=tuple(severities),
        rule_changes=tuple(texts),
        parameters=tuple(parameters),
        municipalities_added=muni_added,
        municipalities_removed=muni_removed,
        beyond_spec=tuple(y for y in (a, b) if y > spec.last_stated_year),
        last_change_year=spec.last_change_year,
    )


# ----------------------------------------------------------------- JSON


def _md(d: m.MonthDay) -> str:
    return f"{d.month:02d}-{d.day:02d}"


def _variant(v: LayoutVariant) -> dict[str, Any]:
    return {"name": v.name, "first": v.first, "last": v.last, "fields": list(v.fields)}


def to_json(d: YearDiff) -> dict[str, Any]:
    """The diff as a JSON-ready dict; the shape is ``lss_rules/schemas/diff.schema.json`` (stable, versioned)."""
    return {
        "format_version": FORMAT_VERSION,
        "from": d.a,
        "to": d.b,
        "backward": d.backward,
        "empty": d.empty,
        "beyond_spec": list(d.beyond_spec),
        "last_change_year": d.last_change_year,
        "reference_date": None
        if d.reference_date is None
        else {"from": _md(d.reference_date.old), "to": _md(d.reference_date.new)},
        "deadline": None if d.deadline is None else {"from": _md(d.deadline.old), "to": _md(d.deadline.new)},
        "layout": None
        if d.layout is None
        else {
            "from": _variant(d.layout.old),
            "to": _variant(d.layout.new),
            "field_count": {"from": len(d.layout.old.fields), "to": len(d.layout.new.fields)},
            "order_changed": d.layout.order_changed,
        },
        "fields": {
            "added": [{"name": f.name, "label": f.label, "position": f.position} for f in d.fields_added],
            "removed": [{"name": f.name, "label": f.label, "position": f.position} for f in d.fields_removed],
            "conditions": [{"field": c.field, "part": c.part, "from": c.old, "to": c.new} for c in d.field_conditions],
        },
        "groups": [
            {"name": g.name, "label": g.label, "added": list(g.added), "removed": list(g.removed)} for g in d.groups
        ],
        "rules": {
            "started": [_item(i) for i in d.started],
            "stopped": [_item(i) for i in d.stopped],
            "severity": [{"id": s.id, "title": s.title, "from": s.old, "to": s.new} for s in d.severity_changed],
            "changed": [
                {"id": t.id, "title": t.title, "part": t.part, "from": t.old, "to": t.new} for t in d.rule_changes
            ],
        },
        "parameters": [
            {"name": p.name, "label": p.label, "unit": p.unit, "from": p.old, "to": p.new} for p in d.parameters
        ],
        "municipalities": {
            "added": [{"code": x.code, "name": x.name} for x in d.municipalities_added],
            "removed": [{"code": x.code, "name": x.name} for x in d.municipalities_removed],
        },
    }


def _item(i: ItemInfo) -> dict[str, Any]:
    return {"id": i.id, "title": i.title, "severity": i.severity, "scope": i.scope}


# ----------------------------------------------------------------- release notes


def _date_sv(d: m.MonthDay) -> str:
    return f"{d.day} {MONTHS_SV[d.month]}"


_PART_SV = {
    "when": "gäller på rader där",
    "require": "kräver",
    "unique": "unikhet",
    "message": "meddelande",
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


def sections(d: YearDiff) -> list[tuple[str, list[str]]]:
    """The changes as (section title, lines), in the order of the release notes; empty sections left out."""
    found: list[tuple[str, list[str]]] = []

    def section(title: str, lines: list[str]) -> None:
        if lines:
            found.append((title, lines))

    layout: list[str] = []
    if d.layout is not None:
        lo, ln = d.layout.old, d.layout.new
        layout.append(
            f"Postbeskrivningen {ln.name} ({len(ln.fields)} fält) ersätter {lo.name} ({len(lo.fields)} fält)."
        )
        if d.layout.order_changed:
            layout.append("Fälten som finns båda åren kommer i en annan ordning.")
    for f in d.fields_added:
        layout.append(f"Nytt fält: {f.name} ({f.label}), fält {f.position}.")
    for f in d.fields_removed:
        layout.append(f"Fältet försvinner: {f.name} ({f.label}), tidigare fält {f.position}.")
    for c in d.field_conditions:
        layout.append(f"{c.field}, {_PART_SV[c.part]}: {_none_sv(c.old)} → {_none_sv(c.new)}")
    section("Postbeskrivning", layout)

    group_lines = []
    for g in d.groups:
        parts = []
        if g.added:
            parts.append("nu även " + ", ".join(g.added))
        if g.removed:
            parts.append("inte längre " + ", ".join(g.removed))
        group_lines.append(f"{g.name} ({g.label}): {'; '.join(parts)}.")
    section("Grupper (följer fälten som samlas in)", group_lines)

    dates: list[str] = []
    if d.reference_date is not None:
        dates.append(
            f"Mätdatum: {_date_sv(d.reference_date.old)} ({_md(d.reference_date.old)}) → "
            f"{_date_sv(d.reference_date.new)} ({_md(d.reference_date.new)})."
        )
    if d.deadline is not None:
        dates.append(f"Sista inlämningsdag: {_date_sv(d.deadline.old)} → {_date_sv(d.deadline.new)}.")
    section("Datum", dates)

    rules: list[str] = []
    for i in d.started:
        rules.append(f"Börjar gälla: {i.id} {i.title} ({SEVERITY_SV.get(i.severity, i.severity)}).")
    for i in d.stopped:
        rules.append(f"Gäller inte längre: {i.id} {i.title} (var {SEVERITY_SV.get(i.severity, i.severity)}).")
    for s in d.severity_changed:
        rules.append(
            f"Ändrad allvarlighetsgrad: {s.id} {s.title}: {SEVERITY_SV.get(s.old, s.old)} → "
            f"{SEVERITY_SV.get(s.new, s.new)}."
        )
    for t in d.rule_changes:
        rules.append(f"Ändrad regel: {t.id} {t.title}, {_PART_SV[t.part]}: {_none_sv(t.old)} → {_none_sv(t.new)}")
    section("Regler och kontroller", rules)

    params = []
    for p in d.parameters:
        unit = f" {p.unit}" if p.unit else ""
        params.append(f"{p.name} ({p.label}): {_none_sv(_str(p.old))} → {_none_sv(_str(p.new))}{unit}.")
    section("Parametrar", params)

    munis = [f"Ny kommunkod: {x.code} {x.name}." for x in d.municipalities_added]
    munis += [f"Kommunkoden upphör: {x.code} {x.name}." for x in d.municipalities_removed]
    section("Kommunkoder", munis)
    return found


def _str(v: int | None) -> str | None:
    return None if v is None else str(v)
