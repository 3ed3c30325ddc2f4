"""Running the worked examples (``spec/examples/*.yaml``) and giving them to the conformance suite.

The format and its reading, with positions and bounds, are :mod:`lss_rules.language.examples`.  Here an
example's records become lines (every field not given filled in from the model,
:func:`lss_rules.meaning.derive.base_record`), ``lss-rules check`` runs every example against the
reference evaluator (:mod:`lss_rules.meaning.evaluate`) and the compiled validator, a failing example
being a located diagnostic in its YAML file, and :func:`example_cases` gives the conformance suite the
examples of a year as vectors.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lss_rules.language import model as m
from lss_rules.language.diagnostics import Diagnostic
from lss_rules.language.examples import Example, load_examples

ENGINES: dict[str, str] = {"reference": "referensutvärderaren", "compiled": "den kompilerade validatorn"}
_SEVERITY_SV = {"error": "fel", "warning": "varning"}


# --------------------------------------------------------------------------- from records to lines


def _flag_from(expr: m.Expr | None) -> tuple[str, str] | None:
    """``flag = 1`` -> (flag, "1"): what a count field needs so that it may be given."""
    if (
        isinstance(expr, m.Compare)
        and expr.op == "="
        and isinstance(expr.left, m.FieldRef)
        and isinstance(expr.right, m.IntLit)
    ):
        return expr.left.name, str(expr.right.value)
    return None


def _default_numbers(ym: m.YearModel) -> Iterator[str]:
    from lss_rules.meaning import derive

    base = derive.base_record(ym)
    pnr = derive.pnr_field(ym)
    lines = derive.Lines(ym)
    born = int(base[pnr][:4])
    yield base[pnr]
    for year in (born, born - 1, born + 1, born - 2, born + 2):
        for p in lines.pool.by_birth_year.get(year, ()):
            if p != base[pnr]:
                yield p


def file_lines(ym: m.YearModel, example: Example) -> dict[str, list[str]]:
    """The files of an example as lines (file name -> lines), every field not given filled in."""
    from lss_rules.meaning import derive

    base = derive.base_record(ym)
    lines = derive.Lines(ym)
    flags = [f.name for f in ym.fields if derive.is_flag(f)]
    numbers = _default_numbers(ym)
    kommun = next(f.name for f in ym.fields if isinstance(f.type, m.MunicipalityType) and not f.optional)
    out: dict[str, list[str]] = {}
    for ef in example.files:
        texts: list[str] = []
        first_kommun = None
        for rec in ef.records:
            if rec.raw is not None:
                texts.append(rec.raw)
                continue
            given = dict(rec.values)
            values = dict(base)
            derived: dict[str, str] = {}
            for name, v in given.items():
                need = _flag_from(ym.field(name).empty_unless)
                if v != "" and need is not None and need[0] not in given:
                    derived[need[0]] = need[1]
            if any(n in flags for n in (*given, *derived)):
                for n in flags:
                    values[n] = "0"
            values.update(derived)
            values.update(given)
            if lines.pnr not in given:
                values[lines.pnr] = next(numbers)
            lines.fix_up(values, keep=given)
            texts.append(lines.text(values))
            if first_kommun is None:
                first_kommun = values[kommun]
        code = first_kommun or base[kommun]
        name = ef.name or (f"{code}.txt" if code.isascii() and code.isalnum() else f"fil{len(out) + 1}.txt")
        out[name] = texts
    return out


# --------------------------------------------------------------------------- running


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one engine found: (file, line, rule, severity) for every finding."""

    engine: str
    found: frozenset[tuple[str, int | None, str, str]]


def _expected_set(example: Example, names: Sequence[str]) -> frozenset[tuple[str, int | None, str, str]]:
    return frozenset((e.file or names[0], e.line, e.rule, e.severity) for e in example.findings)


def run_reference(ym: m.YearModel, example: Example, files: Mapping[str, list[str]]) -> Outcome:
    from lss_rules.meaning.evaluate import Evaluator, rule_table

    names = list(files)
    deceased = dict(example.deceased) if example.deceased is not None else None
    _, found = Evaluator(ym, deceased).run([files[n] for n in names])
    table = rule_table(ym)
    return Outcome("reference", frozenset((names[f.file], f.line, f.rule, table[f.rule][0]) for f in found))


def run_compiled(ym: m.YearModel, example: Example, files: Mapping[str, list[str]], spec_dir: Path | None) -> Outcome:
    from lss_rules.backends.python.cache import load_validator

    module = load_validator(ym.year, spec_dir)
    names = list(files)
    deceased = dict(example.deceased) if example.deceased is not None else None
    with tempfile.TemporaryDirectory(prefix="lss-exempel-") as tmp:
        paths = []
        for i, n in enumerate(names):
            p = Path(tmp) / f"{i}.txt"  # never a name from the example: it could hold a path
            p.write_bytes("".join(t + "\n" for t in files[n]).encode("utf-8"))
            paths.append(str(p))
        _, found = module.validate(paths, deceased)
    return Outcome("compiled", frozenset((names[f[1]], f[2], f[0], module.RULES[f[0]][0]) for f in found))


def _describe(key: tuple[str, int | None, str, str]) -> str:
    file, line, rule, severity = key
    where = "hela filen" if line is None else f"rad {line}"
    return f"{rule} ({_SEVERITY_SV.get(severity, severity)}) {where} i {file}"


def check_example(
    spec: m.Spec, example: Example, spec_dir: Path | None, engines: Sequence[str] = tuple(ENGINES)
) -> Diagnostic | None:
    """None when every engine gives exactly the example's findings, else one located diagnostic."""
    ym = spec.for_year(example.year)
    files = file_lines(ym, example)
    names = list(files)
    want = _expected_set(example, names)
    problems: list[str] = []
    pos = example.pos
    for engine in engines:
        if engine == "reference":
            got = run_reference(ym, example, files).found
        else:
            got = run_compiled(ym, example, files, spec_dir).found
        if got == want:
            continue
        missing = sorted(want - got, key=_order)
        extra = sorted(got - want, key=_order)
        label = ENGINES[engine]
        if missing:
            problems.append(f"{label}: väntade {'; '.join(_describe(k) for k in missing)} men fick inte det")
            first = next(e for e in example.findings if (e.file or names[0], e.line, e.rule, e.severity) == missing[0])
            if pos is example.pos:
                pos = first.pos
        if extra:
            problems.append(f"{label}: fick {'; '.join(_describe(k) for k in extra)} som exemplet inte anger")
            if pos is example.pos:
                pos = _record_pos(example, names, extra[0]) or pos
    if not problems:
        return None
    got_all = sorted(run_reference(ym, example, files).found, key=_order)
    message = f"exemplet `{example.name}` ({example.year}) ger inte de fynd det anger"
    notes = (*problems, "referensutvärderaren ger: " + ("; ".join(_describe(k) for k in got_all) or "inga fynd"))
    hint = "rätta exemplet eller regeln; `lss-rules explain` visar regeln"
    # why each finding the example does not state came: the finding's detail, and a valid test number
    why = reasons(ym, example, files)
    unexpected = {k for k in got_all if k not in want}
    for key in sorted(unexpected & why.keys(), key=_order):
        detail, proposal = why[key]
        notes = (*notes, f"{_describe(key)}: {detail}")
        if proposal is not None:
            hint = proposal
    return Diagnostic("E023", message, pos, hint, notes=notes)


def reasons(
    ym: m.YearModel, example: Example, files: Mapping[str, list[str]]
) -> dict[tuple[str, int | None, str, str], tuple[str, str | None]]:
    """Why each of the reference evaluator's findings on a line came: (its detail, a proposal or None).

    The detail is the one a report gives (:func:`lss_rules.runtime.python.finding_details`: the line's
    values, personnummer masked, and what the rule requires); for a rule that checks a personnummer it is
    what is wrong with the number ("fel kontrollsiffra"), and the proposal is a valid test number of the
    same birth date from Skatteverket's list (:func:`personnummer_proposal`).
    """
    from lss_rules.meaning.evaluate import Evaluator, rule_table
    from lss_rules.meaning.expected import detail_table
    from lss_rules.runtime import python as runtime

    names = list(files)
    deceased = dict(example.deceased) if example.deceased is not None else None
    _, found = Evaluator(ym, deceased).run([files[n] for n in names])
    table = rule_table(ym)
    details = detail_table(ym)
    checks_pnr = {a.id: _checks_personnummer(a) for a in ym.rules}
    out: dict[tuple[str, int | None, str, str], tuple[str, str | None]] = {}
    for f in found:
        lines = files[names[f.file]]
        if f.line is None or not 1 <= f.line <= len(lines):
            continue
        key = (names[f.file], f.line, f.rule, table[f.rule][0])
        parts = lines[f.line - 1].split(details["separator"])
        pnr = next(
            (
                parts[i]
                for i, n in enumerate(details["fields"])
                if n in f.fields and i < len(parts) and details["kinds"].get(n) == "personnummer"
            ),
            None,
        )
        if checks_pnr.get(f.rule) and pnr is not None:
            problem = personnummer_problem(pnr, ym.reference_date)
            if problem is not None:
                out[key] = (f"personnumret {problem}", personnummer_proposal(pnr, ym.reference_date))
                continue
        said = runtime.finding_details(f.rule, list(f.fields), parts, details)
        if said is not None:
            out[key] = (said["detail"], None)
    return out


def _checks_personnummer(active: m.ActiveRule) -> bool:
    return any(
        isinstance(n, m.ValidPersonnummer) for e in (active.when, active.require) if e is not None for n in m.walk(e)
    )


def personnummer_problem(pnr: str, reference_date: dt.date) -> str | None:
    """What is wrong with a personnummer on ``reference_date``, in Swedish (None when nothing is)."""
    from lss_rules.runtime import python as runtime

    if not (len(pnr) == 12 and pnr.isascii() and pnr.isdigit()):
        return "ska vara tolv siffror (ååååmmddnnnc)"
    born = runtime.birth_date(pnr)
    if born is None:
        return f"har inget verkligt födelsedatum ({pnr[:4]}-{pnr[4:6]}-{pnr[6:8]})"
    if pnr[8:11] == "000":
        return "har löpnumret 000, som inte används"
    if not runtime.luhn_ok(pnr[2:]):
        right = next(d for d in "0123456789" if runtime.luhn_ok(pnr[2:11] + d))
        return f"har fel kontrollsiffra ({pnr[11]}; med den födelsedagen och det löpnumret är den {right})"
    if dt.date(*born) > reference_date:
        return f"är född {dt.date(*born).isoformat()}, efter referensdagen {reference_date.isoformat()}"
    return None


def personnummer_proposal(pnr: str, reference_date: dt.date) -> str | None:
    """A valid test number of the same birth date from Skatteverket's list, as a hint, or None."""
    import bisect

    from lss_rules.meaning.pool import test_numbers
    from lss_rules.runtime import python as runtime

    if not (len(pnr) >= 8 and pnr[:8].isascii() and pnr[:8].isdigit()):
        return None
    numbers = test_numbers()
    at = bisect.bisect_left(numbers, pnr[:8])
    for candidate in numbers[at : at + 200]:
        if not candidate.startswith(pnr[:8]):
            break
        if runtime.valid_personnummer(candidate, reference_date):
            return f"ett giltigt testpersonnummer från Skatteverket med samma födelsedatum: {candidate}"
    return None


def _order(k: tuple[str, int | None, str, str]) -> tuple[str, int, str, str]:
    return (k[0], k[1] or 0, k[2], k[3])


def _record_pos(example: Example, names: Sequence[str], key: tuple[str, int | None, str, str]) -> m.Pos | None:
    fi = names.index(key[0])
    ef = example.files[fi]
    if key[1] is not None and 1 <= key[1] <= len(ef.records):
        return ef.records[key[1] - 1].pos
    return ef.pos


def check_examples(
    spec: m.Spec, folder: Path, spec_dir: Path | None, engines: Sequence[str] = tuple(ENGINES)
) -> tuple[int, list[Diagnostic]]:
    """Read and run every example under ``folder``: (number of examples, problems)."""
    examples, problems = load_examples(folder, spec)
    for ex in examples:
        d = check_example(spec, ex, spec_dir, engines)
        if d is not None:
            problems.append(d)
    return len(examples), sorted(problems, key=Diagnostic.sort_key)


# --------------------------------------------------------------------------- conformance vectors


@dataclass(frozen=True, slots=True)
class Case:
    """A worked example of a year as a conformance vector (before its expected report is computed)."""

    id: str
    rule: str | None
    kind: str  # example | interpretation | convention
    tests: str
    files: dict[str, list[str]]
    deceased: dict[str, dt.date] | None


def example_cases(ym: m.YearModel) -> list[Case]:
    """The spec's worked examples of ``ym.year`` for the conformance suite, in the order of their files.

    :mod:`lss_rules.tools.conformance` makes them named vectors with the reference evaluator's report,
    which ``lss-rules check`` has made sure is the one the example states: ``example-<slug>`` (kind
    ``example``), or the id a file gives with ``vector:`` (kind ``interpretation`` or ``convention``:
    the interpretations and counting conventions of the register, one vector a year).
    No examples folder: none.  An example file with a problem is a :class:`~lss_rules.errors.SpecError`
    with its located diagnostics, which the suite's build reports (exit 2): it once emptied the suite's
    example vectors without a word.
    """
    from lss_rules.errors import SpecError

    if not ym.spec.files:
        return []
    examples, problems = load_examples(Path(ym.spec.files[0]).parent / "examples", ym.spec)
    if problems:
        raise SpecError(sorted(problems, key=Diagnostic.sort_key))
    out = []
    for ex in examples:
        if ex.year == ym.year:
            deceased = dict(ex.deceased) if ex.deceased is not None else None
            files = file_lines(ym, ex)
            if ex.vector is not None:
                out.append(Case(ex.vector, ex.rule, ex.kind, ex.name, files, deceased))
            else:
                out.append(Case(f"example-{ex.slug}", ex.rule, "example", f"exempel: {ex.name}", files, deceased))
    return out
