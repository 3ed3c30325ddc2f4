"""`lss-rules years`: every year with its layout, reference date, deadline and rule count."""

from __future__ import annotations

import json

from lss_rules.cli import main
from lss_rules.language.history import layout_of, layout_variants, year_facts


def _run(capsys, *args):
    code = main(["years", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_layout_variants(spec):
    variants = layout_variants(spec)
    assert [(v.first, v.last, len(v.fields)) for v in variants] == [
        (1999, 2003, 14),
        (2004, 2006, 13),
        (2007, None, 19),
    ]
    assert [v.name for v in variants] == ["1999–2003", "2004–2006", "2007–"]


def test_year_facts(spec):
    f = year_facts(spec, 2020)
    assert f.layout.name == "2007–"
    assert f.reference_date.isoformat() == "2020-10-01"
    assert f.deadline.isoformat() == "2020-10-25"
    assert "LSS-R06" in f.warnings and "LSS-R17" in f.warnings
    assert f.beyond_spec is False
    # the spec states the years through 2025 (`stated_through`); later years repeat the last rules
    assert year_facts(spec, 2025).beyond_spec is False
    assert year_facts(spec, 2026).beyond_spec is True
    assert year_facts(spec, 2004).rule_count == 19


def test_years_json(capsys):
    code, out, _ = _run(capsys, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    rows = {r["year"]: r for r in doc["years"]}
    assert min(rows) == 1999 and max(rows) == 2025
    assert rows[1999]["reference_date"] == "1999-06-01"
    assert rows[2001]["reference_date"] == "2001-09-01"
    assert rows[2003]["reference_date"] == "2003-10-01"
    assert (rows[2003]["fields"], rows[2004]["fields"], rows[2007]["fields"]) == (14, 13, 19)
    assert (rows[2019]["errors"], rows[2019]["warnings"]) == (20, 5)
    assert (rows[2020]["errors"], rows[2020]["warnings"]) == (19, 6)
    assert (rows[2021]["errors"], rows[2021]["warnings"]) == (23, 2)
    assert "LSS-R13" not in rows[2003]["rules"] and "LSS-R13" in rows[2004]["rules"]
    assert doc["last_change_year"] == 2022
    assert not any(r["beyond_spec"] for r in rows.values())
    doc = json.loads(_run(capsys, "--format", "json", "--to", "2027")[1])
    assert [r["year"] for r in doc["years"] if r["beyond_spec"]] == [2026, 2027]


def test_years_text(capsys, golden):
    code, out, _ = _run(capsys)
    assert code == 0
    assert "2004  2004–2006 (13 fält)   2004-10-01  2004-10-25" in out
    assert "Specifikationen beskriver åren till och med 2025; den sista ändringen gäller 2022." in out
    body, _, last = out.rstrip("\n").rpartition("\n")
    assert last.startswith("Specifikation: ") and "(sha256:" in last  # the spec read, named (issue 12)
    golden("years.txt", body.removesuffix("\n") + "\n")


def test_years_to(capsys):
    code, out, _ = _run(capsys, "--to", "2030", "--format", "json")
    assert code == 0
    assert json.loads(out)["years"][-1]["year"] == 2030


def test_years_bad_spec_is_exit_2(capsys, tmp_path):
    code, _, err = _run(capsys, "--spec", str(tmp_path / "nothing"))
    assert code == 2
    assert "finns inte" in err


def test_layout_variants_agree_with_the_year_models(spec):
    for year in range(1999, 2031):
        assert layout_of(spec, year).fields == spec.for_year(year).field_names
