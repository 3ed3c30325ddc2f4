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

The runner calls ``VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] FILE...``
in each vector's folder (file names relative), and compares the status and the
set of (file, line, rule, severity).  Exit code 0 for an accepted report and 1
for a rejected one are part of the protocol, as for ``lss-rules validate``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
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
    from lss_rules.examples import example_vectors  # the spec's worked examples of the year, named

    out += example_vectors(ym)
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


def export(ym: m.YearModel, out_dir: Path) -> dict[str, Any]:
    """Write the suite (one folder per vector + manifest.json); returns the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    vectors = build_suite(ym)
    manifest: dict[str, Any] = {
        "format": SUITE_FORMAT,
        "year": ym.year,
        "spec_version": ym.spec.digest,
        "reference_date": ym.reference_date.isoformat(),
        "protocol": "VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] FILE... (i vektorns mapp)",
        "rules": [a.id for a in ym.active],
        "vectors": [],
    }
    for v in vectors:
        folder = out_dir / v.id
        folder.mkdir(parents=True, exist_ok=True)
        for name in v.files:
            (folder / name).write_bytes(v.file_bytes(name))
        if v.deceased is not None:
            text = "".join(f"{p};{d.isoformat()}\n" for p, d in sorted(v.deceased.items()))
            (folder / "deceased.txt").write_bytes(text.encode("utf-8"))
        (folder / "expected.json").write_bytes(_dumps(v.expected))
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
    (out_dir / "manifest.json").write_bytes(_dumps(manifest))
    return manifest


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


def load_suite(suite: Path) -> tuple[dict[str, Any], list[SuiteVector]]:
    path = suite / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        vectors = []
        for v in manifest["vectors"]:
            folder = suite / v["id"]
            expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
            vectors.append(
                SuiteVector(
                    v["id"],
                    v.get("rule"),
                    v.get("kind", ""),
                    v.get("tests", ""),
                    folder,
                    tuple(v["files"]),
                    bool(v.get("deceased")),
                    expected,
                )
            )
        int(manifest["year"])
    except FileNotFoundError as exc:
        raise DataError(
            f"{suite}: ingen konformitetssvit ({exc.filename} saknas); skapa en med `lss-rules conformance export`"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: inte en konformitetssvit ({exc})") from None
    return manifest, vectors


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


def run_vector(vector: SuiteVector, year: int, command: Sequence[str], timeout: float) -> Result:
    args = [*command, "--year", str(year), "--format", "json"]
    if vector.deceased:
        args += ["--deceased", "deceased.txt"]
    args += list(vector.files)
    start = time.monotonic()
    try:
        proc = subprocess.run(args, cwd=vector.folder, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Result(vector, False, f"tidsgränsen {timeout:g} s överskreds", time.monotonic() - start)
    except OSError as exc:
        return Result(vector, False, f"kommandot kunde inte startas: {exc.strerror or exc}", time.monotonic() - start)
    seconds = time.monotonic() - start
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace").strip()
    if proc.returncode not in (0, 1):
        tail = stderr.splitlines()[-1] if stderr else ""
        return Result(
            vector,
            False,
            f"kommandot avslutades med kod {proc.returncode}" + (f": {tail}" if tail else ""),
            seconds,
            stdout + stderr,
        )
    try:
        got = json.loads(stdout)
    except ValueError:
        head = stdout.strip().splitlines()[0][:80] if stdout.strip() else "(ingen utdata)"
        return Result(vector, False, f"utdata är inte JSON: {head}", seconds, stdout + stderr)
    reason = compare(vector.expected, got)
    if reason is None:
        want_rc = 1 if got["status"] == "rejected" else 0
        if proc.returncode != want_rc:
            reason = f"avslutningskod {proc.returncode} men status {got['status']} (väntat kod {want_rc})"
    return Result(vector, reason is None, reason or "", seconds, stdout + stderr)


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


def junit_xml(manifest: Mapping[str, Any], results: Sequence[Result]) -> bytes:
    """JUnit XML (one testcase per vector) for a CI system."""
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
    ET.SubElement(props, "property", name="spec_version", value=str(manifest.get("spec_version", "")))
    for r in results:
        case = ET.SubElement(
            suite, "testcase", classname=f"lss.{r.vector.rule or 'register'}", name=r.vector.id, time=f"{r.seconds:.3f}"
        )
        if not r.passed:
            fail = ET.SubElement(case, "failure", message=r.reason, type="mismatch")
            fail.text = f"{r.vector.tests}\n{r.reason}\n\n{r.output[-4000:]}"
    root = ET.Element("testsuites", tests=str(len(results)), failures=str(failed))
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
