"""`lss-rules report`: the feedback file (persons per insats) and the comparison report against the previous year."""

from __future__ import annotations

import csv
import io
import json

import pytest
from reference_data import reference_file

from lss_rules.cli import main
from lss_rules.tools.report import compare, feedback, flagged

NUMBERS = [
    p for p in json.loads(reference_file("skatteverket-testpersonnummer.json").read_text()) if p.startswith("198")
]
P = NUMBERS[:400]  # adults born in the 1980s: distinct test persons


def line_2023(kommun, pnr, *, pa="0", pa_h="", ls="0", kp="0", dv="0", bv="0"):
    # kommun;pnr;personkrets;pa;pa_h;ls;ls_h;kp;av;av_h;kv;kv_d;kt;fh;bb;bv;ab;boendekommun;dv
    ls_h = "10" if ls == "1" else ""
    return f"{kommun};{pnr};1;{pa};{pa_h};{ls};{ls_h};{kp};0;;0;;0;0;0;{bv};0;;{dv}"


def write(tmp_path, name, lines):
    p = tmp_path / name
    p.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    return str(p)


def run(capsys, *args):
    code = main(["report", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def register_2023(tmp_path):
    """Two municipalities; the counts below are checked by hand."""
    a = write(
        tmp_path,
        "a.txt",
        [
            line_2023("0114", P[0], pa="1", pa_h="100", dv="1"),  # pa, dv
            line_2023("0114", P[1], kp="1"),  # kp
            line_2023("0114", P[1], kp="1"),  # same person again: counted once
            line_2023("0114", P[2], kp="1", dv="1"),  # kp, dv
            line_2023("0114", P[3], ls="1") + ";extra",  # wrong field count: not counted at all
            line_2023("0114", P[4], dv="2"),  # flag not exactly 1: a person without dv
            line_2023("0115", P[5], bv="1"),  # another kommun value on one line: the file is still 0114
        ],
    )
    b = write(tmp_path, "b.txt", [line_2023("0115", P[6], kp="1"), line_2023("9999", P[7], kp="1")])
    return a, b


def test_feedback_counts(spec, register_2023):
    a, b = register_2023
    fb = feedback(spec.for_year(2023), [a, b])
    first, second = fb.municipalities
    assert (first.code, first.name, first.records, first.well_formed, first.persons) == (
        "0114",
        "Upplands Väsby",
        7,
        6,
        5,
    )
    counts = dict(first.counts)
    assert counts["personlig_assistans"] == 1
    assert counts["kontaktperson"] == 2
    assert counts["daglig_verksamhet"] == 2
    assert counts["ledsagarservice"] == 0
    assert counts["bostad_vuxna"] == 1
    assert sum(counts.values()) == 6
    assert (second.code, dict(second.counts)["kontaktperson"]) == ("0115", 2)
    assert [i.name for i in fb.insatser] == [
        "personlig_assistans",
        "ledsagarservice",
        "kontaktperson",
        "avlosarservice",
        "korttidsvistelse",
        "korttidstillsyn",
        "familjehem",
        "bostad_barn",
        "bostad_vuxna",
        "annan_bostad",
        "daglig_verksamhet",
    ]


def test_insatser_follow_the_year(spec):
    names = [i.name for i in feedback(spec.for_year(2003), []).insatser]
    assert "boende_vuxna" in names and "bostad_vuxna" not in names and "annan_bostad" not in names


def test_feedback_cli_text_json_csv(capsys, register_2023):
    a, b = register_2023
    code, out, _ = run(capsys, a, b, "--year", "2023")
    assert code == 0
    assert "0114 Upplands Väsby" in out and "Kontaktperson" in out
    code, out, _ = run(capsys, a, b, "--year", "2023", "--format", "json")
    doc = json.loads(out)
    assert doc["report"] == "feedback" and doc["year"] == 2023
    assert doc["municipalities"][0]["counts"]["daglig_verksamhet"] == 2
    code, out, _ = run(capsys, a, b, "--year", "2023", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 * 11
    assert {
        "ar": "2023",
        "kommun": "0114",
        "kommunnamn": "Upplands Väsby",
        "fil": a,
        "insats": "kontaktperson",
        "antal_personer": "2",
    } in rows


# ----------------------------------------------------------------- the threshold


@pytest.mark.parametrize(
    ("now", "previous", "expected"),
    [
        (30, 25, False),  # +5 persons, exactly 20 %: not above the threshold
        (31, 25, True),  # +6, 24 %
        (120, 100, False),  # +20, exactly 20 %
        (121, 100, True),  # +21, 21 %
        (14, 10, False),  # +40 % but only 4 persons: under the minimum
        (15, 10, True),  # +5 persons, 50 %
        (5, 10, True),  # -5, -50 %
        (6, 10, False),  # -4
        (4, 0, False),  # from 0, under the minimum
        (5, 0, True),  # from 0, at the minimum
        (0, 0, False),
    ],
)
def test_flag_on_both_sides_of_the_threshold(now, previous, expected):
    assert flagged(now, previous, threshold=20, minimum=5) is expected


def test_threshold_parameters_are_in_the_spec(spec):
    ym = spec.for_year(2023)
    assert dict(ym.parameters)["jamforelse_troskel"] == 20
    assert dict(ym.parameters)["jamforelse_minsta_antal"] == 5
    assert "publicera" in (spec.parameter("jamforelse_troskel").interpretation or "")


def _kp_file(tmp_path, name, kommun, persons, year_line=line_2023):
    return write(tmp_path, name, [year_line(kommun, p, kp="1") for p in persons])


@pytest.mark.parametrize(
    ("now", "previous", "expected"),
    [(30, 25, False), (31, 25, True), (120, 100, False), (121, 100, True), (14, 10, False), (15, 10, True)],
)
def test_comparison_flag_through_files(now, previous, expected, spec, tmp_path):
    cur = _kp_file(tmp_path, "now.txt", "0114", P[:now])
    prev = _kp_file(tmp_path, "prev.txt", "0114", P[:previous])
    c = compare(spec, 2023, [cur], [prev])
    (mcmp,) = c.municipalities
    row = next(r for r in mcmp.rows if r.insats == "kontaktperson")
    assert (row.now, row.previous, row.change) == (now, previous, now - previous)
    assert row.flagged is expected
    assert mcmp.flagged == int(expected)


def test_comparison_matches_by_code_not_order(spec, tmp_path, capsys):
    cur_a = _kp_file(tmp_path, "a23.txt", "0114", P[:10])
    cur_b = _kp_file(tmp_path, "b23.txt", "0115", P[100:140])
    prev_b = _kp_file(tmp_path, "b22.txt", "0115", P[100:120])
    prev_c = _kp_file(tmp_path, "c22.txt", "0117", P[200:203])
    c = compare(spec, 2023, [cur_a, cur_b], [prev_b, prev_c])
    by_code = {m.current.code: m for m in c.municipalities}
    assert by_code["0114"].previous is None
    assert {r.reason for r in by_code["0114"].rows} == {"no_previous_file"}
    kp = next(r for r in by_code["0115"].rows if r.insats == "kontaktperson")
    assert (kp.now, kp.previous, kp.percent, kp.flagged) == (40, 20, 100.0, True)
    assert [m.code for m in c.unmatched_previous] == ["0117"]

    code, out, _ = run(capsys, cur_a, cur_b, "--year", "2023", "--previous", prev_b, prev_c)
    assert code == 0
    assert "FÖLJ UPP" in out and "ingen fil 2022" in out and "0117" in out
    code, out, _ = run(capsys, cur_a, cur_b, "--year", "2023", "--previous", prev_b, prev_c, "--format", "json")
    doc = json.loads(out)
    assert doc["report"] == "comparison" and doc["previous_year"] == 2022
    assert (doc["threshold_percent"], doc["minimum_change"]) == (20, 5)
    row = next(r for r in doc["municipalities"][1]["insatser"] if r["insats"] == "kontaktperson")
    assert row == {
        "insats": "kontaktperson",
        "label": "Kontaktperson",
        "now": 40,
        "previous": 20,
        "change": 20,
        "percent": 100.0,
        "comparable": True,
        "reason": None,
        "flagged": True,
    }
    code, out, _ = run(capsys, cur_a, cur_b, "--year", "2023", "--previous", prev_b, prev_c, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    kp_row = next(r for r in rows if r["kommun"] == "0115" and r["insats"] == "kontaktperson")
    assert (kp_row["antal"], kp_row["antal_foregaende_ar"], kp_row["procent"], kp_row["uppfoljning"]) == (
        "40",
        "20",
        "100.0",
        "1",
    )


def line_2003(kommun, pnr, *, kp="0", bv="0"):
    # kommun;pnr;personkrets;pa;ls;kp;av;kv;kt;fh;bb;boende_vuxna;boendekommun;dv
    return f"{kommun};{pnr};1;0;0;{kp};0;0;0;0;0;{bv};;0"


def line_2004(kommun, pnr, *, kp="0", bv="0"):
    # kommun;pnr;pa;ls;kp;av;kv;kt;fh;bb;bostad_vuxna;annan_bostad;dv
    return f"{kommun};{pnr};0;0;{kp};0;0;0;0;0;{bv};0;0"


def test_previous_year_read_with_its_layout_and_not_comparable_insatser(spec, tmp_path):
    prev = write(tmp_path, "k2003.txt", [line_2003("0114", p, kp="1", bv="1") for p in P[:8]])
    cur = write(tmp_path, "k2004.txt", [line_2004("0114", p, kp="1", bv="1") for p in P[:20]])
    c = compare(spec, 2004, [cur], [prev])
    rows = {r.insats: r for r in c.municipalities[0].rows}
    assert (rows["kontaktperson"].now, rows["kontaktperson"].previous, rows["kontaktperson"].flagged) == (20, 8, True)
    assert (rows["bostad_vuxna"].now, rows["bostad_vuxna"].previous) == (20, None)
    assert rows["bostad_vuxna"].reason == "not_collected_previous" and not rows["bostad_vuxna"].flagged
    assert (rows["boende_vuxna"].now, rows["boende_vuxna"].previous) == (None, 8)
    assert rows["boende_vuxna"].reason == "not_collected_now" and not rows["boende_vuxna"].flagged
    assert rows["annan_bostad"].reason == "not_collected_previous"


def test_missing_file_and_unknown_year_are_exit_2(capsys, tmp_path, register_2023):
    a, _ = register_2023
    code, _, err = run(capsys, str(tmp_path / "nothere.txt"), "--year", "2023")
    assert code == 2 and "finns inte" in err
    code, _, err = run(capsys, a, "--year", "1998")
    assert code == 2 and "1998" in err
    code, _, err = run(capsys, a, "--year", "1999", "--previous", a)
    assert code == 2 and "föregående" in err
    code, _, err = run(capsys, a, "--year", "2023", "--previous", str(tmp_path / "gone.txt"))
    assert code == 2


def test_previous_files_of_another_layout_era_are_warned_about(spec, tmp_path, capsys):
    """Before: a 2006-era file given as 2022's was silently reported as "???? okänd kommun" with zeros."""
    cur = _kp_file(tmp_path, "now.txt", "0114", P[:10])
    width_2006 = len(spec.for_year(2006).fields)
    old_era = [";".join(line_2023("0114", p, kp="1").split(";")[:width_2006]) for p in P[:10]]
    prev = write(tmp_path, "prev.txt", old_era)
    code, out, err = run(capsys, cur, "--year", "2023", "--previous", prev)
    assert code == 0
    assert "????" in out  # the report itself is unchanged ...
    warning = [line for line in err.splitlines() if "prev.txt" in line]  # ... but the reader is told why
    assert len(warning) == 1 and warning[0].startswith("lss-rules: varning:")
    assert "10 av 10 rader har inte 2022:s postbeskrivning" in warning[0] and "annat år" in warning[0]
    assert "2004–2006" in warning[0]  # the era whose layout has that many fields
    assert "now.txt" not in err


def test_the_register_names_its_comparison_parameters(spec):
    # the names are the spec's (register block), not the code's: no parameter name in feedback.py's code
    import ast
    from pathlib import Path

    import lss_rules.tools.report

    assert spec.register.comparison_threshold == "jamforelse_troskel"
    assert spec.register.comparison_minimum == "jamforelse_minsta_antal"
    tree = ast.parse(Path(lss_rules.tools.report.__file__).read_text(encoding="utf-8"))
    docstring = tree.body[0]
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert isinstance(docstring, ast.Expr)
    assert not [x for x in strings if "jamforelse" in x and x is not docstring.value.value]


def test_a_register_without_comparison_parameters_says_so(tmp_path):
    from pathlib import Path

    from lss_rules.errors import DataError
    from lss_rules.language.load import load_spec

    spec2 = load_spec(Path(__file__).resolve().parent.parent / "register2")
    with pytest.raises(DataError, match="anger ingen `comparison_threshold`"):
        compare(spec2, spec2.first_year + 1, [], [])


def test_a_register_without_a_counted_group_says_so():
    from pathlib import Path

    from lss_rules.errors import DataError
    from lss_rules.language.load import load_spec

    spec2 = load_spec(Path(__file__).resolve().parent.parent / "register2")
    with pytest.raises(DataError, match="anger inte vilka insatser som räknas"):
        feedback(spec2.for_year(spec2.first_year), [])
