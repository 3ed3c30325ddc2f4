"""No cell of a CSV the tool writes is read as a formula by a spreadsheet (issue 22, item 13).

``report --format csv`` is the only CSV the tool writes (``impact``, ``diff`` and ``convert`` write text,
markdown or JSON).  Before, a file name starting with ``=``, ``+``, ``-`` or ``@`` landed in it as it was,
and Excel or LibreOffice ran it (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``).  Now every text cell that
starts with one of those gets a single quote before it and double quotes around it, as OWASP's "CSV
Injection" page recommends; the municipality's name (from the spec's data) too.  A tab or a CR (OWASP's
other two) never starts a cell: every text cell is printable, so they are written ``\\t``, ``\\r``.  A
number the report writes (a change of ``-3``, a percentage of ``-12.5``) stays a number, and a cell
without such a start is written as the csv module writes it, so other reports do not change by a byte.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lss_rules.cli import main
from lss_rules.runtime import python as runtime
from lss_rules.tools import report_output as feedback

LINE = "0114;201001012384;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"
FORMULAS = ['=HYPERLINK("http://x";"y")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]
CONTROL_FIRST = ["\t=1", "\r=1", "\x1b=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_is_neutralised(text):
    cell = feedback.csv_cell(text)
    assert cell.startswith("\"'") and cell.endswith('"')  # a quote first, inside double quotes
    assert next(csv.reader([cell])) == ["'" + text]


@pytest.mark.parametrize("text", CONTROL_FIRST)
def test_a_tab_or_cr_first_is_written_as_text(text):
    """A control character is written printable (``\\t``): a backslash first, no formula."""
    assert feedback.csv_cell(text) == runtime.printable(text) and feedback.csv_cell(text).startswith("\\")


@pytest.mark.parametrize(("value", "cell"), [(-3, "-3"), ("-12.5", "-12.5"), ("-7", "-7"), (None, ""), (0, "0")])
def test_numbers_stay_numbers(value, cell):
    assert feedback.csv_cell(value) == cell


SAFE = st.text().filter(lambda t: not t.startswith(("=", "+", "-", "@")))


@given(st.lists(st.one_of(SAFE, st.integers()), min_size=2, max_size=6))
def test_other_cells_are_written_as_the_csv_module_writes_them(row):
    """Byte for byte csv.writer's output for every row of printable cells that start with no formula sign."""
    shown = [runtime.printable(v) if isinstance(v, str) else v for v in row]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(shown)
    assert ",".join(map(feedback.csv_cell, row)) + "\n" == buf.getvalue()


@pytest.mark.parametrize("name", ["=HYPERLINK(1).txt", "+1.txt", "-x.txt", "@SUM(A1).txt", '=a,b".txt'])
@pytest.mark.parametrize("previous", [False, True])
def test_report_csv_neutralises_file_names(tmp_path, capsys, monkeypatch, name, previous):
    monkeypatch.chdir(tmp_path)  # the names as given: the cell starts with the name
    (tmp_path / name).write_text(LINE + "\n", encoding="utf-8")
    argv = ["report", "--year", "2023", "--format", "csv"]
    argv += [f"--previous={name}", "--", name] if previous else ["--", name]
    assert main(argv) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(r["fil"] == "'" + name for r in rows)
    assert all(r["foregaende_fil"] == "'" + name for r in rows) if previous else True
    for r in rows:
        for cell in r.values():
            assert not cell.startswith(("=", "+", "@")), cell
            assert not cell.startswith("-") or cell[1:].replace(".", "").isdigit(), cell


def test_a_full_path_is_no_formula(tmp_path, capsys):
    path = tmp_path / "=1+1.txt"
    path.write_text(LINE + "\n", encoding="utf-8")
    assert main(["report", "--year", "2023", "--format", "csv", "--", str(path)]) == 0
    assert {r["fil"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))} == {str(path)}
