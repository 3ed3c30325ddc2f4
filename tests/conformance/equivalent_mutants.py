"""Mutants of the compiled validator that no vector can tell apart from it, each with the reason.

Keyed by year, then by the mutant's description (:attr:`mutation.Mutant.description`): function,
rule comment, operator and source text — never a line number.  A listed mutant that the suite
kills, or a description that no longer names a mutant, fails the mutation test: the list must
be kept true when the code generator changes.

"Cannot change a report" means: the status and the set of (file, line, rule, severity) — what
the suite compares.  Two kinds of mutant change only what the suite does not compare (the
``fields`` of a finding and the personnummer shown with an LSS-S01 finding); they are listed
here as such, not hidden.
"""

from __future__ import annotations

_MEMO = (
    "the memo (a line whose fields but the personnummer repeat a clean earlier line) is a cache: this "
    "mutant only stops it being filled or used, and the full checks then find the same"
)
_MEMO_SIZE = "the bound on the memo's size only decides when the cache stops growing; the checks are the same"
_FAST_FORM = (
    "the fast form test only chooses between two paths; when it fails, _forms computes the same "
    "unknown values, so a line merely takes the slow path"
)

COMMON: dict[str, str] = {
    "_check_file: == -> !=: len(v_personnummer) == 12": _MEMO,
    "_check_file: 12 -> 13: len(v_personnummer) == 12": _MEMO,
    "_check_file: 12 -> 11: len(v_personnummer) == 12": _MEMO,
    "_check_file: not dropped: not u": (
        "a line of this register with an unknown value (a bit of u) always has an LSS-S02 or LSS-S03 finding, "
        "so `len(out) == mark` already keeps it out of the memo; mutated, the memo is never filled (a cache)"
    ),
    "_check_file: < -> <=: len(memo) < 65536": _MEMO_SIZE,
    "_check_file: 65536 -> 65537: len(memo) < 65536": _MEMO_SIZE,
    "_check_file: 65536 -> 65535: len(memo) < 65536": _MEMO_SIZE,
    "_check_file: 1 -> 2: len(parts) > 1": (
        "only the personnummer shown with an LSS-S01 finding on a line of exactly two fields changes "
        "(None instead of the second field); the suite does not compare it"
    ),
    "report: == -> !=: lang == 'en'": (
        "only the language of the report's titles and messages changes (English for Swedish and back); "
        "the suite compares status, file, line, rule and severity, which are the same in both"
    ),
    "_national: 1 -> 2: len(head) <= 1": (
        "lines with at most one separator are skipped one step earlier; they have the wrong number of "
        "fields and are skipped by the field-count test that follows anyway"
    ),
}


def _fast(*tests: str) -> dict[str, str]:
    return {f"_check_file: or -> and: {t}": _FAST_FORM for t in tests}


def _hours(name: str) -> str:
    return f"v_{name} == '' or (v_{name}.isdigit() and v_{name}.isascii())"


_KRETS = "v_personkrets == '' or v_personkrets in VALID_PERSONKRETS"
_BOENDE = "v_boendekommun == '' or v_boendekommun in VALID_BOENDEKOMMUN"

EQUIVALENT: dict[int, dict[str, str]] = {
    2023: COMMON
    | _fast(
        _KRETS,
        _hours("personlig_assistans_timmar"),
        _hours("ledsagarservice_timmar"),
        _hours("avlosarservice_timmar"),
        _hours("korttidsvistelse_dygn"),
        _BOENDE,
    ),
    2005: dict(COMMON),
    2001: COMMON | _fast(_KRETS, _BOENDE),
}
