"""No personnummer in the clear by default, wherever it stands (issue 22, item 2).

Before, only the personnummer field was masked: a number in another column (a swapped or shifted line,
the very mistake the tool catches) was shown in full in a finding's ``values`` and ``detail``, by
``convert``, in the page's JSON; ``impact`` masked runs of twelve digits only, so ``19691014-9290`` and
``6910149290`` passed; a bad ``--deceased`` line echoed a full number.  Now every run that reads as a
personnummer or samordningsnummer (README, "Masking") shows its date part and ``****``, unless
``--show-personnummer``.  The property over random input is tests/fuzz/test_fuzz_masking.py; the
JavaScript module's is tests/backends/javascript/test_js_masking.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pnr_shapes import leaked, runs, with_pnrs

from lss_rules.cli import main
from lss_rules.runtime import python as runtime

LINE = "0114;201001012384;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"  # a 2023 record
FORMS = ["196910149290", "19691014-9290", "6910149290", "691014-9290", "691014+9290", "196910749290"]


def _with(index: int, value: str) -> str:
    parts = LINE.split(";")
    parts[index] = value
    return ";".join(parts)


# the numbers in other columns: personkrets (2), kommun (0), hours (4), a flag (3) and a shifted line
SWAPPED = [
    _with(2, FORMS[0]),
    _with(0, FORMS[1]),
    _with(4, FORMS[2]),
    _with(3, FORMS[3]),
    _with(2, FORMS[4]),
    _with(5, FORMS[5]),
    "0114;1;" + FORMS[1] + ";" + ";".join(LINE.split(";")[3:]),
]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("196910149290", "19691014****"),
        ("19691014-9290", "19691014-****"),
        ("19691014+9290", "19691014+****"),
        ("6910149290", "691014****"),
        ("691014-9290", "691014-****"),
        ("691014+9290", "691014+****"),
        ("196910749290", "19691074****"),  # a samordningsnummer: day + 60
        ("199913459999", "19991345****"),  # no date is asked for: a typo is masked all the same
        ("x196910149290.txt", "x19691014****.txt"),
        ("a 691014-9290, b 6910149290;", "a 691014-****, b 691014****;"),
        ("1969101492901", "1969101492901"),  # thirteen digits: no personnummer
        ("19691014929", "19691014929"),  # eleven
        ("123456789", "123456789"),
        ("19691014--9290", "19691014--9290"),
        ("19691014 9290", "19691014 9290"),
        ("1969101-9290", "1969101-9290"),  # seven digits before the hyphen
        ("19691014-92901", "19691014-92901"),
        ("\u0661\u0669\u0666\u0669\u0661\u0660\u0661\u0664\u0669\u0662\u0669\u0660", None),  # not ASCII digits
        ("0114.txt", "0114.txt"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_text(text, shown):
    assert runtime.mask_text(text) == (text if shown is None else shown)


@given(with_pnrs(st.text(max_size=8)))
def test_mask_text_leaves_no_run_and_changes_nothing_else(text):
    masked = runtime.mask_text(text)
    assert runs(masked) == []
    assert len(masked) == len(text)
    assert (masked == text) == (runs(text) == [])
    assert all(a == b or (a in "0123456789" and b == "*") for a, b in zip(text, masked, strict=True))


@pytest.fixture
def swapped(tmp_path: Path) -> Path:
    path = tmp_path / "0114.txt"
    path.write_text("\n".join([LINE, *SWAPPED]) + "\n", encoding="utf-8")
    return path


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_validate_masks_a_personnummer_in_another_field(swapped, capsys):
    code, out, _ = _run(["validate", "--year", "2023", "--format", "json", str(swapped)], capsys)
    assert code == 1
    assert leaked(SWAPPED, out) == []
    report = json.loads(out)
    shown = [f for f in report["findings"] if f.get("values", {}).get("personkrets") == "19691014****"]
    assert shown and "personkrets är '19691014****'" in shown[0]["detail"]
    code, text, _ = _run(["validate", "--year", "2023", str(swapped)], capsys)
    assert leaked(SWAPPED, text) == [] and "personkrets är '19691014****'" in text


def test_show_personnummer_shows_them(swapped, capsys):
    _, out, _ = _run(["validate", "--year", "2023", "--format", "json", "--show-personnummer", str(swapped)], capsys)
    values = [v for f in json.loads(out)["findings"] for v in f.get("values", {}).values()]
    assert {"196910149290", "19691014-9290", "6910149290", "691014+9290"} <= set(values)


def test_a_report_without_such_values_is_unchanged(tmp_path, capsys):
    """The masking of values is the identity where nothing reads as a personnummer: the same report as
    with --show-personnummer, apart from the personnummer field itself."""
    path = tmp_path / "0114.txt"
    path.write_text(_with(2, "7") + "\n" + _with(4, "12345678901234") + "\n", encoding="utf-8")
    _, masked, _ = _run(["validate", "--year", "2023", "--format", "json", str(path)], capsys)
    _, shown, _ = _run(["validate", "--year", "2023", "--format", "json", "--show-personnummer", str(path)], capsys)
    assert masked.replace("20100101-****", "201001012384") == shown


def test_convert_masks_every_field(swapped, capsys):
    _code, out, err = _run(["convert", "--year", "2023", str(swapped)], capsys)
    assert leaked(SWAPPED, out + err) == []
    records = json.loads(out)
    assert records[1]["personkrets"] == "19691014****" and records[1]["personnummer"] == "20100101-****"
    _, out, _ = _run(["convert", "--year", "2023", "--show-personnummer", str(swapped)], capsys)
    assert json.loads(out)[1]["personkrets"] == "196910149290"


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_impact_masks_ten_digits_and_hyphens_too(swapped, capsys, fmt):
    argv = ["impact", "--from-year", "2020", "--to-year", "2023", "--examples", "20", "--format", fmt, str(swapped)]
    code, out, _ = _run(argv, capsys)
    assert code == 0
    assert "0114;201001012384" not in out and leaked(SWAPPED, out) == [], out
    assert ";691014****;" in out  # the line of the hours that changed rule, shown and masked


@pytest.mark.parametrize("form", FORMS)
def test_impact_lines_mask_every_form(form):
    from lss_rules.tools.impact import mask_line

    assert runs(mask_line(_with(3, form))) == [] and form not in mask_line(_with(3, form))


def test_a_bad_deceased_line_echoes_no_personnummer(swapped, tmp_path, capsys):
    for value in [*FORMS, "x" * 29 + "196910149290", "x" * 28 + "1969101492901"]:
        dead = tmp_path / "avlidna.txt"
        dead.write_text(f"196910149290;{value}\n", encoding="utf-8")
        code, _out, err = _run(["validate", "--year", "2023", "--deceased", str(dead), str(swapped)], capsys)
        assert code == 2 and "är inget datum ÅÅÅÅ-MM-DD" in err
        assert runs(err) == [] and "196910149290" not in err, err  # not even with the cut of 40 characters
        assert runtime.mask_text(value)[:40].rstrip("*") in err or value.startswith("x")


def test_file_names_are_masked_unless_asked(tmp_path, capsys):
    path = tmp_path / "rättelse-19691014-9290.txt"
    hours = LINE.replace(";1;0;;0;;1;", ";1;1;800;0;;1;", 1)  # LSS-R17 before 2021, LSS-R21 after: impact shows it
    path.write_text(f"{LINE}\nx\n{hours}\n", encoding="utf-8")
    checks = [
        ["validate", "--year", "2023", "--format", "json"],
        ["validate", "--year", "2023"],
        ["report", "--year", "2023"],
        ["report", "--year", "2023", "--format", "json"],
        ["report", "--year", "2023", "--format", "csv"],
        ["report", "--year", "2023", "--previous", str(path), "--format", "csv", "--"],
        ["impact", "--from-year", "2020", "--to-year", "2023"],
        ["convert", "--year", "2023"],
    ]
    for argv in checks:
        _, out, err = _run([*argv, str(path)], capsys)
        assert "19691014-9290" not in out + err, (argv, out, err)
        if argv[0] != "convert":  # convert names the file only on standard error, for the bad line
            assert "rättelse-19691014-****.txt" in out, (argv, out)
        _, out, err = _run([argv[0], "--show-personnummer", *argv[1:], str(path)], capsys)
        assert "19691014-9290" in out + err, (argv, out, err)


def test_an_error_naming_a_file_masks_it(tmp_path, capsys):
    code, _, err = _run(["validate", "--year", "2023", str(tmp_path / "saknas-196910149290.txt")], capsys)
    assert code == 2 and "saknas-19691014****.txt: filen finns inte" in err
