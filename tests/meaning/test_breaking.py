"""Whether a change breaks a vendor's validator (`lss-rules diff`, meaning.breaking).

The property tests build variants of the real spec in which 2024 changes from 2023 by edits chosen by
Hypothesis: a change that only loosens (a limit raised, an error made a warning, a rule retired) is never
breaking; one with a tightening edit in it (a limit lowered, a warning made an error, a new error rule)
always is.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.cli import main
from lss_rules.language import model as m
from lss_rules.language.load import load_spec
from lss_rules.meaning.breaking import part_effect, widening
from lss_rules.meaning.diff import diff_years, to_json
from lss_rules.meaning.release_notes import render_markdown

REPO = Path(__file__).resolve().parents[2]
RULES = (REPO / "spec" / "rules.lss").read_text(encoding="utf-8")

#: Rules in force with one severity, error, from the first year (an edit gives them a second entry).
ERROR_RULES = re.findall(r"^rule (LSS-R\d\d) \{\n(?:  .*\n)*?  severity error from 1999\n", RULES, re.M)
#: Upper limits read as ``x <= limit`` by an error rule, with their one value.
LIMITS = {
    name: int(v) for name, v in re.findall(r"^parameter (\w+_max_\w+) \{\n(?:  .*\n)*?  value (\d+) from", RULES, re.M)
}


def _x(v: int | None = None) -> m.Compare:
    return m.Compare("<=", m.FieldRef("timmar"), m.ParamRef("max", v))


def test_the_spec_has_what_the_variants_edit():
    assert len(ERROR_RULES) >= 5 and "LSS-R04" in ERROR_RULES
    assert set(LIMITS) >= {"ledsagarservice_max_timmar", "avlosarservice_max_timmar", "korttidsvistelse_max_dygn"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (_x(744), _x(1488), "wider"),
        (_x(1488), _x(744), "narrower"),
        (m.Not(_x(744)), m.Not(_x(1488)), "narrower"),
        (m.Compare(">=", m.FieldRef("a"), m.IntLit(17)), m.Compare(">=", m.FieldRef("a"), m.IntLit(16)), "wider"),
        (m.Compare("=", m.FieldRef("a"), m.IntLit(1)), m.Compare("=", m.FieldRef("a"), m.IntLit(2)), "other"),
        (
            m.Between(m.FieldRef("a"), m.IntLit(12), m.IntLit(23)),
            m.Between(m.FieldRef("a"), m.IntLit(12), m.IntLit(25)),
            "wider",
        ),
        (
            m.Between(m.FieldRef("a"), m.IntLit(12), m.IntLit(23)),
            m.Between(m.FieldRef("a"), m.IntLit(10), m.IntLit(20)),
            "other",
        ),
        (m.Member(m.FieldRef("a"), (m.IntLit(1),)), m.Member(m.FieldRef("a"), (m.IntLit(1), m.IntLit(2))), "wider"),
        (m.And(_x(1), _x(2)), m.And(_x(3), _x(4)), "wider"),
        (
            m.Compare("<=", m.Arith("-", m.FieldRef("a"), m.IntLit(5)), m.IntLit(9)),
            m.Compare("<=", m.Arith("-", m.FieldRef("a"), m.IntLit(6)), m.IntLit(9)),
            "wider",
        ),
        (_x(1), m.Compare("<", m.FieldRef("timmar"), m.ParamRef("max", 1)), "other"),
        (m.Count(m.GroupRef("g", ("a",))), m.Count(m.GroupRef("g", ("a", "b"))), "other"),
        (_x(5), _x(5), "same"),
    ],
)
def test_widening(old, new, expected):
    assert widening(old, new) == expected


def test_part_effects():
    assert part_effect("require", _x(744), _x(1488)) == "looser"
    assert part_effect("require", _x(1488), _x(744)) == "tighter"
    assert part_effect("when", _x(744), _x(1488)) == "tighter"
    assert part_effect("required_when", _x(744), _x(1488)) == "tighter"
    assert part_effect("empty_unless", _x(744), _x(1488)) == "looser"
    assert part_effect("require", None, _x(1)) == "tighter"
    assert part_effect("require", _x(1), None) == "looser"
    assert part_effect("when", None, _x(1)) == "looser"
    assert part_effect("unique", "unique a", "unique b") == "other"
    assert part_effect("message", "a", "b") == "none"


# ----------------------------------------------------------------- the years of the real spec


@pytest.mark.parametrize(
    ("a", "b", "breaking"),
    [
        (2021, 2022, False),  # R21's limit raised 744 -> 1488
        (2019, 2020, False),  # R06 error -> warning
        (2020, 2021, True),  # R21-R24 new errors (R17-R20 retired, which alone would not break)
        (2006, 2007, True),  # fields added, Heby's old code removed
        (2022, 2021, True),  # the limit lowered
        (2020, 2019, True),  # a warning made an error
        (2022, 2023, False),
    ],
)
def test_real_years(spec, a, b, breaking):
    d = diff_years(spec, a, b)
    assert bool(d.breaking) is breaking
    doc = to_json(d)
    assert doc["breaking"] is breaking and doc["breaking_count"] == len(d.breaking)


def test_raised_limit_is_looser_in_every_part(spec):
    d = diff_years(spec, 2021, 2022)
    assert {c.effect for c in d.rule_changes} == {"looser", "none"}  # require looser, message none
    assert [p.effect for p in d.parameters] == ["looser"]
    back = diff_years(spec, 2022, 2021)
    assert [p.effect for p in back.parameters] == ["tighter"]


@pytest.mark.parametrize(("a", "b", "code"), [(2021, 2022, 0), (2019, 2020, 0), (2020, 2021, 1), (1990, 2021, 2)])
def test_fail_on_breaking_exit_codes(a, b, code, capsys):
    assert main(["diff", str(a), str(b), "--fail-on-breaking"]) == code
    out = capsys.readouterr()
    if code == 1:
        assert "[bryter: en ny felregel" in out.out
    if code == 2:
        assert "1990" in out.err and "Traceback" not in out.err


def test_without_the_flag_breaking_is_exit_0():
    assert main(["diff", "2020", "2021"]) == 0


def test_markdown_marks_breaking_and_escapes_spec_text(spec, capsys):
    md = render_markdown(diff_years(spec, 2020, 2021))
    assert md.startswith("# Ändringar från 2020 till 2021\n")
    assert "- **Bryter:** Börjar gälla: LSS-R21" in md
    assert "- Gäller inte längre: LSS-R17" in md
    assert "- Högsta antal timmar personlig assistans per månad: (inget) → 744 timmar per månad." in md
    assert main(["diff", "2003", "2004", "--format", "markdown"]) == 0
    assert "(bostad\\_vuxna)" in capsys.readouterr().out  # a field's identifier after its label: `_` escaped


# ----------------------------------------------------------------- spec variants


def _block(text: str, kind: str, name: str) -> tuple[int, int]:
    start = text.index(f"\n{kind} {name} {{\n") + 1
    return start, text.index("\n}\n", start) + 1


def _in_block(text: str, kind: str, name: str, old: str, new: str) -> str:
    a, b = _block(text, kind, name)
    body = text[a:b]
    assert body.count(old) == 1, (name, old)
    return text[:a] + body.replace(old, new) + text[b:]


def _set_limit(text: str, name: str, value: int) -> str:
    if name == "personlig_assistans_max_timmar":
        return _in_block(
            text, "parameter", name, "    1488 from 2022\n", f"    1488 from 2022\n    {value} from 2024\n"
        )
    old = LIMITS[name]
    return _in_block(
        text, "parameter", name, f"  value {old} from 1999\n", f"  value\n    {old} from 1999\n    {value} from 2024\n"
    )


def _set_severity(text: str, rule: str, severity: str) -> str:
    return _in_block(
        text,
        "rule",
        rule,
        "  severity error from 1999\n",
        f"  severity\n    error from 1999\n    {severity} from 2024\n",
    )


def _diff_of_variant(rules_text: str):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "spec"
        shutil.copytree(REPO / "spec", folder)
        (folder / "rules.lss").write_text(rules_text, encoding="utf-8")
        return diff_years(load_spec(folder), 2023, 2024)


def _current(name: str) -> int:
    return 1488 if name == "personlig_assistans_max_timmar" else LIMITS[name]


LOOSENING = st.fixed_dictionaries(
    {
        "limits": st.dictionaries(st.sampled_from(sorted(LIMITS)), st.integers(1, 500), max_size=3),
        "severities": st.dictionaries(st.sampled_from(ERROR_RULES), st.sampled_from(["warning", "none"]), max_size=4),
    }
).filter(lambda e: e["limits"] or e["severities"])

TIGHTENING = st.one_of(
    st.tuples(st.just("lower"), st.sampled_from(sorted(LIMITS)), st.integers(1, 10)),
    st.tuples(st.just("error"), st.just("LSS-R16"), st.just(0)),  # a warning made an error
    st.tuples(st.just("new"), st.sampled_from(["LSS-R17", "LSS-R18", "LSS-R19", "LSS-R20"]), st.just(0)),
)


def _loosen(text: str, edits) -> str:
    for name, k in edits["limits"].items():
        text = _set_limit(text, name, _current(name) + k)
    for rule, severity in edits["severities"].items():
        text = _set_severity(text, rule, severity)
    return text


_SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(LOOSENING)
def test_a_change_that_only_loosens_never_breaks(edits):
    d = _diff_of_variant(_loosen(RULES, edits))
    assert not d.empty
    assert d.breaking == (), [(type(c).__name__, c.effect) for c in d.breaking]


@_SETTINGS
@given(LOOSENING | st.just({"limits": {}, "severities": {}}), TIGHTENING)
def test_a_change_that_tightens_always_breaks(edits, tighten):
    kind, name, k = tighten
    edits = {
        "limits": {n: v for n, v in edits["limits"].items() if n != name},
        "severities": edits["severities"],
    }
    text = _loosen(RULES, edits)
    if kind == "lower":
        text = _set_limit(text, name, _current(name) - k)
    elif kind == "error":
        text = _in_block(
            text,
            "rule",
            name,
            "  severity warning from 1999\n",
            "  severity\n    warning from 1999\n    error from 2024\n",
        )
    else:
        text = _in_block(text, "rule", name, "    none from 2021\n", "    none from 2021\n    error from 2024\n")
    d = _diff_of_variant(text)
    assert d.breaking, kind
    assert to_json(d)["breaking"] is True


# ----------------------------------------------------------------- impact reads the diff


def test_impact_says_what_breaks_between_years(spec):
    from lss_rules.tools.impact import compare, render_text, to_json

    line = "0114;201001012382;1;1;800;0;;1;0;;0;;0;0;0;0;0;;0"
    imp = compare(spec.for_year(2020), spec.for_year(2021), {"0114.txt": [line]}, label=("2020", "2021"))
    assert [b.split(" ")[2] for b in imp.breaking] == ["LSS-R21", "LSS-R22", "LSS-R23", "LSS-R24"]
    assert to_json(imp)["breaking_changes"] == list(imp.breaking)
    assert "bryter mot ett leverantörsprogram" in render_text(imp)
    loose = compare(spec.for_year(2021), spec.for_year(2022), {"0114.txt": [line]}, label=("2021", "2022"))
    assert loose.breaking == ()


def test_impact_against_another_spec_says_what_breaks():
    """Two specs, one year (``impact --against``): R16 made an error in the working copy breaks; back does not."""
    from lss_rules.tools.impact import compare

    release = load_spec(REPO / "spec")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "spec"
        shutil.copytree(REPO / "spec", folder)
        text = _in_block(RULES, "rule", "LSS-R16", "  severity warning from 1999\n", "  severity error from 1999\n")
        (folder / "rules.lss").write_text(text, encoding="utf-8")
        working = load_spec(folder)
        line = "0114;201001012382;1;1;800;0;;1;0;;0;;0;0;0;0;0;;0"
        imp = compare(release.for_year(2023), working.for_year(2023), {"0114.txt": [line]}, label=("a", "b"))
        assert len(imp.breaking) == 1 and "LSS-R16" in imp.breaking[0] and "varning → fel" in imp.breaking[0]
        back = compare(working.for_year(2023), release.for_year(2023), {"0114.txt": [line]}, label=("b", "a"))
        assert back.breaking == ()
