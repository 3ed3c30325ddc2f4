"""The exported suite: stable, covering, and with teeth (a mutation test over the rules' limits)."""

from __future__ import annotations

import hashlib
import json

import mutants  # tests/conformance/mutants.py
import pytest

from lss_rules.tools.conformance import build_suite, export, key_set, reference_findings


def tree_digest(root):
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_export_is_stable(tmp_path, spec, suite_2023):
    again = tmp_path / "again"
    export(spec.for_year(2023), again)
    assert tree_digest(again) == tree_digest(suite_2023)


def test_manifest(suite_2023, spec):
    manifest = json.loads((suite_2023 / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["year"] == 2023
    assert manifest["spec_version"] == spec.digest
    ids = [v["id"] for v in manifest["vectors"]]
    assert len(ids) == len(set(ids))
    for v in manifest["vectors"]:
        folder = suite_2023 / v["id"]
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        assert set(expected) == {"year", "status", "findings"}
        for f in expected["findings"]:
            assert set(f) == {"rule", "severity", "file", "line"}
            assert (folder / f["file"]).exists()
        assert (folder / "deceased.txt").exists() == v["deceased"]
        assert v["tests"]


def test_exported_files_read_back_to_the_same_answer(suite_2023, spec):
    from lss_rules.tools.conformance import load_suite

    _, vectors = load_suite(suite_2023)
    ym = spec.for_year(2023)
    kinds = {v.kind for v in vectors}
    assert {"violation", "inside", "register", "format"} <= kinds
    for v in vectors:
        assert reference_findings(ym, v.read_files(), v.read_deceased()) == v.expected, v.id
    raw = (suite_2023 / "format-01" / "0114.txt").read_bytes()
    assert raw.count(b"\r\n") == 2


@pytest.mark.parametrize("year", [1999, 2003, 2004, 2006, 2007, 2020, 2021, 2022, 2023])
def test_every_applicable_rule_is_covered_at_its_boundaries(year, spec):
    ym = spec.for_year(year)
    vectors = build_suite(ym)
    violated = {v.rule for v in vectors if v.kind == "violation"}
    unbreakable = {"LSS-S04"} if 2004 <= year <= 2006 else set()  # no field can be empty in that layout
    assert violated == {a.id for a in ym.active} - unbreakable
    assert any(v.kind == "register" for v in vectors)
    for v in vectors:
        assert reference_findings(ym, v.files, v.deceased) == v.expected
        rules = {f["rule"] for f in v.expected["findings"]}
        several_lines = v.rule in ("LSS-R07", "LSS-R09")  # shown together with what silences them (or not)
        if v.kind == "violation":
            assert rules == {v.rule} or (several_lines and v.rule in rules), v.id
        elif v.kind in ("inside", "register", "format"):  # an `example` (spec/examples) states its own findings
            assert not rules or (several_lines and v.rule not in rules), v.id
        elif v.kind == "combination":  # the rule among others' findings: unknown values, repeats
            assert v.rule in rules and len(v.files) == 2, v.id
    combined = {v.rule for v in vectors if v.kind == "combination"}
    assert combined == {a.id for a in ym.rules if a.unique is None}


@pytest.mark.parametrize("year", [2001, 2005, 2023])
def test_named_vectors(year, spec):
    """A vector per interpretation the README lists and per counting convention, where the year has the fields."""
    ids = {v.id for v in build_suite(spec.for_year(year))}
    named = {
        "interpretation-trailing-blank-line",
        "interpretation-age-from-first-four-digits",
        "interpretation-file-is-municipality",
        "interpretation-r09-unknown-flag",
        "convention-one-finding-per-rule-and-line",
        "convention-r07-repeats-only",
        "convention-r09-every-line-every-file",
        "convention-s01-nothing-else",
    }
    if year != 2005:  # personkrets
        named.add("interpretation-empty-personkrets-r14")
    if year == 2023:  # hours
        named |= {"interpretation-s02-with-s04", "interpretation-hours-with-flag-0"}
    assert named <= ids


def test_a_repeated_finding_fails_the_comparison():
    from lss_rules.tools.conformance import compare

    f = {"rule": "LSS-S02", "severity": "error", "file": "0114.txt", "line": 1}
    expected = {"status": "rejected", "findings": [f]}
    assert compare(expected, {"status": "rejected", "findings": [f]}) is None
    reason = compare(expected, {"status": "rejected", "findings": [f, dict(f)]})
    assert reason is not None and "mer än en gång" in reason


def test_boundary_values_are_in_the_suite(spec):
    vectors = build_suite(spec.for_year(2023))
    tests = {v.id: v.tests for v in vectors}
    text = "\n".join(f"{k} {t}" for k, t in tests.items())
    for age in (11, 12, 23, 24):
        assert f"ålder {age} " in text
    r21 = [v for v in vectors if v.rule == "LSS-R21"]
    assert any("1489" in v.tests for v in r21 if v.kind == "violation")
    assert any("1488" in v.tests for v in r21 if v.kind == "inside")
    r22 = [v for v in vectors if v.rule == "LSS-R22"]
    assert any("745" in v.tests for v in r22 if v.kind == "violation")
    assert any("744" in v.tests for v in r22 if v.kind == "inside")


def mutation_score(ym, vectors):
    names = mutants.names(ym)
    survivors = []
    for name in names:
        mutant = mutants.apply(ym, name)
        ident = name.split(":")[1]
        for v in sorted(vectors, key=lambda v: v.rule != ident):
            got = reference_findings(mutant, v.files, v.deceased)
            if got["status"] != v.expected["status"] or key_set(got) != key_set(v.expected):
                break
        else:
            survivors.append(name)
    return names, survivors


@pytest.mark.parametrize("year", [1999, 2005, 2010, 2020, 2021, 2023])
def test_mutation_score(year, spec):
    """Every rule removed, and every integer limit (literal or parameter) moved by +1 and -1, fails the suite."""
    ym = spec.for_year(year)
    names, survivors = mutation_score(ym, build_suite(ym))
    # removing LSS-S04 in 2004–2006 changes nothing: no line can break it (an equivalent mutant)
    equivalent = {"remove:LSS-S04"} if 2004 <= year <= 2006 else set()
    assert set(survivors) == equivalent
    killed = len(names) - len(survivors)
    print(f"{year}: mutation score {killed}/{len(names) - len(equivalent)} (100 %), {len(equivalent)} equivalent")


def test_identity_mutant_survives(spec):
    """The harness itself: a mutant that changes nothing passes the suite."""
    ym = spec.for_year(2023)
    same = mutants.apply(ym, "shift:LSS-R04:99:+1")
    for v in build_suite(ym):
        assert reference_findings(same, v.files, v.deceased) == v.expected


def test_the_suite_code_names_no_rule(spec):
    """No rule id of this register in the suite code (docstrings aside), not even as a vector's name
    (``r07``): a second register gets every vector the code makes, named after its own rules (issue 23)."""
    import ast
    import re
    from pathlib import Path

    import lss_rules.tools.conformance as package

    ids = "|".join(re.escape(i) for i in spec.ids) + "|" + "|".join(i.rsplit("-", 1)[-1] for i in spec.ids)
    named = re.compile(rf"(?i)(?<![a-z0-9])({ids})(?![0-9])")
    found = []
    for path in sorted(Path(package.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                found += [(path.name, node.lineno, node.value) for _ in named.finditer(node.value)]
    assert found == []
