"""The municipality table a spec reads (``kommuner.csv``), checked and located like the spec itself.

Every problem is a :class:`~lss_rules.language.diagnostics.Diagnostic` at the table's own
``FILE:LINE:COL`` (the column of the cell), so ``check`` shows its source line, a caret and a hint as it
does for a ``.lss`` file; before, every one was an E011 at the ``file`` line of the ``dataset`` in
``register.lss``, and a backwards range or a duplicate code was accepted silently.

- the form of each column (E010): ``kod`` four digits, ``namn`` given, ``lanskod`` a county that exists
  and the code's first two digits, ``fran_ar``/``till_ar`` a year or empty;
- a backwards range (``till_ar`` before ``fran_ar``, E010);
- the same code in two rows whose years overlap (E005);
- a code that ends (``till_ar``) with no row of the same municipality from the year after (E006: the
  renamed code's successor is missing);
- what makes the file unreadable as a table (E011): not UTF-8, the wrong header, a row with the wrong
  number of cells, a cell the csv module refuses.

A row with a problem is left out of the table; lowering goes on, so every problem shows in one run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from lss_rules.language import model as m
from lss_rules.language.diagnostics import Diagnostics
from lss_rules.language.paths import read_dataset

#: The columns of the table, in order.
COLUMNS = ("kod", "namn", "lanskod", "fran_ar", "till_ar")

#: Sweden's counties (län) by code: SCB's list, as in the shared reference data's ``lan.csv``
#: (tests/spec/test_municipality_table.py compares the two). A county code outside it does not exist.
COUNTIES: dict[str, str] = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}

#: the csv module's messages in Swedish (others are shown as they are)
_CSV_WORDS = {
    "field larger than field limit (131072)": "ett fält är längre än 131 072 tecken",
}

_HEADER_HINT = "den första raden ska vara " + ",".join(COLUMNS)


class _Row:
    """One row as read: its cells and where each starts."""

    def __init__(self, file: str, line: int, values: list[str], starts: list[int]) -> None:
        self.file, self.line, self.values, self.starts = file, line, values, starts
        self.cells = dict(zip(COLUMNS, values, strict=True))

    def at(self, column: str) -> m.Pos:
        i = COLUMNS.index(column)
        start = self.starts[i] if i < len(self.starts) else 1
        return m.Pos(self.file, self.line, start, self.line, start + max(1, len(self.values[i])))


def load_municipalities(path: Path, diags: Diagnostics, shown: str | None = None) -> tuple[m.Municipality, ...]:
    """The rows of the municipality table at ``path`` that are sound; each problem added to ``diags``, located
    in the table (``shown``: the file's name in messages, default ``path``). OSError when it cannot be read."""
    file = shown if shown is not None else str(path)
    data = read_dataset(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error("E011", f"filen är inte UTF-8 (byte {exc.start})", m.Pos(file, line, column), "spara den som UTF-8")
        return ()
    rows = list(_rows(text, file, diags))
    sound = [r for r in rows if _row_is_sound(r, diags)]
    _overlapping_codes(sound, diags)
    _successors(sound, diags)
    return tuple(
        m.Municipality(
            r.cells["kod"], r.cells["namn"], r.cells["lanskod"], _year(r.cells["fran_ar"]), _year(r.cells["till_ar"])
        )
        for r in sound
    )


def _rows(text: str, file: str, diags: Diagnostics) -> Iterator[_Row]:
    """The rows of the table after its header, each with its cells' columns; a wrong header or row reported."""
    lines = text.split("\n")
    with io.StringIO(text, newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != list(COLUMNS):
            diags.error("E011", f"kolumnerna är {','.join(header or [])!r}", m.Pos(file, 1, 1), _HEADER_HINT)
            return
        previous = reader.line_num
        while True:
            line = previous + 1
            try:
                values = next(reader, None)
            except csv.Error as exc:  # a field over the csv module's limit (128 KiB), a NUL…: never a traceback
                why = _CSV_WORDS.get(str(exc), str(exc))
                diags.error("E011", f"raden kan inte läsas som CSV ({why})", m.Pos(file, line, 1))
                return
            if values is None:
                return
            previous = reader.line_num
            if not values:  # a blank line
                continue
            raw = lines[line - 1].removesuffix("\r") if line <= len(lines) else ""
            if len(values) != len(COLUMNS):
                diags.error(
                    "E011",
                    f"raden har {len(values)} fält, ska ha {len(COLUMNS)}",
                    m.Pos(file, line, 1, line, len(raw) + 1),
                    "varje rad har kolumnerna " + ",".join(COLUMNS) + " (fran_ar och till_ar kan vara tomma)",
                )
                continue
            yield _Row(file, line, values, _starts(raw))


def _starts(raw: str) -> list[int]:
    """The column (1-based) where each cell of a CSV line starts (quotes respected)."""
    starts, quoted = [1], False
    for i, c in enumerate(raw):
        if c == '"':
            quoted = not quoted
        elif c == "," and not quoted:
            starts.append(i + 2)
    return starts


def _year(text: str) -> int | None:
    return int(text) if text else None


def _row_is_sound(row: _Row, diags: Diagnostics) -> bool:
    """The form of each cell of ``row`` and its years' order; False after reporting a problem."""
    before = len(diags)
    cells = row.cells
    for column, value in cells.items():  # names reach messages, pages and PDFs
        if not value.isprintable():
            diags.error(
                "E010", f"{column} innehåller ett tecken som inte är utskrivbart (ett styrtecken?)", row.at(column)
            )
    code, county = cells["kod"], cells["lanskod"]
    if not _digits(code, 4):
        diags.error(
            "E010",
            f"kommunkoden {code!r} ska vara fyra siffror",
            row.at("kod"),
            "skriv koden med inledande nolla, t.ex. 0114",
        )
    if not cells["namn"].strip():
        diags.error("E010", "kommunen saknar namn", row.at("namn"), "skriv kommunens namn, t.ex. Upplands Väsby")
    if county not in COUNTIES:
        diags.error(
            "E010",
            f"länskoden {county!r} finns inte",
            row.at("lanskod"),
            "länskoderna är " + ", ".join(COUNTIES) + " (SCB)",
        )
    elif _digits(code, 4) and code[:2] != county:
        diags.error(
            "E010",
            f"länskoden {county} stämmer inte med kommunkoden {code}",
            row.at("lanskod"),
            f"länskoden är kommunkodens två första siffror: {code[:2]}",
        )
    for column in ("fran_ar", "till_ar"):
        if cells[column] and not _digits(cells[column], 4):
            diags.error("E010", f"{column} ska vara ett årtal eller tomt, inte {cells[column]!r}", row.at(column))
    if len(diags) == before and cells["fran_ar"] and cells["till_ar"] and int(cells["till_ar"]) < int(cells["fran_ar"]):
        diags.error(
            "E010",
            f"åren {cells['fran_ar']}..{cells['till_ar']} är tomma: till_ar ligger före fran_ar",
            row.at("till_ar"),
            "till_ar är det sista år koden gäller; lämna den tom om koden gäller tills vidare",
        )
    return len(diags) == before


def _digits(text: str, n: int) -> bool:
    return len(text) == n and text.isascii() and text.isdigit()


def _span(row: _Row) -> tuple[int, float]:
    first, last = _year(row.cells["fran_ar"]), _year(row.cells["till_ar"])
    return (first if first is not None else 0, last if last is not None else float("inf"))


def _overlapping_codes(rows: list[_Row], diags: Diagnostics) -> None:
    """A code in two rows whose years overlap (E005), reported at the later row."""
    seen: dict[str, list[_Row]] = {}
    for row in rows:
        code = row.cells["kod"]
        for other in seen.get(code, []):
            (a1, a2), (b1, b2) = _span(other), _span(row)
            if a1 <= b2 and b1 <= a2:
                diags.error(
                    "E005",
                    f"kommunkoden {code} står två gånger med år som överlappar (rad {other.line} och {row.line})",
                    row.at("kod"),
                    f"ett år har bara en rad per kod; ändra fran_ar/till_ar eller ta bort en rad (rad {other.line})",
                )
        seen.setdefault(code, []).append(row)


def _successors(rows: list[_Row], diags: Diagnostics) -> None:
    """A code that ends needs the municipality's row from the year after (E006), as Heby's 1917 has 0331."""
    starts = {(r.cells["namn"], r.cells["fran_ar"]) for r in rows}
    for row in rows:
        last = row.cells["till_ar"]
        if not last:
            continue
        name, nxt = row.cells["namn"], str(int(last) + 1)
        if (name, nxt) not in starts:
            diags.error(
                "E006",
                f"kommunkoden {row.cells['kod']} ({name}) gäller till och med {last}, men ingen rad för {name} "
                f"gäller från {nxt}",
                row.at("till_ar"),
                f"lägg till raden med den nya koden: KOD,{name},LÄN,{nxt}, (se En kommunkod ändras i "
                "guiden för specifikationsredaktörer)",
            )
