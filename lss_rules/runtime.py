"""The fixed runtime of every validator: reading files, personnummer, reports.

This module uses the standard library only.  The Python backend copies its
source verbatim into every generated validator, so a compiled module stands
alone (``lss-rules compile``) and ``lss-rules validate`` runs the very same
code.  The reference evaluator uses it too, for reading files and for the
personnummer check, so the two never disagree on what a line or a date is.

The JSON report is the contract documented in the README and in
``lss_rules/schemas/report.schema.json``.
"""

import argparse
import collections
import contextlib
import datetime
import errno
import hashlib
import json
import operator
import os
import re
import stat
import sys

# --------------------------------------------------------------------------- errors


class InputError(Exception):
    """An input cannot be read at all: the run cannot be made (exit code 2)."""


class WriteError(SystemExit):
    """Standard out cannot be written (a full disk, a closed descriptor): exit code 2.

    A ``SystemExit``, so a compiled module run as a script ends with code 2 whatever its
    ``main`` catches; the one-line message is already on standard error when it is raised.
    """

    def __init__(self):
        super().__init__(EXIT_USAGE)


EXIT_ACCEPTED = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2

# --------------------------------------------------------------------------- reading

_MAX_LINE = 1 << 16  # longer lines are not records (a binary file?); they are cut to this many bytes
_BLOCK = 1 << 20  # bytes read at a time
_BOM = b"\xef\xbb\xbf"


def _one_line(raw, ended):
    """Decode one line's bytes (without its LF): CR of a CRLF dropped, cut at _MAX_LINE, UTF-8 else latin-1."""
    if ended and raw.endswith(b"\r"):
        raw = raw[:-1]
    if len(raw) > _MAX_LINE:
        raw = raw[:_MAX_LINE]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1")


def _block_lines(head):
    """The lines of a run of complete lines (every one ended by LF, the last LF already removed)."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return [_one_line(raw, True) for raw in head.split(b"\n")]
    lines = text.split("\n")
    if len(head) > _MAX_LINE and max(map(len, lines)) * 4 > _MAX_LINE:
        return [_one_line(raw, True) for raw in head.split(b"\n")]
    if "\r" in text:
        lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    return lines


def folder_message(path):
    """What to say when a folder is given where a file belongs: name its files the shell way."""
    folder = str(path).rstrip("/\\") or str(path)
    return f"{path}: är en mapp, inte en fil; ange filerna i den, t.ex. {folder}/*.txt"


def iter_lines(path, found=None):
    """Yield every line of a submission file, decoded, without its line end.

    Streams (a block of at most 1 MiB in memory at a time), never writes.  LF
    or CRLF; UTF-8 with or without a byte-order mark, else ISO-8859-1 (decided
    per line, so a file that mixes them loses nothing).  A final line end is
    optional; every other line end ends a line, so a blank line inside the file
    is a line.  A line longer than 64 KiB (a binary file) is cut to 64 KiB.

    Only a regular file is read: a folder, a FIFO, a device (``/dev/urandom``) or a
    socket is an InputError (:func:`not_a_file`), before a byte of it is read.  A
    file that changes while it is read (its size or time at the end differs from
    the start) is an InputError; the digest of what was read is kept for
    :func:`read_again`.  ``found``: the run's :class:`RawFindings`, bounded between
    pieces of the file (so that a file of millions of bad lines never holds millions
    of findings) and settled at its end.
    """
    return _read_lines(path, None, found)


_FIRST_READ: dict = {}  # path -> (file_state at its last complete first read, sha256 of its bytes)


def _changed(path):
    return InputError(f"{_path_shown(path)}: filen ändrades under granskningen")


_KINDS = (
    (stat.S_ISFIFO, "en FIFO (en pipe)"),
    (stat.S_ISCHR, "en enhet"),
    (stat.S_ISBLK, "en enhet"),
    (stat.S_ISSOCK, "en socket"),
)


def not_a_file(path, mode):
    """What to say of an input that is no regular file (``mode``: its ``st_mode``): one Swedish line."""
    if stat.S_ISDIR(mode):
        return folder_message(_path_shown(path))
    kind = next((word for test, word in _KINDS if test(mode)), "ingen vanlig fil")
    return f"{_path_shown(path)}: är {kind}, inte en vanlig fil; spara innehållet i en fil och granska filen"


def check_input(path):
    """InputError unless ``path`` is a regular file (a link to one is fine): missing, a folder, a FIFO, a device.

    Checked for every input before the run reads any: a FIFO would keep the run waiting, a device such as
    ``/dev/urandom`` has no end.  :func:`iter_lines` checks again on the file it opens.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{_path_shown(path)}: filen finns inte") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{_path_shown(path)}: kan inte läsas ({os_error_text(exc)})") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(not_a_file(path, st.st_mode))


def _open_regular(path):
    """``path`` opened for reading and its ``fstat``; InputError for anything but a regular file.

    Opened without blocking (a FIFO put there after :func:`check_input` looked does not keep the run
    waiting for a writer), then the descriptor itself is checked, never the path again.
    """
    check_input(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(f"{_path_shown(path)}: filen finns inte") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{_path_shown(path)}: kan inte läsas ({os_error_text(exc)})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(not_a_file(path, st.st_mode))
        return os.fdopen(fd, "rb"), st
    except OSError as exc:
        os.close(fd)
        raise InputError(f"{_path_shown(path)}: kan inte läsas ({os_error_text(exc)})") from None
    except InputError:
        os.close(fd)
        raise


_BOUND_LINES = 1 << 14  # lines given between two looks at the run's findings (RawFindings.bound)


def _read_lines(path, expect, found=None):
    """The lines of ``path``; ``expect``: the digest the bytes must have (a second read), or None."""
    f, st = _open_regular(path)
    with f:
        state = _state(st)
        digest = hashlib.sha256()  # SHA-NI: about 1.6 GB/s here
        carry = b""
        first = True
        while True:
            try:
                block = f.read(_BLOCK)
            except OSError as exc:
                raise InputError(f"{_path_shown(path)}: kan inte läsas ({os_error_text(exc)})") from None
            digest.update(block)
            if first:
                while block and len(block) < 3 and block == _BOM[: len(block)]:
                    more = f.read(_BLOCK)  # a very short read: make sure a BOM is seen whole
                    if not more:
                        break
                    digest.update(more)
                    block += more
                if block.startswith(_BOM):
                    block = block[3:]
                first = False
            if not block:
                _check_unchanged(path, f, state, digest.digest(), expect)
                if carry:
                    yield _one_line(carry, False)
                if found is not None:
                    found.settle()  # the file's findings are final: the ones past the bound counted
                return
            data = carry + block if carry else block
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data[: _MAX_LINE + 2]  # the line goes on; only its start is ever used
                continue
            carry = data[cut + 1 :]
            if len(carry) > _MAX_LINE + 2:
                carry = carry[: _MAX_LINE + 2]
            lines = _block_lines(data[:cut])
            if found is None:
                yield from lines
                continue
            # the run's findings bounded every _BOUND_LINES lines (here, not in a generator of its own: a
            # generator more between the lines and the loop that checks them costs a step a line)
            for at in range(0, len(lines), _BOUND_LINES):
                yield from lines if len(lines) <= _BOUND_LINES else lines[at : at + _BOUND_LINES]
                found.bound()


def _check_unchanged(path, f, state, digest, expect):
    """At the end of a read: the file is as it was when it was opened (and as the first read saw it)."""
    try:
        end = _state(os.fstat(f.fileno()))
    except OSError:
        end = None
    if end != state or (expect is not None and digest != expect):
        raise _changed(path)
    if expect is None:
        _FIRST_READ[path] = (state, digest)


def _state(st):
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def file_state(path):
    """Identity, size and time of a regular file, to read it a second time unchanged; None for anything else
    (which :func:`iter_lines` refuses)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return _state(st)


def read_again(path, state, found=None):
    """The lines of a regular file once more (the national rules); InputError if it changed since ``state``.

    Changed: another size, time or identity than ``state``, or bytes whose digest differs
    from those of the first read (a rewrite of the same size with the time set back).
    ``found``: the run's findings, bounded as :func:`iter_lines` does.
    """
    if state is None or file_state(path) != state:
        raise _changed(path)
    first = _FIRST_READ.get(path)
    return _read_lines(path, first[1] if first is not None and first[0] == state else None, found)


# --------------------------------------------------------------------------- whole-file hints

_HINT_BYTES = 1 << 12  # the start of a file read for the whole-file diagnoses (20 lines fit)
_HINT_LINES = 20  # lines of that start looked at
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SEPARATOR_NAMES = {
    "sv": {",": "komma (,)", "\t": "tabb", ";": "semikolon (;)", "|": "lodstreck (|)"},
    "en": {",": "commas (,)", "\t": "tabs", ";": "semicolons (;)", "|": "vertical bars (|)"},
}
HINT_TEXTS = {
    "sv": {
        "encoding": "Filen är sparad som {encoding}, så ingen rad kan läsas; spara den som UTF-8 (eller ISO-8859-1) "
        "och granska den igen.",
        "header_line": "Rad 1 är en rubrikrad (fältnamn som {names}); ta bort rubrikraden — filen ska bara innehålla "
        "poster, en per rad.",
        "separator": "Fälten är skilda med {found}; fälten ska skiljas med {wanted}. Spara filen med rätt avgränsare.",
        "quoted": 'Värdena står inom citattecken ("0114"); ta bort citattecknen — varje värde ska stå som det är, '
        "t.ex. 0114.",
    },
    "en": {
        "encoding": "The file is saved as {encoding}, so no line can be read; save it as UTF-8 (or ISO-8859-1) and "
        "check it again.",
        "header_line": "Line 1 is a header line (field names such as {names}); remove the header line — the file holds "
        "records only, one a line.",
        "separator": "The fields are separated by {found}; they must be separated by {wanted}. Save the file with the "
        "right separator.",
        "quoted": 'The values are in quotes ("0114"); remove the quotes — every value stands as it is, e.g. 0114.',
    },
}
_OTHER_SEPARATORS = (",", "\t", "|")


def _hint(code, lang, **values):
    return {"code": code, "message": HINT_TEXTS[lang][code].format(**values)}


def _wide_encoding(head):
    """'UTF-16' / 'UTF-32' for a file written in one of them (a byte-order mark, or NUL bytes between characters)."""
    if head.startswith(_UTF32_BOMS):
        return "UTF-32"
    if head.startswith(_UTF16_BOMS):
        return "UTF-16"
    sample = head[:4096]
    if len(sample) >= 8:
        nul = sample.count(0)
        if nul * 8 >= len(sample) * 5:  # three NUL bytes in four: UTF-32
            return "UTF-32"
        if nul * 8 >= len(sample) * 3:  # about every second byte NUL: UTF-16
            return "UTF-16"
    return None


def _bare(value):
    return value.strip().strip("\"'").strip().lower()


def hints_of(paths, separator, fields, lang="sv"):
    """The :func:`file_hints` of each of ``paths``, a list per file."""
    return [file_hints(path, separator, fields, lang) for path in paths]


def file_hints(path, separator, fields, lang="sv"):
    """Whole-file diagnoses of a submission file: what is wrong with all of it and what to do.

    Said once per file, before its line findings, and never a finding themselves (which rule
    fires on which line is the rule catalogue's): ``[{"code", "message"}]`` in this order —
    ``encoding`` (UTF-16 or UTF-32: a byte-order mark, or NUL bytes between the characters),
    ``header_line`` (the first line's fields are field names, as in an export from Excel),
    ``separator`` (most lines are separated by ``,``, tabs or ``|``, not by ``separator``) and
    ``quoted`` (most values stand in quotes).  Only the first 4 KiB of a regular file are read;
    a pipe or a file that cannot be opened has no hints.
    """
    if file_state(path) is None:
        return []  # a pipe or a device (never opened again: opening a FIFO would wait for a writer)
    try:
        with open(path, "rb") as f:
            head = f.read(_HINT_BYTES)
    except (OSError, ValueError):
        return []
    wide = _wide_encoding(head)
    if wide is not None:
        return [_hint("encoding", lang, encoding=wide)]
    if head.startswith(_BOM):
        head = head[3:]
    text = head.decode("utf-8", errors="replace")
    lines = [line.rstrip("\r") for line in text.split("\n")[:_HINT_LINES] if line.strip()]
    if not lines:
        return []
    hints = []
    n = len(fields)
    names = {name.lower() for name in fields}
    first = lines[0]
    if '"' not in text and "'" not in text and all(line.count(separator) >= n - 1 for line in lines):
        # the common case: every line is separated as it should be and nothing is quoted
        named = [_bare(value) for value in first.split(separator) if _bare(value) in names]
        return [_hint("header_line", lang, names=", ".join(named[:3]))] if len(named) >= 2 else []
    used = separator
    if first.count(separator) < n - 1:
        guess = max(_OTHER_SEPARATORS, key=first.count)
        if first.count(guess) >= n - 2:
            used = guess
    named = [_bare(value) for value in first.split(used) if _bare(value) in names]
    if len(named) >= 2:
        hints.append(_hint("header_line", lang, names=", ".join(named[:3])))
    records = lines[1:] if len(named) >= 2 else lines
    if not records:
        return hints
    other = {}
    for line in records:
        if line.count(separator) >= n - 1:
            continue
        for candidate in _OTHER_SEPARATORS:
            if candidate != separator and line.count(candidate) >= n - 1:
                other[candidate] = other.get(candidate, 0) + 1
                break
    best = max(other, key=other.__getitem__, default=None)
    if best is not None and other[best] * 2 > len(records):
        named_as = _SEPARATOR_NAMES[lang]
        found, wanted = named_as.get(best, repr(best)), named_as.get(separator, repr(separator))
        hints.append(_hint("separator", lang, found=found, wanted=wanted))
        used = best
    quoted = 0
    for line in records:
        values = line.split(used)
        if sum(1 for v in values if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'") * 2 > len(values):
            quoted += 1
    if quoted * 2 > len(records):
        hints.append(_hint("quoted", lang))
    return hints


# --------------------------------------------------------------------------- counts

# A count (hours, days) is compared as its number up to COUNT_CAP; a larger one counts as COUNT_CAP.  Every
# number a spec can write has at most 9 digits (lss_rules.syntax.MAX_DIGITS), so a count compared with the
# spec's limits gets the finding of its exact value, however many digits it has.  int() of a long text is
# never made: CPython refuses more than 4,300 digits (sys.set_int_max_str_digits, maybe less on the user's
# machine) and takes quadratic time below that; JavaScript's Number() is Infinity or rounds past 2**53.
COUNT_DIGITS = 12
COUNT_CAP = 10**COUNT_DIGITS


def count_value(text):
    """``min(int(text), COUNT_CAP)`` of a string of ASCII digits, whatever its length (leading zeros too)."""
    if len(text) > COUNT_DIGITS:
        text = text.lstrip("0")
        if len(text) > COUNT_DIGITS:
            return COUNT_CAP
        if not text:
            return 0
    return int(text)


# --------------------------------------------------------------------------- national rules


def tally(here, seen, shared):
    """Add one file's flags per key (``here``: key -> bits) to those of the files before it.

    ``seen``: key -> the bits set in any file so far; ``shared``: key -> the bits set in
    more than one file.  A key repeated in one file counts once: only another file shares.
    """
    for key, bits in here.items():
        before = seen.get(key, 0)
        seen[key] = before | bits
        if before & bits:
            shared[key] = shared.get(key, 0) | (before & bits)


# --------------------------------------------------------------------------- personnummer

_DOUBLED = {str(d): (2 * d) // 10 + (2 * d) % 10 for d in range(10)}
_SINGLE = {str(d): d for d in range(10)}
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Luhn sums of digit pairs (doubled, single) and of four digits
_LUHN2 = {a + b: _DOUBLED[a] + _SINGLE[b] for a in _SINGLE for b in _SINGLE}
_LUHN4 = {x + y: v + w for x, v in _LUHN2.items() for y, w in _LUHN2.items()}
# "MMDD" of a real date (Feb 29 included) and of a samordningsnummer (day + 60) -> the real "MMDD"
_REAL_MMDD = {
    f"{month:02d}{day + extra:02d}": f"{month:02d}{day:02d}"
    for month in range(1, 13)
    for day in range(1, (29 if month == 2 else _MONTH_DAYS[month]) + 1)
    for extra in (0, 60)
}
# the Luhn sum of a personnummer's last four digits (serial and check digit); no serial 000
_LUHN_TAILS = {digits: total for digits, total in _LUHN4.items() if not digits.startswith("000")}
_CHECKERS: dict = {}  # reference date -> check function


def luhn_ok(ten):
    """The Luhn check over the last ten digits of a personnummer."""
    total = sum(_DOUBLED[c] for c in ten[0::2]) + sum(_SINGLE[c] for c in ten[1::2])
    return total % 10 == 0


def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def birth_date(pnr):
    """The birth date of a 12-digit personnummer (samordningsnummer: day - 60), or None."""
    year, month, day = int(pnr[0:4]), int(pnr[4:6]), int(pnr[6:8])
    if day > 60:
        day -= 60
    if not (year >= 1 and 1 <= month <= 12 and day >= 1):
        return None
    last = _MONTH_DAYS[month]
    if month == 2 and _leap(year):
        last = 29
    if day > last:
        return None
    return (year, month, day)


def personnummer_checker(reference_date):
    """``check(pnr)``: :func:`valid_personnummer` with the reference date bound (what validators call per line).

    A number is its birth date (eight digits) and its serial and check digit (four).  The Luhn sum
    of the last four comes from a table; that of the date digits is worked out once per birth date
    (-1 for a date that is no real date on or before the reference date) and remembered (at most
    65,536 dates).  Two slices and two lookups per number.
    """
    key = reference_date.strftime("%Y%m%d").zfill(8)
    dates = {}  # "YYYYMMDD" -> the Luhn sum of its last six digits, or -1
    tails = _LUHN_TAILS

    def date_sum(head):
        if not (len(head) == 8 and head.isdigit() and head.isascii()) or head[:4] == "0000":
            return -1
        mmdd = _REAL_MMDD.get(head[4:])
        if mmdd is None or (mmdd == "0229" and not _leap(int(head[:4]))) or head[:4] + mmdd > key:
            return -1
        return _LUHN4[head[2:6]] + _LUHN2[head[6:]]

    def check(pnr):
        head = dates.get(pnr[:8])
        if head is None:
            head = date_sum(pnr[:8])
            if len(dates) < 1 << 16:
                dates[pnr[:8]] = head
        tail = tails.get(pnr[8:])
        return head >= 0 and tail is not None and (head + tail) % 10 == 0

    return check


def valid_personnummer(pnr, reference_date):
    """A 12-digit personnummer that is a real one on ``reference_date`` (LSS-R01).

    A real calendar date (a samordningsnummer has day + 60), a serial other
    than 000, the right Luhn check digit, and a birth date on or before the
    reference date.  ``pnr`` is twelve ASCII digits (anything else is False).
    """
    check = _CHECKERS.get(reference_date)
    if check is None:
        check = _CHECKERS[reference_date] = personnummer_checker(reference_date)
    return check(pnr)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # exactly ÅÅÅÅ-MM-DD: not 20200101, 2020-W01-1 or " 2020-01-01"


def read_deceased(path):
    """The death-register extract: ``personnummer;YYYY-MM-DD`` a line -> {personnummer: date}.

    The date is exactly ``ÅÅÅÅ-MM-DD`` (ASCII digits, no spaces around it) and a real date.
    """
    out = {}
    for number, line in enumerate(iter_lines(path), start=1):
        if not line.strip():
            continue
        parts = line.split(";")
        if len(parts) != 2 or not (len(parts[0]) == 12 and parts[0].isdigit() and parts[0].isascii()):
            raise InputError(
                f"{_path_shown(path)}:{number}: raden ska vara personnummer;ÅÅÅÅ-MM-DD (tolv siffror, dödsdatum)"
            )
        try:
            if not _DATE.fullmatch(parts[1]):
                raise ValueError(parts[1])
            died = datetime.date.fromisoformat(parts[1])
        except ValueError:
            # a personnummer where the date belongs is never echoed (masked before the cut, and after it:
            # the cut may leave twelve digits of a longer run)
            shown = printable(mask_text(mask_text(parts[1])[:40]))
            raise InputError(f"{_path_shown(path)}:{number}: {shown!r} är inget datum ÅÅÅÅ-MM-DD") from None
        out[parts[0]] = died
    return out


# --------------------------------------------------------------------------- details of findings

_DETAIL_LINES = 100_000  # lines kept for the findings' details; a run with more findings has details for these only
_DETAIL_WIDTH = 4096  # a longer line keeps only its number of fields
_SHOWN_FIELDS = 3  # fields described one by one in a finding's detail
_DETAIL_WORDS = {
    "sv": {
        "is": "{field} är {value}",
        "empty": "{field} är tomt",
        "fields": "raden har {n} fält",
        "more": "och {n} fält till",
        "age": "personen fyller {age} år {year}",
        "example": "t.ex. {code}",
    },
    "en": {
        "is": "{field} is {value}",
        "empty": "{field} is empty",
        "fields": "the line has {n} fields",
        "more": "and {n} more fields",
        "age": "the person turns {age} in {year}",
        "example": "e.g. {code}",
    },
}


def detail_lines(items, paths, details, lines_of=None):
    """(file index, line) -> the line's fields, for the findings ``details`` covers (read again)."""
    covered = set(details["checks"]) | set(details["rules"])
    wanted = {}  # file index -> the line numbers wanted
    for rule, fi, line, _fields, _pnr in items:
        if line is not None and rule in covered:
            wanted.setdefault(fi, set()).add(line)
    out = {}
    room = _DETAIL_LINES
    for fi in sorted(wanted):
        if lines_of is not None:
            source = lines_of(fi)
        elif file_state(paths[fi]) is not None:
            source = iter_lines(paths[fi])
        else:
            continue  # a pipe: read once only
        numbers = wanted[fi]
        last = max(numbers)
        try:
            for n, text in enumerate(source, 1):
                if n in numbers:
                    parts = text.split(details["separator"]) if len(text) <= _DETAIL_WIDTH else None
                    if parts is None or len(parts) != len(details["fields"]):  # LSS-S01: only the count is said
                        parts = text.count(details["separator"]) + 1
                    out[(fi, n)] = parts
                    room -= 1
                    if room == 0:
                        return out
                if n >= last:
                    break
        except InputError:
            continue
    return out


def _shown(field, value, details, show):
    return repr(value if show else _masked(field, value, details))


def finding_details(rule, fields, parts, details, show_personnummer=False):
    """``values``, ``expected`` and ``detail`` of one finding, from its line's fields and the detail table.

    ``detail`` is one sentence: what was found, then what was expected — "daglig_verksamhet är
    '01'; ska vara 0 eller 1".  None for a rule the table does not cover.
    """
    words = _DETAIL_WORDS[details["lang"]]
    names = details["fields"]
    kind = details["checks"].get(rule)
    if kind == "field_count":
        n = parts if isinstance(parts, int) else len(parts)
        expected = details["layout"]
        return {"values": {}, "expected": expected, "detail": f"{words['fields'].format(n=n)}; {expected}"}
    if isinstance(parts, int) or len(parts) != len(names):
        return None
    value_of = dict(zip(names, parts, strict=True))
    values = {}
    for name in fields:
        value = value_of.get(name, "")
        values[name] = value if show_personnummer else _masked(name, value, details)
    if kind is not None:
        table = {"value_form": details["form"], "required_value": details["required"], "empty_value": details["empty"]}
        texts = table[kind]
        expected = []
        pieces = []
        for name in fields[:_SHOWN_FIELDS]:
            value = value_of.get(name, "")
            want = texts.get(name, "")
            if kind == "value_form" and details["kinds"].get(name) == "municipality" and value.isdigit():
                code = value.zfill(4)
                if len(value) < 4 and code in details["codes"]:
                    want += ", " + words["example"].format(code=code)
            found = (
                words["empty"].format(field=name)
                if value == ""
                else words["is"].format(field=name, value=_shown(name, value, details, show_personnummer))
            )
            expected.append(f"{name}: {want}")
            pieces.append(f"{found}; {want}")
        if len(fields) > _SHOWN_FIELDS:
            pieces.append(words["more"].format(n=len(fields) - _SHOWN_FIELDS))
        return {"values": values, "expected": "; ".join(expected), "detail": "; ".join(pieces)}
    rule_table = details["rules"].get(rule)
    if rule_table is None:
        return None
    found = []
    if rule_table["age"]:
        pnr = next((value_of[n] for n in names if details["kinds"].get(n) == "personnummer"), "")
        if pnr[:4].isdigit() and pnr[:4].isascii():
            found.append(words["age"].format(age=details["year"] - int(pnr[:4]), year=details["year"]))
    for name in fields:
        if details["kinds"].get(name) == "personnummer" and rule_table["age"]:
            continue
        value = value_of.get(name, "")
        found.append(
            words["empty"].format(field=name)
            if value == ""
            else words["is"].format(field=name, value=_shown(name, value, details, show_personnummer))
        )
    expected = rule_table["expected"]
    said = expected[:1].lower() + expected[1:]  # "Det krävs att ..." goes on after a semicolon
    return {"values": values, "expected": expected, "detail": "; ".join([*found, said])}


# --------------------------------------------------------------------------- reports

SEVERITY_WORDS = {"error": "fel", "warning": "varning"}


def plural(n, one, many):
    """``n`` and the word that agrees with it: ``plural(1, "fil", "filer")`` -> "1 fil"."""
    return f"{n} {one if n == 1 else many}"


STATUS_WORDS = {
    "accepted": "godkänd",
    "accepted_with_warnings": "godkänd med varningar",
    "rejected": "ej godkänd",
}
LANGUAGES = ("sv", "en")
# the words of the text report (and of the spec line), per language; Swedish is the default
REPORT_WORDS = {
    "sv": {
        "title": "LSS-inrapportering {year}",
        "severity": SEVERITY_WORDS,
        "status": STATUS_WORDS,
        "whole_file": "hela filen",
        "line": "rad {n}",
        "hint": "Hela filen: {message}",
        "count": "{n} st",
        "record": ("post", "poster"),
        "file": ("fil", "filer"),
        "error": ("fel", "fel"),
        "warning": ("varning", "varningar"),
        "summary": "Sammanfattning",
        "not_checked": "Inte kontrollerat: {rule} {title} (ingen lista över avlidna angavs, --deceased)",
        "not_listed": "… och {n} till av regeln i filen (de första {shown} visas)",
        "spec": "Specifikation",
        "installed": "den installerade",
    },
    "en": {
        "title": "LSS submission {year}",
        "severity": {"error": "error", "warning": "warning"},
        "status": {"accepted": "accepted", "accepted_with_warnings": "accepted with warnings", "rejected": "rejected"},
        "whole_file": "whole file",
        "line": "line {n}",
        "hint": "Whole file: {message}",
        "count": "{n}×",
        "record": ("record", "records"),
        "file": ("file", "files"),
        "error": ("error", "errors"),
        "warning": ("warning", "warnings"),
        "summary": "Summary",
        "not_checked": "Not checked: {rule} {title} (no list of deceased persons given, --deceased)",
        "not_listed": "… and {n} more of the rule in the file (the first {shown} are shown)",
        "spec": "Spec",
        "installed": "the installed one",
    },
}


_MASKED_OTHER = "************"


def mask(pnr):
    """What a report shows of a personnummer value without ``--show-personnummer``.

    Twelve digits: the birth date and ``-****`` (``19800101-****``).  Any other value
    (ten digits, a hyphen, letters, control characters) shows nothing: twelve
    asterisks, whatever its length.  An empty value stays empty; None stays None.
    """
    if not pnr:
        return pnr
    if len(pnr) == 12 and pnr.isdigit() and pnr.isascii():
        return pnr[:8] + "-****"
    return _MASKED_OTHER


# What reads as a personnummer or samordningsnummer wherever it stands (README, "Masking"): twelve or ten
# ASCII digits, or eight or six and then "-" or "+" and four, with no ASCII digit just before or after.
# No date is required of the first digits: a mistyped or shifted number is masked all the same.
_PNR_SHAPED = re.compile(r"(?<![0-9])([0-9]{8}|[0-9]{6})([-+]?)[0-9]{4}(?![0-9])")


def mask_text(text):
    """``text`` with every personnummer-shaped run masked: its last four digits as ``****``.

    For a value in another field than the personnummer (a swapped or shifted line), a line of
    ``impact``, a file name, an echo in a message: ``196910149290`` shows as ``19691014****``,
    ``19691014-9290`` as ``19691014-****``, ``691014+9290`` as ``691014+****`` (the birth date
    at most, the shape kept).  Text without such a run comes back unchanged; None stays None.
    Called on echoed values only, never on every line.
    """
    if not text or len(text) < 10:
        return text
    return _PNR_SHAPED.sub(r"\1\2****", text)


def _masked(field, value, details):
    """A field's value as a report shows it without ``--show-personnummer``."""
    return mask(value) if details["kinds"].get(field) == "personnummer" else mask_text(value)


def clean_path(path):
    """A file name as a report shows it: always valid UTF-8 text.

    A name given as bytes that are not UTF-8 reaches Python as surrogate escapes
    (``sys.argv``); each such byte is written ``\\xNN`` (backslash, x, two hex digits).
    """
    if not isinstance(path, str):
        path = os.fsdecode(path)
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


_path_shown = clean_path


def printable(text):
    """``text`` safe to show on a terminal: what is not printable (ESC, NUL, CR, U+2028, a bidi override,
    a private-use character...) written as ``\\xNN``/``\\uNNNN``."""
    text = clean_path(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def printable_lines(text):
    """``text`` with each of its lines :func:`printable`: the line ends stay, nothing else unprintable does."""
    return "\n".join(map(printable, text.split("\n")))


def status_of(severities):
    """accepted / accepted_with_warnings / rejected from the severities found."""
    severities = set(severities)
    if "error" in severities:
        return "rejected"
    if "warning" in severities:
        return "accepted_with_warnings"
    return "accepted"


# --------------------------------------------------------------------------- the findings a run keeps

#: Findings listed per rule and file: the first ones by line.  The others are counted, not kept: the report
#: gives their number (``not_listed``), so memory stays bounded whatever the input (20 MB of blank lines are
#: 20 million LSS-S01 findings) and the first thousand show a municipality the pattern to correct.
LISTED = 1000
_SETTLE_AT = 1 << 16  # findings added since the last settle that make bound() settle them
_RULE_OF, _FILE_OF, _RULE_AND_FILE = operator.itemgetter(0), operator.itemgetter(1), operator.itemgetter(0, 1)


class RawFindings(list):
    """The raw findings of a run, ``(rule, file index, line, fields, personnummer)`` each: a list.

    At most ``listed`` of one rule in one file are kept, the first found (by line: a file is
    checked line by line); ``not_listed`` counts the others, ``(rule, file index) -> count``.
    Generated code appends as to any list; the reading of the lines (``iter_lines(path, found)``)
    calls :meth:`bound` between pieces of a file and :meth:`settle` at its end, which drop the
    findings past the bound and count them.
    """

    __slots__ = ("_kept", "_settled", "listed", "not_listed")

    def __init__(self, listed=LISTED):
        super().__init__()
        self.listed = listed
        self.not_listed = {}
        self._kept = {}  # (rule, file index) -> findings kept
        self._settled = 0  # the findings before this index are settled

    def bound(self):
        """Settle when many findings came since the last time (cheap to call often)."""
        if len(self) - self._settled >= _SETTLE_AT:
            self.settle()

    def settle(self):
        """Keep the first ``listed`` of each rule and file among the findings added since the last settle."""
        start = self._settled
        if start == len(self):
            return
        kept, listed = self._kept, self.listed
        window = self[start:]
        # counted first, in C (most runs drop nothing and keep the list as it is); a window is nearly
        # always the findings of one file, counted by rule alone (no tuple made a finding)
        files = set(map(_FILE_OF, window))
        if len(files) == 1:
            (fi,) = files
            fresh = {(rule, fi): n for rule, n in collections.Counter(map(_RULE_OF, window)).items()}
        else:
            fresh = collections.Counter(map(_RULE_AND_FILE, window))
        if any(kept.get(key, 0) + n > listed for key, n in fresh.items()):
            tail = []
            more = self.not_listed
            for item in window:
                key = (item[0], item[1])
                n = kept.get(key, 0)
                if n < listed:
                    kept[key] = n + 1
                    tail.append(item)
                else:
                    more[key] = more.get(key, 0) + 1
            del self[start:]
            self.extend(tail)
        else:
            for key, n in fresh.items():
                kept[key] = kept.get(key, 0) + n
        self._settled = len(self)


def not_listed_of(findings, rules):
    """``[(rule, file index, count)]`` of the findings counted but not kept, by file, then in rule order."""
    more = getattr(findings, "not_listed", None)
    if not more:
        return []
    order = {rule: i for i, rule in enumerate(rules)}
    return sorted(((rule, fi, n) for (rule, fi), n in more.items()), key=lambda x: (x[1], order[x[0]]))


def sort_findings(findings, rules):
    """Raw findings in report order: by file, by line (a whole-file finding first), by the order of ``rules``."""
    order = {rule: i for i, rule in enumerate(rules)}
    # one int per finding as its key, not a tuple: line numbers stay below 2**48, rule positions below 2**16
    return sorted(findings, key=lambda f: (f[1] << 64) | ((f[2] or 0) << 16) | order[f[0]])


class Findings:
    """The findings of a report, made into dicts one at a time from the sorted raw tuples.

    What ``build_report(..., lazy=True)`` puts under ``"findings"``, so that a report with a
    million findings never holds a million dicts.  It iterates (as often as asked), counts
    and tests true like the list it stands for, and ``list(findings)`` is that list;
    :func:`write_json` writes it straight from the tuples.  The json module cannot encode
    it: use ``build_report`` without ``lazy`` for a plain report.
    """

    def __init__(self, items, paths, rules, show_personnummer, details=None, lines=None):
        self.items = items
        self.paths = paths
        self.rules = rules
        self.show_personnummer = show_personnummer
        self.details = details  # the year's detail table (DETAILS), or None
        self.lines = lines or {}  # (file index, line) -> the line's fields, for the findings' details

    def detail(self, rule, fi, line, fields):
        """The detail keys of one finding (``values``, ``expected``, ``detail``), or None."""
        if self.details is None or line is None:
            return None
        parts = self.lines.get((fi, line))
        if parts is None:
            return None
        return finding_details(rule, fields, parts, self.details, self.show_personnummer)

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        paths, rules, show = self.paths, self.rules, self.show_personnummer
        for rule, fi, line, fields, pnr in self.items:
            severity, message = rules[rule]
            finding = {
                "rule": rule,
                "severity": severity,
                "file": paths[fi],
                "line": line,
                "fields": list(fields),
                "message": message,
                "personnummer": pnr if show else mask(pnr),
            }
            extra = self.detail(rule, fi, line, fields) if self.lines else None
            if extra is not None:
                finding.update(extra)
            yield finding

    def write_json(self, out):
        """This list as JSON where the report has it (a value of the top level, indented by two)."""
        if not self.items:
            out.write("[]")
            return
        encode = json.JSONEncoder(ensure_ascii=False).encode  # a str: exactly what the indented encoder writes
        heads = {}  # rule -> its finding's text as far as the file
        tails = {}  # rule -> its message and what follows up to the personnummer
        files = [encode(path) for path in self.paths]
        named = {(): "[]"}  # fields -> their list
        show = self.show_personnummer
        for rule, (severity, message) in self.rules.items():
            heads[rule] = f'{{\n      "rule": {encode(rule)},\n      "severity": {encode(severity)},\n      "file": '
            tails[rule] = f',\n      "message": {encode(message)},\n      "personnummer": '
        start = "[\n    "
        chunk = []  # a thousand findings a write
        indented = json.JSONEncoder(ensure_ascii=False, indent=2).encode
        with_lines = bool(self.lines)
        for rule, fi, line, fields, pnr in self.items:
            extra = self.detail(rule, fi, line, fields) if with_lines else None
            if extra is not None:  # a finding with details: as the indented encoder writes it, one level in
                finding = dict(next(iter(Findings([(rule, fi, line, fields, pnr)], self.paths, self.rules, show))))
                finding.update(extra)
                chunk.append(indented(finding).replace("\n", "\n    "))
                if len(chunk) == 1000:
                    out.write(start + ",\n    ".join(chunk))
                    start = ",\n    "
                    chunk = []
                continue
            if not isinstance(fields, tuple):
                fields = tuple(fields)
            listed = named.get(fields)
            if listed is None:
                listed = named[fields] = "[\n        " + ",\n        ".join(map(encode, fields)) + "\n      ]"
            number = "null" if line is None else int.__repr__(line)  # as json writes an int
            if not show:
                pnr = mask(pnr)
            who = "null" if pnr is None else encode(pnr)
            body = f'{files[fi]},\n      "line": {number},\n      "fields": {listed}'
            chunk.append(f"{heads[rule]}{body}{tails[rule]}{who}\n    }}")
            if len(chunk) == 1000:
                out.write(start + ",\n    ".join(chunk))
                start = ",\n    "
                chunk = []
        if chunk:
            out.write(start + ",\n    ".join(chunk))
        out.write("\n  ]")


def build_report(
    year,
    paths,
    records,
    findings,
    rules,
    not_checked,
    show_personnummer=False,
    lazy=False,
    spec=None,
    hints=None,
    details=None,
    lines_of=None,
):
    """The JSON report (a dict) from raw findings.

    ``findings``: tuples ``(rule, file_index, line_or_None, fields, personnummer_or_None)``; a
    :class:`RawFindings` that left some out gives their number per rule and file (``not_listed``).
    ``rules``: rule id -> ``(severity, message)``, in the order the rules are reported.
    ``lazy``: the findings as :class:`Findings` instead of a list of dicts.
    ``spec``: the ``{"path", "digest"}`` of the spec that judged the files (:func:`spec_object`).
    ``hints``: per file its whole-file diagnoses (:func:`file_hints`); a file's ``hints`` key is
    there only when it has some.
    ``details``: the year's detail table (``DETAILS``); the findings it covers get ``values``,
    ``expected`` and ``detail`` from their lines, read again (``lines_of(file index)`` gives a
    file's lines; by default regular files are read from ``paths``).
    """
    items = sort_findings(findings, rules)
    more = not_listed_of(findings, rules)
    paths = [clean_path(p) for p in paths]
    lines = detail_lines(items, paths, details, lines_of) if details is not None else None
    if not show_personnummer:  # a file name is echoed too (a correction named after the person)
        paths = [mask_text(p) for p in paths]
    listed = Findings(items, paths, rules, show_personnummer, details, lines)
    files = [{"path": p, "records": n} for p, n in _pairs(paths, records)]
    for entry, found in zip(files, hints or ()):  # noqa: B905 (zip's strict= needs Python 3.10)
        if found:
            entry["hints"] = list(found)
    severities = [rules[f[0]][0] for f in items] + [rules[rule][0] for rule, _, _ in more]
    report = {
        "year": year,
        "status": status_of(severities),
        "files": files,
        "findings": listed if lazy else list(listed),
    }
    if more:  # only in a report that left findings out: every other report is as it was
        report["not_listed"] = [
            {"file": paths[fi], "rule": rule, "severity": rules[rule][0], "count": n} for rule, fi, n in more
        ]
    report["not_checked"] = list(not_checked)
    if spec is not None:
        report["spec"] = spec
    return report


def spec_object(path, digest):
    """The report's ``spec``: the spec folder (None: the one installed with lss-rules) and its sha256."""
    return {"path": None if path is None else str(path), "digest": digest}


def spec_line(spec, lang="sv"):
    """``Specifikation: spec (sha256:0123456789ab)``: which spec judged, in one line of a text output."""
    words = REPORT_WORDS[lang]
    where = words["installed"] if spec["path"] is None else printable(spec["path"])
    return f"{words['spec']}: {where} (sha256:{spec['digest'][:12]})"


def render_text(report, titles, notes=(), lang="sv"):
    """The report for people: per file its records and status, findings by rule, a summary."""
    words = REPORT_WORDS[lang]

    def count(n, key):
        return plural(n, *words[key])

    lines = []
    year = report["year"]
    lines.append(words["title"].format(year=year))
    lines.extend(printable(note) for note in notes)  # the spec's texts, like its titles and messages below
    if report.get("spec"):
        lines.append(spec_line(report["spec"], lang))
    by_file = {}  # path -> rule -> (severity, message, a line of text per finding), in report order
    severities = {}  # path -> the severities of its findings
    errors = warnings = 0
    for f in report["findings"]:
        rules = by_file.setdefault(f["file"], {})
        group = rules.get(f["rule"])
        if group is None:
            group = rules[f["rule"]] = (f["severity"], f["message"], [])
        severities.setdefault(f["file"], set()).add(f["severity"])
        errors += f["severity"] == "error"
        warnings += f["severity"] == "warning"
        where = words["whole_file"] if f["line"] is None else words["line"].format(n=f["line"])
        detail = []
        if f["fields"]:
            detail.append(", ".join(f["fields"]))
        if f.get("personnummer"):
            detail.append(printable(f["personnummer"]))
        text = f"    {where}" + (": " + "; ".join(detail) if detail else "")
        if f.get("detail"):
            text += "\n      " + printable(f["detail"])
        group[2].append(text)
    more = {}  # (path, rule) -> findings counted but not listed
    for entry in report.get("not_listed", ()):
        path, rule, severity, n = entry["file"], entry["rule"], entry["severity"], entry["count"]
        more[(path, rule)] = n
        by_file.setdefault(path, {}).setdefault(rule, (severity, "", []))  # listed ones come first: never new
        severities.setdefault(path, set()).add(severity)
        errors += n if severity == "error" else 0
        warnings += n if severity == "warning" else 0
    for entry in report["files"]:
        path = entry["path"]
        status = words["status"][status_of(severities.get(path, ()))]
        lines.append("")
        lines.append(f"{printable(path)}: {count(entry['records'], 'record')} — {status}")
        for hint in entry.get("hints", ()):
            lines.append("  " + words["hint"].format(message=printable(hint["message"])))
        for rule, (severity, message, found) in by_file.get(path, {}).items():
            title = printable(titles.get(rule, ""))
            shown = words["severity"].get(severity, severity)
            rest = more.get((path, rule), 0)
            lines.append(f"  {rule} {title} ({shown}, {words['count'].format(n=len(found) + rest)})")
            lines.append(f"    {printable(message)}")
            lines.extend(found)
            if rest:
                lines.append("    " + words["not_listed"].format(n=rest, shown=len(found)))
    lines.append("")
    total = sum(e["records"] for e in report["files"])
    lines.append(
        f"{words['summary']}: {count(len(report['files']), 'file')}, {count(total, 'record')}, "
        f"{count(errors, 'error')}, {count(warnings, 'warning')} — {words['status'][report['status']]}"
    )
    for rule in report["not_checked"]:
        lines.append(words["not_checked"].format(rule=rule, title=printable(titles.get(rule, ""))))
    return "\n".join(lines) + "\n"


def exit_code(report, strict=False):
    status = report["status"]
    if status == "rejected" or (strict and status == "accepted_with_warnings"):
        return EXIT_REJECTED
    return EXIT_ACCEPTED


# --------------------------------------------------------------------------- Swedish command lines

# argparse's own texts (usage, headings, errors), by the English text argparse looks up through
# its gettext hook ``argparse._``; the type names of "invalid %(type)s value" by the type's name.
ARGPARSE_SV = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "optional arguments": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "okända argument: %s",
    "the following arguments are required: %s": "följande argument måste anges: %s",
    "invalid %(type)s value: %(value)r": "%(value)r är inte %(type)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val %(value)r (välj bland %(choices)s)",
    "expected one argument": "ett värde saknas",
    "expected at most one argument": "högst ett värde får anges",
    "expected at least one argument": "minst ett värde måste anges",
    "expected %s argument": "%s värde måste anges",
    "expected %s arguments": "%s värden måste anges",
    "ambiguous option: %(option)s could match %(matches)s": "flaggan %(option)s är tvetydig: %(matches)s",
    "not allowed with argument %s": "får inte anges tillsammans med %s",
    "ignored explicit argument %r": "värdet %r gäller inte flaggan",
    "one of the arguments %s is required": "ett av argumenten %s måste anges",
    "unexpected option string: %s": "oväntad flagga: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "okänt kommando %(parser_name)r (välj bland %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
    "%(prog)s: error: %(message)s": "%(prog)s: fel: %(message)s",
}
TYPE_NAMES_SV = {"int": "ett heltal", "float": "ett tal"}
# placeholders in usage lines ("--year ÅR"), for a metavar given or argparse's default (the dest in capitals)
METAVARS_SV = {
    "FILE": "FIL",
    "YEAR": "ÅR",
    "DIR": "MAPP",
    "SPEC": "MAPP",
    "PATH": "SÖKVÄG",
    "COMMAND": "KOMMANDO",
    "RULE": "REGEL",
    "VENDOR_COMMAND": "PROGRAM",
    "OUTPUT": "FIL",
    "LAST": "ÅR",
    "LANG": "SPRÅK",
}


def _argparse_sv(text):
    return ARGPARSE_SV.get(text, text)


def _argparse_sv_n(singular, plural, n):
    return _argparse_sv(singular if n == 1 else plural)


def heltal(text):
    """``type=int`` of a Swedish parser: the same value; its name appears in "... är inte ett heltal"."""
    return int(text)


def tal(text):
    """``type=float`` of a Swedish parser."""
    return float(text)


heltal.__name__ = TYPE_NAMES_SV["int"]
tal.__name__ = TYPE_NAMES_SV["float"]


class _SwedishTexts:
    """While active, argparse looks its texts up in :data:`ARGPARSE_SV` (nested use is fine)."""

    depth = 0
    saved = None

    def __enter__(self):
        if _SwedishTexts.depth == 0:
            _SwedishTexts.saved = (argparse._, argparse.ngettext)
            argparse._, argparse.ngettext = _argparse_sv, _argparse_sv_n
        _SwedishTexts.depth += 1

    def __exit__(self, *exc):
        _SwedishTexts.depth -= 1
        if _SwedishTexts.depth == 0:
            argparse._, argparse.ngettext = _SwedishTexts.saved


class SwedishArgumentParser(argparse.ArgumentParser):
    """An ``argparse.ArgumentParser`` whose own texts are Swedish ("användning:", "flaggor", "fel: ...").

    argparse finds its texts through ``argparse._`` when it needs them; this parser swaps in
    :data:`ARGPARSE_SV` for the duration of its own calls only, so other parsers in the same
    process stay as they were.  ``type=int`` and ``type=float`` become :func:`heltal` and
    :func:`tal`, so a bad number reads "'abc' är inte ett heltal".
    """

    def __init__(self, *args, **kwargs):
        with _SwedishTexts():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        kind = kwargs.get("type")
        if kind is int:
            kwargs["type"] = heltal
        elif kind is float:
            kwargs["type"] = tal
        if kwargs.get("action") == "version":
            kwargs.setdefault("help", "visa programmets version och avsluta")
        action = super().add_argument(*args, **kwargs)
        if isinstance(action.metavar, str):
            action.metavar = METAVARS_SV.get(action.metavar, action.metavar)
        elif action.metavar is None and action.choices is None and action.nargs != 0:
            shown = action.dest if not action.option_strings else action.dest.upper()
            if shown.upper() in METAVARS_SV:
                action.metavar = METAVARS_SV[shown.upper()]
        return action

    def add_subparsers(self, **kwargs):
        if "metavar" in kwargs:
            kwargs["metavar"] = METAVARS_SV.get(kwargs["metavar"], kwargs["metavar"])
        with _SwedishTexts():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):
        with _SwedishTexts():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _SwedishTexts():
            return super().parse_known_args(args, namespace)

    def format_usage(self):
        with _SwedishTexts():
            return super().format_usage()

    def format_help(self):
        with _SwedishTexts():
            return super().format_help()

    def _print_message(self, message, file=None):
        if message and (file is None or file is sys.stdout):  # argparse swallows a write error on standard out:
            with writing():  # --help on a full disk would be exit 0 with nothing said
                sys.stdout.write(message)
            return
        super()._print_message(message, file)

    def exit(self, status=0, message=None):
        if not status and message is None:  # after --help or --version: what they wrote must reach standard out
            with writing():
                pass
        super().exit(status, message)

    def error(self, message):
        with _SwedishTexts():
            self.print_usage(sys.stderr)
            self.exit(EXIT_USAGE, f"{self.prog}: fel: {printable(message)}\n")  # an argument may hold ESC


# errno -> Swedish text, for OSError messages (the C library's texts are English).  The one table: the
# JavaScript runtime holds a copy (STRERROR_SV in lss_rules/runtime.mjs) that
# tests/backends/javascript/test_js_runtime.py::test_strerror_table_is_pythons keeps equal to this one.
_STRERROR_SV = {
    "ENOENT": "filen eller mappen finns inte",
    "EACCES": "behörighet saknas",
    "EPERM": "åtgärden är inte tillåten",
    "EISDIR": "är en mapp",
    "ENOTDIR": "en del av sökvägen är inte en mapp",
    "EEXIST": "finns redan",
    "ENOSPC": "disken är full",
    "EDQUOT": "diskkvoten är slut",
    "EROFS": "filsystemet är skrivskyddat",
    "ENAMETOOLONG": "namnet är för långt",
    "ELOOP": "för många symboliska länkar",
    "EMFILE": "för många öppna filer",
    "ENFILE": "för många öppna filer",
    "ENOEXEC": "filen är inget program som kan köras",
    "ETXTBSY": "programfilen används",
    "EIO": "in- eller utmatningsfel",
    "EBUSY": "resursen är upptagen",
    "ENOMEM": "minnet räcker inte",
    "EINVAL": "ogiltigt argument",
    "EPIPE": "mottagaren har stängt",
    "ENXIO": "enheten finns inte",
    "ENODEV": "enheten finns inte",
    "EFBIG": "filen är för stor",
    "ENOTEMPTY": "mappen är inte tom",
    "EXDEV": "kan inte flyttas mellan filsystem",
    "EAGAIN": "resursen är tillfälligt otillgänglig",
    "ETIMEDOUT": "tidsgränsen överskreds",
    "EBADF": "ogiltig filbeskrivare",
}


def said(message, show_personnummer=False):
    """A message as a command writes it on standard error: printable, personnummer-shaped runs masked
    (a file name, an echoed value) unless ``show_personnummer``."""
    return printable(message if show_personnummer else mask_text(message))


def os_error_text(exc):
    """The reason of an ``OSError`` in Swedish ("filen eller mappen finns inte"), never the C library's English."""
    import errno

    name = errno.errorcode.get(exc.errno) if isinstance(getattr(exc, "errno", None), int) else None
    if name in _STRERROR_SV:
        return _STRERROR_SV[name]
    if name:
        return f"systemfel {name}"
    return "systemfel"


def add_arguments(p, default_year=None):
    """Add the arguments of ``lss-rules validate`` to a parser (shared by the standalone module)."""
    p.add_argument("files", nargs="+", metavar="FILE", help="en fil per kommun; flera filer granskas tillsammans")
    p.add_argument("--year", type=int, default=default_year, required=default_year is None, help="insamlingsår")
    p.add_argument("--deceased", metavar="FILE", help="utdrag ur dödsregistret: personnummer;ÅÅÅÅ-MM-DD per rad")
    p.add_argument("--format", choices=("text", "json"), default="text", help="rapportens form (standard: text)")
    p.add_argument("--strict", action="store_true", help="varningar ger också avslutningskod 1")
    p.add_argument("--show-personnummer", action="store_true", help="visa hela personnummer i rapporten")
    p.add_argument("--lang", choices=LANGUAGES, default="sv", help="rapportens och meddelandenas språk (standard: sv)")
    return p


def argument_parser(prog, default_year=None):
    """The arguments of ``lss-rules validate`` as a parser of its own."""
    p = SwedishArgumentParser(
        prog=prog,
        description="Granska LSS-filer mot årets regler. Avslutningskod 0 godkänd, 1 ej godkänd, 2 körningen "
        "kunde inte göras.",
    )
    return add_arguments(p, default_year)


def write_json(report, out):
    """``report`` as ``json.dump(report, out, ensure_ascii=False, indent=2)`` writes it, and a newline.

    Streamed a piece at a time, so a report with a million findings never becomes one
    string; the findings of a lazy report (:class:`Findings`) go straight from their tuples.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    if not report:
        out.write("{}\n")
        return
    first = True
    for key, value in report.items():
        out.write(("{\n  " if first else ",\n  ") + encoder.encode(key) + ": ")
        first = False
        if isinstance(value, Findings):
            value.write_json(out)
        else:  # encoded on its own, then indented one level: strings in JSON hold no line ends
            for chunk in encoder.iterencode(value):
                out.write(chunk.replace("\n", "\n  "))
    out.write("\n}\n")


def emit(report, fmt, titles, notes=(), out=None, lang="sv"):
    """Write the report to ``out`` (standard out): a closed pipe ends quietly, a write error is WriteError."""
    with writing(out) as stream:
        if fmt == "json":
            write_json(report, stream)
        else:
            stream.write(render_text(report, titles, notes, lang))


class writing:
    """``with writing() as out:`` standard out (or ``out``), flushed at the end, its errors handled.

    A reader that went away (``| head``: BrokenPipeError) ends the output quietly: the
    rest goes nowhere and nothing is said at exit.  Any other error writing (a full
    disk, a closed descriptor) is one line on standard error and :class:`WriteError`.
    """

    def __init__(self, out=None, only_writes=False):
        self.out = out
        self.only_writes = only_writes  # the block does more than write: only errors that writes give count

    def __enter__(self):
        out = self.out or sys.stdout
        if out is None:  # started with descriptor 1 closed
            _write_failed("standard ut är stängd")
        self.out = out
        return out

    def __exit__(self, kind, exc, tb):
        if exc is None:
            try:
                self.out.flush()
            except OSError as later:
                exc = later
        if isinstance(exc, BrokenPipeError):
            _silence(self.out)
            return True
        if isinstance(exc, OSError) and (not self.only_writes or exc.errno in _WRITE_ERRNOS):
            _silence(self.out)
            _write_failed(os_error_text(exc))
        if isinstance(exc, ValueError) and "closed file" in str(exc):
            _write_failed("standard ut är stängd")
        return False


_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EBADF, errno.EIO, errno.EPIPE}


def _silence(out):
    """Send what is left of standard out nowhere, so the flush at exit raises nothing."""
    if out is not sys.stdout and out is not sys.__stdout__:
        return
    with contextlib.suppress(Exception):  # io.UnsupportedOperation: a captured stream (a test)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, out.fileno())
        os.close(null)


def _write_failed(why):
    prog = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "lss-rules"
    with contextlib.suppress(Exception):
        print(f"{prog}: standard ut kan inte skrivas ({why})", file=sys.stderr)
    raise WriteError()


# --------------------------------------------------------------------------- what generated code calls
# (the runtime API of lss_rules.backends.ir.RUNTIME_API; this module runs on Python 3.9 and later)


def _pairs(a, b):
    """``zip(a, b)`` of two sequences of the same length (``zip(strict=True)`` needs Python 3.10)."""
    if len(a) != len(b):
        raise ValueError(f"{len(a)} != {len(b)}")
    return zip(a, b)  # noqa: B905 (zip's strict= needs Python 3.10)


def make_date(year, month, day):
    """A date, as read_deceased gives them."""
    return datetime.date(year, month, day)


def dead_by(deceased, reference_date):
    """The personnummer of ``deceased`` (personnummer -> date of death) dead on or before the date."""
    return frozenset(p for p, died in deceased.items() if died <= reference_date)


def layout_order(names, fields):
    """``names`` sorted by their place in ``fields`` (the layout), as a tuple."""
    return tuple(sorted(names, key=fields.index))


def fields_with_bits(slots, bits):
    """The names of ``slots`` (``(name, bit)`` pairs) whose bit is 0 (always listed) or set in ``bits``."""
    return tuple(name for name, bit in slots if not bit or bit & bits)


def run_main(argv, year, prog, report, titles, notes, titles_en=None, notes_en=None):
    """The command line of a compiled validator: the arguments of ``lss-rules validate``; the exit code.

    ``titles_en``, ``notes_en``: the text report's titles and notes for ``--lang en``.  A run that
    runs out of memory or of open files ends with exit code 2 and one line (:func:`resource_message`).
    """
    args = argument_parser(prog, default_year=year).parse_args(argv)
    if args.year != year:
        print(f"{prog}: fel: --year {args.year}: den här modulen granskar bara {year}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _run(args, prog, report, titles, notes, titles_en, notes_en)
    except (MemoryError, RecursionError, OSError) as exc:
        why = resource_message(exc)
        if why is None:
            raise
    # said after the except block: the exception and the frames it holds (the run's data) are let go first
    print(f"{prog}: {why}", file=sys.stderr)
    return EXIT_USAGE


def _run(args, prog, report, titles, notes, titles_en, notes_en):
    try:
        for path in [*args.files, *([args.deceased] if args.deceased else [])]:
            check_input(path)  # every input a regular file, before any is read
        deceased = read_deceased(args.deceased) if args.deceased else None
        result = report(args.files, deceased, args.show_personnummer, lazy=True, lang=args.lang)
    except InputError as exc:
        print(f"{prog}: {said(str(exc), args.show_personnummer)}", file=sys.stderr)
        return EXIT_USAGE
    if args.lang == "en" and titles_en is not None:
        titles, notes = titles_en, notes_en
    try:
        emit(result, args.format, titles, notes, lang=args.lang)
    except BrokenPipeError:
        return exit_code(result, args.strict)
    return exit_code(result, args.strict)


_OUT_OF_MEMORY = "minnet räckte inte för körningen; kör den på en dator med mer ledigt minne"
_TOO_DEEP = "indata är för djupt nästlade för att kunna läsas; körningen kunde inte göras"
_TOO_MANY_FILES = "för många öppna filer; höj gränsen för öppna filer (ulimit -n) och kör igen"


def resource_message(exc):
    """The one Swedish line for a run that ran out of a resource (exit code 2), or None for any other error.

    Out of memory (``MemoryError``, ENOMEM), too deep (``RecursionError``), too many open files
    (EMFILE, ENFILE).  The texts are made beforehand: saying them needs no memory.
    """
    if isinstance(exc, MemoryError):
        return _OUT_OF_MEMORY
    if isinstance(exc, RecursionError):
        return _TOO_DEEP
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOMEM:
            return _OUT_OF_MEMORY
        if exc.errno in (errno.EMFILE, errno.ENFILE):
            return _TOO_MANY_FILES
    return None
