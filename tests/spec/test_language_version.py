"""The language version a spec states (``language N``): read before anything else (E013 otherwise)."""

from __future__ import annotations

from pathlib import Path

from lss_rules.language.load import analyse, default_spec_dir
from lss_rules.language.syntax import LANGUAGE, stated_language

HERE = Path(__file__).resolve().parent


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.lss"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_installed_spec_states_the_version_this_lss_rules_reads():
    stated = stated_language((default_spec_dir() / "register.lss").read_text(encoding="utf-8"))
    assert stated is not None and stated[0] == LANGUAGE


def test_the_version_it_reads_and_none_stated_are_the_same_spec(tmp_path):
    base = (HERE / "base.lss").read_text(encoding="utf-8")
    stated = base.replace("register lss {\n", f"register lss {{\n  language {LANGUAGE}\n", 1)
    assert stated != base
    a, da = analyse([_write(tmp_path, stated)])
    b, db = analyse([HERE / "base.lss"])
    assert da == db == []
    assert a is not None and b is not None and a.rules == b.rules and a.register == b.register


def test_another_version_stops_everything_else(tmp_path):
    # a spec full of errors gets the one message: its errors may be the other version's syntax
    text = "register lss {\n  language 9\n  first_year x\n}\nrule LSS-R01 { require ?? }\n"
    spec, diags = analyse([_write(tmp_path, text)])
    assert spec is None
    assert [(d.code, d.pos.line, d.pos.column) for d in diags] == [("E013", 2, 3)]
    assert "språkversion 9" in diags[0].message and "uppdatera lss-rules" in (diags[0].hint or "")


def test_a_comment_or_a_word_in_a_string_is_no_statement():
    assert stated_language('# language 3\nregister lss {\n  title "language 3"\n}\n') is None
    assert stated_language("register lss {\n\tlanguage 2\n}\n") == (2, 2, 2)
