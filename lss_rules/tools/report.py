"""The feedback file (återkopplingsfil) and the comparison report (jämförelserapport).

After a submission Socialstyrelsen sends each municipality the number of
persons with each insats (rule catalogue §5), and compares each count with the
municipality's previous year, flagging large deviations for follow-up.

Counting, as implemented here:

- one file = one municipality; its code is the most common *valid* ``kommun``
  value on the file's well-formed lines (valid: four digits and a code that
  exists that year); on a tie the lowest code; no valid code -> ``None``;
- a line counts only when it is well formed: it has the year's number of fields
  (a line that would draw LSS-S01 is not counted); no other rule matters;
- the number of persons with an insats = the number of distinct, non-empty
  ``personnummer`` values on well-formed lines whose flag for that insats is
  exactly ``1``; the insatser are the members of the group that the national
  rule keys on (``unique personnummer for each set flag in insatser``) that
  are collected that year, in the group's order;
- the previous year's files are read with the previous year's layout and
  matched to this year's files by municipality code.

A deviation is flagged for follow-up when ``|now - previous|`` is at least the
parameter the register names ``comparison_minimum`` (in the LSS spec
``jamforelse_minsta_antal``) and either ``previous`` is 0 or
``|now - previous| / previous * 100`` is strictly greater than the parameter it
names ``comparison_threshold`` (``jamforelse_troskel``; both dated parameters of
the spec, taken in the current year; the sources do not publish a threshold).  An insats that exists
in only one of the two years (``boende_vuxna`` 2003 against ``bostad_vuxna``
2004) is not comparable and never flagged.

>>> flagged(now=31, previous=25, threshold=20, minimum=5)   # +6, 24 %
True
>>> flagged(now=30, previous=25, threshold=20, minimum=5)   # +5, exactly 20 %
False
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

from lss_rules.errors import DataError
from lss_rules.language import model as m
from lss_rules.runtime import python as runtime

Reason: TypeAlias = Literal["not_collected_previous", "not_collected_now", "no_previous_file"]


@dataclass(frozen=True, slots=True)
class Insats:
    name: str
    label: str


@dataclass(frozen=True, slots=True)
class MunicipalityCount:
    """The feedback of one file."""

    file: str
    code: str | None
    name: str | None
    records: int  # lines in the file
    well_formed: int  # lines with the year's number of fields
    persons: int  # distinct personnummer on well-formed lines
    counts: tuple[tuple[str, int], ...]  # insats -> number of persons, in the year's insats order
    other_widths: tuple[int, ...] = ()  # field counts seen on lines that do not have the year's layout

    def count(self, insats: str) -> int | None:
        return next((n for name, n in self.counts if name == insats), None)


@dataclass(frozen=True, slots=True)
class Feedback:
    """The feedback file of one year: one entry per submitted file."""

    year: int
    insatser: tuple[Insats, ...]
    municipalities: tuple[MunicipalityCount, ...]
    register: str = "LSS"  # the register's name as reports write it (from the spec)


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    insats: str
    label: str
    now: int | None  # None: the insats is not collected this year, or no file
    previous: int | None  # None: not collected the previous year, or no previous file
    reason: Reason | None  # why the row is not comparable; None when it is
    flagged: bool

    @property
    def comparable(self) -> bool:
        return self.reason is None

    @property
    def change(self) -> int | None:
        return None if self.now is None or self.previous is None else self.now - self.previous

    @property
    def percent(self) -> float | None:
        """Change in percent of the previous count (None when it is 0 or missing)."""
        if self.change is None or not self.previous:
            return None
        return self.change / self.previous * 100


@dataclass(frozen=True, slots=True)
class MunicipalityComparison:
    current: MunicipalityCount
    previous: MunicipalityCount | None
    rows: tuple[ComparisonRow, ...]

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.rows if r.flagged)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The comparison report of ``year`` against ``year - 1``."""

    year: int
    previous_year: int
    threshold: int  # percent
    minimum: int  # persons
    current: Feedback
    previous: Feedback
    municipalities: tuple[MunicipalityComparison, ...]
    unmatched_previous: tuple[MunicipalityCount, ...]  # previous files with no file this year
    # the spec's names of the threshold and minimum parameters (the register's comparison_threshold/_minimum)
    parameters: tuple[str, str]


# ----------------------------------------------------------------- counting


def counted_group(spec: m.Spec) -> str:
    """The group whose members are counted: the one a national rule keys on (``for each set flag in``)."""
    for r in spec.rules:
        if r.unique is not None and r.unique.each_flag_in is not None:
            return r.unique.each_flag_in.name
    raise DataError(
        "specifikationen anger inte vilka insatser som räknas: återkopplingen räknar gruppen i en regel "
        "`unique personnummer for each set flag in GRUPP`, och ingen regel har en sådan"
    )


def insatser_of(ym: m.YearModel) -> tuple[Insats, ...]:
    """The insatser collected in the year: members of the counted group that are in the year's layout."""
    spec = ym.spec
    name = counted_group(spec)
    try:
        group = spec.group(name)
    except StopIteration:
        raise DataError(f"specifikationen saknar gruppen `{name}`") from None
    names = set(ym.field_names)
    return tuple(Insats(n, spec.field(n).label) for n in group.members if n in names)


def _municipality_names(ym: m.YearModel) -> dict[str, str]:
    return {mu.code: mu.name for ds in ym.spec.datasets for mu in ds.rows if mu.valid_in(ym.year)}


def count_file(
    ym: m.YearModel, path: str, insatser: Sequence[Insats] | None = None, show_personnummer: bool = False
) -> MunicipalityCount:
    """The feedback of one file read with ``ym``'s layout (InputError if it cannot be read).

    Its name as reports show it: valid UTF-8, a personnummer-shaped run masked (:func:`runtime.mask_text`)
    unless ``show_personnummer``.
    """
    insatser = insatser_of(ym) if insatser is None else insatser
    names = ym.field_names
    sep = ym.layout.separator
    kommun = next((f.name for f in ym.fields if isinstance(f.type, m.MunicipalityType)), None)
    pnr = next((f.name for f in ym.fields if isinstance(f.type, m.PersonnummerType)), None)
    if kommun is None or pnr is None:
        raise DataError(f"postbeskrivningen för {ym.year} saknar kommun eller personnummer")
    i_kommun, i_pnr = names.index(kommun), names.index(pnr)
    flag_index = [(ins.name, names.index(ins.name)) for ins in insatser]
    holders: dict[str, set[str]] = {ins.name: set() for ins in insatser}
    persons: set[str] = set()
    codes: Counter[str] = Counter()
    records = well_formed = 0
    widths: Counter[int] = Counter()
    for line in runtime.iter_lines(path):
        records += 1
        parts = line.split(sep)
        if len(parts) != len(names):
            widths[len(parts)] += 1
            continue
        well_formed += 1
        code = parts[i_kommun]
        if len(code) == 4 and code.isascii() and code.isdigit() and code in ym.municipalities:
            codes[code] += 1
        person = parts[i_pnr]
        if person == "":
            continue
        persons.add(person)
        for name, i in flag_index:
            if parts[i] == "1":
                holders[name].add(person)
    code = min(codes, key=lambda c: (-codes[c], c)) if codes else None
    return MunicipalityCount(
        file=_shown_name(path, show_personnummer),
        code=code,
        name=_municipality_names(ym).get(code) if code else None,
        records=records,
        well_formed=well_formed,
        persons=len(persons),
        counts=tuple((ins.name, len(holders[ins.name])) for ins in insatser),
        other_widths=tuple(sorted(widths, key=lambda w: (-widths[w], w))),
    )


def layout_warnings(ym: m.YearModel, fb: Feedback) -> list[str]:
    """A warning per file whose lines do not all have ``ym``'s layout (a file of another layout era).

    Such lines are not counted; without a warning a previous year's file read with the wrong layout
    showed only as "???? okänd kommun" with zeros.
    """
    out = []
    width = len(ym.fields)
    for mc in fb.municipalities:
        bad = mc.records - mc.well_formed
        if bad == 0:
            continue
        seen = ", ".join(str(w) for w in mc.other_widths[:3])
        eras = _years_with_width(ym.spec, mc.other_widths[0]) if mc.other_widths else ""
        hint = f"; {mc.other_widths[0]} fält har postbeskrivningen {eras}" if eras else ""
        out.append(
            f"{runtime.printable(mc.file)}: {bad} av {mc.records} rader har inte {ym.year}:s postbeskrivning "
            f"({width} fält, har {seen}) och räknas inte — är filen från ett annat år?{hint}"
        )
    return out


def _years_with_width(spec: m.Spec, width: int) -> str:
    from lss_rules.language.history import listed_years

    years = [y for y in listed_years(spec) if len(spec.for_year(y).fields) == width]
    if not years:
        return ""
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def _shown_name(path: str, show_personnummer: bool) -> str:
    name: str = runtime.clean_path(path)  # valid UTF-8 whatever the name's bytes (README)
    return name if show_personnummer else runtime.mask_text(name)


def feedback(ym: m.YearModel, paths: Sequence[str], show_personnummer: bool = False) -> Feedback:
    """The feedback file for the submission files of ``ym.year``."""
    insatser = insatser_of(ym)
    counts = tuple(count_file(ym, p, insatser, show_personnummer) for p in paths)
    return Feedback(ym.year, insatser, counts, ym.spec.register.name.upper())


# ----------------------------------------------------------------- comparing


def flagged(now: int, previous: int, threshold: int, minimum: int) -> bool:
    """A deviation to follow up: at least ``minimum`` persons and (from 0, or more than ``threshold`` percent)."""
    change = abs(now - previous)
    if change < minimum:
        return False
    return previous == 0 or change * 100 > threshold * previous  # integers: exactly at the threshold is not above


def _parameter(ym: m.YearModel, key: Literal["comparison_threshold", "comparison_minimum"]) -> tuple[str, int]:
    """The name the register gives the parameter, and its value in the year."""
    name = getattr(ym.spec.register, key)
    if name is None:
        raise DataError(
            f"registret `{ym.spec.register.name}` anger ingen `{key}`; "
            "ange parametern för jämförelserapporten i register-blocket"
        )
    value = dict(ym.parameters).get(name)
    if value is None:
        raise DataError(f"parametern `{name}` har inget värde {ym.year}; ange den i specifikationen")
    return name, value


def compare(
    spec: m.Spec, year: int, paths: Sequence[str], previous_paths: Sequence[str], show_personnummer: bool = False
) -> Comparison:
    """The comparison report of ``year``'s files against ``year - 1``'s files (read with that year's layout)."""
    ym = spec.for_year(year)
    if year - 1 < spec.first_year:
        raise DataError(f"det finns inget föregående år att jämföra {year} med: registret börjar {spec.first_year}")
    ym_prev = spec.for_year(year - 1)
    (threshold_name, threshold), (minimum_name, minimum) = (
        _parameter(ym, "comparison_threshold"),
        _parameter(ym, "comparison_minimum"),
    )
    current = feedback(ym, paths, show_personnummer)
    previous = feedback(ym_prev, previous_paths, show_personnummer)
    by_code: dict[str, MunicipalityCount] = {}
    for mc in previous.municipalities:
        if mc.code is not None:
            by_code.setdefault(mc.code, mc)  # a second previous file with the same code is not used
    order = [i.name for i in current.insatser] + [i.name for i in previous.insatser if i not in current.insatser]
    labels = {i.name: i.label for i in (*current.insatser, *previous.insatser)}
    now_names = {i.name for i in current.insatser}
    prev_names = {i.name for i in previous.insatser}
    used: set[str] = set()
    out = []
    for mc in current.municipalities:
        prev = by_code.get(mc.code) if mc.code is not None else None
        if prev is not None:
            used.add(prev.file)
        rows = []
        for name in order:
            now_n = mc.count(name) if name in now_names else None
            prev_n = prev.count(name) if prev is not None and name in prev_names else None
            reason: Reason | None = None
            if name not in prev_names:
                reason = "not_collected_previous"
            elif name not in now_names:
                reason = "not_collected_now"
            elif prev is None:
                reason = "no_previous_file"
            is_flagged = (
                reason is None
                and now_n is not None
                and prev_n is not None
                and flagged(now_n, prev_n, threshold, minimum)
            )
            rows.append(ComparisonRow(name, labels[name], now_n, prev_n, reason, is_flagged))
        out.append(MunicipalityComparison(mc, prev, tuple(rows)))
    unmatched = tuple(mc for mc in previous.municipalities if mc.file not in used)
    names = (threshold_name, minimum_name)
    return Comparison(year, year - 1, threshold, minimum, current, previous, tuple(out), unmatched, names)
