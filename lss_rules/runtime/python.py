"""The fixed runtime of every validator: reading files, personnummer, reports.

This module uses the standard library only.  The Python backend copies its
source verbatim into every generated validator, so a compiled module stands
alone (``lss-rules compile``) and ``lss-rules validate`` runs the very same
code.  The reference evaluator uses it too, for reading files and for the
personnummer check, so the two never disagree on what a line or a date is.

The JSON report is the contract documented in the README and in
``lss_rules/schemas/report.schema.json``.

One file of about 2,300 lines (the trace interpreter of --explain included), past the style guide's 500, on
purpose: ``--standalone`` embeds this very text as one piece, and a module split in parts would be joined again
by code of ours for every user.
"""

import argparse
import bisect
import collections
import contextlib
import datetime
import errno
import hashlib
import itertools
import json
import operator
import os
import re
import stat
import sys
from typing import Any

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


# the messages of an input that cannot be read (InputError) and of a run that cannot be made, by what happened
INPUT_MESSAGES = {
    "missing": "{path}: filen finns inte",
    "unreadable": "{path}: kan inte läsas ({why})",
    "changed": "{path}: filen ändrades under granskningen",
    "folder": "{path}: är en mapp, inte en fil; ange filerna i den, t.ex. {folder}/*.txt",
    "not_a_file": "{path}: är {kind}, inte en vanlig fil; spara innehållet i en fil och granska filen",
    "deceased_line": "{path}:{line}: raden ska vara personnummer;ÅÅÅÅ-MM-DD (tolv siffror, dödsdatum)",
    "deceased_date": "{path}:{line}: {value} är inget datum ÅÅÅÅ-MM-DD",
    "system_error": "systemfel {name}",
    "system_error_unknown": "systemfel",
    "other_year": "--year {given}: den här modulen granskar bara {year}",
}
# what an input that is no regular file is (INPUT_MESSAGES["not_a_file"])
_KIND_WORDS = {"fifo": "en FIFO (en pipe)", "device": "en enhet", "socket": "en socket", "other": "ingen vanlig fil"}


def folder_message(path):
    """What to say when a folder is given where a file belongs: name its files the shell way."""
    folder = str(path).rstrip("/\\") or str(path)
    return INPUT_MESSAGES["folder"].format(path=path, folder=folder)


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
    return InputError(INPUT_MESSAGES["changed"].format(path=_path_shown(path)))


_KINDS = (
    (stat.S_ISFIFO, _KIND_WORDS["fifo"]),
    (stat.S_ISCHR, _KIND_WORDS["device"]),
    (stat.S_ISBLK, _KIND_WORDS["device"]),
    (stat.S_ISSOCK, _KIND_WORDS["socket"]),
)


def not_a_file(path, mode):
    """What to say of an input that is no regular file (``mode``: its ``st_mode``): one Swedish line."""
    if stat.S_ISDIR(mode):
        return folder_message(_path_shown(path))
    kind = next((word for test, word in _KINDS if test(mode)), _KIND_WORDS["other"])
    return INPUT_MESSAGES["not_a_file"].format(path=_path_shown(path), kind=kind)


def check_input(path):
    """InputError unless ``path`` is a regular file (a link to one is fine): missing, a folder, a FIFO, a device.

    Checked for every input before the run reads any: a FIFO would keep the run waiting, a device such as
    ``/dev/urandom`` has no end.  :func:`iter_lines` checks again on the file it opens.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(INPUT_MESSAGES["missing"].format(path=_path_shown(path))) from None
    except (OSError, ValueError) as exc:
        raise InputError(_unreadable(path, exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(not_a_file(path, st.st_mode))


def _unreadable(path, exc):
    return INPUT_MESSAGES["unreadable"].format(path=_path_shown(path), why=os_error_text(exc))


def _open_regular(path):
    """``path`` opened for reading and its ``fstat``; InputError for anything but a regular file.

    Opened without blocking (a FIFO put there after :func:`check_input` looked does not keep the run
    waiting for a writer), then the descriptor itself is checked, never the path again.
    """
    check_input(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(INPUT_MESSAGES["missing"].format(path=_path_shown(path))) from None
    except (OSError, ValueError) as exc:
        raise InputError(_unreadable(path, exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(not_a_file(path, st.st_mode))
        return os.fdopen(fd, "rb"), st
    except OSError as exc:
        os.close(fd)
        raise InputError(_unreadable(path, exc)) from None
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
        head = b""  # the file's first _HINT_BYTES as read, kept for file_hints (_HEADS)
        first = True
        while True:
            try:
                block = f.read(_BLOCK)
            except OSError as exc:
                raise InputError(_unreadable(path, exc)) from None
            digest.update(block)
            if first:
                while block and len(block) < 3 and block == _BOM[: len(block)]:
                    more = f.read(_BLOCK)  # a very short read: make sure a BOM is seen whole
                    if not more:
                        break
                    digest.update(more)
                    block += more
                head = block[:_HINT_BYTES]
                if block.startswith(_BOM):
                    block = block[3:]
                first = False
            elif len(head) < _HINT_BYTES:
                head += block[: _HINT_BYTES - len(head)]
            if not block:
                _check_unchanged(path, f, state, digest.digest(), expect)
                if expect is None:
                    _keep_head(path, state, head)
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


# The whole-file hints read the first _HINT_BYTES of every file.  A file read to its end by name keeps them
# from that reading (as the JavaScript runtime's heads.mjs does): file_hints takes them when the file's state
# is still the one it was read in, and reads the file again otherwise.  At most _HEAD_ROOM bytes are kept; a
# start is given back when the hints take it.  (For speed only: no second opening and reading of each file.)
_HEAD_ROOM = 1 << 24
_HEADS: dict = {}  # path -> (file_state when read, its first _HINT_BYTES bytes)
_HEAD_BYTES = [0]  # bytes kept in _HEADS


def _keep_head(path, state, head):
    _take_head(path)
    if _HEAD_BYTES[0] + len(head) <= _HEAD_ROOM:
        _HEADS[path] = (state, head)
        _HEAD_BYTES[0] += len(head)


def _take_head(path):
    """The (state, first bytes) kept of ``path``, given back; None if none are kept."""
    try:
        kept = _HEADS.pop(path, None)
    except TypeError:  # a path that is no dict key
        return None
    if kept is not None:
        _HEAD_BYTES[0] -= len(kept[1])
    return kept


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


_NAME_CHAR = re.compile("[^\\W\\d]")  # a letter (any script) or "_": what every field name has, unlike a number


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
    state = file_state(path)
    if state is None:
        return []  # a pipe or a device (never opened again: opening a FIFO would wait for a writer)
    kept = _take_head(path)
    if kept is not None and kept[0] == state:
        head = kept[1]
    else:
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
    if '"' not in text and "'" not in text and min(map(operator.methodcaller("count", separator), lines)) >= n - 1:
        # the common case: every line is separated as it should be and nothing is quoted
        if not _NAME_CHAR.search(first):
            return []  # only digits and separators: no field name, no header line
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
    other: dict[str, int] = {}
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
# number a spec can write has at most 9 digits (lss_rules.language.syntax.MAX_DIGITS), so a count compared with the
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


def keep_first_lines(found, rule, fi, first_lines):
    """At the end of file ``fi``: the line each key of its listed findings of ``rule`` was first judged on.

    ``first_lines``: the file's key -> line of its first judged line (the map the file-unique rule tests its
    keys in).  A finding's fifth item is its key (the personnummer).  ``--explain`` names that line as the
    finding's other line (LSS-R07) without searching the file for it; nothing is kept for a file without such
    findings (they are the tail of ``found``: checked line by line, settled at the file's end).
    """
    store = getattr(found, "first_lines", None)  # (a plain list of findings keeps none)
    if store is None:
        return
    kept = None
    for item in reversed(found):
        if item[1] != fi:
            break
        if item[0] == rule:
            if kept is None:
                kept = store.setdefault((rule, fi), {})
            kept[item[4]] = first_lines.get(item[4])


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
_LUHN_TAILS = _LUHN4.copy()  # (a copy less ten keys: a comprehension over 10,000 cost a millisecond a start)
for _digit in "0123456789":
    del _LUHN_TAILS["000" + _digit]
del _digit
# "MMDD" of a real date or a samordningsnummer -> the Luhn sum of its four digits, + _LEAP_DAY for Feb 29
_LEAP_DAY = 100
_MMDD_SUMS = {mmdd: _LUHN4[mmdd] + (_LEAP_DAY if real == "0229" else 0) for mmdd, real in _REAL_MMDD.items()}
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


def _year_sum(year):
    """The Luhn sum of the last two digits of a year ``YYYY`` (four ASCII digits, not 0000), else -1."""
    if not (len(year) == 4 and year.isdigit() and year.isascii()) or year == "0000":
        return -1
    return _LUHN2[year[2:]]


def personnummer_checker(reference_date):
    """``check(pnr)``: :func:`valid_personnummer` with the reference date bound (what validators call per line).

    A number is a year (four digits), a month and day (four: a samordningsnummer's day + 60) and a
    serial and check digit (four), and its Luhn sum the sum of theirs: that of the month and day and
    that of the last four come from tables (no entry: no real month and day, serial 000), that of the
    year is worked out once per year and remembered.  A birth date after the reference date can only
    be in its year or later: compared in full only there.  (A table of whole birth dates, filled as
    they came, cost a microsecond for each of the ~28,000 dates of a register's first run.)
    """
    key = reference_date.strftime("%Y%m%d").zfill(8)
    this_year = key[:4]
    years: dict[str, int] = {}  # "YYYY" -> _year_sum
    sums, tails, real_mmdd, leap_day = _MMDD_SUMS, _LUHN_TAILS, _REAL_MMDD, _LEAP_DAY

    def check(pnr):
        day = sums.get(pnr[4:8])
        if day is None:
            return False
        year = pnr[:4]
        total = years.get(year)
        if total is None:
            total = _year_sum(year)
            if len(years) < 1 << 16:
                years[year] = total
        if total < 0:
            return False
        if day >= leap_day:
            if not _leap(int(year)):
                return False
            day -= leap_day
        if year >= this_year and year + real_mmdd[pnr[4:8]] > key:
            return False
        tail = tails.get(pnr[8:])
        return tail is not None and (total + day + tail) % 10 == 0

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
            raise InputError(INPUT_MESSAGES["deceased_line"].format(path=_path_shown(path), line=number))
        try:
            if not _DATE.fullmatch(parts[1]):
                raise ValueError(parts[1])
            died = datetime.date.fromisoformat(parts[1])
        except ValueError:
            # a personnummer where the date belongs is never echoed (masked before the cut, and after it:
            # the cut may leave twelve digits of a longer run)
            shown = printable(mask_text(mask_text(parts[1])[:40]))
            message = INPUT_MESSAGES["deceased_date"].format(path=_path_shown(path), line=number, value=quoted(shown))
            raise InputError(message) from None
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
    wanted: dict[int, set[int]] = {}  # file index -> the line numbers wanted
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
    return quoted(value if show else _masked(field, value, details))


def finding_details(rule, fields, parts, details, show_personnummer=False):
    """``values``, ``expected`` and ``detail`` of one finding, from its line's fields and the detail table.

    ``detail`` is one sentence: what was found, then what was expected — "daglig_verksamhet är
    '01'; ska vara 0 eller 1".  None for a rule the table does not cover.
    """
    words = _DETAIL_WORDS[details["lang"]]
    names = details["fields"]
    labels = details.get("labels", {})  # the detail says a field by its label; a table without labels, by name
    kind = details["checks"].get(rule)
    if kind == "field_count":
        n = parts if isinstance(parts, int) else len(parts)
        expected = details["layout"]
        return {"values": {}, "expected": expected, "detail": f"{words['fields'].format(n=n)}; {expected}"}
    if isinstance(parts, int) or len(parts) != len(names):
        return None
    value_of = dict(_pairs(names, parts))  # zip(strict=True) needs Python 3.10
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
            label = labels.get(name, name)
            is_ = (
                words["empty"].format(field=label)
                if value == ""
                else words["is"].format(field=label, value=_shown(name, value, details, show_personnummer))
            )
            expected.append(f"{name}: {want}")
            pieces.append(f"{is_}; {want}")
        if len(fields) > _SHOWN_FIELDS:
            pieces.append(words["more"].format(n=len(fields) - _SHOWN_FIELDS))
        return {"values": values, "expected": "; ".join(expected), "detail": "; ".join(pieces)}
    rule_table = details["rules"].get(rule)
    if rule_table is None:
        return None
    found: list[str] = []
    if rule_table["age"]:
        pnr = next((value_of[n] for n in names if details["kinds"].get(n) == "personnummer"), "")
        if pnr[:4].isdigit() and pnr[:4].isascii():
            found.append(words["age"].format(age=details["year"] - int(pnr[:4]), year=details["year"]))
    for name in fields:
        if details["kinds"].get(name) == "personnummer" and rule_table["age"]:
            continue
        value = value_of.get(name, "")
        label = labels.get(name, name)
        found.append(
            words["empty"].format(field=label)
            if value == ""
            else words["is"].format(field=label, value=_shown(name, value, details, show_personnummer))
        )
    wanted = rule_table["expected"]
    said = wanted[:1].lower() + wanted[1:]  # "Det krävs att ..." goes on after a semicolon
    return {"values": values, "expected": wanted, "detail": "; ".join([*found, said])}


# --------------------------------------------------------------------------- traces (--explain)
# A finding's trace (docs/reference/sparning.md): the year's trace table (DETAILS["traces"], made by
# lss_rules.meaning.trace) interpreted on the finding's line, three-valued (Kleene).  Computed only with
# --explain and only for lines with a finding; no rule is written here, only how the table's nodes are read.

TRACE_CONTRACT = 2  # the report contract a report with traces follows (README, report.schema.json)
TRACE_WORDS = {
    "sv": {
        "label": "Spårning",
        "true": "uppfyllt",
        "false": "inte uppfyllt",
        "empty": "okänt (tomt värde)",
        "malformed": "okänt (felaktigt värde)",
        "unknown": "okänt",
        "also": "Se också",
        "at": "{file} rad {line}",
    },
    "en": {
        "label": "Trace",
        "true": "met",
        "false": "not met",
        "empty": "unknown (empty value)",
        "malformed": "unknown (malformed value)",
        "unknown": "unknown",
        "also": "See also",
        "at": "{file} line {line}",
    },
}
_CMP = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _well_formed(kind, text, details, name):
    if kind == "flag":
        return text in ("0", "1")
    if kind == "count":
        return text.isdigit() and text.isascii()
    if kind == "personnummer":
        return len(text) == 12 and text.isdigit() and text.isascii()
    if kind == "municipality":
        return text in details["codes"]
    return text.isdigit() and text.isascii() and int(text) in details["enums"].get(name, ())


_FRAMES: dict = {}  # id of a detail table -> (the table, its fields' indexes, its reference date)


class TraceLine:
    """A line's fields as the trace interpreter reads them: each text, value and state."""

    def __init__(self, parts, details, deceased=None):
        frame = _FRAMES.get(id(details))
        if frame is None or frame[0] is not details:
            at = {name: i for i, name in enumerate(details["fields"])}
            frame = _FRAMES[id(details)] = (details, at, make_date(*details["reference_date"]))
        if len(parts) != len(frame[1]):
            raise ValueError(f"{len(parts)} != {len(frame[1])}")
        self.parts = parts
        self.at = frame[1]  # field name -> its index on the line
        self.states = {}
        self.details = details
        self.deceased = deceased
        self.year = details["year"]
        self.reference_date = frame[2]

    def text(self, name):
        """The field's text ("" for a name the layout does not have)."""
        i = self.at.get(name)
        return "" if i is None else self.parts[i]

    def state(self, name):
        """The field's state: "value", "empty" or "malformed" (each field's once)."""
        said = self.states.get(name)
        if said is None:
            text = self.text(name)
            if text == "":
                said = "empty"
            else:
                ok = _well_formed(self.details["kinds"].get(name), text, self.details, name)
                said = "value" if ok else "malformed"
            self.states[name] = said
        return said

    @classmethod
    def of(cls, parts, details, deceased=None):
        """``parts`` as a TraceLine (one already made is kept); None for a line without its fields."""
        if isinstance(parts, TraceLine):
            return parts
        return cls(parts, details, deceased) if isinstance(parts, (list, tuple)) else None

    def value(self, name):
        """The field's value (an int for flags, codes and counts, else its text); None when empty or malformed."""
        if self.state(name) != "value":
            return None
        text = self.text(name)
        kind = self.details["kinds"].get(name)
        if kind == "count":
            return count_value(text)
        return int(text) if kind in ("flag", "enum") else text

    def died(self, name):
        """The date of death on or before the reference date; None: alive, unknown or no list given."""
        pnr = self.value(name)
        died = None if pnr is None or self.deceased is None else self.deceased.get(pnr)
        return died if died is not None and died <= self.reference_date else None


def _kleene_and(values):
    if False in values:
        return False
    return None if None in values else True


def _kleene_or(values):
    if True in values:
        return True
    return None if None in values else False


def trace_eval(x, line):
    """The value of one expression node of the trace table on a line (None: unknown)."""
    k = x["k"]
    if k in ("int", "str"):
        return x["v"]
    if k == "field":
        return line.value(x["field"])
    if k == "present":
        return line.text(x["field"]) != ""
    if k == "count":
        return sum(1 for name in x["members"] if line.value(name) == 1)
    if k in ("and", "or"):
        both = [trace_eval(x["left"], line), trace_eval(x["right"], line)]
        return _kleene_and(both) if k == "and" else _kleene_or(both)
    if k == "not":
        v = trace_eval(x["value"], line)
        return None if v is None else not v
    if k == "member":
        v = trace_eval(x["value"], line)
        return None if v is None else v in x["options"]
    if k in ("age", "birth_year", "valid", "deceased"):
        pnr = line.value(x["field"])
        if pnr is None or (k == "deceased" and line.deceased is None):
            return None
        if k == "valid":
            return valid_personnummer(pnr, line.reference_date)
        if k == "deceased":
            return line.died(x["field"]) is not None
        born = int(pnr[:4])
        return line.year - born if k == "age" else born
    if k == "between":
        v, low, high = (trace_eval(x[key], line) for key in ("value", "low", "high"))
        return None if v is None or low is None or high is None else low <= v <= high
    a, b = trace_eval(x["left"], line), trace_eval(x["right"], line)
    if a is None or b is None:
        return None
    if k == "arith":
        return a + b if x["op"] == "+" else a - b
    return _CMP[x["op"]](a, b)  # "cmp"


def _clause_values(node, line, out):
    if node is None:
        return None
    at = len(out)
    out.append(None)
    if node["op"] == "test":
        out[at] = trace_eval(node["expr"], line)
    else:
        values = [_clause_values(child, line, out) for child in node["clauses"]]
        if node["op"] == "not":
            out[at] = None if values[0] is None else not values[0]
        else:
            out[at] = _kleene_and(values) if node["op"] == "and" else _kleene_or(values)
    return out[at]


def trace_values(entry, parts, details, deceased=None):
    """Every clause's value of a trace entry on a line: (``when``'s, ``require``'s), each list in pre-order."""
    line = TraceLine.of(parts, details, deceased)
    when: list = []
    require: list = []
    _clause_values(entry.get("when"), line, when)
    _clause_values(entry.get("require"), line, require)
    return when, require


def _derived(items, line, details):
    out = []
    for d in items:
        k = d["k"]
        if k == "count":
            members = d["members"]
            on = [details["labels"].get(n, n) for n in members if line.value(n) == 1]
            text = d["set"] if on else d["text"]
            out.append(text.format(n=len(on), total=len(members), fields=", ".join(on)))
            continue
        pnr = line.value(d["field"])
        if pnr is None or (k == "deceased" and line.deceased is None):
            continue
        born = int(pnr[:4])
        if k == "age":
            out.append(d["text"].format(age=line.year - born, year=line.year, born=born))
        elif k == "birth_year":
            out.append(d["text"].format(born=born))
        elif k == "valid":
            out.append(d["text"] if valid_personnummer(pnr, line.reference_date) else d["no"])
        else:  # deceased
            died = line.died(d["field"])
            out.append(d["no"] if died is None else d["text"].format(date=died.isoformat()))
    return out


def _clause(node, values, line, details):
    value = next(values)
    unknown = None
    if value is None and line is not None:
        unknown = next((s for s in map(line.state, node["reads"]) if s != "value"), None)
    out = {"op": node["op"], "words": node["words"], "value": value, "unknown": unknown}
    if node["op"] == "test":
        out["derived"] = _derived(node["derived"], line, details) if line is not None else []
    else:
        out["clauses"] = [_clause(child, values, line, details) for child in node["clauses"]]
    return out


def _test(words, value=False, derived=()):
    return {"op": "test", "words": words, "value": value, "unknown": None, "derived": list(derived)}


def trace_object(entry, values, parts, details, rule, show_personnummer=False, deceased=None, **extra):
    """The ``trace`` of a finding (or of a rule on a line: ``explain --line``) from its clauses' values.

    ``values``: (``when``'s, ``require``'s) in pre-order (:func:`trace_values`, or the reference
    evaluator's own); ``parts``: the line's fields.  ``extra``: ``fired`` (default true), ``skipped``,
    ``others`` (unique rules), ``require`` (a clause object made by the caller: the checks and unique rules).
    """
    line = TraceLine.of(parts, details, deceased)
    when_values, require_values = values
    labels = details["labels"]
    shown = []
    for name in entry["reads"]:
        text = line.text(name) if line is not None else ""
        shown.append(
            {
                "field": name,
                "label": labels.get(name, name),
                "value": text if show_personnummer else _masked(name, text, details),
                "state": line.state(name) if line is not None else "empty",
            }
        )
    when = entry.get("when")
    require = extra.get("require")  # a check's or a unique rule's, made by the caller
    if require is None and entry.get("require") is not None:
        require = _clause(entry["require"], iter(require_values), line, details)
    out = {
        "rule": rule,
        "fired": extra.get("fired", True),
        "skipped": extra.get("skipped"),
        "when": None if when is None else _clause(when, iter(when_values), line, details),
        "require": require,
        "values": shown,
        "source": list(entry["source"]),
        "fix": entry["fix"],
    }
    if entry["kind"] == "unique":
        out["others"] = list(extra.get("others") or ())
    return out


def _check_require(entry, fields, parts, details):
    """The ``require`` of a check's trace: one false test per field the finding names (S01, S05: one)."""
    kind = entry["kind"]
    if kind == "empty_file":
        return _test(entry["words"])
    if kind == "field_count":
        n = parts if isinstance(parts, int) else len(parts)
        return _test(details["layout"], derived=[_DETAIL_WORDS[details["lang"]]["fields"].format(n=n)])
    texts = {"value_form": details["form"], "required_value": details["required"], "empty_value": details["empty"]}
    tests = [_test(f"{details['labels'].get(n, n)} {texts[kind].get(n, '')}") for n in fields]
    if len(tests) == 1:
        return tests[0]
    joined = "; ".join(t["words"] for t in tests)
    return {"op": "and", "words": joined, "value": False, "unknown": None, "clauses": tests}


def finding_trace(rule, fields, parts, details, show_personnummer=False, deceased=None, others=None):
    """The ``trace`` of one finding of a validator, or None (no table entry, or its line was not read again)."""
    entry = details.get("traces", {}).get(rule)
    if entry is None:
        return None
    kind = entry["kind"]
    if kind == "rule":
        if not isinstance(parts, (list, tuple)):
            return None
        line = TraceLine(parts, details, deceased)
        return trace_object(entry, trace_values(entry, line, details), line, details, rule, show_personnummer)
    if kind == "unique":
        require = _test(entry["words"])
    else:
        entry = dict(entry, reads=trace_reads(entry, fields))
        require = _check_require(entry, fields, parts, details)
    return trace_object(
        entry, ([], []), parts, details, rule, show_personnummer, deceased, require=require, others=others
    )


def trace_reads(entry, fields):
    """The fields a finding's trace reads: its rule's (a rule, a unique rule), else the finding's (a check)."""
    kind = entry["kind"]
    if kind in ("rule", "unique"):
        return entry["reads"]
    return [] if kind in ("field_count", "empty_file") else list(fields)


def trace_text(trace, lang="sv"):
    """The "Spårning:" line of a finding: its tests (with what was derived before each), then "Se också"."""
    words = TRACE_WORDS[lang]
    pieces = []

    def walk(clause):
        if clause is None:
            return
        if clause["op"] in ("and", "or"):
            for child in clause["clauses"]:
                walk(child)
            return
        pieces.extend(_all_derived(clause))
        value = clause["value"]
        said = words[clause["unknown"] or "unknown"] if value is None else words["true" if value else "false"]
        pieces.append(f"{clause['words']} ({said})")

    walk(trace["when"])
    walk(trace["require"])
    others = trace.get("others")
    if others:
        at = ", ".join(words["at"].format(file=o["file"], line=o["line"]) for o in others)
        pieces.append(f"{words['also']}: {at}")
    return f"{words['label']}: " + " · ".join(pieces)


def _all_derived(clause):
    """What was derived in a clause and under it (a ``not`` is said as one clause, with its tests' values)."""
    if clause["op"] == "test":
        return clause["derived"]
    out: list = []
    for child in clause["clauses"]:
        out.extend(d for d in _all_derived(child) if d not in out)
    return out


def _judged(row, entry):
    """The line was judged by the unique rule: no value it needs is empty, no flag it reads malformed."""
    return all(row[n] for n in entry["needed"]) and all(row[n] in ("0", "1", "") for n in entry["members"])


def _explain_lines(found, paths, lines_of):
    """The findings' lines read again, one pass a file as for the details, and the unique rules' ``others``.

    LSS-R07's other line is the first in the file with the finding's personnummer (a line before the
    finding's: found in the same pass).  LSS-R09's other lines are its findings in the other files with
    the personnummer and a flag in common: it reports every line involved (the listed ones, where more
    than 1,000 of it in a file were left out).
    """
    details = found.details
    traces, fields, sep = details["traces"], details["fields"], details["separator"]
    wanted = [f for f in found.items if f[2] and f[0] in traces]
    firsts: dict = {}  # file index -> {personnummer: its first judged line} (LSS-R07)
    for rule, fi, line, _fields, pnr in wanted:
        entry = traces[rule]
        if entry["kind"] == "unique" and entry["scope"] == "file" and pnr:
            first = firsts.setdefault(fi, [{}, fields.index(entry["key"]), entry, 0])
            kept = found.first_lines.get((rule, fi), {}).get(pnr)  # as the run kept it, else looked for below
            first[0][pnr] = kept
            if kept is None:
                first[3] = max(first[3], line)  # the key is looked for up to the last such finding
    covered = set(details["checks"]) | set(details["rules"])  # the lines detail_lines reads, within its room
    room = {True: _DETAIL_LINES, False: _DETAIL_LINES}  # and as many again for the traces' other findings
    lines = {}
    for fi, numbers in sorted(_by_file(wanted, covered).items()):
        keys, at, entry, until = firsts.get(fi, ({}, 0, None, 0))
        source = _source(fi, paths, lines_of)
        if source is None:
            continue
        lines_read = iter(source)
        numbered = sorted(numbers)
        until = until if keys else 0  # LSS-R07's first lines lie before its last finding in the file
        upto = max(numbered[-1], until - 1)  # the lines this file is read to
        n = 0  # lines read so far
        try:
            while n < upto:  # a slice of lines at a time: no Python work on a line but its reading
                chunk = list(itertools.islice(lines_read, min(_SEARCH_LINES, upto - n)))
                if not chunk:
                    break
                if n + 1 < until and any(first is None for first in keys.values()):
                    _first_lines(keys, chunk[: until - 1 - n], n + 1, sep, at, fields, entry)
                for m in numbered[bisect.bisect_right(numbered, n) : bisect.bisect_right(numbered, n + len(chunk))]:
                    kind = numbers[m]
                    if room[kind] > 0:
                        text = chunk[m - n - 1]
                        parts = text.split(sep) if len(text) <= _DETAIL_WIDTH else None
                        lines[(fi, m)] = parts if parts and len(parts) == len(fields) else text.count(sep) + 1
                        room[kind] -= 1
                n += len(chunk)
        except InputError:
            continue
    others = {}
    national: dict = {}  # personnummer -> its LSS-R09 findings: (file index, line, fields)
    for rule, fi, line, named, pnr in wanted:
        if traces[rule]["kind"] == "unique" and traces[rule]["scope"] != "file":
            national.setdefault((rule, pnr), []).append((fi, line, set(named)))
    for rule, fi, line, named, pnr in wanted:
        entry = traces[rule]
        if entry["kind"] != "unique":
            continue
        if entry["scope"] == "file":
            first = firsts.get(fi, ({},))[0].get(pnr)
            at_ = [(fi, first)] if first is not None and first < line else []
        else:
            flags = set(named) & set(entry["members"])
            at_ = sorted((fj, n) for fj, n, theirs in national[(rule, pnr)] if fj != fi and theirs & flags)
        others[(rule, fi, line)] = [{"file": found.paths[fj], "line": n} for fj, n in at_]
    found.explained["others"] = others
    return lines


_SEARCH_LINES = 4096  # lines read again at a time (held in memory meanwhile) for the traces


def _first_lines(keys, head, start, sep, at, fields, entry):
    """Each personnummer of ``keys`` not yet found (None) gets its first judged line in ``head``, the file's lines
    from number ``start``, where its field ``at`` is the key.

    Only for findings that come without the first lines a validator keeps as it reads
    (:func:`keep_first_lines`): a module compiled before it did, or the reference evaluator's findings.
    """
    for n, text in enumerate(head, start):
        cut = text.split(sep, at + 1)  # the key's field, the rest of the line left whole
        if len(cut) > at and keys.get(cut[at], 0) is None and _judged_line(text, sep, fields, entry):
            keys[cut[at]] = n


def _judged_line(text, sep, fields, entry):
    """The line has the layout's fields and the unique rule judged it (LSS-R07's first line is such a line)."""
    parts = text.split(sep)
    return len(parts) == len(fields) and _judged(dict(_pairs(fields, parts)), entry)


def _by_file(items, covered):
    """File index -> line -> whether a finding on it has a detail (its room is detail_lines')."""
    out: dict = {}
    for rule, fi, line, _fields, _pnr in items:
        numbers = out.setdefault(fi, {})
        numbers[line] = numbers.get(line, False) or rule in covered
    return out


def _source(fi, paths, lines_of):
    """A file's lines to read again, or None (a pipe: read once only)."""
    if lines_of is not None:
        return lines_of(fi)
    return iter_lines(paths[fi]) if file_state(paths[fi]) is not None else None


def explain(report, paths=None, deceased=None):
    """Give every finding of a lazy report its ``trace`` (``--explain``) and the report ``"contract": 2``.

    The findings' lines are read again when the report is written, in the one pass that reads them
    for the details (the unique rules' other lines found in it).  ``paths``: unused (the report knows
    its files); ``deceased``: as given to the run.  Returns the report, ``contract`` first.
    """
    found = report["findings"]
    if isinstance(found, Findings) and found.details is not None and "traces" in found.details:
        found.explained = {"deceased": deceased, "others": {}}
        source = found.source
        found.read = lambda: _explain_lines(found, *source)
    rest = list(report.items())
    report.clear()
    report["contract"] = TRACE_CONTRACT
    report.update(rest)
    return report


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
REPORT_WORDS: dict[str, dict[str, Any]] = {
    "sv": {
        "title": "LSS-inrapportering {year}",
        "severity": SEVERITY_WORDS,
        "status": STATUS_WORDS,
        "whole_file": "hela filen",
        "line": "rad {n}",
        "hint": "Hela filen: {message}",
        "fix": "Så rättar du: {fix}",
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
        "fix": "How to fix: {fix}",
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


#: The characters every output shows as they are (:func:`printable`, :func:`quoted`): those printable in
#: Unicode 13.0 (``str.isprintable`` of Python 3.9), as ranges of code points in hex.  One table for every
#: Python and every JavaScript engine, whose own Unicode data differ: U+18D80 is printable to node and to
#: Python 3.13, and not to Python 3.11, so the same file once had two reports.  A character added since is
#: written escaped everywhere.  The JavaScript runtime gets this very string when a module is generated
#: (``JAVASCRIPT_SHARED``); ``scripts/printable-table`` makes it again.
PRINTABLE_RANGES = (
    "20-7e,a1-ac,ae-377,37a-37f,384-38a,38c,38e-3a1,3a3-52f,531-556,559-58a,58d-58f,591-5c7,5d0-5ea,"
    "5ef-5f4,606-61b,61e-6dc,6de-70d,710-74a,74d-7b1,7c0-7fa,7fd-82d,830-83e,840-85b,85e,860-86a,8a0-8b4,"
    "8b6-8c7,8d3-8e1,8e3-983,985-98c,98f-990,993-9a8,9aa-9b0,9b2,9b6-9b9,9bc-9c4,9c7-9c8,9cb-9ce,9d7,"
    "9dc-9dd,9df-9e3,9e6-9fe,a01-a03,a05-a0a,a0f-a10,a13-a28,a2a-a30,a32-a33,a35-a36,a38-a39,a3c,a3e-a42,"
    "a47-a48,a4b-a4d,a51,a59-a5c,a5e,a66-a76,a81-a83,a85-a8d,a8f-a91,a93-aa8,aaa-ab0,ab2-ab3,ab5-ab9,"
    "abc-ac5,ac7-ac9,acb-acd,ad0,ae0-ae3,ae6-af1,af9-aff,b01-b03,b05-b0c,b0f-b10,b13-b28,b2a-b30,b32-b33,"
    "b35-b39,b3c-b44,b47-b48,b4b-b4d,b55-b57,b5c-b5d,b5f-b63,b66-b77,b82-b83,b85-b8a,b8e-b90,b92-b95,"
    "b99-b9a,b9c,b9e-b9f,ba3-ba4,ba8-baa,bae-bb9,bbe-bc2,bc6-bc8,bca-bcd,bd0,bd7,be6-bfa,c00-c0c,c0e-c10,"
    "c12-c28,c2a-c39,c3d-c44,c46-c48,c4a-c4d,c55-c56,c58-c5a,c60-c63,c66-c6f,c77-c8c,c8e-c90,c92-ca8,"
    "caa-cb3,cb5-cb9,cbc-cc4,cc6-cc8,cca-ccd,cd5-cd6,cde,ce0-ce3,ce6-cef,cf1-cf2,d00-d0c,d0e-d10,d12-d44,"
    "d46-d48,d4a-d4f,d54-d63,d66-d7f,d81-d83,d85-d96,d9a-db1,db3-dbb,dbd,dc0-dc6,dca,dcf-dd4,dd6,dd8-ddf,"
    "de6-def,df2-df4,e01-e3a,e3f-e5b,e81-e82,e84,e86-e8a,e8c-ea3,ea5,ea7-ebd,ec0-ec4,ec6,ec8-ecd,ed0-ed9,"
    "edc-edf,f00-f47,f49-f6c,f71-f97,f99-fbc,fbe-fcc,fce-fda,1000-10c5,10c7,10cd,10d0-1248,124a-124d,"
    "1250-1256,1258,125a-125d,1260-1288,128a-128d,1290-12b0,12b2-12b5,12b8-12be,12c0,12c2-12c5,12c8-12d6,"
    "12d8-1310,1312-1315,1318-135a,135d-137c,1380-1399,13a0-13f5,13f8-13fd,1400-167f,1681-169c,16a0-16f8,"
    "1700-170c,170e-1714,1720-1736,1740-1753,1760-176c,176e-1770,1772-1773,1780-17dd,17e0-17e9,17f0-17f9,"
    "1800-180d,1810-1819,1820-1878,1880-18aa,18b0-18f5,1900-191e,1920-192b,1930-193b,1940,1944-196d,"
    "1970-1974,1980-19ab,19b0-19c9,19d0-19da,19de-1a1b,1a1e-1a5e,1a60-1a7c,1a7f-1a89,1a90-1a99,1aa0-1aad,"
    "1ab0-1ac0,1b00-1b4b,1b50-1b7c,1b80-1bf3,1bfc-1c37,1c3b-1c49,1c4d-1c88,1c90-1cba,1cbd-1cc7,1cd0-1cfa,"
    "1d00-1df9,1dfb-1f15,1f18-1f1d,1f20-1f45,1f48-1f4d,1f50-1f57,1f59,1f5b,1f5d,1f5f-1f7d,1f80-1fb4,"
    "1fb6-1fc4,1fc6-1fd3,1fd6-1fdb,1fdd-1fef,1ff2-1ff4,1ff6-1ffe,2010-2027,2030-205e,2070-2071,2074-208e,"
    "2090-209c,20a0-20bf,20d0-20f0,2100-218b,2190-2426,2440-244a,2460-2b73,2b76-2b95,2b97-2c2e,2c30-2c5e,"
    "2c60-2cf3,2cf9-2d25,2d27,2d2d,2d30-2d67,2d6f-2d70,2d7f-2d96,2da0-2da6,2da8-2dae,2db0-2db6,2db8-2dbe,"
    "2dc0-2dc6,2dc8-2dce,2dd0-2dd6,2dd8-2dde,2de0-2e52,2e80-2e99,2e9b-2ef3,2f00-2fd5,2ff0-2ffb,3001-303f,"
    "3041-3096,3099-30ff,3105-312f,3131-318e,3190-31e3,31f0-321e,3220-9ffc,a000-a48c,a490-a4c6,a4d0-a62b,"
    "a640-a6f7,a700-a7bf,a7c2-a7ca,a7f5-a82c,a830-a839,a840-a877,a880-a8c5,a8ce-a8d9,a8e0-a953,a95f-a97c,"
    "a980-a9cd,a9cf-a9d9,a9de-a9fe,aa00-aa36,aa40-aa4d,aa50-aa59,aa5c-aac2,aadb-aaf6,ab01-ab06,ab09-ab0e,"
    "ab11-ab16,ab20-ab26,ab28-ab2e,ab30-ab6b,ab70-abed,abf0-abf9,ac00-d7a3,d7b0-d7c6,d7cb-d7fb,f900-fa6d,"
    "fa70-fad9,fb00-fb06,fb13-fb17,fb1d-fb36,fb38-fb3c,fb3e,fb40-fb41,fb43-fb44,fb46-fbc1,fbd3-fd3f,"
    "fd50-fd8f,fd92-fdc7,fdf0-fdfd,fe00-fe19,fe20-fe52,fe54-fe66,fe68-fe6b,fe70-fe74,fe76-fefc,ff01-ffbe,"
    "ffc2-ffc7,ffca-ffcf,ffd2-ffd7,ffda-ffdc,ffe0-ffe6,ffe8-ffee,fffc-fffd,10000-1000b,1000d-10026,"
    "10028-1003a,1003c-1003d,1003f-1004d,10050-1005d,10080-100fa,10100-10102,10107-10133,10137-1018e,"
    "10190-1019c,101a0,101d0-101fd,10280-1029c,102a0-102d0,102e0-102fb,10300-10323,1032d-1034a,"
    "10350-1037a,10380-1039d,1039f-103c3,103c8-103d5,10400-1049d,104a0-104a9,104b0-104d3,104d8-104fb,"
    "10500-10527,10530-10563,1056f,10600-10736,10740-10755,10760-10767,10800-10805,10808,1080a-10835,"
    "10837-10838,1083c,1083f-10855,10857-1089e,108a7-108af,108e0-108f2,108f4-108f5,108fb-1091b,"
    "1091f-10939,1093f,10980-109b7,109bc-109cf,109d2-10a03,10a05-10a06,10a0c-10a13,10a15-10a17,"
    "10a19-10a35,10a38-10a3a,10a3f-10a48,10a50-10a58,10a60-10a9f,10ac0-10ae6,10aeb-10af6,10b00-10b35,"
    "10b39-10b55,10b58-10b72,10b78-10b91,10b99-10b9c,10ba9-10baf,10c00-10c48,10c80-10cb2,10cc0-10cf2,"
    "10cfa-10d27,10d30-10d39,10e60-10e7e,10e80-10ea9,10eab-10ead,10eb0-10eb1,10f00-10f27,10f30-10f59,"
    "10fb0-10fcb,10fe0-10ff6,11000-1104d,11052-1106f,1107f-110bc,110be-110c1,110d0-110e8,110f0-110f9,"
    "11100-11134,11136-11147,11150-11176,11180-111df,111e1-111f4,11200-11211,11213-1123e,11280-11286,"
    "11288,1128a-1128d,1128f-1129d,1129f-112a9,112b0-112ea,112f0-112f9,11300-11303,11305-1130c,"
    "1130f-11310,11313-11328,1132a-11330,11332-11333,11335-11339,1133b-11344,11347-11348,1134b-1134d,"
    "11350,11357,1135d-11363,11366-1136c,11370-11374,11400-1145b,1145d-11461,11480-114c7,114d0-114d9,"
    "11580-115b5,115b8-115dd,11600-11644,11650-11659,11660-1166c,11680-116b8,116c0-116c9,11700-1171a,"
    "1171d-1172b,11730-1173f,11800-1183b,118a0-118f2,118ff-11906,11909,1190c-11913,11915-11916,"
    "11918-11935,11937-11938,1193b-11946,11950-11959,119a0-119a7,119aa-119d7,119da-119e4,11a00-11a47,"
    "11a50-11aa2,11ac0-11af8,11c00-11c08,11c0a-11c36,11c38-11c45,11c50-11c6c,11c70-11c8f,11c92-11ca7,"
    "11ca9-11cb6,11d00-11d06,11d08-11d09,11d0b-11d36,11d3a,11d3c-11d3d,11d3f-11d47,11d50-11d59,"
    "11d60-11d65,11d67-11d68,11d6a-11d8e,11d90-11d91,11d93-11d98,11da0-11da9,11ee0-11ef8,11fb0,"
    "11fc0-11ff1,11fff-12399,12400-1246e,12470-12474,12480-12543,13000-1342e,14400-14646,16800-16a38,"
    "16a40-16a5e,16a60-16a69,16a6e-16a6f,16ad0-16aed,16af0-16af5,16b00-16b45,16b50-16b59,16b5b-16b61,"
    "16b63-16b77,16b7d-16b8f,16e40-16e9a,16f00-16f4a,16f4f-16f87,16f8f-16f9f,16fe0-16fe4,16ff0-16ff1,"
    "17000-187f7,18800-18cd5,18d00-18d08,1b000-1b11e,1b150-1b152,1b164-1b167,1b170-1b2fb,1bc00-1bc6a,"
    "1bc70-1bc7c,1bc80-1bc88,1bc90-1bc99,1bc9c-1bc9f,1d000-1d0f5,1d100-1d126,1d129-1d172,1d17b-1d1e8,"
    "1d200-1d245,1d2e0-1d2f3,1d300-1d356,1d360-1d378,1d400-1d454,1d456-1d49c,1d49e-1d49f,1d4a2,"
    "1d4a5-1d4a6,1d4a9-1d4ac,1d4ae-1d4b9,1d4bb,1d4bd-1d4c3,1d4c5-1d505,1d507-1d50a,1d50d-1d514,"
    "1d516-1d51c,1d51e-1d539,1d53b-1d53e,1d540-1d544,1d546,1d54a-1d550,1d552-1d6a5,1d6a8-1d7cb,"
    "1d7ce-1da8b,1da9b-1da9f,1daa1-1daaf,1e000-1e006,1e008-1e018,1e01b-1e021,1e023-1e024,1e026-1e02a,"
    "1e100-1e12c,1e130-1e13d,1e140-1e149,1e14e-1e14f,1e2c0-1e2f9,1e2ff,1e800-1e8c4,1e8c7-1e8d6,"
    "1e900-1e94b,1e950-1e959,1e95e-1e95f,1ec71-1ecb4,1ed01-1ed3d,1ee00-1ee03,1ee05-1ee1f,1ee21-1ee22,"
    "1ee24,1ee27,1ee29-1ee32,1ee34-1ee37,1ee39,1ee3b,1ee42,1ee47,1ee49,1ee4b,1ee4d-1ee4f,1ee51-1ee52,"
    "1ee54,1ee57,1ee59,1ee5b,1ee5d,1ee5f,1ee61-1ee62,1ee64,1ee67-1ee6a,1ee6c-1ee72,1ee74-1ee77,"
    "1ee79-1ee7c,1ee7e,1ee80-1ee89,1ee8b-1ee9b,1eea1-1eea3,1eea5-1eea9,1eeab-1eebb,1eef0-1eef1,"
    "1f000-1f02b,1f030-1f093,1f0a0-1f0ae,1f0b1-1f0bf,1f0c1-1f0cf,1f0d1-1f0f5,1f100-1f1ad,1f1e6-1f202,"
    "1f210-1f23b,1f240-1f248,1f250-1f251,1f260-1f265,1f300-1f6d7,1f6e0-1f6ec,1f6f0-1f6fc,1f700-1f773,"
    "1f780-1f7d8,1f7e0-1f7eb,1f800-1f80b,1f810-1f847,1f850-1f859,1f860-1f887,1f890-1f8ad,1f8b0-1f8b1,"
    "1f900-1f978,1f97a-1f9cb,1f9cd-1fa53,1fa60-1fa6d,1fa70-1fa74,1fa78-1fa7a,1fa80-1fa86,1fa90-1faa8,"
    "1fab0-1fab6,1fac0-1fac2,1fad0-1fad6,1fb00-1fb92,1fb94-1fbca,1fbf0-1fbf9,20000-2a6dd,2a700-2b734,"
    "2b740-2b81d,2b820-2cea1,2ceb0-2ebe0,2f800-2fa1d,30000-3134a,e0100-e01ef"
)


def _printable_table(ranges):
    starts, ends = [], []
    for item in ranges.split(","):
        first, _, last = item.partition("-")
        starts.append(int(first, 16))
        ends.append(int(last or first, 16))
    return starts, ends


_PRINTABLE_STARTS, _PRINTABLE_ENDS = _printable_table(PRINTABLE_RANGES)


def shows(char):
    """Whether ``char`` is shown as it is (:data:`PRINTABLE_RANGES`)."""
    code = ord(char)
    if 0x20 <= code < 0x7F:
        return True
    at = bisect.bisect_right(_PRINTABLE_STARTS, code) - 1
    return at >= 0 and code <= _PRINTABLE_ENDS[at]


def printable(text):
    """``text`` safe to show on a terminal: what is not printable (ESC, NUL, CR, U+2028, a bidi override,
    a private-use character, a character newer than Unicode 13...) written as ``\\xNN``/``\\uNNNN``."""
    text = clean_path(text)
    if text.isascii() and text.isprintable():
        return text
    return "".join(c if shows(c) else ascii(c)[1:-1] for c in text)


def quoted(text):
    """``repr(text)`` as every Python would write it with :data:`PRINTABLE_RANGES`: quoted, and escaped
    where :func:`printable` escapes (``repr`` itself follows the Unicode data of the Python it runs on)."""
    quote = '"' if "'" in text and '"' not in text else "'"
    out = []
    for c in text:
        if c == "\\" or c == quote:
            out.append("\\" + c)
        else:
            out.append(c if shows(c) else ascii(c)[1:-1])
    return quote + "".join(out) + quote


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

    __slots__ = ("_kept", "_settled", "first_lines", "listed", "not_listed")

    def __init__(self, listed=LISTED):
        super().__init__()
        self.listed = listed
        self.not_listed = {}
        self.first_lines = {}  # (rule, file index) -> {key: the line it was first judged on} (keep_first_lines)
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
        self.read = None  # what gives ``lines`` when first asked (build_report; explain widens it), or None
        self.source = (paths, None)  # the files to read again and build_report's lines_of
        self.explained = None  # with --explain (:func:`explain`): the deceased list and the unique rules' others
        self.first_lines = {}  # (rule, file index) -> {key: its first judged line}, as the run kept them
        self._traced: dict = {}  # trace_json's: what a trace is made from -> its JSON
        self._field_at = None  # field name -> its index on a line

    @property
    def lines(self):
        if self.read is not None:  # read when first asked: after explain() has said what it needs
            read, self.read = self.read, None
            self._lines = read()
        return self._lines

    @lines.setter
    def lines(self, value):
        self._lines = value

    def trace(self, rule, fi, line, fields):
        """The ``trace`` of one finding (``--explain``), or None."""
        parts = self.lines.get((fi, line))
        if line is not None and parts is None:
            return None  # its line was not read again (a pipe, or past the lines kept for details)
        how = self.explained or {"deceased": None, "others": {}}
        others = how["others"].get((rule, fi, line))
        return finding_trace(rule, fields, parts, self.details, self.show_personnummer, how["deceased"], others)

    def trace_json(self, rule, fi, line, fields, pad):
        """The ``trace`` of one finding as JSON at the indent ``pad``, or None.

        A trace is made from its rule, the finding's fields, the texts of the fields it reads and the other
        lines it names (the deceased list is the run's): findings alike in those (a file whose lines share one
        mistake, every line with the wrong number of fields) share one, written once.
        """
        parts = self.lines.get((fi, line))
        if line is not None and parts is None:
            return None
        entry = self.details["traces"].get(rule)
        if entry is None:
            return None
        others = (self.explained or {"others": {}})["others"].get((rule, fi, line))
        if isinstance(parts, (list, tuple)):
            at = self._field_at
            if at is None:
                at = self._field_at = {name: i for i, name in enumerate(self.details["fields"])}
            read = tuple([parts[at[name]] for name in trace_reads(entry, fields)])
        else:
            read = parts  # the number of fields of a line without the layout's, or None
        key = (rule, tuple(fields), read, None if others is None else tuple((o["file"], o["line"]) for o in others))
        said = self._traced.get(key)
        if said is None:
            trace = self.trace(rule, fi, line, fields)
            said = "" if trace is None else _trace_json(trace, pad)
            if len(self._traced) < 4096:
                self._traced[key] = said
        return said or None

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
            if self.explained is not None:
                trace = self.trace(rule, fi, line, fields)
                if trace is not None:
                    finding["trace"] = trace
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
        explained = self.explained is not None
        for rule, fi, line, fields, pnr in self.items:
            extra = self.detail(rule, fi, line, fields) if with_lines else None
            trace = self.trace_json(rule, fi, line, fields, "      ") if explained else None
            if extra is not None:  # a finding with details: as the indented encoder writes it, one level in
                finding = dict(next(iter(Findings([(rule, fi, line, fields, pnr)], self.paths, self.rules, show))))
                finding.update(extra)
                text = indented(finding).replace("\n", "\n    ")
                if trace is not None:  # the finding's last key, as the indented encoder writes it (faster)
                    text = f'{text[:-6]},\n      "trace": {trace}\n    }}'
                chunk.append(text)
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
            said = f"{heads[rule]}{body}{tails[rule]}{who}"
            if trace is not None:
                said += f',\n      "trace": {trace}'
            chunk.append(said + "\n    }")
            if len(chunk) == 1000:
                out.write(start + ",\n    ".join(chunk))
                start = ",\n    "
                chunk = []
        if chunk:
            out.write(start + ",\n    ".join(chunk))
        out.write("\n  ]")


_ENCODED: dict = {}  # the traces' words, labels and states as JSON strings: said again and again


def _said(text):
    """``text`` as a JSON string (``ensure_ascii=False``), the table's words kept once they are encoded."""
    said = _ENCODED.get(text)
    if said is None:
        said = json.encoder.encode_basestring(text)
        if len(_ENCODED) < 4096:
            _ENCODED[text] = said
    return said


_LITERAL = {None: "null", True: "true", False: "false"}


def _strings(items, pad):
    """A list of strings at the indent ``pad``, as the indented encoder writes it."""
    if not items:
        return "[]"
    inner = ",\n" + pad + "  "
    return f"[{inner[1:]}{inner.join(map(_said, items))}\n{pad}]"


def _clause_json(c, pad):
    i = pad + "  "
    unknown = c["unknown"]
    head = (
        f'{{\n{i}"op": {_said(c["op"])},\n{i}"words": {_said(c["words"])},\n{i}"value": {_LITERAL[c["value"]]},\n'
        f'{i}"unknown": {"null" if unknown is None else _said(unknown)},\n'
    )
    if c["op"] == "test":
        return f'{head}{i}"derived": {_strings(c["derived"], i)}\n{pad}}}'
    inner = i + "  "
    children = f",\n{inner}".join([_clause_json(child, inner) for child in c["clauses"]])
    return f'{head}{i}"clauses": [\n{inner}{children}\n{i}]\n{pad}}}'


_TRACE_TAILS: dict = {}  # (source, fix, pad) -> their JSON: one rule's, the same in every finding of it


def _trace_json(trace, pad):
    """A finding's ``trace`` as ``json.dumps(trace, ensure_ascii=False, indent=2)`` writes it at the indent
    ``pad`` (tested byte for byte): its keys known, so written as text rather than walked generically, and
    its rule's source and fix encoded once a run.  What ``--explain`` adds to a large report is mostly this."""
    i = pad + "  "
    ii = i + "  "
    iii = ii + "  "
    skipped = trace["skipped"]
    when, require = trace["when"], trace["require"]
    out = [
        f'{{\n{i}"rule": {_said(trace["rule"])},\n{i}"fired": {_LITERAL[trace["fired"]]},\n'
        f'{i}"skipped": {"null" if skipped is None else _said(skipped)},\n'
        f'{i}"when": {"null" if when is None else _clause_json(when, i)},\n'
        f'{i}"require": {"null" if require is None else _clause_json(require, i)},\n{i}"values": '
    ]
    shown = trace["values"]
    if shown:
        values = [
            f'{{\n{iii}"field": {_said(v["field"])},\n{iii}"label": {_said(v["label"])},\n'
            f'{iii}"value": {_said(v["value"])},\n{iii}"state": {_said(v["state"])}\n{ii}}}'
            for v in shown
        ]
        out.append(f"[\n{ii}" + f",\n{ii}".join(values) + f"\n{i}]")
    else:
        out.append("[]")
    source, fix = trace["source"], trace["fix"]
    key = (tuple(source), fix, pad)
    tail = _TRACE_TAILS.get(key)
    if tail is None:
        tail = f',\n{i}"source": {_strings(source, i)},\n{i}"fix": {"null" if fix is None else _said(fix)}'
        if len(_TRACE_TAILS) < 256:
            _TRACE_TAILS[key] = tail
    out.append(tail)
    if "others" in trace:
        others = trace["others"]
        if others:
            at = [f'{{\n{iii}"file": {_said(o["file"])},\n{iii}"line": {o["line"]!r}\n{ii}}}' for o in others]
            out.append(f',\n{i}"others": [\n{ii}' + f",\n{ii}".join(at) + f"\n{i}]")
        else:
            out.append(f',\n{i}"others": []')
    out.append(f"\n{pad}}}")
    return "".join(out)


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
    read = paths
    if not show_personnummer:  # a file name is echoed too (a correction named after the person)
        paths = [mask_text(p) for p in paths]
    listed = Findings(items, paths, rules, show_personnummer, details)
    listed.source = (read, lines_of)
    listed.first_lines = getattr(findings, "first_lines", None) or {}
    if details is not None:  # the findings' lines, read again when the findings are first written
        listed.read = lambda: detail_lines(items, read, details, lines_of)
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


def said_fields(fields, details):
    """A finding's fields as a reader knows them: by their labels in the report's language (the detail
    table's ``labels``, the spec's ``short`` form, which may hold any character: printable), a field the
    table does not name by its identifier."""
    labels = (details or {}).get("labels") or {}
    return [printable(labels[name]) if name in labels else name for name in fields]


def render_text(report, titles, notes=(), lang="sv"):
    """The report for people: per file its records and status, findings by rule, a summary."""
    words = REPORT_WORDS[lang]

    def count(n, key):
        return plural(n, *words[key])

    lines = []
    year = report["year"]
    # "Så rättar du", once per rule and file under the rule's message: the year's detail table holds the texts
    details = getattr(report["findings"], "details", None) or {}
    fixes = details.get("fixes", {})
    lines.append(words["title"].format(year=year))
    lines.extend(printable(note) for note in notes)  # the spec's texts, like its titles and messages below
    if report.get("spec"):
        lines.append(spec_line(report["spec"], lang))
    by_file: dict[str, dict[str, Any]] = {}  # path -> rule -> (severity, message, a line a finding)
    severities: dict[str, set[str]] = {}  # path -> the severities of its findings
    errors = warnings = 0
    for f in report["findings"]:
        rules = by_file.setdefault(f["file"], {})
        group = rules.get(f["rule"])
        if group is None:
            shown: list[str] = []
            group = rules[f["rule"]] = (f["severity"], f["message"], shown)
        severities.setdefault(f["file"], set()).add(f["severity"])
        errors += f["severity"] == "error"
        warnings += f["severity"] == "warning"
        where = words["whole_file"] if f["line"] is None else words["line"].format(n=f["line"])
        detail = []
        if f["fields"]:
            detail.append(", ".join(said_fields(f["fields"], details)))
        if f.get("personnummer"):
            detail.append(printable(f["personnummer"]))
        text = f"    {where}" + (": " + "; ".join(detail) if detail else "")
        if f.get("detail"):
            text += "\n      " + printable(f["detail"])
        if f.get("trace"):
            text += "\n      " + printable(trace_text(f["trace"], lang))
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
            if fixes.get(rule):
                lines.append("    " + words["fix"].format(fix=printable(fixes[rule])))
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
    saved: Any = None

    def __enter__(self):
        if _SwedishTexts.depth == 0:
            _SwedishTexts.saved = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
            argparse._, argparse.ngettext = _argparse_sv, _argparse_sv_n  # type: ignore[attr-defined]
        _SwedishTexts.depth += 1

    def __exit__(self, *exc):
        _SwedishTexts.depth -= 1
        if _SwedishTexts.depth == 0:
            argparse._, argparse.ngettext = _SwedishTexts.saved  # type: ignore[attr-defined]


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
        if message and file is sys.stdout:  # argparse swallows a write error on standard out:
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
# JavaScript runtime gets it too (JAVASCRIPT_SHARED).
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
        return INPUT_MESSAGES["system_error"].format(name=name)
    return INPUT_MESSAGES["system_error_unknown"]


def add_arguments(p, default_year=None):
    """Add the arguments of ``lss-rules validate`` to a parser (shared by the standalone module)."""
    p.add_argument("files", nargs="+", metavar="FILE", help="en fil per kommun; flera filer granskas tillsammans")
    p.add_argument("--year", type=int, default=default_year, required=default_year is None, help="insamlingsår")
    p.add_argument("--deceased", metavar="FILE", help="utdrag ur dödsregistret: personnummer;ÅÅÅÅ-MM-DD per rad")
    p.add_argument("--format", choices=("text", "json"), default="text", help="rapportens form (standard: text)")
    p.add_argument("--strict", action="store_true", help="varningar ger också avslutningskod 1")
    p.add_argument("--show-personnummer", action="store_true", help="visa hela personnummer i rapporten")
    p.add_argument("--lang", choices=LANGUAGES, default="sv", help="rapportens och meddelandenas språk (standard: sv)")
    p.add_argument(
        "--explain",
        action="store_true",
        # the values a clause can have, in the words the traces use (one source: TRACE_WORDS)
        help="visa under varje fynd hur regeln prövades på raden: varje villkor med sitt värde ({true}, {false}, "
        "{unknown}) och värdena det läste; i JSON som trace, rapportkontrakt {contract}".format(
            **TRACE_WORDS["sv"], contract=TRACE_CONTRACT
        ),
    )
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
    if out is None or all(out is not stream for stream in (sys.stdout, sys.__stdout__)):
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
# (the runtime API of lss_rules.backends.validator.ir.RUNTIME_API; this module runs on Python 3.9 and later)


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
        print(f"{prog}: fel: {INPUT_MESSAGES['other_year'].format(given=args.year, year=year)}", file=sys.stderr)
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
        if args.explain:
            result = explain(result, args.files, deceased)
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


# --------------------------------------------------------------------------- what the JavaScript runtime shares

#: The names of this module whose values the JavaScript runtime uses too: defined here only, and written
#: into the JavaScript runtime (``lss_rules/runtime/javascript/*.mjs``, its parts joined) where it declares
#: ``const NAME = /* runtime.py */ null;``
#: (the name without a leading underscore) by ``lss_rules.backends.javascript.assemble.runtime_source``,
#: so the two validators cannot drift apart on a text, a limit or a table.
JAVASCRIPT_SHARED = (
    # exit codes
    "EXIT_ACCEPTED",
    "EXIT_REJECTED",
    "EXIT_USAGE",
    # reading
    "_MAX_LINE",
    "_BLOCK",
    # whole-file hints
    "_HINT_BYTES",
    "_HINT_LINES",
    "_HEAD_ROOM",
    "_OTHER_SEPARATORS",
    "HINT_TEXTS",
    "_SEPARATOR_NAMES",
    # counts and dates
    "COUNT_DIGITS",
    "COUNT_CAP",
    "_MONTH_DAYS",
    # details of findings
    "_DETAIL_LINES",
    "_DETAIL_WIDTH",
    "_SHOWN_FIELDS",
    "_DETAIL_WORDS",
    # reports: words, the findings listed, the masked form
    "SEVERITY_WORDS",
    "STATUS_WORDS",
    "REPORT_WORDS",
    "LISTED",
    "_MASKED_OTHER",
    # what every output shows as it is
    "PRINTABLE_RANGES",
    # the command line's messages
    "_STRERROR_SV",
    "INPUT_MESSAGES",
    "_KIND_WORDS",
    "_OUT_OF_MEMORY",
    "_TOO_DEEP",
    "_TOO_MANY_FILES",
    # traces (--explain): the fixed words of the "Spårning:" line and the contract of a report with traces
    "TRACE_WORDS",
    "TRACE_CONTRACT",
)
