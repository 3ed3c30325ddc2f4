"""The language server's hover texts, without the protocol: what each year's model says, year by year."""

from __future__ import annotations

import re

import pytest

from lss_rules.language import model as m
from lss_rules.language.load import load_spec
from lss_rules.tools.lsp.analysis import describe

_LINE = re.compile(r"^- (\d{4})(?:–(\d{4}))?: (.*)$")


@pytest.fixture(scope="module")
def spec() -> m.Spec:
    return load_spec()


def _per_year(text: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for line in text.split("\n"):
        if mt := _LINE.match(line):
            first, last = int(mt[1]), int(mt[2] or mt[1])
            for y in range(first, last + 1):
                assert y not in out, f"{y} twice"
                out[y] = mt[3]
    return out


def _years(spec: m.Spec) -> range:
    return range(spec.first_year, spec.last_stated_year + 1)


def test_a_rule_or_check_says_its_severity_in_each_year(spec: m.Spec) -> None:
    words = {"error": "fel", "warning": "varning", None: "gäller inte"}
    for ident in spec.ids:
        text = describe(spec, ident)
        assert text is not None and text.startswith(f"**{ident}** — {spec.item(ident).title.sv}\n")
        said = _per_year(text)
        assert said == {y: words[spec.for_year(y).severity_of(ident)] for y in _years(spec)}, ident


def test_a_parameter_says_its_value_in_each_year(spec: m.Spec) -> None:
    for par in spec.parameters:
        text = describe(spec, par.name)
        assert text is not None and par.label in text
        unit = f" {par.unit}" if par.unit else ""
        want = {}
        for y in _years(spec):
            values = dict(spec.for_year(y).parameters)
            want[y] = f"{values[par.name]}{unit}" if par.name in values else "inget värde"
        assert _per_year(text) == want, par.name
    # the limit raised in 2022: three runs of years, none without a word
    said = _per_year(describe(spec, "personlig_assistans_max_timmar") or "")
    assert (said[2020], said[2021], said[2022]) == ("inget värde", "744 timmar per månad", "1488 timmar per månad")


def test_a_field_says_whether_and_where_it_is_collected_in_each_year(spec: m.Spec) -> None:
    for fld in spec.fields:
        said = _per_year(describe(spec, fld.name) or "")
        for y in _years(spec):
            ym = spec.for_year(y)
            if fld.name in ym.field_names:
                assert said[y] == f"samlas in, fält {ym.index(fld.name) + 1} av {len(ym.field_names)}"
            else:
                assert said[y] == "samlas inte in"


def test_another_word_has_no_hover(spec: m.Spec) -> None:
    assert describe(spec, "require") is None
    assert describe(spec, "LSS-R99") is None
