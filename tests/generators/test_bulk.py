"""The fast register builder: valid, realistic, deterministic, and honest about its expected report."""

from __future__ import annotations

import collections
import hashlib

import pytest

from lss_rules.errors import UsageError
from lss_rules.generators import build_register, write_register
from lss_rules.meaning.evaluate import Evaluator, not_checked, rule_table
from lss_rules.meaning.expected import detail_table
from lss_rules.outdir import RECORD
from lss_rules.runtime import python as runtime


def evaluator_report(ym, reg):
    names = list(reg.files)
    records, found = Evaluator(ym, None).run([reg.files[n] for n in names])
    raw = [(f.rule, f.file, f.line, f.fields, f.personnummer) for f in found]
    lines_of = [reg.files[n] for n in names].__getitem__
    table = detail_table(ym)  # the findings' details (issue 12) come from the same lines
    return runtime.build_report(
        ym.year, names, records, raw, rule_table(ym), not_checked(ym, None), details=table, lines_of=lines_of
    )


@pytest.mark.parametrize("year", [1999, 2003, 2004, 2006, 2007, 2019, 2020, 2021, 2022, 2023])
def test_valid_register_is_accepted_by_the_reference_evaluator(year, year_model):
    ym = year_model(year)
    reg = build_register(ym, persons=400, seed=year, municipalities=4)
    assert reg.expected["status"] == "accepted"
    assert reg.expected["findings"] == []
    assert evaluator_report(ym, reg) == reg.expected
    width = len(ym.field_names)
    assert all(line.count(";") == width - 1 for lines in reg.files.values() for line in lines)


@pytest.mark.parametrize("year", [1999, 2005, 2010, 2020, 2023])
@pytest.mark.parametrize("seed", [1, 2])
def test_errors_are_exactly_the_expected_findings(year, seed, year_model):
    ym = year_model(year)
    reg = build_register(ym, persons=600, seed=seed, municipalities=3, error_rate=0.15)
    assert evaluator_report(ym, reg) == reg.expected
    findings = reg.expected["findings"]
    # about that share of records, one finding each
    per_line = collections.Counter((f["file"], f["line"]) for f in findings)
    assert max(per_line.values()) == 1
    assert 0.10 * reg.lines <= len(findings) <= 0.20 * reg.lines
    # spread over the year's rules, file and national rules and structural checks included
    rules = {f["rule"] for f in findings}
    assert {"LSS-R07", "LSS-R09", "LSS-S01", "LSS-S02", "LSS-S03"} <= rules
    assert len(rules) >= len([a for a in ym.active if a.id not in ("LSS-R02", "LSS-S05")]) - 2


def test_deterministic_byte_identical(tmp_path):
    a = write_register(2023, tmp_path / "a", persons=500, seed=42, municipalities=5, error_rate=0.05)
    b = write_register(2023, tmp_path / "b", persons=500, seed=42, municipalities=5, error_rate=0.05)
    assert a.files == b.files

    def digest(d):
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}

    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [RECORD, *sorted(a.files), "expected.json"]
    c = build_register(2023, persons=500, seed=43, municipalities=5)
    assert c.files != a.files


def test_only_test_numbers(test_numbers, year_model):
    ym = year_model(2023)
    reg = build_register(ym, persons=3000, seed=5, municipalities=6, error_rate=0.1)
    at = ym.index("personnummer")
    for lines in reg.files.values():
        for line in lines:
            parts = line.split(";")
            if len(parts) == len(ym.field_names) and len(parts[at]) == 12 and parts[at].isdigit():
                assert parts[at] in test_numbers


def test_looks_like_the_national_distribution(year_model):
    ym = year_model(2023)
    reg = build_register(ym, persons=8000, seed=9, municipalities=8)
    names = ym.field_names
    counts = collections.Counter()
    persons = set()
    ages = collections.defaultdict(list)
    for lines in reg.files.values():
        for line in lines:
            v = dict(zip(names, line.split(";"), strict=True))
            persons.add(v["personnummer"])
            for n in (f.name for f in ym.fields if f.type.__class__.__name__ == "FlagType"):
                if v.get(n) == "1":
                    counts[n] += 1
                    ages[n].append(2023 - int(v["personnummer"][:4]))
    total = sum(counts.values())
    assert 1.3 <= total / len(persons) <= 1.8  # about 1.5 insatser per person
    assert counts.most_common(1)[0][0] == "daglig_verksamhet"
    assert counts["daglig_verksamhet"] > counts["kontaktperson"] > counts["personlig_assistans"]
    assert all(12 <= a <= 23 for a in ages["korttidstillsyn"])
    assert all(16 <= a <= 70 for a in ages["daglig_verksamhet"])
    inside = sum(20 <= a <= 65 for a in ages["daglig_verksamhet"]) / len(ages["daglig_verksamhet"])
    assert inside > 0.9
    assert all(a <= 25 for a in ages["bostad_barn"] + ages["familjehem"])


def test_a_person_in_two_municipalities_has_different_insatser(year_model):
    ym = year_model(2023)
    reg = build_register(ym, persons=2000, seed=3, municipalities=5)
    seen = collections.defaultdict(list)
    for name, lines in reg.files.items():
        for line in lines:
            v = line.split(";")
            seen[v[1]].append((name, v))
    twice = [rows for rows in seen.values() if len(rows) > 1]
    assert twice, "some persons should be reported by two municipalities"
    flags = [3, 5, 7, 8, 10, 12, 13, 14, 15, 16, 18]
    for rows in twice:
        assert rows[0][0] != rows[1][0]
        assert not any(rows[0][1][i] == "1" and rows[1][1][i] == "1" for i in flags)


def test_benchmark_size_lines():
    reg = build_register(2023, persons=40_000, seed=1, shared=1.0, allow_distortion=True)
    assert reg.lines == 80_000


def test_errors_when_every_person_is_in_two_municipalities(year_model):
    ym = year_model(2023)
    reg = build_register(ym, persons=1500, seed=8, municipalities=4, shared=1.0, error_rate=0.1)
    assert evaluator_report(ym, reg) == reg.expected
    assert len(reg.expected["findings"]) >= 0.08 * reg.lines


def test_pool_is_never_exceeded():
    with pytest.raises(UsageError, match="testlistor"):
        build_register(2023, persons=60_000, seed=1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"persons": -1, "seed": 1},
        {"persons": 10, "seed": 1, "municipalities": 0},
        {"persons": 10, "seed": 1, "error_rate": 1.5},
        {"persons": 10, "seed": "x"},
    ],
)
def test_bad_arguments(kwargs):
    with pytest.raises(UsageError):
        build_register(2023, **kwargs)


def test_year_before_the_register():
    with pytest.raises(UsageError, match="1999"):
        build_register(1998, persons=1, seed=1)
