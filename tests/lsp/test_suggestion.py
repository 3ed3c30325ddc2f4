"""A did-you-mean hint carries the name it proposes (``Diagnostic.suggestion``, the editor's quick fix)."""

from __future__ import annotations

import copy
import pickle

from lss_rules.language.diagnostics import Diagnostic, DidYouMean, did_you_mean
from lss_rules.language.model import Pos


def test_the_hint_is_printed_as_before_and_holds_the_name() -> None:
    hint = did_you_mean("personnumer", ["personnummer", "kommun"])
    assert hint == "menade du `personnummer`?"
    assert Diagnostic("E002", "okänt namn `personnumer`", Pos("a.lss", 1, 1), hint).suggestion == "personnummer"
    assert Diagnostic("E002", "x", Pos("a.lss", 1, 1), "kontrolltyper: a, b").suggestion is None
    assert did_you_mean("zzz", ["personnummer"]) is None


def test_a_copy_or_pickle_keeps_the_name() -> None:
    hint = DidYouMean("kommun")
    for again in (copy.deepcopy(hint), pickle.loads(pickle.dumps(hint))):
        assert isinstance(again, DidYouMean) and again.name == "kommun" and again == hint
    diag = Diagnostic("E002", "x", Pos("a.lss", 1, 1), hint)
    assert pickle.loads(pickle.dumps(diag)).suggestion == "kommun"
