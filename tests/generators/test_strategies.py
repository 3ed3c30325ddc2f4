"""The Hypothesis strategies: valid data is accepted, invalid data draws exactly its findings."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.errors import UsageError
from lss_rules.generators import invalid_files, invalid_records, records, registers
from lss_rules.generators.strategies import InvalidArgument

FEW = settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
MANY = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
YEARS = [1999, 2004, 2010, 2020, 2021, 2023]


def applicable(spec, year, *, line_only=False):
    ym = spec.for_year(year)
    out = []
    for a in ym.active:
        if line_only and (a.id == "LSS-S05" or getattr(a, "unique", None) is not None):
            continue
        out.append(a.id)
    return out


def exactly(strategy, rule, year, reference):
    @FEW
    @given(strategy)
    def check(drawn):
        assert {f["rule"] for f in drawn.findings} == {rule}
        assert reference(year, drawn.files, drawn.deceased) == drawn.expected

    check()


def test_facade():
    import lss_rules.generators as g

    assert set(g.__all__) >= {"records", "registers", "invalid_records", "invalid_files", "build_register"}
    for name in g.__all__:
        assert getattr(g, name) is not None


@pytest.mark.parametrize("year", YEARS)
def test_records_are_valid(year, reference, test_numbers):
    @FEW
    @given(records(year))
    def check(drawn):
        assert drawn.findings == ()
        assert reference(year, drawn.files) == drawn.expected
        assert drawn.line.split(";")[1] in test_numbers

    check()


@pytest.mark.parametrize("year", YEARS)
def test_registers_are_valid(year, reference, test_numbers):
    @FEW
    @given(registers(year, min_size=3, max_size=12, municipalities=3))
    def check(drawn):
        assert len(drawn.files) == 3
        assert all(drawn.files.values())
        assert reference(year, drawn.files) == drawn.expected == {"year": year, "status": "accepted", "findings": []}
        assert {line.split(";")[1] for line in drawn.lines} <= test_numbers

    check()


@pytest.mark.parametrize("year", [1999, 2005, 2015, 2023])
def test_every_record_rule_has_invalid_records(year, spec, reference):
    for rule in applicable(spec, year, line_only=True):
        if year == 2005 and rule == "LSS-S04":  # nothing can be empty in the 2004–2006 layout
            with pytest.raises(InvalidArgument, match="kan inte brytas"):
                invalid_records(year, violating=rule)
            continue

        exactly(invalid_records(year, violating=rule), rule, year, reference)


@pytest.mark.parametrize("year", [1999, 2005, 2015, 2023])
def test_every_rule_has_invalid_files(year, spec, reference):
    for rule in applicable(spec, year):
        if year == 2005 and rule == "LSS-S04":
            continue

        exactly(invalid_files(year, violating=rule, municipalities=2, min_size=2, max_size=6), rule, year, reference)


def test_file_and_national_counting(reference):
    @FEW
    @given(invalid_files(2023, violating="LSS-R09", municipalities=3, min_size=3))
    def national(drawn):
        assert len(drawn.findings) == 2  # both lines
        assert len({f["file"] for f in drawn.findings}) == 2

    @FEW
    @given(invalid_files(2023, violating="LSS-R07"))
    def repeat(drawn):
        assert len(drawn.findings) == 1  # the repeat only

    @FEW
    @given(invalid_files(2023, violating="LSS-R02"))
    def deceased(drawn):
        assert drawn.deceased

    national()
    repeat()
    deceased()


@pytest.mark.long
@pytest.mark.parametrize("year", [1999, 2003, 2004, 2007, 2020, 2021, 2022, 2023, 2025])
def test_many_examples(year, spec, reference):
    @MANY
    @given(st.data())
    def check(data):
        rule = data.draw(st.sampled_from(applicable(spec, year)))
        if year in (2004, 2005, 2006) and rule == "LSS-S04":
            return
        drawn = data.draw(invalid_files(year, violating=rule, municipalities=2, max_size=10))
        assert reference(year, drawn.files, drawn.deceased) == drawn.expected
        valid = data.draw(registers(year, max_size=15))
        assert reference(year, valid.files) == valid.expected

    check()


@pytest.mark.parametrize(
    "make",
    [
        lambda: records(1998),
        lambda: records("2023"),
        lambda: records(2023, municipality="9999"),
        lambda: registers(2023, min_size=-1),
        lambda: registers(2023, min_size=5, max_size=2),
        lambda: registers(2023, min_size=1, municipalities=3),
        lambda: invalid_records(2023, violating="LSS-R99"),
        lambda: invalid_records(2023, violating="LSS-R17"),  # a warning only 2007–2020
        lambda: invalid_records(2003, violating="LSS-R13"),
        lambda: invalid_records(2023, violating="LSS-R07"),  # needs several lines
        lambda: invalid_records(2023, violating=4),
        lambda: invalid_files(2023, violating="LSS-R09", municipalities=1, min_size=1),
    ],
)
def test_bad_arguments_fail_at_once(make):
    with pytest.raises(UsageError) as info:
        make()
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, TypeError)


def test_keyword_only():
    with pytest.raises(TypeError):
        invalid_records(2023, "LSS-R04")  # type: ignore[misc]
