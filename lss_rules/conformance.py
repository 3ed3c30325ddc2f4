"""The conformance suite for vendors: export test vectors for a year, run a vendor's validator on them.

A *vector* is a folder with submission files (``<kommunkod>.txt``), a
``deceased.txt`` when the vector needs a death-register extract, and
``expected.json``::

    {"year": 2023, "status": "rejected",
     "findings": [{"rule": "LSS-R04", "severity": "error", "file": "0114.txt", "line": 1}]}

The suite folder holds one folder per vector and ``manifest.json`` (year, spec
version, and for every vector its id, the rule it tests, its kind and what it
shows).  Vectors come from the model-derived solver
(:mod:`lss_rules.generators.derive`) and fixed seeds, so the suite is the same
between runs:

- for every rule and check in force: lines that violate it at its boundaries
  (``violation``) and lines one value away that do not (``inside``);
- the file and national rules with several lines and files (a repeat
  personnummer; the same person and insats from two municipalities);
- the file conventions (``format``: CRLF, a byte-order mark, no final line end);
- whole valid registers (``register``).

Every expected report is computed by the reference evaluator
(:mod:`lss_rules.evaluate`) and checked against what the solver intended.

The runner calls ``VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] -- FILE...``
in each vector's folder (file names relative, after ``--`` so that none is read as an option),
and compares the status and the
set of (file, line, rule, severity).  Exit code 0 for an accepted report and 1
for a rejected one are part of the protocol, as for ``lss-rules validate``.

A suite is untrusted input (vendors download it): :func:`load_suite` validates it before
anything in it is used, and :func:`junit_xml` is well-formed whatever a vendor prints.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shlex
import stat
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lss_rules import model as m
from lss_rules import runtime
from lss_rules.errors import DataError, UsageError

SUITE_FORMAT = 1
STATUSES = ("accepted", "accepted_with_warnings", "rejected")
MAX_PER_RULE = 8


@dataclass(frozen=True)
class Vector:
    id: str
    rule: str | None
    kind: str  # violation | inside | register
    tests: str
    files: dict[str, list[str]]
    deceased: dict[str, dt.date] | None = None
    expected: dict[str, Any] = field(default_factory=dict, compare=False)
    raw: dict[str, bytes] | None = None  # the exact bytes of the files, when the form itself is tested

    def file_bytes(self, name: str) -> bytes:
        if self.raw is not None and name in self.raw:
            return self.raw[name]
        return "".join(line + "\n" for line in self.files[name]).encode("utf-8")


# --------------------------------------------------------------------------- the reference answer


def reference_findings(
    ym: m.YearModel, files: Mapping[str, Sequence[str]], deceased: Mapping[str, dt.date] | None
) -> dict[str, Any]:
    """The expected.json of a vector according to a year model (used with mutants in the tests)."""
    from lss_rules.evaluate import Evaluator, rule_table

    names = list(files)
    _, found = Evaluator(ym, deceased).run([list(files[n]) for n in names])
    table = rule_table(ym)
    order = {r: i for i, r in enumerate(table)}
    found = sorted(found, key=lambda f: (f.file, f.line or 0, order[f.rule]))
    out = [{"rule": f.rule, "severity": table[f.rule][0], "file": names[f.file], "line": f.line} for f in found]
    return {"year": ym.year, "status": runtime.status_of(f["severity"] for f in out), "findings": out}


def key_set(report: Mapping[str, Any]) -> set[tuple[Any, Any, Any, Any]]:
    return {(f["file"], f["line"], f["rule"], f["severity"]) for f in report["findings"]}


# --------------------------------------------------------------------------- building the suite


def _describe(
    ym: m.YearModel, base: Mapping[str, str], values: Mapping[str, str], deceased: Mapping[str, dt.date]
) -> str:
    from lss_rules.generators import derive

    pnr = derive.pnr_field(ym)
    parts = []
    for n in ym.field_names:
        if values[n] == base[n] and not (n == pnr and values[n] in deceased):
            continue
        v = values[n]
        if n == pnr and len(v) == 12 and v.isdigit():
            if runtime.valid_personnummer(v, ym.reference_date):
                text = f"{n} {v} (ålder {ym.year - int(v[:4])} räknat per kalenderår)"
            else:
                text = f"{n} {v} (inte ett korrekt personnummer {ym.reference_date})"
            if v in deceased:
                text += f", avliden {deceased[v].isoformat()}"
            parts.append(text)
        else:
            parts.append(f"{n} = {v!r}")
    return ", ".join(parts) or "grundposten"


def build_suite(ym: m.YearModel) -> list[Vector]:
    """Every vector of a year's suite, in a stable order."""
    from lss_rules.generators import derive
    from lss_rules.generators.bulk import build_register

    lines = derive.Lines(ym)
    base = derive.base_record(ym)
    codes = sorted(ym.municipalities)
    home, away = base[next(f.name for f in ym.fields if isinstance(f.type, m.MunicipalityType))], None
    away = next(c for c in codes if c != home)
    out: list[Vector] = []

    def add(
        rule: str | None,
        kind: str,
        tests: str,
        files: dict[str, list[str]],
        deceased: dict | None = None,
        intended: set[tuple[Any, ...]] | None = None,
        raw: dict[str, bytes] | None = None,
    ) -> None:
        n = 1 + sum(1 for v in out if v.rule == rule and v.kind == kind)
        ident = f"{rule or kind}-{kind}-{n:02d}" if rule else f"{kind}-{n:02d}"
        expected = reference_findings(ym, files, deceased)
        if intended is not None and {(f, ln, r) for f, ln, r, _ in key_set(expected)} != intended:
            raise AssertionError(f"{ident}: the evaluator does not give the intended findings")  # pragma: no cover
        out.append(Vector(ident, rule, kind, tests, files, deceased, expected, raw))

    fname = f"{home}.txt"
    for item in ym.active:
        ident = item.id
        if isinstance(item, m.ActiveCheck):
            kind = item.check.kind
            if kind == "field_count":
                other = dict(base)
                other[lines.pnr] = _second_number(lines, base)
                for desc, raw in derive.structural(ym, kind):
                    assert isinstance(raw, str)
                    files = {fname: [lines.text(base), raw, lines.text(other)]}
                    add(ident, "violation", f"rad 2: {desc}", files, intended={(fname, 2, ident)})
                continue
            if kind == "empty_file":
                add(ident, "violation", "en tom fil", {fname: []}, intended={(fname, None, ident)})
                add(ident, "inside", "en fil med en post", {fname: [lines.text(base)]}, intended=set())
                continue
        if isinstance(item, m.ActiveRule) and item.unique is not None:
            _unique_vectors(ym, item, lines, base, home, away, add)
            continue
        if isinstance(item, m.ActiveRule):
            sols = _spread(derive.violations(ym, ident), item.reads)
            reads = item.reads
        else:  # a structural check: one vector per field it can be broken in
            per_field: dict[tuple[str, ...], derive.Solution] = {}
            for s in derive.violations(ym, ident):
                per_field.setdefault(s.changed, s)
            sols, reads = list(per_field.values()), ym.field_names
        exprs = derive.rule_exprs(item)
        inside: list[derive.Solution] = []
        for sol in sols:
            dec = sol.deceased_map or None
            desc = _describe(ym, base, sol.mapping, sol.deceased_map)
            add(ident, "violation", desc, {fname: [lines.text(sol.mapping)]}, dec, intended={(fname, 1, ident)})
            if isinstance(item, m.ActiveRule):
                inside += derive.inside(ym, sol, exprs)
        if isinstance(item, m.ActiveCheck):
            add(ident, "inside", "grundposten (giltig)", {fname: [lines.text(base)]}, intended=set())
        for ins in _spread(inside, reads):
            desc = _describe(ym, base, ins.mapping, ins.deceased_map)
            add(ident, "inside", desc, {fname: [lines.text(ins.mapping)]}, ins.deceased_map or None, intended=set())
    # the file conventions: line ends, byte-order mark, no final line end (all accepted)
    other = dict(base)
    other[lines.pnr] = _second_number(lines, base)
    two = [lines.text(base), lines.text(other)]
    for desc, data in (
        ("CRLF som radslut", "".join(t + "\r\n" for t in two).encode("utf-8")),
        ("UTF-8 med byte-order mark", b"\xef\xbb\xbf" + "".join(t + "\n" for t in two).encode("utf-8")),
        ("ingen radslutstecken efter sista raden", "\n".join(two).encode("utf-8")),
    ):
        add(None, "format", f"filformat: {desc}", {fname: list(two)}, intended=set(), raw={fname: data})
    for seed in (1, 2, 3):
        reg = build_register(ym, persons=40 * seed, seed=seed, municipalities=seed + 1)
        add(
            None,
            "register",
            f"ett giltigt register: {reg.lines} poster i {len(reg.files)} kommuner (frö {seed})",
            reg.files,
            intended=set(),
        )
    return out


def _second_number(lines: Any, base: Mapping[str, str]) -> str:
    p = base[lines.pnr]
    same = lines.pool.by_birth_year[int(p[:4])]
    return next(x for x in same if x != p)


def _signature(sol: Any, reads: Sequence[str]) -> tuple[Any, ...]:
    """What a solution shows about a rule: the values of the fields the rule reads that it changed."""
    return tuple((n, v) for n, v in sol.values if n in sol.changed and n in reads) + tuple(sol.deceased)


def _spread(sols: Sequence[Any], reads: Sequence[str]) -> list[Any]:
    """At most MAX_PER_RULE solutions that show different things (boundary values come first)."""
    picked: list[Any] = []
    seen: set[tuple[Any, ...]] = set()
    for s in sols:
        sig = _signature(s, reads)
        if sig not in seen:
            seen.add(sig)
            picked.append(s)
    return picked[:MAX_PER_RULE]


def _unique_vectors(
    ym: m.YearModel,
    ar: m.ActiveRule,
    lines: Any,
    base: Mapping[str, str],
    home: str,
    away: str,
    add: Callable[..., None],
) -> None:
    from lss_rules.generators import derive

    assert ar.unique is not None
    ident = ar.id
    key = ar.unique.key
    flags = [f.name for f in ym.fields if derive.is_flag(f)]
    kommun = [f.name for f in ym.fields if isinstance(f.type, m.MunicipalityType) and not f.optional]
    other = dict(base)
    other[lines.pnr] = _second_number(lines, base)
    set_flag = next(n for n in flags if base[n] == "1")
    members = ar.unique.each_flag_in.members if ar.unique.each_flag_in is not None else ()
    # the same key with a different insats (valid for the base's age)
    alt = dict(base)
    for n in flags:
        if n == set_flag:
            continue
        alt = dict(base)
        alt[set_flag] = "0"
        alt[n] = "1"
        lines.fix_up(alt)
        if not lines.findings(alt):
            break
    moved = dict(base)
    moved_alt = dict(alt)
    for n in kommun:
        moved[n] = away
        moved_alt[n] = away
    f1, f2 = f"{home}.txt", f"{away}.txt"
    s02 = next((c.id for c in ym.checks if c.check.kind == "value_form"), None)
    quiet = next((n for n in flags if base[n] == "0"), None)
    if ar.unique.each_flag_in is None:  # once per file
        add(
            ident,
            "violation",
            f"samma {key} två gånger i en fil (rad 1 och 3)",
            {f1: [lines.text(base), lines.text(other), lines.text(alt)]},
            intended={(f1, 3, ident)},
        )
        add(
            ident,
            "violation",
            f"samma {key} tre gånger i en fil: fynd på varje förekomst efter den första",
            {f1: [lines.text(base), lines.text(base), lines.text(alt)]},
            intended={(f1, 2, ident), (f1, 3, ident)},
        )
        if s02 is not None and quiet is not None:
            broken = dict(alt)
            broken[quiet] = "2"
            add(
                ident,
                "violation",
                f"samma {key} två gånger i en fil; den andra raden har ett ogiltigt värde i {quiet} "
                f"(deltar ändå, {ident} läser bara {key})",
                {f1: [lines.text(base), lines.text(broken)]},
                intended={(f1, 2, ident), (f1, 2, s02)},
            )
        add(
            ident,
            "inside",
            f"samma {key} i två kommuners filer med olika insatser",
            {f1: [lines.text(base)], f2: [lines.text(moved_alt)]},
            intended=set(),
        )
        return
    shared = [n for n in members if base.get(n) == "1"]
    add(
        ident,
        "violation",
        f"samma {key} och samma insats ({', '.join(shared)}) från två kommuner: båda raderna",
        {f1: [lines.text(other), lines.text(base)], f2: [lines.text(moved)]},
        intended={(f1, 2, ident), (f2, 1, ident)},
    )
    if len(codes := sorted(ym.municipalities)) > 2:
        third = next(c for c in codes if c not in (home, away))
        moved3 = dict(moved)
        for n in kommun:
            moved3[n] = third
        f3 = f"{third}.txt"
        add(
            ident,
            "violation",
            f"samma {key} och insats från tre kommuner",
            {f1: [lines.text(base)], f2: [lines.text(moved)], f3: [lines.text(moved3)]},
            intended={(f1, 1, ident), (f2, 1, ident), (f3, 1, ident)},
        )
    add(
        ident,
        "inside",
        f"samma {key} från två kommuner med olika insatser",
        {f1: [lines.text(base)], f2: [lines.text(moved_alt)]},
        intended=set(),
    )
    if s02 is not None and quiet is not None:
        broken = dict(moved)
        broken[quiet] = "2"
        add(
            ident,
            "inside",
            f"samma {key} och insats från två kommuner, men den ena raden har ett ogiltigt värde i {quiet}: "
            f"den raden deltar inte i {ident}",
            {f1: [lines.text(base)], f2: [lines.text(broken)]},
            intended={(f2, 1, s02)},
        )
    repeat = next((r.id for r in ym.rules if r.unique is not None and r.unique.each_flag_in is None), None)
    add(
        ident,
        "inside",
        f"samma {key} och insats två gånger i samma kommun (inte {ident})",
        {f1: [lines.text(base), lines.text(base)]},
        intended=({(f1, 2, repeat)} if repeat else set()),
    )


def export(ym: m.YearModel, out_dir: Path, *, force: bool = False) -> dict[str, Any]:
    """Write the suite (one folder per vector + manifest.json); returns the manifest.

    ``out_dir`` must be empty or new unless ``force``: then an earlier suite's manifest and
    vector folders are removed first, so no old vector stays beside the new ones.  Nothing
    is written through a symbolic link or outside ``out_dir`` (:mod:`lss_rules.outdir`).
    """
    from lss_rules import outdir

    outdir.prepare(out_dir, force=force, ours=_ours)
    vectors = build_suite(ym)
    manifest: dict[str, Any] = {
        "format": SUITE_FORMAT,
        "year": ym.year,
        "spec_version": ym.spec.digest,
        "reference_date": ym.reference_date.isoformat(),
        "protocol": "VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] -- FILE... (i vektorns mapp)",
        "rules": [a.id for a in ym.active],
        "vectors": [],
    }
    for v in vectors:
        folder = outdir.make_dir(out_dir, v.id)
        for name in v.files:
            outdir.write_file(folder, name, v.file_bytes(name))
        if v.deceased is not None:
            text = "".join(f"{p};{d.isoformat()}\n" for p, d in sorted(v.deceased.items()))
            outdir.write_file(folder, "deceased.txt", text.encode("utf-8"))
        outdir.write_file(folder, "expected.json", _dumps(v.expected))
        manifest["vectors"].append(
            {
                "id": v.id,
                "rule": v.rule,
                "kind": v.kind,
                "tests": v.tests,
                "files": list(v.files),
                "deceased": v.deceased is not None,
            }
        )
    outdir.write_file(out_dir, "manifest.json", _dumps(manifest))
    return manifest


def _ours(path: Path) -> bool:
    """What an earlier export wrote: manifest.json and vector folders (real folders with an expected.json)."""
    if path.name == "manifest.json":
        return not path.is_symlink()
    return path.is_dir() and not path.is_symlink() and (path / "expected.json").is_file()


def _dumps(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- reading a suite


@dataclass(frozen=True)
class SuiteVector:
    id: str
    rule: str | None
    kind: str
    tests: str
    folder: Path
    files: tuple[str, ...]
    deceased: bool
    expected: dict[str, Any]

    def read_files(self) -> dict[str, list[str]]:
        return {n: list(runtime.iter_lines(self.folder / n)) for n in self.files}

    def read_deceased(self) -> dict[str, dt.date] | None:
        return runtime.read_deceased(self.folder / "deceased.txt") if self.deceased else None


#: The most bytes read of a suite's manifest.json and of one expected.json.
MAX_MANIFEST_BYTES = 32 << 20
MAX_EXPECTED_BYTES = 8 << 20


class SuiteError(DataError):
    """A conformance suite that cannot be used: one line naming the file and the problem (exit code 2)."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{runtime.clean_path(str(path))}: {problem}")


def load_suite(suite: Path) -> tuple[dict[str, Any], list[SuiteVector]]:
    """The manifest and the vectors of a suite folder, checked as untrusted input.

    A suite is downloaded, not written by the user: manifest.json and every expected.json
    are validated against the schemas in ``lss_rules/schemas/`` (``suite-manifest``,
    ``suite-expected``); every vector folder and file is a plain name directly inside the
    suite folder, a real folder or regular file there (no symbolic link, device or FIFO);
    the JSON files are read up to a size limit.  Anything else is :class:`SuiteError`.
    """
    if not suite.is_dir():
        if not suite.exists():
            raise SuiteError(
                suite, "ingen konformitetssvit (mappen finns inte); skapa en med `lss-rules conformance export`"
            )
        raise SuiteError(suite, "är ingen mapp; ange mappen från `lss-rules conformance export`")
    root = suite.resolve()
    path = suite / "manifest.json"
    if not os.path.lexists(path):
        raise SuiteError(
            suite, "ingen konformitetssvit (manifest.json saknas); skapa en med `lss-rules conformance export`"
        )
    manifest = _load_json(path, MAX_MANIFEST_BYTES, "suite-manifest")
    vectors = []
    seen: set[str] = set()
    for i, v in enumerate(manifest["vectors"]):
        ident = v["id"]
        if ident in seen:
            raise SuiteError(path, f"vectors[{i}].id: {ident} förekommer två gånger")
        seen.add(ident)
        folder = _inside(root, suite / ident, path, dir_wanted=True)
        for name in v["files"]:
            _inside(root, folder / name, path, dir_wanted=False)
        if v.get("deceased"):
            _inside(root, folder / "deceased.txt", path, dir_wanted=False)
        expected = _load_json(folder / "expected.json", MAX_EXPECTED_BYTES, "suite-expected")
        if expected["year"] != manifest["year"]:
            raise SuiteError(folder / "expected.json", f"year {expected['year']} men sviten gäller {manifest['year']}")
        vectors.append(
            SuiteVector(
                ident,
                v.get("rule"),
                v.get("kind", ""),
                v.get("tests", ""),
                folder,
                tuple(v["files"]),
                bool(v.get("deceased")),
                expected,
            )
        )
    return manifest, vectors


def _inside(root: Path, path: Path, named_in: Path, *, dir_wanted: bool) -> Path:
    """``path`` (a plain name under a folder of ``root``) exists there as a real folder or regular file."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise SuiteError(path, f"saknas (nämns i {named_in.name})") from None
    except OSError as exc:
        raise SuiteError(path, f"kan inte läsas ({exc.strerror})") from None
    if stat.S_ISLNK(st.st_mode):
        raise SuiteError(path, "är en symbolisk länk; en svit får bara innehålla vanliga filer och mappar")
    if dir_wanted and not stat.S_ISDIR(st.st_mode):
        raise SuiteError(path, "ska vara en mapp")
    if not dir_wanted and not stat.S_ISREG(st.st_mode):
        raise SuiteError(path, "ska vara en vanlig fil (inte en mapp, enhet eller FIFO)")
    if root not in path.resolve().parents:  # the schema allows only plain names: this never happens
        raise SuiteError(path, "ligger utanför sviten")  # pragma: no cover
    return path


def read_capped(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file, not following a symbolic link; SuiteError for anything else."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise SuiteError(path, "saknas") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SuiteError(path, "är en symbolisk länk; en svit får bara innehålla vanliga filer") from None
        raise SuiteError(path, f"kan inte läsas ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SuiteError(path, "ska vara en vanlig fil (inte en mapp, enhet eller FIFO)")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise SuiteError(path, f"kan inte läsas ({exc.strerror})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise SuiteError(path, f"är större än {limit >> 20} MiB; en svit har inte så stora filer")
    return b"".join(chunks)


def _load_json(path: Path, limit: int, schema_name: str) -> Any:
    """A suite's JSON file, parsed and valid against ``lss_rules/schemas/<schema_name>.schema.json``."""
    data = read_capped(path, limit)
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SuiteError(path, f"är inte UTF-8 (byte {exc.start})") from None
    except RecursionError:
        raise SuiteError(path, "är för djupt nästlad för att vara en svitfil") from None
    except ValueError as exc:
        raise SuiteError(path, f"är inte JSON ({_one_line(str(exc))})") from None
    try:
        problem = _schema_problem(doc, schema_name)
    except RecursionError:
        raise SuiteError(path, "är för djupt nästlad för att vara en svitfil") from None
    if problem is not None:
        raise SuiteError(path, f"följer inte schemat {schema_name}.schema.json: {problem}")
    return doc


def _schema_problem(doc: Any, name: str) -> str | None:
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator(name).iter_errors(doc))
    if error is None:
        return None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    what = {
        "type": lambda: f"ska vara {_types(error.validator_value)}",
        "required": lambda: _one_line(error.message).replace(" is a required property", " saknas"),
        "pattern": lambda: (
            "är inget enkelt namn (bokstäver, siffror, . _ -; inte / eller ..)"
            if "A-Za-z0-9._-" in str(error.validator_value)
            else f"har fel form (mönster {error.validator_value})"
        ),
        "enum": lambda: "ska vara en av " + ", ".join(map(str, error.validator_value)),
        "const": lambda: f"ska vara {error.validator_value}",
        "uniqueItems": lambda: "har samma värde två gånger",
        "maxItems": lambda: f"har fler än {error.validator_value} element",
        "maxLength": lambda: f"är längre än {error.validator_value} tecken",
        "minimum": lambda: f"ska vara minst {error.validator_value}",
        "maximum": lambda: f"ska vara högst {error.validator_value}",
    }.get(str(error.validator), lambda: _one_line(error.message))()
    return f"{where or '(hela filen)'} {what}"


def _types(value: Any) -> str:
    words = {"object": "ett objekt", "array": "en lista", "string": "en sträng", "integer": "ett heltal"}
    names = [value] if isinstance(value, str) else list(value)
    return " eller ".join(words.get(n, n) for n in names)


def _one_line(text: str, limit: int = 160) -> str:
    text = runtime.printable(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


_VALIDATORS: dict[str, Any] = {}


def _validator(name: str) -> Any:
    import importlib.resources

    import jsonschema

    if name not in _VALIDATORS:
        text = importlib.resources.files("lss_rules.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
        _VALIDATORS[name] = jsonschema.Draft202012Validator(json.loads(text))
    return _VALIDATORS[name]


# --------------------------------------------------------------------------- running a vendor


@dataclass(frozen=True)
class Result:
    vector: SuiteVector
    passed: bool
    reason: str
    seconds: float
    output: str = ""


def compare(expected: Mapping[str, Any], got: Any) -> str | None:
    """None when ``got`` (a parsed report) matches; else why not, in Swedish."""
    problem = contract_problem(got)
    if problem is not None:
        return f"utdata följer inte rapportformatet: {problem}"
    reasons = []
    if got["status"] != expected["status"]:
        reasons.append(f"status {got['status']} men väntat {expected['status']}")
    want, have = key_set(expected), key_set(got)
    missing, extra = sorted(want - have, key=_k), sorted(have - want, key=_k)
    if missing:
        reasons.append("saknade fynd: " + "; ".join(_fmt(f) for f in missing))
    if extra:
        reasons.append("oväntade fynd: " + "; ".join(_fmt(f) for f in extra))
    return ". ".join(reasons) or None


def _k(f: tuple[Any, ...]) -> tuple[str, int, str, str]:
    return (str(f[0]), -1 if f[1] is None else int(f[1]), str(f[2]), str(f[3]))


def _fmt(f: tuple[Any, ...]) -> str:
    where = "hela filen" if f[1] is None else f"rad {f[1]}"
    return f"{f[2]} ({f[3]}) {f[0]} {where}"


def contract_problem(got: Any) -> str | None:
    if not isinstance(got, dict):
        return "inte ett JSON-objekt"
    if got.get("status") not in STATUSES:
        return f"status ska vara en av {', '.join(STATUSES)}"
    findings = got.get("findings")
    if not isinstance(findings, list):
        return "findings ska vara en lista"
    for i, f in enumerate(findings):
        if not isinstance(f, dict):
            return f"findings[{i}] är inte ett objekt"
        for key in ("rule", "severity", "file"):
            if not isinstance(f.get(key), str):
                return f"findings[{i}].{key} saknas eller är inte en sträng"
        if "line" not in f or not (
            f["line"] is None or (isinstance(f["line"], int) and not isinstance(f["line"], bool))
        ):
            return f"findings[{i}].line ska vara ett heltal eller null"
    return None


class VendorCannotStart(DataError):
    """The vendor command cannot be started at all: said once, and the run ends (exit code 2)."""


def vendor_args(vector: SuiteVector, year: int, command: Sequence[str]) -> list[str]:
    """The vendor's command line for a vector: options, then ``--``, then the file names (never options)."""
    args = [*command, "--year", str(year), "--format", "json"]
    if vector.deceased:
        args += ["--deceased", "deceased.txt"]
    return [*args, "--", *vector.files]


def _tail(stderr: str, lines: int = 3, limit: int = 300) -> str:
    """The last lines of a vendor's standard error, on one printable line."""
    last = [runtime.printable(x.strip()) for x in stderr.strip().splitlines()[-lines:] if x.strip()]
    text = " | ".join(last)
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def run_vector(vector: SuiteVector, year: int, command: Sequence[str], timeout: float) -> Result:
    args = vendor_args(vector, year, command)
    start = time.monotonic()
    try:
        proc = subprocess.run(args, cwd=vector.folder, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Result(vector, False, f"tidsgränsen {timeout:g} s överskreds", time.monotonic() - start)
    except OSError as exc:
        raise VendorCannotStart(
            f"kommandot {runtime.printable(command[0])} kunde inte startas: {exc.strerror or exc}"
        ) from None
    seconds = time.monotonic() - start
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")
    output = f"--- standard ut ---\n{stdout[-3000:]}\n--- standard fel ---\n{stderr[-3000:]}"
    tail = _tail(stderr)
    code = f"avslutningskod {proc.returncode}" + (f", standard fel: {tail}" if tail else ", inget på standard fel")
    if proc.returncode not in (0, 1):
        return Result(
            vector,
            False,
            f"kommandot avslutades med kod {proc.returncode}" + (f": {tail}" if tail else ""),
            seconds,
            output,
        )
    try:
        got = json.loads(stdout)
    except (ValueError, RecursionError):
        head = _one_line(stdout.strip().splitlines()[0], 80) if stdout.strip() else "(ingen utdata)"
        return Result(vector, False, f"utdata är inte JSON: {head} ({code})", seconds, output)
    try:
        reason = compare(vector.expected, got)
    except RecursionError:
        reason = "utdata följer inte rapportformatet: för djupt nästlad"
    if reason is None:
        want_rc = 1 if got["status"] == "rejected" else 0
        if proc.returncode != want_rc:
            reason = f"avslutningskod {proc.returncode} men status {got['status']} (väntat kod {want_rc})"
    elif reason.startswith("utdata följer inte"):
        reason += f" ({code})"
    return Result(vector, reason is None, reason or "", seconds, output)


def run_suite(
    suite: Path,
    command: str,
    *,
    timeout: float = 60.0,
    progress: Callable[[Result], None] | None = None,
) -> tuple[dict[str, Any], list[Result]]:
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise UsageError(f"--cmd kan inte delas upp i ord: {exc}") from None
    if not argv:
        raise UsageError("--cmd är tomt")
    # the command runs in each vector's folder: relative paths that exist here are made absolute
    # (absolute, not resolved: a venv's python is a symlink that must stay one)
    argv = [os.path.abspath(a) if ("/" in a or a.startswith(".")) and Path(a).exists() else a for a in argv]
    if timeout <= 0:
        raise UsageError(f"--timeout ska vara större än 0 ({timeout:g})")
    manifest, vectors = load_suite(suite)
    results = []
    for v in vectors:
        r = run_vector(v, int(manifest["year"]), argv, timeout)
        results.append(r)
        if progress is not None:
            progress(r)
    return manifest, results


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids (NUL, ESC, \\v, U+FFFE...) written as ``\\xNN``/``\\uNNNN``."""
    return _NOT_XML.sub(lambda m: ascii(m.group())[1:-1], text)


def junit_xml(manifest: Mapping[str, Any], results: Sequence[Result]) -> bytes:
    """JUnit XML (one testcase per vector) for a CI system; well-formed whatever a vendor printed."""
    failed = sum(1 for r in results if not r.passed)
    suite = ET.Element(
        "testsuite",
        name=f"lss-conformance-{manifest['year']}",
        tests=str(len(results)),
        failures=str(failed),
        errors="0",
        skipped="0",
        time=f"{sum(r.seconds for r in results):.3f}",
    )
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="year", value=str(manifest["year"]))
    ET.SubElement(props, "property", name="spec_version", value=xml_text(str(manifest.get("spec_version", ""))))
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=xml_text(f"lss.{r.vector.rule or 'register'}"),
            name=xml_text(r.vector.id),
            time=f"{r.seconds:.3f}",
        )
        if not r.passed:
            fail = ET.SubElement(case, "failure", message=xml_text(r.reason), type="mismatch")
            fail.text = xml_text(f"{r.vector.tests}\n{r.reason}\n\n{r.output}")
    root = ET.Element("testsuites", tests=str(len(results)), failures=str(failed))
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
