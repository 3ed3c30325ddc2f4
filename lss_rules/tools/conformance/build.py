"""Building a year's conformance suite from its model, and writing it out.

Vectors come from the model-derived solver (:mod:`lss_rules.meaning.derive`) and fixed seeds,
so the suite is the same between runs; every expected report is computed by the reference
evaluator (:mod:`lss_rules.meaning.evaluate`) and checked against what the solver intended.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lss_rules.language import model as m
from lss_rules.runtime import python as runtime
from lss_rules.tools.conformance.families import (
    Twins,
    combination_vector,
    describe,
    moved_to,
    second_number,
    structural_vectors,
    unique_vectors,
)
from lss_rules.tools.conformance.suite import key_set

if TYPE_CHECKING:
    from lss_rules.meaning import derive

SUITE_FORMAT = 1
MAX_PER_RULE = 8


@dataclass(frozen=True)
class Vector:
    id: str
    rule: str | None
    kind: str  # violation | inside | combination | convention | interpretation | format | register
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
    from lss_rules.meaning.evaluate import Evaluator, rule_table

    names = list(files)
    _, found = Evaluator(ym, deceased).run([list(files[n]) for n in names])
    table = rule_table(ym)
    order = {r: i for i, r in enumerate(table)}
    found = sorted(found, key=lambda f: (f.file, f.line or 0, order[f.rule]))
    out = [{"rule": f.rule, "severity": table[f.rule][0], "file": names[f.file], "line": f.line} for f in found]
    return {"year": ym.year, "status": runtime.status_of(f["severity"] for f in out), "findings": out}


# --------------------------------------------------------------------------- building the suite


def build_suite(ym: m.YearModel) -> list[Vector]:
    """Every vector of a year's suite, in a stable order."""
    from lss_rules.generators.bulk import build_register
    from lss_rules.meaning import derive

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
        name: str | None = None,
        contains: set[tuple[Any, ...]] | None = None,
    ) -> None:
        n = 1 + sum(1 for v in out if v.rule == rule and v.kind == kind)
        ident = f"{rule or kind}-{kind}-{n:02d}" if rule else f"{kind}-{n:02d}"
        if name is not None:
            ident = f"{kind}-{name}"
        expected = reference_findings(ym, files, deceased)
        got = {(f, ln, r) for f, ln, r, _ in key_set(expected)}
        if intended is not None and got != intended:
            raise AssertionError(f"{ident}: the evaluator does not give the intended findings")  # pragma: no cover
        if contains is not None and not contains <= got:
            raise AssertionError(f"{ident}: the evaluator does not give the intended findings")  # pragma: no cover
        out.append(Vector(ident, rule, kind, tests, files, deceased, expected, raw))

    fname = f"{home}.txt"
    # a violation of every rule and check that one line can break: the company of a combination vector
    others = [(t, sols[0]) for t in derive.record_targets(ym) if (sols := derive.violations(ym, t))]
    for item in ym.active:
        ident = item.id
        if isinstance(item, m.ActiveCheck):
            kind = item.check.kind
            if kind == "field_count":
                other = dict(base)
                other[lines.pnr] = second_number(lines, base)
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
            unique_vectors(ym, item, lines, base, home, away, add)
            continue
        if isinstance(item, m.ActiveCheck):  # one vector per field it can be broken in, every form a line
            structural_vectors(ym, item, lines, base, fname, add)
            add(ident, "inside", "grundposten (giltig)", {fname: [lines.text(base)]}, intended=set())
            continue
        spread = _spread(derive.violations(ym, ident), item.reads)
        reads = item.reads
        exprs = derive.rule_exprs(item)
        inside: list[derive.Solution] = []
        for sol in spread:
            dec = sol.deceased_map or None
            desc = describe(ym, base, sol.mapping, sol.deceased_map)
            add(ident, "violation", desc, {fname: [lines.text(sol.mapping)]}, dec, intended={(fname, 1, ident)})
            inside += derive.inside(ym, sol, exprs)
        insides = _spread(inside, reads)
        for ins in insides:
            desc = describe(ym, base, ins.mapping, ins.deceased_map)
            add(ident, "inside", desc, {fname: [lines.text(ins.mapping)]}, ins.deceased_map or None, intended=set())
        combination_vector(ym, item, lines, base, home, away, spread, insides, others, add)
    from lss_rules.tools.examples import Case, example_cases  # the spec's worked examples of the year

    def case(c: Case) -> Vector:
        return Vector(c.id, c.rule, c.kind, c.tests, c.files, c.deceased, reference_findings(ym, c.files, c.deceased))

    cases = example_cases(ym)
    # the interpretations and counting conventions of the register: worked examples that name their vector
    out += [case(c) for c in cases if c.kind != "example"]
    # the file conventions: line ends, byte-order mark, no final line end (all accepted), one file each
    twins = Twins(lines)
    forms: dict[str, list[str]] = {}
    raws: dict[str, bytes] = {}
    notes = []
    for code, (desc, encode) in zip(
        codes,
        (
            ("CRLF som radslut", lambda t: "".join(x + "\r\n" for x in t).encode("utf-8")),
            ("UTF-8 med byte-order mark", lambda t: b"\xef\xbb\xbf" + "".join(x + "\n" for x in t).encode("utf-8")),
            ("ingen radslutstecken efter sista raden", lambda t: "\n".join(t).encode("utf-8")),
        ),
        strict=False,
    ):
        two = []
        for _ in range(2):
            values = moved_to(ym, base, code)
            values[lines.pnr] = twins.fresh(base[lines.pnr])
            two.append(lines.text(values))
        forms[f"{code}.txt"] = two
        raws[f"{code}.txt"] = encode(two)
        notes.append(f"{code}.txt: {desc}")
    add(None, "format", "filformat: " + "; ".join(notes), forms, intended=set(), raw=raws)
    reg = build_register(ym, persons=120, seed=3, municipalities=4)
    add(
        None,
        "register",
        f"ett giltigt register: {reg.lines} poster i {len(reg.files)} kommuner (frö 3)",
        reg.files,
        intended=set(),
    )
    out += [case(c) for c in cases if c.kind == "example"]
    return out


def _signature(sol: Any, reads: Sequence[str]) -> tuple[Any, ...]:
    """What a solution shows about a rule: the values of the fields the rule reads that it changed."""
    return tuple((n, v) for n, v in sol.values if n in sol.changed and n in reads) + tuple(sol.deceased)


def _spread(sols: Sequence[derive.Solution], reads: Sequence[str]) -> list[derive.Solution]:
    """At most MAX_PER_RULE solutions that show different things (boundary values come first)."""
    picked: list[derive.Solution] = []
    seen: set[tuple[Any, ...]] = set()
    for s in sols:
        sig = _signature(s, reads)
        if sig not in seen:
            seen.add(sig)
            picked.append(s)
    return picked[:MAX_PER_RULE]


def export(ym: m.YearModel, out_dir: Path, *, force: bool = False) -> dict[str, Any]:
    """Write the suite (one folder per vector + manifest.json); returns the manifest.

    ``out_dir`` must be empty or new unless ``force``: then it must hold only what an earlier
    export recorded there, which is removed first, so no old vector stays beside the new ones.
    Nothing is written through a symbolic link or outside ``out_dir`` (:mod:`lss_rules.outdir`).
    """
    from lss_rules import outdir

    manifest: dict[str, Any] = {}
    outdir.write_tree(out_dir, "conformance export", lambda: _suite_files(ym, manifest), force=force)
    return manifest


def _suite_files(ym: m.YearModel, manifest: dict[str, Any]) -> dict[str, bytes]:
    """Every file of the suite (``VECTOR/NAME`` and ``manifest.json``); fills in ``manifest``."""
    vectors = build_suite(ym)
    files: dict[str, bytes] = {}
    manifest |= {
        "format": SUITE_FORMAT,
        "year": ym.year,
        "spec_version": ym.spec.digest,
        "reference_date": ym.reference_date.isoformat(),
        "protocol": "VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] -- FILE... (i vektorns mapp)",
        "rules": [a.id for a in ym.active],
        "vectors": [],
    }
    for v in vectors:
        for name in v.files:
            files[f"{v.id}/{name}"] = v.file_bytes(name)
        if v.deceased is not None:
            text = "".join(f"{p};{d.isoformat()}\n" for p, d in sorted(v.deceased.items()))
            files[f"{v.id}/deceased.txt"] = text.encode("utf-8")
        files[f"{v.id}/expected.json"] = _dumps(v.expected)
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
    files["manifest.json"] = _dumps(manifest)
    return files


def _dumps(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def suite_files(ym: m.YearModel) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The suite's manifest and every file of it (``VECTOR/NAME`` -> bytes), without writing them
    (``lss-rules release`` packs them into the year's kit)."""
    manifest: dict[str, Any] = {}
    files = _suite_files(ym, manifest)
    return manifest, files
