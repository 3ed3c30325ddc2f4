"""The oldest lss-rules a spec says reads it (``requires_lss_rules "X"``), read before anything else (E014),
and ``lss-rules --version`` from the installed package."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from lss_rules.cli import main
from lss_rules.language.fmt import format_text
from lss_rules.language.load import analyse
from lss_rules.language.versions import newer_than, package_version, stated_requirement

HERE = Path(__file__).resolve().parent
BASE = (HERE / "base.lss").read_text(encoding="utf-8")


def _with(tmp_path: Path, line: str, after: str = "") -> Path:
    text = BASE.replace("register lss {\n", f"register lss {{\n  {line}\n", 1) + after
    path = tmp_path / "spec.lss"
    path.write_text(text, encoding="utf-8")
    return path


def test_version_follows_the_package(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"lss-rules {importlib.metadata.version('lss-rules')}"
    assert package_version() == importlib.metadata.version("lss-rules")


def test_the_version_is_read_from_the_installed_distribution(tmp_path, monkeypatch):
    """Not a constant in the code: the first ``lss_rules-X.dist-info`` on the search path names it."""
    import lss_rules

    (tmp_path / "lss_rules-9.8.7.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    assert lss_rules._installed_version() == "9.8.7"


def test_a_far_future_version_is_one_message_before_unknown_syntax(tmp_path, capsys):
    # after the statement: a property, a function and a form of condition no lss-rules knows today
    later = 'rule LSS-R98 {\n  when frobnicate(personnummer) ~~ 3\n  vendor_hint "x"\n}\n'
    path = _with(tmp_path, 'requires_lss_rules "999.0"', later)
    spec, diags = analyse([path])
    assert spec is None
    assert [(d.code, d.pos.line, d.pos.column) for d in diags] == [("E014", 2, 3)]
    assert "den här specifikationen kräver lss-rules 999.0 eller senare" in diags[0].message
    assert main(["check", str(path)]) == 1
    shown = capsys.readouterr()
    assert "kräver lss-rules 999.0 eller senare" in shown.out + shown.err
    assert "E001" not in shown.out + shown.err
    assert main(["validate", "--spec", str(path), "--year", "2005", str(path)]) == 2
    err = capsys.readouterr().err
    assert "den här specifikationen kräver lss-rules 999.0 eller senare" in err and "E001" not in err


def test_the_running_version_or_an_older_one_reads_the_spec(tmp_path):
    for required in (package_version(), "0.0.1", "0"):
        spec, diags = analyse([_with(tmp_path, f'requires_lss_rules "{required}"')])
        assert diags == [] and spec is not None
        assert spec.register.requires_lss_rules == required


def test_no_version_is_e014(tmp_path):
    spec, diags = analyse([_with(tmp_path, 'requires_lss_rules "senaste"')])
    assert spec is None and [d.code for d in diags] == ["E014"]
    assert "inget versionsnummer" in diags[0].message


def test_a_comment_or_a_string_is_no_statement():
    assert (
        stated_requirement('# requires_lss_rules "9"\nregister x {\n  title "requires_lss_rules \\"9\\""\n}\n') is None
    )


@pytest.mark.parametrize(
    ("required", "have", "newer"),
    [
        ("0.10", "0.9", True),
        ("1.0", "1.0.0", False),
        ("0.2", "0.2.0rc1", False),
        ("0.2.1", "0.2", True),
        ("1", "0+okänd", True),
    ],
)
def test_ordering(required, have, newer):
    assert newer_than(required, have) is newer


def test_fmt_keeps_the_statement(tmp_path):
    text = _with(tmp_path, 'requires_lss_rules "0.1"').read_text(encoding="utf-8")
    formatted = format_text(text, "spec.lss")
    assert '\n  requires_lss_rules "0.1"\n' in formatted
    assert format_text(formatted, "spec.lss") == formatted
