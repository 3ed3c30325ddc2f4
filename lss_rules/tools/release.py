"""A year's kit for vendors (``lss-rules release --year Y -o DIR``), and checking one (``--verify DIR``).

The kit is what Socialstyrelsen publishes of a year's rules, dated, versioned and checksummed:

- ``svit-Y.zip``: the conformance suite (the folder ``svit-Y/`` that ``conformance export`` writes);
- the JSON Schema of a record, the standalone Python module and the JavaScript module (the backends'
  own file names);
- ``REG-regler-Y.pdf``: the year's document;
- ``ÄNDRINGAR.md`` and ``changes.json``: what changed from the year before and whether it breaks a
  vendor's program (:mod:`lss_rules.meaning.diff`);
- ``manifest.json``: the year, the spec's digest, the lss-rules and language versions, the publication
  date, the date the rules apply from, every other file with its sha256;
- ``SHA256SUMS``: ``sha256  name`` for every file, as ``sha256sum -c`` reads it.

Reproducible: every date comes from ``SOURCE_DATE_EPOCH`` when set (the publication date, the zip's
timestamps, the PDF's), the zip's entries are sorted with fixed modes, so two runs give the same bytes.

:func:`verify` reads a kit as untrusted input (it is downloaded): nothing is followed (a link is a
problem, not a file), nothing is unpacked (the zip's entry names are read and checked: no ``..``, no
absolute name, no link), and the first problem is one Swedish line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lss_rules.errors import DataError, UsageError
from lss_rules.language import model as m
from lss_rules.runtime.python import printable

#: The first key of a kit's manifest.json: what it is.
KIT_FORMAT = "lss-rules årsutgåva 1"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
CHANGES_MD = "ÄNDRINGAR.md"
CHANGES_JSON = "changes.json"
#: The record :mod:`lss_rules.outdir` writes beside a command's output (for ``--force``); not part of the kit.
RECORD = ".lss-rules-utdata.json"
#: The largest kit file read when verifying (a year's suite zip is a few MiB).
MAX_FILE = 256 << 20
_SUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](\S+)")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


class KitError(DataError):
    """A kit that does not match its sums or manifest: one Swedish line (exit 1)."""

    exit_code = 1


# ----------------------------------------------------------------- building


def publication_date() -> dt.date:
    """``SOURCE_DATE_EPOCH`` as a date (UTC) when set, else today (as the PDF's title page)."""
    from lss_rules.backends.pdf import build_date

    return build_date()


def kit_files(
    spec: m.Spec, year: int, *, published: dt.date, source: Mapping[str, Any] | None = None
) -> dict[str, bytes]:
    """Every file of the year's kit, name -> bytes (SHA256SUMS last, over all the others).

    ``source`` is the spec's ``{"path", "digest"}`` as every report gives it (changes.json carries it as
    ``spec``, like ``diff --format json``); by default the spec's digest and no path (the installed spec).
    """
    from lss_rules.backends.pdf import year_pdf

    if year < spec.first_year:
        raise UsageError(f"registret börjar {spec.first_year}; {year} finns inte")
    ym = spec.for_year(year)
    files: dict[str, bytes] = {}
    files[f"svit-{year}.zip"] = suite_zip(ym, published)
    files.update(_modules(ym))
    files[f"{spec.register.name}-regler-{year}.pdf"] = year_pdf(spec, year, built=published)
    changes_md, changes_json, breaking = _changes(spec, year, source or {"path": None, "digest": spec.digest})
    files[CHANGES_MD] = changes_md.encode("utf-8")
    files[CHANGES_JSON] = _dumps(changes_json)
    files[MANIFEST] = _dumps(manifest(spec, year, published, files, breaking))
    files[SUMS] = "".join(f"{_sha256(files[n])}  {n}\n" for n in sorted(files)).encode("utf-8")
    return files


def suite_zip(ym: m.YearModel, published: dt.date) -> bytes:
    """The conformance suite as a zip of the folder ``svit-Y/``: sorted entries, the publication date as
    every entry's time, mode 0644, so the same suite is the same bytes."""
    from lss_rules.tools.conformance.build import suite_files

    _, files = suite_files(ym)
    root = f"svit-{ym.year}"
    when = (max(published.year, 1980), published.month, published.day, 0, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode below is read as one
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            z.writestr(info, files[name], compresslevel=9)
    return buf.getvalue()


def _modules(ym: m.YearModel) -> dict[str, bytes]:
    """The JSON Schema, the standalone Python module and the JavaScript module, under the backends' names."""
    from lss_rules.backends.registry import BACKENDS

    out: dict[str, bytes] = {}
    for backend in ("jsonschema", "python-standalone", "javascript"):
        for name, text in BACKENDS[backend](ym).files:
            out[name] = text.encode("utf-8")
    return out


def _changes(spec: m.Spec, year: int, source: Mapping[str, Any]) -> tuple[str, dict[str, Any], bool]:
    """ÄNDRINGAR.md, changes.json and whether anything breaks, against the year before."""
    from lss_rules.meaning.diff import diff_years, to_json
    from lss_rules.meaning.release_notes import render_markdown

    if year == spec.first_year:
        text = f"# Ändringar {year}\n\n{year} är registrets första år: det finns inget år före att jämföra med.\n"
        return text, {"from": None, "to": year, "first_year": True, "breaking": False}, False
    d = diff_years(spec, year - 1, year)
    return render_markdown(d), {**to_json(d), "spec": dict(source)}, bool(d.breaking)


def manifest(spec: m.Spec, year: int, published: dt.date, files: Mapping[str, bytes], breaking: bool) -> dict[str, Any]:
    from lss_rules.language.syntax import LANGUAGE
    from lss_rules.language.versions import package_version
    from lss_rules.runtime.python import TRACE_CONTRACT

    ym = spec.for_year(year)
    return {
        "format": KIT_FORMAT,
        "register": spec.register.name,
        "year": year,
        "spec_digest": spec.digest,
        "lss_rules_version": package_version(),
        "language_version": LANGUAGE,
        # the report contract the kit's validators follow (README, report.schema.json's x-lss-contract)
        "report_contract": TRACE_CONTRACT,
        "requires_lss_rules": spec.register.requires_lss_rules,
        "published": published.isoformat(),
        # the year's rules judge the collection whose reference date (mätdatum) is this
        "applies_from": ym.reference_date.isoformat(),
        "deadline": ym.deadline.isoformat(),
        "rules_unchanged_since": unchanged_since(spec, year),
        "previous_year": year - 1 if year > spec.first_year else None,
        "breaking_changes": breaking,
        "files": {n: _sha256(files[n]) for n in sorted(files)},
    }


def unchanged_since(spec: m.Spec, year: int) -> int:
    """The first year from which the rules, layout and codes are the same as ``year``'s."""
    from lss_rules.meaning.diff import diff_years

    y = year
    while y > spec.first_year and diff_years(spec, y - 1, y).empty:
        y -= 1
    return y


def _dumps(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ----------------------------------------------------------------- verifying


def verify(folder: Path) -> dict[str, Any]:
    """Check a kit against its SHA256SUMS and manifest; its manifest, or KitError (one Swedish line).

    UsageError (exit 2) when the folder cannot be read at all.
    """
    shown = printable(str(folder))
    try:
        fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError as exc:
        from lss_rules.runtime.python import os_error_text

        raise UsageError(f"{shown}: kan inte läsas som en mapp ({os_error_text(exc)})") from None
    try:
        return _verify(fd, shown)
    finally:
        os.close(fd)


def _verify(fd: int, shown: str) -> dict[str, Any]:
    sums = _sums(fd, shown)
    entries = sorted(os.listdir(fd))
    for name in entries:
        if name not in sums and name not in (SUMS, RECORD):
            raise KitError(f"{shown}: {printable(name)} hör inte till årsutgåvan (står inte i {SUMS})")
    for name, digest in sums.items():
        data = _read(fd, name, shown)
        if _sha256(data) != digest:
            raise KitError(f"{shown}: {printable(name)} har ändrats (sha256 stämmer inte med {SUMS})")
    doc = _manifest(fd, shown, sums)
    zips = [n for n in sums if n.endswith(".zip")]
    for name in zips:
        check_zip(_read(fd, name, shown), f"{shown}/{printable(name)}")
    return doc


def _sums(fd: int, shown: str) -> dict[str, str]:
    data = _read(fd, SUMS, shown)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise KitError(f"{shown}: {SUMS} är inte UTF-8") from None
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        found = _SUM_LINE.fullmatch(line)
        if found is None or not _plain(found.group(2)) or found.group(2) in (SUMS, RECORD):
            raise KitError(f"{shown}: {SUMS} rad {number} är inte `sha256  filnamn` med ett enkelt filnamn")
        if found.group(2) in sums:
            raise KitError(f"{shown}: {SUMS} nämner {printable(found.group(2))} två gånger")
        sums[found.group(2)] = found.group(1)
    if MANIFEST not in sums:
        raise KitError(f"{shown}: {SUMS} nämner inte {MANIFEST}")
    return sums


def _manifest(fd: int, shown: str, sums: Mapping[str, str]) -> dict[str, Any]:
    try:
        doc = json.loads(_read(fd, MANIFEST, shown).decode("utf-8"))
    except (ValueError, RecursionError):
        raise KitError(f"{shown}: {MANIFEST} är inte JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != KIT_FORMAT or not isinstance(doc.get("files"), dict):
        raise KitError(f"{shown}: {MANIFEST} är inget manifest för en årsutgåva av lss-rules ({KIT_FORMAT})")
    listed = doc["files"]
    expected = {n: d for n, d in sums.items() if n not in (MANIFEST,)}
    for name in sorted(set(listed) | set(expected)):
        if listed.get(name) != expected.get(name):
            raise KitError(f"{shown}: {MANIFEST} och {SUMS} är inte överens om {printable(str(name))}")
    if not isinstance(doc.get("year"), int):
        raise KitError(f"{shown}: {MANIFEST} anger inget år")
    return doc


def check_zip(data: bytes, shown: str) -> None:
    """A zip whose every entry is a plain file or folder under one relative path: no ``..``, no absolute
    name, no link, no device; read by name only, never unpacked.  KitError otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            bad = z.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise KitError(f"{shown}: är ingen läsbar zip-fil") from None
    if bad is not None:
        raise KitError(f"{shown}: {printable(bad)} i zip-filen är skadad (CRC stämmer inte)")
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if name in seen:  # which of the two an unpacker keeps is its own choice
            raise KitError(f"{shown}: {printable(name)} står två gånger i zip-filen")
        seen.add(name)
        parts = name.rstrip("/").split("/")
        if name.startswith("/") or "\\" in name or ":" in name or any(p in ("", ".", "..") for p in parts):
            raise KitError(f"{shown}: {printable(name)} i zip-filen pekar utanför sviten (absolut namn eller ..)")
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0: no type given (Python's own zips), a file
        if info.create_system == 3 and kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise KitError(f"{shown}: {printable(name)} i zip-filen är en länk eller en specialfil, ingen vanlig fil")


def _plain(name: str) -> bool:
    from lss_rules.outdir import is_plain

    return is_plain(name)


def _read(fd: int, name: str, shown: str) -> bytes:
    """The bytes of the regular file ``name`` in the kit (a link is not followed: KitError)."""
    try:
        f = os.open(name, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC, dir_fd=fd)
    except FileNotFoundError:
        raise KitError(f"{shown}: {printable(name)} saknas") from None
    except OSError:
        raise KitError(f"{shown}: {printable(name)} är ingen vanlig fil (en länk?) och läses inte") from None
    try:
        st = os.fstat(f)
        if not stat.S_ISREG(st.st_mode):
            raise KitError(f"{shown}: {printable(name)} är ingen vanlig fil")
        if st.st_size > MAX_FILE:
            raise KitError(f"{shown}: {printable(name)} är större än {MAX_FILE >> 20} MiB")
        with os.fdopen(os.dup(f), "rb") as handle:
            return handle.read(MAX_FILE + 1)
    finally:
        os.close(f)
