"""Rules in words and their history."""

from __future__ import annotations

import pytest

from lss_rules.language import model as m
from lss_rules.meaning.wording import HistorySpan, check_words, expr_words, history, rule_words


def _rule(ym, ident):
    return next(r for r in ym.rules if r.id == ident)


@pytest.mark.parametrize(("year", "limit"), [(2021, 744), (2022, 1488), (2026, 1488)])
def test_r21_limit(year_model, year, limit):
    assert f"personlig assistans timmar är högst {limit}." in rule_words(_rule(year_model(year), "LSS-R21"))
    assert f"personlig assistans timmar is at most {limit}." in rule_words(_rule(year_model(year), "LSS-R21"), "en")


def test_r04(year_model):
    text = rule_words(_rule(year_model(2023), "LSS-R04"))
    assert "korttidstillsyn är 1" in text
    assert "från och med det år personen fyller 12 till och med det år personen fyller 23" in text


def test_count_lists_members_of_the_year(year_model):
    assert "boende vuxna" in rule_words(_rule(year_model(2003), "LSS-R12"))
    assert "bostad vuxna" in rule_words(_rule(year_model(2023), "LSS-R12"))


def test_every_construct_has_words():
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
            text = expr_words(e, lang)
            assert text and "{" not in text


def test_checks_in_words(year_model):
    ym = year_model(2023)
    texts = {c.id: check_words(c, ym) for c in ym.checks}
    assert "exakt 19 fält" in texts["LSS-S01"]
    assert "0 eller 1" in texts["LSS-S02"]
    assert "boendekommun får inte vara lika med kommun" in texts["LSS-S04"]


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
