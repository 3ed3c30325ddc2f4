"""The parser's declarations are typed: one dataclass per kind, each property an attribute.

A property holds its value as written with its position (``syntax.Located``), None where the block
does not have it; lowering reads attributes, never a property by its name.  The transformer is
lark's untyped boundary, so these tests check what mypy cannot: every property of the grammar sets
an attribute of its declaration, and every value has the type the attribute declares.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path

import pytest

from lss_rules.language import model as m
from lss_rules.language import syntax as s
from lss_rules.language.diagnostics import Diagnostics

REPO = Path(__file__).resolve().parents[2]

# the grammar's block of properties -> the declarations it belongs to
_BLOCKS: dict[str, tuple[type, ...]] = {
    "register_prop": (s.RegisterDecl,),
    "dataset_prop": (s.DatasetDecl,),
    "field_prop": (s.FieldDecl,),
    "group_prop": (s.GroupDecl,),
    "layout_prop": (s.LayoutDecl,),
    "parameter_prop": (s.ParameterDecl,),
    "check_prop": (s.CheckDecl,),
    "rule_prop": (s.RuleDecl,),
    "rule_common": (s.CheckDecl, s.RuleDecl),
}

# every property there is, at least once (parsed only: names need not resolve)
EVERY_PROPERTY = """
register lss {
  title "Register"
  title_en "Register"
  regulation "SOSFS 2005:21"
  language 3
  requires_lss_rules "0.1"
  first_year 2000
  stated_through 2025
  comparison_threshold troskel
  comparison_minimum minsta
  reference_date 10-01 from 2000
  deadline 10-25 from 2000
           11-01 in 2001..2002
  source "K"
}

dataset kommuner {
  file "data/kommuner.csv"
  label "Kommuner"
  source "SCB"
}

field kommun {
  type municipality from kommuner
  label "Kommun"
  label_en "Municipality"
  short "kommunen"
  law "LSS 9 §"
  collected 2000.., ..1999
  equalisation yes
  optional
  required when kommun = "0114"
  empty unless not kommun = "0114"
  differs from annan
  note "N"
  interpretation "I"
}

field kod {
  type enum {
    1 "Ett"
    2 "Två"
  }
}

group insatser {
  label "Insatser"
  short "insatserna"
  members a, b
}

layout post {
  years 2000
  separator ";"
  encodings "utf-8", "latin-1"
  fields {
    kommun
    kod
  }
  source "S"
  interpretation "I"
}

parameter troskel {
  label "Tröskel"
  unit "procent"
  value 10 from 2000
        12 in 2005
  source "S"
  interpretation "I"
  note "N"
}

check LSS-S01 {
  kind field_count
  title "T"
  title_en "T"
  message "M"
  message_en "M"
  fix "F"
  severity error from 2000
  source "S"
  interpretation "I"
  note "N"
}

rule LSS-R01 {
  scope file
  when age(kommun) between 1 and 2 + troskel
  require kod in {1, 2}
  unique kommun for each set flag in insatser
  title "T"
  message "M"
  fix "F"
  severity warning in 2000..2001
}

rule LSS-R02 {
  scope national
  unique kommun
  title_en "T"
  message_en "M"
  source "S"
  interpretation "I"
  note "N"
}
"""


def _line(text: str) -> int:
    """The line of EVERY_PROPERTY that is ``text``."""
    return EVERY_PROPERTY.split("\n").index(text) + 1


def _parse(text: str) -> tuple[list[s.Decl], Diagnostics]:
    diags = Diagnostics()
    return s.parse_decls(text, "spec.lss", diags), diags


def _properties(cls: type) -> dict[str, object]:
    """A declaration class's properties and their declared types (``Located[X] | None``)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.name not in ("name", "pos", "name_pos")}


def _conforms(value: object, tp: object) -> bool:
    """``value`` has the type ``tp`` (unions, tuples, literals, Located and Dated looked into)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, a) for a in args)
    if origin is typing.Literal:
        return value in args
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_conforms(v, args[0]) for v in value)
        return len(value) == len(args) and all(_conforms(v, a) for v, a in zip(value, args, strict=True))
    if origin is s.Located:
        return isinstance(value, s.Located) and _conforms(value.value, args[0]) and isinstance(value.pos, m.Pos)
    if origin is m.Dated:
        return isinstance(value, m.Dated) and all(_conforms(e.value, args[0]) for e in value.entries)
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, typing.cast(type, origin or tp))


def test_every_property_of_the_grammar_is_an_attribute_of_its_declaration():
    for rule in s.parser().rules:
        classes = _BLOCKS.get(rule.origin.name)
        if classes is None or rule.alias is None:
            continue
        attribute = rule.alias.split("_", 1)[1]
        if attribute == "unique_each":  # `unique K for each set flag in G`: the long form of `unique`
            attribute = "unique"
        for cls in classes:
            assert attribute in _properties(cls), f"{rule.alias}: {cls.__name__} has no attribute {attribute}"


def test_every_kind_is_in_the_union():
    assert set(typing.get_args(s.Decl)) == {c for cs in _BLOCKS.values() for c in cs}


def test_every_property_parses_into_its_typed_attribute():
    decls, diags = _parse(EVERY_PROPERTY)
    assert diags.items == []
    set_somewhere: dict[type, set[str]] = {}
    for d in decls:
        for name, tp in _properties(type(d)).items():
            value = getattr(d, name)
            assert _conforms(value, tp), f"{d.keyword} {d.name}: {name} = {value!r} is not {tp}"
            if value is not None:
                set_somewhere.setdefault(type(d), set()).add(name)
    for cls in typing.get_args(s.Decl):
        assert set_somewhere[cls] == set(_properties(cls)), cls.__name__


@pytest.mark.parametrize(
    "path", [*sorted((REPO / "spec").glob("*.lss")), REPO / "tests" / "register2" / "register.lss"]
)
def test_the_specs_parse_into_typed_attributes(path: Path):
    decls, diags = _parse(path.read_text(encoding="utf-8"))
    assert diags.items == [] and decls
    for d in decls:
        for name, tp in _properties(type(d)).items():
            assert _conforms(getattr(d, name), tp), f"{path.name}: {d.keyword} {d.name}: {name}"


def test_values_as_written():
    decls, _ = _parse(EVERY_PROPERTY)
    by_name = {d.name: d for d in decls}
    param = by_name["troskel"]
    assert isinstance(param, s.ParameterDecl) and param.value is not None
    assert [(e.value.kind, e.value.value, e.first, e.last) for e in param.value.value.entries] == [
        ("int", 10, 2000, None),
        ("int", 12, 2005, 2005),
    ]
    assert (param.value.pos.line, param.value.pos.column) == (_line("  value 10 from 2000"), 3)
    field = by_name["kommun"]
    assert isinstance(field, s.FieldDecl)
    assert field.optional is not None and field.optional.value is True
    assert field.equalisation is not None and field.equalisation.value is True
    assert field.required_when is not None and isinstance(field.required_when.value, s.Compare)
    assert field.differs_from is not None and field.differs_from.value == "annan"
    assert by_name["kod"].label is None  # absent: None, lowering decides what that means
    layout = by_name["post"]
    assert isinstance(layout, s.LayoutDecl) and layout.fields is not None
    assert [(n, p.line, p.column) for n, p in layout.fields.value] == [
        ("kommun", _line("    kommun"), 5),
        ("kod", _line("    kod"), 5),
    ]
    r1, r2 = by_name["LSS-R01"], by_name["LSS-R02"]
    assert isinstance(r1, s.RuleDecl) and isinstance(r2, s.RuleDecl)
    assert r1.unique is not None and r1.unique.value.each_flag_in is not None
    assert r1.unique.value.each_flag_in.name == "insatser"
    assert r2.unique is not None and r2.unique.value == m.Unique("kommun")


def test_a_property_written_twice_is_reported_and_the_first_counts():
    decls, diags = _parse('parameter p {\n  label "A"\n  value 1 from 2000\n  label "B"\n}\n')
    (d,) = decls
    assert isinstance(d, s.ParameterDecl) and d.label is not None and d.label.value == "A"
    assert [(x.code, x.message, x.pos.line, x.pos.column, x.hint) for x in diags.items] == [
        ("E004", "`label` anges två gånger i parameter `p`", 4, 3, "första gången på rad 2")
    ]
