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
import datetime
import json
import os
import stat
import sys

# --------------------------------------------------------------------------- errors


class InputError(Exception):
    """An input cannot be read at all: the run cannot be made (exit code 2)."""


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


def iter_lines(path):
    """Yield every line of a submission file, decoded, without its line end.

    Streams (a block of at most 1 MiB in memory at a time), never writes.  LF
    or CRLF; UTF-8 with or without a byte-order mark, else ISO-8859-1 (decided
    per line, so a file that mixes them loses nothing).  A final line end is
    optional; every other line end ends a line, so a blank line inside the file
    is a line.  A line longer than 64 KiB (a binary file) is cut to 64 KiB.
    """
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below, generator-friendly
    except IsADirectoryError:
        raise InputError(f"{path}: är en mapp, inte en fil") from None
    except FileNotFoundError:
        raise InputError(f"{path}: filen finns inte") from None
    except OSError as exc:
        raise InputError(f"{path}: kan inte läsas ({exc.strerror})") from None
    with f:
        carry = b""
        first = True
        while True:
            try:
                block = f.read(_BLOCK)
            except OSError as exc:
                raise InputError(f"{path}: kan inte läsas ({exc.strerror})") from None
            if first:
                while block and len(block) < 3 and block == _BOM[: len(block)]:
                    more = f.read(_BLOCK)  # a very short read: make sure a BOM is seen whole
                    if not more:
                        break
                    block += more
                if block.startswith(_BOM):
                    block = block[3:]
                first = False
            if not block:
                if carry:
                    yield _one_line(carry, False)
                return
            data = carry + block if carry else block
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data[: _MAX_LINE + 2]  # the line goes on; only its start is ever used
                continue
            carry = data[cut + 1 :]
            if len(carry) > _MAX_LINE + 2:
                carry = carry[: _MAX_LINE + 2]
            yield from _block_lines(data[:cut])


def file_state(path):
    """Identity, size and time of a regular file, to read it a second time unchanged; None for anything else."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None  # a pipe or a device: its lines are kept the first time
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def read_again(path, state):
    """The lines of a regular file once more (the national rules); InputError if it changed since ``state``."""
    if file_state(path) != state:
        raise InputError(f"{path}: filen ändrades under granskningen")
    return iter_lines(path)


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


def read_deceased(path):
    """The death-register extract: ``personnummer;YYYY-MM-DD`` a line -> {personnummer: date}."""
    out = {}
    for number, line in enumerate(iter_lines(path), start=1):
        if not line.strip():
            continue
        parts = line.split(";")
        if len(parts) != 2 or not (len(parts[0]) == 12 and parts[0].isdigit()):
            raise InputError(f"{path}:{number}: raden ska vara personnummer;ÅÅÅÅ-MM-DD (tolv siffror, dödsdatum)")
        try:
            died = datetime.date.fromisoformat(parts[1].strip())
        except ValueError:
            raise InputError(f"{path}:{number}: {parts[1]!r} är inget datum ÅÅÅÅ-MM-DD") from None
        out[parts[0]] = died
    return out


# --------------------------------------------------------------------------- reports

SEVERITY_WORDS = {"error": "fel", "warning": "varning"}
STATUS_WORDS = {
    "accepted": "godkänd",
    "accepted_with_warnings": "godkänd med varningar",
    "rejected": "ej godkänd",
}


def mask(pnr):
    """``19800101-****``: the birth date stays readable, the rest is hidden."""
    if pnr is None:
        return None
    if len(pnr) <= 8:
        return "*" * len(pnr)
    return pnr[:8] + "-" + "*" * min(4, len(pnr) - 8)


def status_of(severities):
    """accepted / accepted_with_warnings / rejected from the severities found."""
    severities = set(severities)
    if "error" in severities:
        return "rejected"
    if "warning" in severities:
        return "accepted_with_warnings"
    return "accepted"


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

    def __init__(self, items, paths, rules, show_personnummer):
        self.items = items
        self.paths = paths
        self.rules = rules
        self.show_personnummer = show_personnummer

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        paths, rules, show = self.paths, self.rules, self.show_personnummer
        for rule, fi, line, fields, pnr in self.items:
            severity, message = rules[rule]
            yield {
                "rule": rule,
                "severity": severity,
                "file": paths[fi],
                "line": line,
                "fields": list(fields),
                "message": message,
                "personnummer": pnr if show else mask(pnr),
            }

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
        for rule, fi, line, fields, pnr in self.items:
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


def build_report(year, paths, records, findings, rules, not_checked, show_personnummer=False, lazy=False):
    """The JSON report (a dict) from raw findings.

    ``findings``: tuples ``(rule, file_index, line_or_None, fields, personnummer_or_None)``.
    ``rules``: rule id -> ``(severity, message)``, in the order the rules are reported.
    ``lazy``: the findings as :class:`Findings` instead of a list of dicts.
    """
    items = sort_findings(findings, rules)
    listed = Findings(items, paths, rules, show_personnummer)
    return {
        "year": year,
        "status": status_of(rules[f[0]][0] for f in items),
        "files": [{"path": p, "records": n} for p, n in _pairs(paths, records)],
        "findings": listed if lazy else list(listed),
        "not_checked": list(not_checked),
    }


def render_text(report, titles, notes=()):
    """The report for people: per file its records and status, findings by rule, a summary."""
    lines = []
    year = report["year"]
    lines.append(f"LSS-inrapportering {year}")
    lines.extend(notes)
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
        where = "hela filen" if f["line"] is None else f"rad {f['line']}"
        detail = []
        if f["fields"]:
            detail.append(", ".join(f["fields"]))
        if f.get("personnummer"):
            detail.append(f["personnummer"])
        group[2].append(f"    {where}" + (": " + "; ".join(detail) if detail else ""))
    for entry in report["files"]:
        path = entry["path"]
        status = STATUS_WORDS[status_of(severities.get(path, ()))]
        lines.append("")
        lines.append(f"{path}: {entry['records']} poster — {status}")
        for rule, (severity, message, found) in by_file.get(path, {}).items():
            title = titles.get(rule, "")
            lines.append(f"  {rule} {title} ({SEVERITY_WORDS.get(severity, severity)}, {len(found)} st)")
            lines.append(f"    {message}")
            lines.extend(found)
    lines.append("")
    total = sum(e["records"] for e in report["files"])
    lines.append(
        f"Sammanfattning: {len(report['files'])} filer, {total} poster, {errors} fel, {warnings} varningar"
        f" — {STATUS_WORDS[report['status']]}"
    )
    for rule in report["not_checked"]:
        lines.append(f"Inte kontrollerat: {rule} {titles.get(rule, '')} (ingen lista över avlidna angavs, --deceased)")
    return "\n".join(lines) + "\n"


def exit_code(report, strict=False):
    status = report["status"]
    if status == "rejected" or (strict and status == "accepted_with_warnings"):
        return EXIT_REJECTED
    return EXIT_ACCEPTED


def add_arguments(p, default_year=None):
    """Add the arguments of ``lss-rules validate`` to a parser (shared by the standalone module)."""
    p.add_argument("files", nargs="+", metavar="FILE", help="en fil per kommun; flera filer granskas tillsammans")
    p.add_argument("--year", type=int, default=default_year, required=default_year is None, help="insamlingsår")
    p.add_argument("--deceased", metavar="FILE", help="utdrag ur dödsregistret: personnummer;ÅÅÅÅ-MM-DD per rad")
    p.add_argument("--format", choices=("text", "json"), default="text", help="rapportens form (standard: text)")
    p.add_argument("--strict", action="store_true", help="varningar ger också avslutningskod 1")
    p.add_argument("--show-personnummer", action="store_true", help="visa hela personnummer i rapporten")
    return p


def argument_parser(prog, default_year=None):
    """The arguments of ``lss-rules validate`` as a parser of its own."""
    p = argparse.ArgumentParser(
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


def emit(report, fmt, titles, notes=(), out=None):
    out = out or sys.stdout
    if fmt == "json":
        write_json(report, out)
    else:
        out.write(render_text(report, titles, notes))


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


def run_main(argv, year, prog, report, titles, notes):
    """The command line of a compiled validator: the arguments of ``lss-rules validate``; the exit code."""
    args = argument_parser(prog, default_year=year).parse_args(argv)
    if args.year != year:
        print(f"{prog}: fel: --year {args.year}: den här modulen granskar bara {year}", file=sys.stderr)
        return EXIT_USAGE
    try:
        deceased = read_deceased(args.deceased) if args.deceased else None
        result = report(args.files, deceased, args.show_personnummer, lazy=True)
    except InputError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        emit(result, args.format, titles, notes)
    except BrokenPipeError:
        return exit_code(result, args.strict)
    return exit_code(result, args.strict)
