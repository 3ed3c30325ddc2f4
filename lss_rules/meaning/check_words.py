"""The structural checks (LSS-S01–S05) in words, from the year's layout and field types.

Fields are named by their labels, as in :mod:`lss_rules.meaning.wording`.
"""

from __future__ import annotations

from typing import assert_never

from lss_rules.language import model as m
from lss_rules.meaning.wording import Lang, expr_words, join_words, lang_of, names_of


def _form(f: m.Field, lang: Lang) -> str:
    sv = lang == "sv"
    t = f.type
    match t:
        case m.MunicipalityType():
            return (
                "fyra siffror, en kommunkod som gäller det året"
                if sv
                else "four digits, a municipality code valid that year"
            )
        case m.PersonnummerType():
            return "tolv siffror (ååååmmddnnnc)" if sv else "twelve digits (yyyymmddnnnc)"
        case m.FlagType():
            return "0 eller 1" if sv else "0 or 1"
        case m.CountType():
            return (
                "ett heltal större än eller lika med 0, utan tecken och decimaler"
                if sv
                else "a whole number 0 or greater, without sign or decimals"
            )
        case m.EnumType():
            return join_words([str(v) for v in t.values], lang, "eller" if sv else "or")
        case _:
            assert_never(t)


def form_words(f: m.Field, lang: str = "sv") -> str:
    """The form a non-empty value of ``f`` must have, e.g. "0 eller 1" (what LSS-S02 checks)."""
    return _form(f, lang_of(lang))


def check_words(ac: m.ActiveCheck, ym: m.YearModel, lang: str = "sv") -> str:
    """A structural check (LSS-S01–S05) in words, from the year's layout and field types."""
    lg = lang_of(lang)
    sv = lg == "sv"
    kind = ac.check.kind
    fields = ym.fields
    names = names_of(ym.spec)

    def said(name: str) -> str:
        return names.field(name, lg)

    sep = ym.layout.separator
    match kind:
        case "field_count":
            listed = ", ".join(said(f.name) for f in fields)
            if sv:
                return (
                    f'Varje rad ska ha exakt {len(fields)} fält åtskilda med "{sep}": {listed}. '
                    "En rad med fel antal fält får inga andra fynd."
                )
            return (
                f'Every line must have exactly {len(fields)} fields separated by "{sep}": {listed}. '
                "A line with the wrong number of fields gets no other finding."
            )
        case "value_form":
            items = [f"{said(f.name)}: {_form(f, lg)}" for f in fields]
            head = (
                "Ett värde som inte är tomt ska ha fältets form: "
                if sv
                else "A value that is not empty must have the field's form: "
            )
            return head + "; ".join(items) + "."
        case "required_value":
            always = [said(f.name) for f in fields if f.always_required]
            parts = [("Alltid ifyllda: " if sv else "Always filled in: ") + (", ".join(always) or "-")]
            for f in fields:
                if f.required_when is not None:
                    w = expr_words(f.required_when, names, lg)
                    parts.append(f"{said(f.name)} när {w}" if sv else f"{said(f.name)} when {w}")
            return "; ".join(parts) + "."
        case "empty_value":
            parts = []
            for f in fields:
                if f.empty_unless is not None:
                    w = expr_words(f.empty_unless, names, lg)
                    parts.append(
                        f"fältet {said(f.name)} ska vara tomt om inte {w}"
                        if sv
                        else f"{said(f.name)} must be empty unless {w}"
                    )
                if f.differs_from is not None:
                    one, other = said(f.name), said(f.differs_from)
                    parts.append(f"{one} får inte vara lika med {other}" if sv else f"{one} must not equal {other}")
            if not parts:
                return (
                    "Inget fält har krav på att vara tomt detta år."
                    if sv
                    else "No field is required to be empty this year."
                )
            text = "; ".join(parts) + "."
            return text[:1].upper() + text[1:]
        case "empty_file":
            return "Filen ska innehålla minst en post." if sv else "The file must hold at least one record."
        case _:
            assert_never(kind)
