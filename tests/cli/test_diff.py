"""`lss-rules diff A B`: every documented change of the rule catalogue, golden files, the JSON contract."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from schema_check import validate

from lss_rules.cli import main
from lss_rules.meaning.diff import diff_years, to_json
from lss_rules.meaning.release_notes import render_text

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "lss_rules" / "schemas" / "diff.schema.json").read_text())


def _ids(items):
    return [i.id for i in items]


def _names(items):
    return [i.name for i in items]


def test_2006_2007_personkrets_boendekommun_and_hours_come_in(spec):
    d = diff_years(spec, 2006, 2007)
    assert _names(d.fields_added) == [
        "personkrets",
        "personlig_assistans_timmar",
        "ledsagarservice_timmar",
        "avlosarservice_timmar",
        "korttidsvistelse_dygn",
        "boendekommun",
    ]
    assert d.fields_removed == ()
    assert d.layout is not None and (len(d.layout.old.fields), len(d.layout.new.fields)) == (13, 19)
    assert (d.layout.old.name, d.layout.new.name) == ("2004–2006", "2007–")
    assert _ids(d.started) == ["LSS-R03", "LSS-R14", "LSS-R17", "LSS-R18", "LSS-R19", "LSS-R20"]
    assert [i.severity for i in d.started] == ["error", "error", "warning", "warning", "warning", "warning"]
    assert d.stopped == ()


def test_2006_2007_heby(spec):
    d = diff_years(spec, 2006, 2007)
    assert [(x.code, x.name) for x in d.municipalities_added] == [("0331", "Heby")]
    assert [(x.code, x.name) for x in d.municipalities_removed] == [("1917", "Heby")]


def test_2019_2020_r06_error_to_warning(spec):
    d = diff_years(spec, 2019, 2020)
    assert [(s.id, s.old, s.new) for s in d.severity_changed] == [("LSS-R06", "error", "warning")]
    assert d.started == d.stopped == () and d.layout is None and d.parameters == ()


def test_2020_2021_r17_r20_out_r21_r24_in(spec):
    d = diff_years(spec, 2020, 2021)
    assert _ids(d.stopped) == ["LSS-R17", "LSS-R18", "LSS-R19", "LSS-R20"]
    assert _ids(d.started) == ["LSS-R21", "LSS-R22", "LSS-R23", "LSS-R24"]
    assert all(i.severity == "error" for i in d.started)
    assert [(p.name, p.old, p.new) for p in d.parameters] == [("personlig_assistans_max_timmar", None, 744)]


def test_2021_2022_limit_744_to_1488(spec):
    d = diff_years(spec, 2021, 2022)
    assert [(p.name, p.old, p.new) for p in d.parameters] == [("personlig_assistans_max_timmar", 744, 1488)]
    changes = {(t.id, t.part): (t.old, t.new) for t in d.rule_changes}
    assert set(changes) == {("LSS-R21", "require"), ("LSS-R21", "message")}
    old, new = changes[("LSS-R21", "require")]
    assert "744" in old and "1488" in new
    assert changes[("LSS-R21", "message")] == (
        "Fler än 744 timmar personlig assistans per månad.",
        "Fler än 1488 timmar personlig assistans per månad.",
    )


def test_2022_2023_nothing(spec):
    d = diff_years(spec, 2022, 2023)
    assert d.empty
    assert "Inga ändringar" in render_text(d)


def test_2002_2003_reference_date_and_knivsta(spec):
    d = diff_years(spec, 2002, 2003)
    assert d.reference_date is not None
    assert (str(d.reference_date.old), str(d.reference_date.new)) == ("09-01", "10-01")
    assert [(x.code, x.name) for x in d.municipalities_added] == [("0330", "Knivsta")]
    assert d.municipalities_removed == () and d.layout is None and d.started == d.stopped == ()


def test_2003_2004_layout(spec):
    d = diff_years(spec, 2003, 2004)
    assert d.layout is not None and (d.layout.old.name, d.layout.new.name) == ("1999–2003", "2004–2006")
    assert not d.layout.order_changed
    assert _names(d.fields_removed) == ["personkrets", "boende_vuxna", "boendekommun"]
    assert _names(d.fields_added) == ["bostad_vuxna", "annan_bostad"]
    assert _ids(d.stopped) == ["LSS-R03", "LSS-R14"]
    assert _ids(d.started) == ["LSS-R13"]
    # the groups follow the fields: R05's housing group and R12's adult housing change members
    groups = {g.name: (g.added, g.removed) for g in d.groups}
    assert groups["boende"] == (("bostad_vuxna", "annan_bostad"), ("boende_vuxna",))
    assert groups["vuxenboende"] == (("bostad_vuxna",), ("boende_vuxna",))
    changed = {(t.id, t.part) for t in d.rule_changes}
    assert {("LSS-R05", "require"), ("LSS-R08", "require"), ("LSS-R09", "unique"), ("LSS-R12", "when")} <= changed


def test_2000_2001_reference_date(spec):
    d = diff_years(spec, 2000, 2001)
    assert d.reference_date is not None
    assert (str(d.reference_date.old), str(d.reference_date.new)) == ("06-01", "09-01")
    assert "1 juni (06-01) → 1 september (09-01)" in render_text(d)


def test_backward_is_the_forward_diff_turned_around(spec):
    fwd, back = diff_years(spec, 2006, 2007), diff_years(spec, 2007, 2006)
    assert back.backward and not fwd.backward
    assert [(f.name, f.position) for f in back.fields_removed] == [(f.name, f.position) for f in fwd.fields_added]
    assert _ids(back.stopped) == _ids(fwd.started)
    assert [x.code for x in back.municipalities_added] == [x.code for x in fwd.municipalities_removed]
    assert "bakåt i tiden" in render_text(back)


def test_same_year_is_empty(spec):
    assert diff_years(spec, 2010, 2010).empty


def test_beyond_the_spec(spec):
    d = diff_years(spec, 2025, 2030)
    assert d.empty and d.beyond_spec == (2030,)
    assert diff_years(spec, 2026, 2030).beyond_spec == (2026, 2030)
    assert diff_years(spec, 2022, 2025).beyond_spec == ()


PAIRS = [(y, y + 1) for y in range(1999, 2026)] + [(2007, 2006), (1999, 2025), (2003, 2007), (2010, 2010)]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_json_follows_the_schema(a, b, spec):
    doc = to_json(diff_years(spec, a, b))
    validate(doc, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert json.loads(json.dumps(doc)) == doc


def test_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


GOLDEN = [
    (2000, 2001),
    (2002, 2003),
    (2003, 2004),
    (2006, 2007),
    (2019, 2020),
    (2020, 2021),
    (2021, 2022),
    (2022, 2023),
    (2007, 2006),
]


@pytest.mark.parametrize(("a", "b"), GOLDEN)
def test_golden(a, b, capsys, golden):
    assert main(["diff", str(a), str(b)]) == 0
    golden(f"diff_{a}_{b}.txt", without_spec_line(capsys.readouterr().out))
    assert main(["diff", str(a), str(b), "--format", "json"]) == 0
    golden(f"diff_{a}_{b}.json", without_spec_key(capsys.readouterr().out))


def without_spec_line(out):
    """The output without its last line, which names the spec and its digest (it changes with every edit)."""
    body, _, last = out.rstrip("\n").rpartition("\n")
    assert last.startswith("Specifikation: ") and "(sha256:" in last, last
    return body.removesuffix("\n") + "\n"


def without_spec_key(out):
    """The JSON output without its ``spec`` object (the digest changes with every edit of the spec)."""
    import json

    doc = json.loads(out)
    assert set(doc.pop("spec")) == {"path", "digest"}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def test_unknown_year_is_exit_2(capsys):
    assert main(["diff", "1998", "2000"]) == 2
    assert "1998" in capsys.readouterr().err


def test_only_swedish_text(spec):
    with pytest.raises(ValueError):
        render_text(diff_years(spec, 2020, 2021), lang="fi")


def test_docs_show_the_current_output(capsys):
    """docs/reference/years-diff-report.md quotes real output; regenerate the examples when this fails."""
    page = (Path(__file__).resolve().parents[2] / "docs" / "reference" / "years-diff-report.md").read_text()
    for args in (
        ["years"],
        ["diff", "2006", "2007"],
        ["diff", "2003", "2004"],
        ["diff", "2021", "2022", "--format", "json"],
    ):
        assert main(args) == 0
        out = capsys.readouterr().out
        out = without_spec_key(out) if "json" in args else without_spec_line(out)
        assert out.strip() in page, args


# ----------------------------------------------------------------- the release notes in words (issue 24)


def _identifiers(spec) -> set[str]:
    """Every field, group and parameter name that is not itself a word of its label ("personkrets" is both)."""
    names = {f.name for f in spec.fields} | {g.name for g in spec.groups} | {p.name for p in spec.parameters}
    labels = " ".join(
        [f.label for f in spec.fields] + [g.label for g in spec.groups] + [p.label for p in spec.parameters]
    )
    return {n for n in names if n.lower() not in labels.lower().split()}


def _said_lines(d):
    """The release-note lines that say a condition, a group or a parameter (the ones issue 24 puts in words)."""
    from lss_rules.meaning.release_notes import classified_sections

    wanted = (
        *d.field_conditions,
        *d.groups,
        *(t for t in d.rule_changes if t.part != "message"),
        *d.parameters,
    )
    return [text for _, lines in classified_sections(d) for text, c in lines if c is not None and c in wanted]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_conditions_groups_and_parameters_are_said_by_label(a, b, spec):
    """No identifier, no operator, no function call of the spec in the lines a municipal reader reads."""
    d = diff_years(spec, a, b)
    ids = _identifiers(spec)
    for line in _said_lines(d):
        words = set(re.findall(r"[a-zåäö_]+", line))
        assert not words & ids, line
        assert not re.search(r"<=|>=|!=|count\(|age\(|present\(|\w\[", line), line


def test_2003_2004_in_words(spec):
    """The groups and the conditions that follow them, as a reader reads them (the fields' labels, å/ä/ö)."""
    text = render_text(diff_years(spec, 2003, 2004))
    assert (
        "  - Boendeinsatser enligt 9 § 8–9 LSS: nu även bostad med särskild service för vuxna och annan särskilt "
        "anpassad bostad för vuxna; inte längre bostad med särskild service eller annan särskilt anpassad bostad "
        "för vuxna.\n"
    ) in text
    assert (
        "LSS-R12 Bostad för vuxna före 17 års ålder: gällde på rader där bostad för vuxna har värdet 1; gäller nu "
        "på rader där bostad med särskild service för vuxna har värdet 1."
    ) in text
    assert "avlösarservice i hemmet" in text and "avlosarservice" not in text


def test_2021_2022_condition_in_words_with_the_years_values(spec):
    from lss_rules.meaning.release_notes import render_markdown
    from lss_rules.meaning.wording import expr_words

    d = diff_years(spec, 2021, 2022)
    (req,) = [t for t in d.rule_changes if t.part == "require"]
    r21a = next(r for r in spec.for_year(2021).rules if r.id == "LSS-R21")
    r21b = next(r for r in spec.for_year(2022).rules if r.id == "LSS-R21")
    assert r21a.require is not None and r21b.require is not None
    assert (req.said_old, req.said_new) == (expr_words(r21a.require, spec), expr_words(r21b.require, spec))
    line = (
        "Ändrad regel: LSS-R21 För många timmar personlig assistans: krävde att timmar personlig assistans per "
        "månad är högst 744; kräver nu att timmar personlig assistans per månad är högst 1488."
    )
    assert line in render_text(d) and line in render_markdown(d)
    assert "- Högsta antal timmar personlig assistans per månad: 744 → 1488 timmar per månad." in render_markdown(d)


def test_json_keeps_the_identifiers(spec):
    """changes.json is data for a program: the spec's names and text, not the words of the notes."""
    doc = to_json(diff_years(spec, 2003, 2004))
    assert {g["name"]: g["added"] for g in doc["groups"]}["boende"] == ["bostad_vuxna", "annan_bostad"]
    changed = {(c["id"], c["part"]): c for c in doc["rules"]["changed"]}
    assert changed[("LSS-R12", "when")]["to"] == "count(vuxenboende[bostad_vuxna]) >= 1"


def test_a_field_condition_change_in_words(tmp_path):
    """A field's condition that reads a group changes with the group's members (none does in the shipped spec):
    said in words with the fields' labels, as a rule's condition is."""
    import shutil

    from lss_rules.language.load import load_spec

    folder = tmp_path / "spec"
    shutil.copytree(Path(__file__).resolve().parents[2] / "spec", folder)
    fields = (folder / "fields.lss").read_text(encoding="utf-8")
    old = '  label "Daglig verksamhet"\n'
    assert fields.count(old) == 1
    fields = fields.replace(old, old + "  required when count(vuxenboende) >= 1\n")
    (folder / "fields.lss").write_text(fields, encoding="utf-8")
    d = diff_years(load_spec(folder), 2003, 2004)
    assert [(c.field, c.part) for c in d.field_conditions] == [("daglig_verksamhet", "required_when")]
    assert (
        "  - Daglig verksamhet – krävs när: bostad för vuxna har värdet 1 → bostad med särskild service för vuxna "
        "har värdet 1."
    ) in render_text(d)
