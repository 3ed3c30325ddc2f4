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
condition changes.  The JSON document carries the spec's identifiers and text
(data for a program); the release notes (text, Markdown, the site's changes page,
the PDF) say the same changes in words: conditions as :mod:`lss_rules.meaning.wording`
says them, with the fields' labels and the years' values, and groups, fields and
parameters by their labels.

Public API (also used by the docs' "changes by year" page):

- :func:`diff_years` -> :class:`YearDiff`
- :func:`to_json` -> the JSON document described by ``lss_rules/schemas/diff.schema.json``
- :func:`why` -> what a change does for a vendor's program, in Swedish (in the JSON too)

The release notes made from a diff (text, Markdown, the sections the site and the PDF show) are
:mod:`lss_rules.meaning.release_notes`.

>>> from lss_rules.language.load import load_spec
>>> d = diff_years(load_spec(), 2021, 2022)
>>> [(p.name, p.old, p.new) for p in d.parameters]
[('personlig_assistans_max_timmar', 744, 1488)]
>>> diff_years(load_spec(), 2022, 2023).empty
True
"""

from __future__ import annotations

from typing import Any

from lss_rules.language import model as m
from lss_rules.language.for_year import resolve_text
from lss_rules.language.history import LayoutVariant, layout_of
from lss_rules.language.model_text import expr_source
from lss_rules.meaning.breaking import Effect, breaks, combine, params_in, part_effect
from lss_rules.meaning.diff_model import (
    Change,
    DateChange,
    FieldConditionChange,
    FieldInfo,
    GroupChange,
    ItemInfo,
    LayoutChange,
    MunicipalityInfo,
    ParameterChange,
    SeverityChange,
    TextChange,
    YearDiff,
)
from lss_rules.meaning.wording import Names, expr_words, in_sentence, names_of, unique_words

#: Version of the JSON document; bumped only on an incompatible change.
FORMAT_VERSION = 1


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
    return diff_models(spec.for_year(a), spec.for_year(b))


def diff_models(ya: m.YearModel, yb: m.YearModel) -> YearDiff:
    """Every change from one year model to another: two years of one spec, or the same year of two specs
    (``lss-rules impact --against``: the working spec against the last release)."""
    sa, sb = ya.spec, yb.spec
    a, b = ya.year, yb.year
    ref_a, ref_b = sa.register.reference_date.at(a), sb.register.reference_date.at(b)
    dl_a, dl_b = sa.register.deadline.at(a), sb.register.deadline.at(b)
    assert ref_a and ref_b and dl_a and dl_b  # the checker guarantees coverage

    la, lb = layout_of(sa, a), layout_of(sb, b)
    names_a, names_b = ya.field_names, yb.field_names
    said_a, said_b = names_of(sa), names_of(sb)  # each year's words from its own spec (impact --against)
    # a group's members by their whole labels: the short forms of two fields of one kind can look alike
    # ("bostad för vuxna" 1999–2003, "bostad med särskild service för vuxna" from 2004)
    label_a = {f.name: in_sentence(f.label) for f in sa.fields}
    label_b = {f.name: in_sentence(f.label) for f in sb.fields}
    common_a = [n for n in names_a if n in names_b]
    common_b = [n for n in names_b if n in names_a]
    layout = None if la.fields == lb.fields else LayoutChange(la, lb, common_a != common_b)
    added = tuple(FieldInfo(f.name, f.label, i, "tighter") for i, f in enumerate(yb.fields, 1) if f.name not in names_a)
    removed = tuple(FieldInfo(f.name, f.label, i) for i, f in enumerate(ya.fields, 1) if f.name not in names_b)

    # (parameters read, effect) of every condition that changed: a parameter's change has their effect
    read: list[tuple[set[str], Effect]] = []
    field_conditions: list[FieldConditionChange] = []
    for name in common_b:
        fa, fb = ya.field(name), yb.field(name)
        for part, ea, eb in (
            ("required_when", fa.required_when, fb.required_when),
            ("empty_unless", fa.empty_unless, fb.empty_unless),
        ):
            if expr_text(ea) != expr_text(eb):
                effect = part_effect(part, ea, eb)
                field_conditions.append(
                    FieldConditionChange(
                        name,
                        part,
                        expr_text(ea),
                        expr_text(eb),
                        effect,
                        _said(ea, said_a),
                        _said(eb, said_b),
                        fb.label,
                    )
                )
                read.append((params_in(ea, eb), effect))
        if fa.differs_from != fb.differs_from:
            effect = part_effect("differs_from", fa.differs_from, fb.differs_from)
            field_conditions.append(
                FieldConditionChange(
                    name,
                    "differs_from",
                    fa.differs_from,
                    fb.differs_from,
                    effect,
                    None if fa.differs_from is None else said_a.field(fa.differs_from, "sv"),
                    None if fb.differs_from is None else said_b.field(fb.differs_from, "sv"),
                    fb.label,
                )
            )

    groups = []
    groups_a = {g.name: g for g in sa.groups}
    groups_b = {g.name: g for g in sb.groups}
    for name in _union(list(groups_b), list(groups_a)):
        g = groups_b.get(name) or groups_a[name]
        ga = [n for n in groups_a[name].members if n in names_a] if name in groups_a else []
        gb = [n for n in groups_b[name].members if n in names_b] if name in groups_b else []
        if ga != gb:
            added_g, removed_g = tuple(n for n in gb if n not in ga), tuple(n for n in ga if n not in gb)
            groups.append(
                GroupChange(
                    g.name,
                    g.label,
                    added_g,
                    removed_g,
                    added_said=tuple(label_b.get(n, n) for n in added_g),
                    removed_said=tuple(label_a.get(n, n) for n in removed_g),
                )
            )

    active_a = {x.id: x for x in ya.active}
    active_b = {x.id: x for x in yb.active}
    params_a, params_b = dict(ya.parameters), dict(yb.parameters)
    started, stopped, severities, texts = [], [], [], []
    for ident in _union(list(sb.ids), list(sa.ids)):
        item = sb.item(ident) if ident in sb.ids else sa.item(ident)
        item_a = sa.item(ident) if ident in sa.ids else item
        title = item.title.sv
        xa, xb = active_a.get(ident), active_b.get(ident)
        if xa is None and xb is None:
            continue
        if xa is None:
            assert xb is not None
            # a new warning leaves every accepted file accepted; a new error may reject one
            started.append(
                ItemInfo(ident, title, xb.severity, item.scope, "tighter" if xb.severity == "error" else "none")
            )
            continue
        if xb is None:
            stopped.append(ItemInfo(ident, title, xa.severity, item.scope, "looser"))
            continue
        if xa.severity != xb.severity:
            effect = "tighter" if xb.severity == "error" else "looser"
            severities.append(SeverityChange(ident, title, xa.severity, xb.severity, effect))
        if isinstance(xa, m.ActiveRule) and isinstance(xb, m.ActiveRule):
            for part, ea, eb, old, new in (
                ("when", xa.when, xb.when, expr_text(xa.when), expr_text(xb.when)),
                ("require", xa.require, xb.require, expr_text(xa.require), expr_text(xb.require)),
                ("unique", None, None, _unique_text(xa.unique), _unique_text(xb.unique)),
            ):
                if old != new:
                    effect = part_effect(part, ea, eb) if part != "unique" else part_effect(part, old, new)
                    if part == "unique":
                        said = (
                            _unique_said(xa.unique, xa.rule.scope, said_a),
                            _unique_said(xb.unique, xb.rule.scope, said_b),
                        )
                    else:
                        said = (_said(ea, said_a), _said(eb, said_b))
                    texts.append(TextChange(ident, title, part, old, new, effect, *said))
                    read.append((params_in(ea, eb), effect))
        msg_a, msg_b = resolve_text(item_a.message.sv, params_a), resolve_text(item.message.sv, params_b)
        if msg_a != msg_b:
            texts.append(TextChange(ident, title, "message", msg_a, msg_b, "none"))

    parameters = []
    params = {p.name: p for p in (*sa.parameters, *sb.parameters)}  # b's label where both have one
    for p in (params[n] for n in _union([p.name for p in sb.parameters], [p.name for p in sa.parameters])):
        value_a, value_b = params_a.get(p.name), params_b.get(p.name)
        if value_a != value_b:
            effect = combine([e for names, e in read if p.name in names])
            parameters.append(ParameterChange(p.name, p.label, p.unit, value_a, value_b, effect))

    names = {mu.code: mu.name for sp in (sa, sb) for ds in sp.datasets for mu in ds.rows}
    # a code valid in both years under another name would be a rename; the data has none, and the code is what
    # a submission carries, so codes are compared
    muni_added = tuple(
        MunicipalityInfo(c, names.get(c, ""), "looser") for c in sorted(yb.municipalities - ya.municipalities)
    )
    muni_removed = tuple(
        MunicipalityInfo(c, names.get(c, ""), "tighter") for c in sorted(ya.municipalities - yb.municipalities)
    )

    return YearDiff(
        a=a,
        b=b,
        reference_date=None if ref_a == ref_b else DateChange(ref_a, ref_b),
        # the reference date moves every age a rule reads; the deadline is no part of a file's verdict
        deadline=None if dl_a == dl_b else DateChange(dl_a, dl_b, "none"),
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
        beyond_spec=tuple(y for y, sp in ((a, sa), (b, sb)) if y > sp.last_stated_year),
        last_change_year=sb.last_change_year,
    )


def _said(e: m.Expr | None, names: Names) -> str | None:
    return None if e is None else expr_words(e, names)


def _unique_said(u: m.Unique | None, scope: str, names: Names) -> str | None:
    return None if u is None else unique_words(u, scope, names)


def _union(first: list[str], then: list[str]) -> list[str]:
    """``first``, then the names of ``then`` it lacks, each once."""
    return first + [n for n in then if n not in first]


# ----------------------------------------------------------------- JSON


def month_day(d: m.MonthDay) -> str:
    """A date of the year as ``MM-DD`` (the JSON's form; the notes show it beside the date in words)."""
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
        "breaking": bool(d.breaking),
        "breaking_count": len(d.breaking),
        "reference_date": None
        if d.reference_date is None
        else {"from": month_day(d.reference_date.old), "to": month_day(d.reference_date.new), **_fx(d.reference_date)},
        "deadline": None
        if d.deadline is None
        else {"from": month_day(d.deadline.old), "to": month_day(d.deadline.new), **_fx(d.deadline)},
        "layout": None
        if d.layout is None
        else {
            "from": _variant(d.layout.old),
            "to": _variant(d.layout.new),
            "field_count": {"from": len(d.layout.old.fields), "to": len(d.layout.new.fields)},
            "order_changed": d.layout.order_changed,
            **_fx(d.layout),
        },
        "fields": {
            "added": [{"name": f.name, "label": f.label, "position": f.position, **_fx(f)} for f in d.fields_added],
            "removed": [{"name": f.name, "label": f.label, "position": f.position, **_fx(f)} for f in d.fields_removed],
            "conditions": [
                {"field": c.field, "part": c.part, "from": c.old, "to": c.new, **_fx(c)} for c in d.field_conditions
            ],
        },
        "groups": [
            {"name": g.name, "label": g.label, "added": list(g.added), "removed": list(g.removed), **_fx(g)}
            for g in d.groups
        ],
        "rules": {
            "started": [_item(i) for i in d.started],
            "stopped": [_item(i) for i in d.stopped],
            "severity": [
                {"id": s.id, "title": s.title, "from": s.old, "to": s.new, **_fx(s)} for s in d.severity_changed
            ],
            "changed": [
                {"id": t.id, "title": t.title, "part": t.part, "from": t.old, "to": t.new, **_fx(t)}
                for t in d.rule_changes
            ],
        },
        "parameters": [
            {"name": p.name, "label": p.label, "unit": p.unit, "from": p.old, "to": p.new, **_fx(p)}
            for p in d.parameters
        ],
        "municipalities": {
            "added": [{"code": x.code, "name": x.name, **_fx(x)} for x in d.municipalities_added],
            "removed": [{"code": x.code, "name": x.name, **_fx(x)} for x in d.municipalities_removed],
        },
    }


def _item(i: ItemInfo) -> dict[str, Any]:
    return {"id": i.id, "title": i.title, "severity": i.severity, "scope": i.scope, **_fx(i)}


def _fx(c: Change) -> dict[str, Any]:
    """What a change does to the files a validator accepts, and whether it breaks one (meaning.breaking)."""
    return {"effect": c.effect, "breaking": breaks(c.effect), "why": why(c)}


# ----------------------------------------------------------------- what a change does, in words

#: What a change of each effect does for a vendor whose program follows the earlier year.
EFFECT_SV = {
    "none": "påverkar inte vilka filer som godkänns",
    "looser": "lättar: ingen fil som godkändes förut underkänns",
    "tighter": "skärper: en fil som godkändes förut kan underkännas",
    "other": "ändrat på ett sätt som kan underkänna en fil som godkändes förut",
}


def why(c: Change) -> str:
    """In Swedish, what the change does for a vendor's program written for the earlier year."""
    match c:
        case LayoutChange():
            return "en fil i den tidigare postbeskrivningen underkänns"
        case FieldInfo(effect="tighter"):
            return "posten får ett fält till och fälten efter det flyttar"
        case FieldInfo():
            return "fältet försvinner ur posten och fälten efter det flyttar"
        case GroupChange():
            return "verkan syns i reglerna och fälten som läser gruppen"
        case DateChange(effect="other"):
            return "mätdatumet avgör varje ålder en regel räknar"
        case ItemInfo(effect="tighter"):
            return "en ny felregel kan underkänna en fil som godkändes förut"
        case ItemInfo(effect="none"):
            return "en ny varning underkänner ingen fil"
        case SeverityChange(effect="tighter"):
            return "en varning blir fel: en fil som godkändes förut kan underkännas"
        case MunicipalityInfo(effect="tighter"):
            return "en rad med koden underkänns"
        case MunicipalityInfo():
            return "en rad med koden godtas"
    return EFFECT_SV[c.effect]
