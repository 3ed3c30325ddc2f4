"""Rules in words and their history."""

from __future__ import annotations

import pytest

from lss_rules.language import model as m
from lss_rules.meaning.check_words import check_words
from lss_rules.meaning.history import HistorySpan, history
from lss_rules.meaning.wording import expr_words, names_of, rule_words


def _rule(ym, ident):
    return next(r for r in ym.rules if r.id == ident)


@pytest.mark.parametrize(("year", "limit"), [(2021, 744), (2022, 1488), (2026, 1488)])
def test_r21_limit(spec, year_model, year, limit):
    rule = _rule(year_model(year), "LSS-R21")
    assert rule_words(rule, spec) == f"Det krävs att timmar personlig assistans per månad är högst {limit}."
    assert f"personal assistance, decided hours per month is at most {limit}." in rule_words(rule, spec, "en")


def test_r04(spec, year_model):
    text = rule_words(_rule(year_model(2023), "LSS-R04"), spec)
    assert text.startswith("På en rad där korttidstillsyn för skolungdom har värdet 1 krävs att ")
    assert "från och med det år personen fyller 12 till och med det år personen fyller 23" in text


def test_a_group_of_one_is_named_as_that_field(spec, year_model):
    # vuxenboende has one member a year: the sentence names it, not "minst en av … (…)"
    assert rule_words(_rule(year_model(2003), "LSS-R12"), spec) == (
        "På en rad där bostad för vuxna har värdet 1 krävs att personen fyller minst 17 år under referensåret."
    )
    assert rule_words(_rule(year_model(2023), "LSS-R12"), spec).startswith(
        "På en rad där bostad med särskild service för vuxna har värdet 1 krävs att"
    )


def test_a_group_of_several_is_named_by_its_label_and_members(spec, year_model):
    text = rule_words(_rule(year_model(2023), "LSS-R05"), spec)
    assert text == (
        "Det krävs att högst en av boendeinsatserna (familjehem för barn och ungdomar, bostad med särskild service "
        "för barn och ungdomar, bostad med särskild service för vuxna och annan särskilt anpassad bostad för vuxna) "
        "har värdet 1."
    )


def test_every_construct_has_words(spec):
    pnr = m.FieldRef("personnummer")
    exprs = [
        m.Or(m.Compare("=", m.FieldRef("a"), m.IntLit(1)), m.Not(m.Present(m.FieldRef("b")))),
        m.Member(m.FieldRef("k"), (m.IntLit(1), m.IntLit(2))),
        m.Not(m.Member(m.FieldRef("k"), (m.IntLit(3),))),
        m.Compare(">", m.Arith("+", m.FieldRef("a"), m.IntLit(1)), m.ParamRef("p", 7)),
        m.Compare(">=", m.BirthYear(pnr), m.IntLit(1950)),
        m.Deceased(pnr),
        m.Not(m.Or(m.ValidPersonnummer(pnr), m.StrLit("x"))),
        m.Between(m.FieldRef("t"), m.IntLit(1), m.IntLit(5)),
        m.Not(m.Compare("<", m.Count(m.GroupRef("g", ("a", "b"))), m.IntLit(1))),
        m.Compare("=", m.Age(pnr), m.IntLit(65)),
    ]
    for e in exprs:
        for lang in ("sv", "en"):
            text = expr_words(e, spec, lang)
            assert text and "{" not in text


def test_checks_in_words(year_model):
    ym = year_model(2023)
    texts = {c.id: check_words(c, ym) for c in ym.checks}
    assert "exakt 19 fält" in texts["LSS-S01"]
    assert "0 eller 1" in texts["LSS-S02"]
    assert "boendekommun får inte vara lika med beslutande kommun" in texts["LSS-S04"]
    assert texts["LSS-S04"].startswith("Fältet timmar personlig assistans per månad ska vara tomt om inte ")


def test_history_merges_years(spec):
    spans = history(spec, "LSS-R21")
    assert [(s.first, s.last, s.severity) for s in spans] == [
        (1999, 2020, "none"),
        (2021, 2021, "error"),
        (2022, None, "error"),
    ]
    assert spans[1].params == (("personlig_assistans_max_timmar", 744),)
    assert history(spec, "LSS-R06") == [
        HistorySpan(1999, 2019, "error", (), spans_condition := history(spec, "LSS-R06")[0].condition),
        HistorySpan(2020, None, "warning", (), spans_condition),
    ]


def test_history_unknown_id(spec):
    with pytest.raises(KeyError):
        history(spec, "LSS-R99")


# ----------------------------------------------------------------- every sentence, every year


def _identifiers_with_labels(spec) -> set[str]:
    """Names that have a label: a sentence says the label, never the name (unless the name is also a word of it)."""
    return {x.name for x in (*spec.fields, *spec.groups, *spec.parameters)}


def _sentences(spec, year: int, lang: str) -> list[tuple[str, str]]:
    from lss_rules.meaning.expected import detail_table
    from lss_rules.meaning.history import item_words

    ym = spec.for_year(year)
    out = [(a.id, check_words(a, ym, lang)) for a in ym.checks]
    out += [(a.id, rule_words(a, spec, lang)) for a in ym.rules]
    out += [(ident, item_words(spec, ident, year, lang)) for ident in spec.ids]
    table = detail_table(ym, lang)
    for key in ("form", "required", "empty"):
        out += [(f"{key}:{n}", t) for n, t in table[key].items()]
    out += [(f"label:{n}", t) for n, t in table["labels"].items()]
    return out


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_sentence_of_any_year_says_an_identifier(spec, lang):
    import re

    labelled = _identifiers_with_labels(spec)
    # a name that is also a plain word of its own label ("personnummer", "personkrets") may stand in a sentence
    plain_words = {n for n in labelled if "_" not in n and any(n in (f.short or f.label).lower() for f in spec.fields)}
    for year in range(spec.first_year, spec.last_stated_year + 1):
        for ident, text in _sentences(spec, year, lang):
            assert "_" not in text, (year, ident, text)
            words = set(re.findall(r"[a-zåäö]+", text))
            assert not (words & (labelled - plain_words)), (year, ident, text, words & labelled)


def test_swedish_sentences_have_the_labels_letters(spec):
    text = " ".join(t for _, t in _sentences(spec, 2023, "sv"))
    assert "avlösarservice" in text and "avlosarservice" not in text


def test_a_list_of_one_is_the_thing_itself_in_every_year(spec):
    """Wherever a group narrows to one field in a year, no sentence says "en av" about it."""
    from lss_rules.meaning.history import item_words

    for year in range(spec.first_year, spec.last_stated_year + 1):
        ym = spec.for_year(year)
        for g in spec.groups:
            members = [n for n in g.members if year in spec.field(n).collected]
            if len(members) != 1:
                continue
            label = (g.short or g.label).lower()
            for ident in spec.ids:
                assert label not in item_words(spec, ident, year).lower(), (year, ident)
        assert ym  # the year lowers


def test_property_a_group_of_any_size_reads_right(spec):
    from hypothesis import given
    from hypothesis import strategies as st

    flags = [f.name for f in spec.fields if isinstance(f.type, m.FlagType)]

    @given(st.lists(st.sampled_from(flags), min_size=1, max_size=6, unique=True), st.sampled_from([">=", "<=", "="]))
    def check(members, op):
        e = m.Compare(op, m.Count(m.GroupRef("boende", tuple(members))), m.IntLit(1))
        text = expr_words(e, spec)
        assert "_" not in text
        if len(members) == 1:
            one = names_of(spec).field(members[0], "sv")
            assert " av " not in text.replace(one, "")
            assert text == one + (" har värdet 1" if op != "<=" else " har värdet 0 eller 1")
        else:
            assert text.count(" av boendeinsatserna (") == 1

    check()


def test_a_value_in_a_list_needs_no_has_a_value_before_it(spec, year_model):
    # `present(personkrets) and personkrets in {1, 2}`: "har värdet 1 eller 2" already says it has one
    text = rule_words(_rule(year_model(2023), "LSS-R14"), spec)
    assert text == "På en rad där daglig verksamhet har värdet 1 krävs att personkrets har värdet 1 eller 2."
