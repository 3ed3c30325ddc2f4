"""Synthetic registers that look like the real one (issue 15): measured by the profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lss_rules.cli import main
from lss_rules.errors import UsageError
from lss_rules.generators import population as pop
from lss_rules.generators import profile as prof
from lss_rules.generators.bulk import build_register, capacity, shape, write_register

HERE = Path(__file__).resolve()
SHARED = next((p / "shared" / "reference" for p in HERE.parents if (p / "shared" / "reference").is_dir()), HERE)


@pytest.fixture(scope="module")
def default_2021(tmp_path_factory, year_model):
    ym = year_model(2021)
    out = tmp_path_factory.mktemp("reg2021")
    reg = write_register(ym, out, seed=1)
    return ym, reg, out, prof.measure(ym, reg.files)


def test_default_register_of_2021_has_the_published_shape(default_2021):
    ym, reg, _, p = default_2021
    assert p.persons == capacity(ym) > 5000
    assert len(reg.files) == len(ym.municipalities)
    for row in p.group(prof.INSATS):
        assert abs(row.deviation) <= 0.10, row
    assert abs(p.row(prof.SEX, "män").deviation) <= 0.10
    assert p.row(prof.SEX, "män").published == pytest.approx(59.4, abs=0.05)
    for row in p.group(prof.AGE):
        assert abs(row.deviation) <= 0.15, row
    assert p.spearman >= 0.95
    assert p.row(prof.OTHER, "äldre än 100 år").generated <= 0.5
    both = p.row(prof.OTHER, "både daglig verksamhet och bostad för vuxna")
    assert abs(both.deviation) <= 0.10
    # the largest municipalities have the most persons, the smallest the fewest
    by_persons = sorted(p.municipalities, key=lambda t: -t[3])
    assert [t[1] for t in by_persons[:3]] == ["Stockholm", "Göteborg", "Malmö"]
    assert max(t[3] for t in p.municipalities[-10:]) <= 3


def test_default_register_is_accepted_by_validate(default_2021, capsys):
    _, reg, out, _ = default_2021
    assert reg.expected["status"] == "accepted" and reg.expected["findings"] == []
    paths = sorted(str(p) for p in out.glob("*.txt"))
    capsys.readouterr()
    assert main(["validate", "--year", "2021", "--format", "json", *paths]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "accepted" and report["findings"] == []


def test_default_register_is_deterministic(default_2021):
    ym, reg, _, _ = default_2021
    again = build_register(ym, seed=1)
    assert again.files == reg.files
    assert build_register(ym, seed=2).files != reg.files


def test_children_get_childrens_insatser_at_the_rules_ages(default_2021):
    ym, reg, _, _ = default_2021
    sh = shape(ym)
    names = ym.field_names
    ktt = sh.exact_allowed_ages(sh.bit["korttidstillsyn"], 1)
    assert min(ktt) == 12 and max(ktt) == 23  # read from the rules, not written here
    seen_ktt = set()
    for lines in reg.files.values():
        for line in lines:
            v = dict(zip(names, line.split(";"), strict=True))
            age = 2021 - int(v["personnummer"][:4])
            if v["korttidstillsyn"] == "1":
                seen_ktt.add(age)
            if age > 30:  # none of the children's insatser for adults, let alone the very old
                assert "1" not in (v["korttidstillsyn"], v["familjehem"], v["bostad_barn"], v["avlosarservice"])
            for field in ("personlig_assistans_timmar", "ledsagarservice_timmar", "avlosarservice_timmar"):
                assert v[field] == "" or 0 <= int(v[field]) <= 744
    assert seen_ktt <= ktt and len(seen_ktt) >= 8


def test_rules_combining_insatser_do_not_depend_on_age(year_model):
    """The shape checks a combination at one age (persons.Shape.allowed_ages); the rules agree at all ages."""
    for year in (2003, 2021):
        sh = shape(year_model(year))
        bits = sorted(sh.bit.values())
        for i, a in enumerate(bits):
            for b in bits[i + 1 :]:
                for krets in (1, 3):
                    assert sh.allowed_ages(a | b, krets) == sh.exact_allowed_ages(a | b, krets), (year, a, b)


def test_more_persons_than_the_real_shape_allows(tmp_path, capsys, year_model):
    cap = capacity(year_model(2021))
    args = ["generate", "--year", "2021", "--seed", "1", "--municipalities", "20"]
    assert main([*args, "--persons", str(cap + 1), "-o", str(tmp_path / "a")]) == 2
    err = capsys.readouterr().err
    assert str(cap) in err and "--allow-distortion" in err and "Traceback" not in err
    with pytest.raises(UsageError, match=str(cap)):
        build_register(2021, persons=cap + 1, seed=1)
    assert main([*args, "--persons", "12000", "--allow-distortion", "-o", str(tmp_path / "b")]) == 0
    err = capsys.readouterr().err
    assert "böjts" in err and "åldersband" in err
    expected = json.loads((tmp_path / "b" / "expected.json").read_text(encoding="utf-8"))
    assert expected["status"] == "accepted"
    # never more than the test lists hold, distortion or not
    assert main([*args, "--persons", "99999", "--allow-distortion", "-o", str(tmp_path / "c")]) == 2
    assert "testlistor" in capsys.readouterr().err


def test_profile_is_printed_side_by_side(tmp_path, capsys):
    args = ["generate", "--year", "2004", "--seed", "3", "--persons", "800", "--profile", "-o", str(tmp_path)]
    assert main(args) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "0 förväntade fynd (godkänd)" in captured.err  # fewer persons than municipalities: no empty files
    for text in ("genererat", "publicerat", "daglig verksamhet, män", "45–64", "per 10 000", "Spearman"):
        assert text in out
    assert "personkrets 1" not in out  # personkrets was not collected 2004–2006
    assert "2021 års form" in out and "52 900" in out


def test_2004_uses_its_own_published_insatser(year_model):
    ym = year_model(2004)
    p = prof.measure(ym, build_register(ym, seed=4, municipalities=40).files)
    dv = p.row(prof.INSATS, "daglig verksamhet")
    assert dv.published == pytest.approx(100 * 24_100 / 52_900)
    assert abs(dv.deviation) <= 0.10
    assert p.row(prof.INSATS, "personlig assistans").published == pytest.approx(100 * 4948 / 76_712)
    assert "publicerade för 2004" in p.basis


def test_years_before_2021_scale_to_the_headline_totals():
    assert pop.total_persons(2004) == (52_900, "publicerad")
    assert pop.total_persons(2015)[0] == 69_500
    assert pop.total_persons(2021)[0] == 76_712
    assert pop.total_persons(2023)[0] == 79_100
    assert 52_900 < pop.total_persons(2010)[0] < 69_500
    assert sum(pop.cell_weights(2004).values()) == pytest.approx(52_900)


@pytest.mark.parametrize("year", [1999, 2005, 2012])
def test_every_era_draws_its_largest_realistic_register(year, year_model):
    ym = year_model(year)
    reg = build_register(ym, seed=year, municipalities=30)
    assert reg.expected["status"] == "accepted"
    width = len(ym.field_names)
    assert all(line.count(";") == width - 1 for lines in reg.files.values() for line in lines)
    p = prof.measure(ym, reg.files)
    assert p.persons == capacity(ym)
    assert all(abs(r.deviation) <= 0.15 for r in p.group(prof.AGE))
    assert all(abs(r.deviation) <= 0.10 for r in p.group(prof.INSATS))


def test_shipped_data_are_the_reference_copies():
    if not SHARED.is_dir():  # pragma: no cover - outside the project's workspace
        pytest.skip("no shared reference folder")
    from importlib import resources

    folder = resources.files("lss_rules.generators") / "data"
    for name in (
        "kommuner-folkmangd-2020-2024.csv",
        "befolkning-alder-kon-2020-2024.csv",
        "lss-per-10000-personkrets-alder-kon-2021.csv",
        "lss-national-figures.md",
    ):
        assert (folder / name).read_bytes() == (SHARED / name).read_bytes(), name
    # the figures typed from lss-national-figures.md agree with it
    md = (SHARED / "lss-national-figures.md").read_text(encoding="utf-8")
    for cat, by_sex in pop.per_insats_2021().items():
        if cat != "totalt_personer":
            row = f"{by_sex['women']:,} | {by_sex['men']:,} |".replace(",", " ")
            assert row in md, cat


def test_docs_page_table_and_chart(spec):
    pages = prof.site_pages(spec, 2021)
    md, svg = pages[prof.PAGE], pages[prof.CHART]
    assert "| daglig verksamhet |" in md and "Spearmans rangkorrelation" in md and "profil.svg" in md
    assert svg.startswith("<svg") and "<script" not in svg and "daglig verksamhet" in svg


def test_docs_navigation_has_the_page(spec):
    from lss_rules.backends.docs.site import nav

    assert {"Syntetiska register": prof.PAGE} in nav(spec)
