"""The worked examples in spec/examples: complete, and run by `lss-rules check` with located diagnostics."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from lss_rules.cli import main
from lss_rules.language.examples import EXAMPLE_CODES, load_examples, read_example_file
from lss_rules.tools.examples import file_lines

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "spec" / "examples"

#: (id, era) where the rule is in force but no line can break it: said here, with the reason.
CANNOT_FIRE = {
    ("LSS-S04", (2004, 2006)): "2004–2006 har postformatet inga fält som ska vara tomma "
    "(inga timmar, ingen boendekommun)",
}


def _eras(spec) -> list[tuple[int, int]]:
    """Spans of years with one and the same layout (1999–2003, 2004–2006, 2007–)."""
    out: list[list[int]] = []
    last = None
    for y in range(spec.first_year, spec.last_stated_year + 1):
        names = spec.for_year(y).field_names
        if names != last:
            out.append([y, y])
            last = names
        else:
            out[-1][1] = y
    return [(a, b) for a, b in out]


@pytest.fixture(scope="module")
def examples(spec):
    found, problems = load_examples(EXAMPLES, spec)
    assert problems == []
    return found


def test_every_id_in_every_era_where_it_applies(spec, examples):
    eras = _eras(spec)
    assert eras[:2] == [(1999, 2003), (2004, 2006)] and eras[2][0] == 2007
    missing = []
    for ident in spec.ids:
        assert (EXAMPLES / f"{ident}.yaml").is_file(), ident
        for era in eras:
            years = range(era[0], era[1] + 1)
            if not any(spec.for_year(y).severity_of(ident) for y in years):
                continue
            mine = [e for e in examples if e.rule == ident and e.year in years]
            fires = [e for e in mine if any(f.rule == ident for f in e.findings)]
            quiet = [e for e in mine if all(f.rule != ident for f in e.findings)]
            if not fires and (ident, era) not in CANNOT_FIRE:
                missing.append(f"{ident} {era}: inget exempel där regeln ger fynd (utanför gränsen)")
            if not quiet:
                missing.append(f"{ident} {era}: inget exempel där regeln inte ger fynd (innanför gränsen)")
    assert missing == []


def test_fields_not_given_take_valid_defaults(spec, examples):
    ym = spec.for_year(2021)
    ex = next(e for e in examples if e.rule == "LSS-R21" and e.year == 2021 and not e.findings)
    (lines,) = file_lines(ym, ex).values()
    values = dict(zip(ym.field_names, lines[0].split(";"), strict=True))
    # hours given: their flag is set; the other insatser default to 0; nothing else is wrong
    assert values["personlig_assistans"] == "1" and values["kontaktperson"] == "0"
    from lss_rules.meaning.evaluate import evaluate_lines

    assert evaluate_lines(ym, lines) == []


def test_a_file_is_never_named_from_a_value_that_could_be_a_path(spec):
    from lss_rules.language.examples import Example, ExampleFile, Record

    ym = spec.for_year(2023)
    ex = Example("x", 2023, (ExampleFile(None, (Record((("kommun", "../../x"),)),)),), (), None, None)
    assert list(file_lines(ym, ex)) == ["fil1.txt"]


def test_records_without_personnummer_get_numbers_of_their_own(spec):
    from lss_rules.language.examples import Example, ExampleFile, Record

    ym = spec.for_year(2023)
    ex = Example("x", 2023, (ExampleFile(None, (Record(), Record(), Record())),), (), None, None)
    ((name, lines),) = file_lines(ym, ex).items()
    assert name == "0114.txt" and len({ln.split(";")[1] for ln in lines}) == 3


def _copy_with(tmp_path: Path, keep: str) -> Path:
    dst = tmp_path / "spec"
    shutil.copytree(REPO / "spec", dst, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    for p in (dst / "examples").glob("*.yaml"):
        if p.name != keep:
            p.unlink()
    return dst


def test_breaking_one_example_fails_check_with_its_location(tmp_path, capsys):
    dst = _copy_with(tmp_path, "LSS-R10.yaml")
    assert main(["check", str(dst)]) == 0
    assert "exempel ger sina fynd" in capsys.readouterr().out
    path = dst / "examples" / "LSS-R10.yaml"
    text = path.read_text(encoding="utf-8").splitlines()
    # the first example (age 25, inside the limit) now claims a finding
    i = next(n for n, line in enumerate(text) if line.strip() == "findings: []")
    text[i] = "    findings: [{rule: LSS-R10, line: 1, severity: error}]"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert main(["check", str(dst)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{i + 1}:16: error[E023]" in err
    assert "referensutvärderaren: väntade LSS-R10 (fel) rad 1 i 0114.txt" in err
    assert "den kompilerade validatorn: väntade LSS-R10 (fel) rad 1" in err
    assert "Traceback" not in err
    assert main(["check", "--no-examples", str(dst)]) == 0


EX = "examples:\n  - name: x\n    year: 2023\n    records: [{}]\n"
BROKEN = [
    ("examples: [\n  - name: x\n    year: [2023\n", "E020", 2, 3),
    ("\xff", "E020", 1, 1),
    ("- a\n- b\n", "E021", 1, 1),
    ("examples:\n  - name: x\n    year: 2023\n    records: [{}]\n    findings: []\n    extra: 1\n", "E021", 6, 5),
    ("examples:\n  - name: x\n    year: tjugo\n    records: [{}]\n    findings: []\n", "E021", 3, 11),
    ("examples:\n  - name: x\n    year: 1800\n    records: [{}]\n    findings: []\n", "E022", 3, 11),
    ("examples:\n  - name: x\n    year: 99999\n    records: [{}]\n    findings: []\n", "E022", 3, 11),
    ("examples:\n  - name: x\n    year: 2023\n    files: {../x.txt: [{}]}\n    findings: []\n", "E021", 4, 13),
    ("examples:\n  - name: x\n    year: 2023\n    records: [{kommun: [1]}]\n    findings: []\n", "E021", 4, 24),
    ("examples:\n  - name: x\n    year: 2023\n    records: [{familjehemm: 1}]\n    findings: []\n", "E022", 4, 16),
    ("examples:\n  - name: x\n    year: 2005\n    records: [{personkrets: 1}]\n    findings: []\n", "E022", 4, 16),
    (EX + "    findings: [{rule: LSS-R99, line: 1, severity: error}]\n", "E022", 5, 23),
    (EX + "    findings: [{rule: LSS-R01, line: 1, severity: varnig}]\n", "E021", 5, 51),
    (EX + "    findings: [{rule: LSS-R01, line: one, severity: error}]\n", "E021", 5, 38),
    ("examples:\n  - name: x\n    year: 2023\n    records: [{}]\n", "E021", 2, 5),
    (
        'rule: LSS-R01\nexamples:\n  - name: x\n    year: 2023\n    deceased: {"199001012385": igår}\n'
        "    records: [{}]\n    findings: []\n",
        "E021",
        5,
        32,
    ),
    ("examples: &a [*a]\n", "E021", 1, 11),
    # a year or line number of thousands of digits is never int() of them (issue 22)
    ("examples:\n  - name: x\n    year: " + "9" * 5000 + "\n    records: [{}]\n    findings: []\n", "E021", 3, 11),
    (EX + "    findings: [{rule: LSS-R01, line: " + "0" * 5000 + "1, severity: error}]\n", "E021", 5, 38),
    # an anchor or alias anywhere (5,000 aliases of a 1 MB value once took 1 GB; issue 22)
    ("x: &v " + "9" * 10 + "\nexamples:\n  - name: x\n    year: 2023\n    records: [{}]\n", "E021", 1, 4),
    (EX.replace("[{}]", "[{kommun: *v}]") + "    findings: []\n", "E021", 4, 24),
    # `!!int "²"` is a digit to str.isdigit: int() raised ValueError
    ('examples:\n  - name: x\n    year: !!int "²"\n    records: [{}]\n    findings: []\n', "E021", 3, 11),
    (EX.replace("[{}]", "[{kommun: " + "1" * 5000 + "}]") + "    findings: []\n", "E021", 4, 24),
    (EX.replace("[{}]", "[" + ", ".join(["{}"] * 1001) + "]") + "    findings: []\n", "E021", 4, 4015),
    # a conformance vector's id: only the kinds the suite does not make itself, one example a year (issue 23)
    ("vector: LSS-R04-violation-01\nexamples: []\n", "E021", 1, 9),
    ("vector: interpretation-../x\nexamples: []\n", "E021", 1, 9),
    (
        "vector: convention-x\nexamples:\n"
        + ("  - name: x\n    year: 2023\n    records: [{}]\n    findings: []\n" * 2),
        "E021",
        7,
        5,
    ),
]


@pytest.mark.parametrize(("text", "code", "line", "column"), BROKEN)
def test_broken_yaml_is_a_located_error(spec, tmp_path, text, code, line, column):
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode("utf-8") if text != "\xff" else b"\xff")
    _, problems = read_example_file(path, spec)
    assert [(d.code, d.pos.line, d.pos.column) for d in problems] == [(code, line, column)], problems
    assert problems[0].code in EXAMPLE_CODES


def test_an_example_file_that_is_no_regular_file_or_too_big_is_a_located_error(spec, tmp_path):
    import os

    from lss_rules.language.examples import MAX_EXAMPLE_BYTES

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * MAX_EXAMPLE_BYTES + "\n", encoding="utf-8")
    for path, said in ((fifo, "ingen vanlig fil"), (big, "för stor")):
        _, problems = read_example_file(path, spec)
        assert [(d.code, d.pos.line) for d in problems] == [("E020", 1)] and said in problems[0].message


def test_broken_yaml_through_the_cli(tmp_path, capsys):
    dst = _copy_with(tmp_path, "LSS-S05.yaml")
    broken = "examples:\n  - name: x\n    year: 2023\n    records: {a}\n    findings: []\n"
    (dst / "examples" / "LSS-S05.yaml").write_text(broken, encoding="utf-8")
    assert main(["check", str(dst)]) == 1
    err = capsys.readouterr().err
    assert "LSS-S05.yaml:4:14: error[E021]" in err and "Traceback" not in err


def test_an_example_count_of_thousands_of_digits_gets_its_finding(tmp_path, capsys):
    # hours of 4,096 digits (the most a value of an example may have) are above the limit, and 4,092 zeros
    # before 1488 leave 1488 (issue 22); PYTHONINTMAXSTRDIGITS may be lower than CPython's 4,300
    dst = _copy_with(tmp_path, "LSS-R21.yaml")
    path = dst / "examples" / "LSS-R21.yaml"
    many, zeros = "9" * 4096, "0" * 4092
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"""  - name: "4096 siffror"
    year: 2023
    records:
      - {{personlig_assistans_timmar: {many}}}
      - {{personlig_assistans_timmar: "{zeros}1488"}}
      - {{personlig_assistans_timmar: "{zeros}1489"}}
    findings:
      - {{rule: LSS-R21, line: 1, severity: error}}
      - {{rule: LSS-R21, line: 3, severity: error}}
""",
        encoding="utf-8",
    )
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)  # the least Python allows: 4,096 digits are past it
    try:
        assert main(["check", str(dst)]) == 0, capsys.readouterr().err
    finally:
        sys.set_int_max_str_digits(limit)
    assert "exempel ger sina fynd" in capsys.readouterr().out


def test_conformance_suite_has_the_examples_as_named_vectors(spec, examples):
    from lss_rules.tools.conformance import build_suite, key_set

    ym = spec.for_year(2021)
    vectors = {v.id: v for v in build_suite(ym) if v.kind == "example"}
    mine = [e for e in examples if e.year == 2021 and e.vector is None]  # (a `vector:` file: the test below)
    assert len(vectors) == len(mine) > 10
    for ex in mine:
        v = vectors[f"example-{ex.slug}"]
        names = list(v.files)
        want = {(f.file or names[0], f.line, f.rule, f.severity) for f in ex.findings}
        assert key_set(v.expected) == want and v.rule == ex.rule and ex.name in v.tests


@pytest.mark.parametrize("year", [2001, 2005, 2023])
def test_vector_files_are_the_interpretation_and_convention_vectors_of_the_suite(spec, examples, year):
    """A file with `vector: ID` gives the suite that vector, its id, kind and findings, each year it has an example."""
    from lss_rules.tools.conformance import build_suite, key_set

    vectors = {v.id: v for v in build_suite(spec.for_year(year))}
    mine = [e for e in examples if e.vector is not None and e.year == year]
    assert len(mine) >= 5  # 2004–2006: no personkrets, no hours
    for ex in mine:
        v = vectors[ex.vector]
        assert Path(ex.pos.file).stem == ex.vector and v.kind == ex.vector.split("-")[0] == ex.kind
        names = list(v.files)
        want = {(f.file or names[0], f.line, f.rule, f.severity) for f in ex.findings}
        assert key_set(v.expected) == want and v.rule is None and v.tests == ex.name
    assert not {v.id for v in vectors.values() if v.kind == "example"} & {e.vector for e in examples}


def test_a_vector_file_has_an_example_for_every_year_from_its_first(spec, examples):
    """The vectors were made for every year where the register has what they test: from 1999 (2007 for the
    hours), the layout of 2004–2006 without personkrets left out; no year of the last layout left out."""
    years: dict[str, set[int]] = {}
    for e in examples:
        if e.vector is not None:
            years.setdefault(e.vector, set()).add(e.year)
    assert len(years) == 8
    for vector, ys in years.items():
        assert min(ys) in (1999, 2007) and set(range(2007, spec.last_stated_year + 1)) <= ys, vector
        assert ys == set(range(min(ys), spec.last_stated_year + 1)) or vector.endswith("personkrets-r14"), vector
