"""Lowering: declarations (from :mod:`lss_rules.language.syntax`) -> :class:`~lss_rules.language.model.Spec`.

The year model of one year is the next pass, :mod:`lss_rules.language.for_year`; lowering
hands it to the spec it builds (``Spec.year_pass``).

While it lowers, it resolves every name in a condition (fields, parameters,
groups, functions) and checks types; each problem becomes a located
diagnostic, and lowering goes on so that one run reports everything.  The
checks that need the whole spec (year coverage, fields read in years they are
not collected, conditions that can never hold) are in :mod:`lss_rules.language.check`.
The conditions are lowered by :mod:`lss_rules.language.conditions` (names resolved, types checked).

One module past 500 lines: one method per kind of declaration on one ``Lowerer``, each reading what the
declarations lowered before it left (fields before groups, groups before conditions); the reading of the
municipality data file is at its end, beside the dataset declaration that names it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, assert_never, cast

from lss_rules.errors import DataError
from lss_rules.language import model as m
from lss_rules.language import syntax as s
from lss_rules.language.conditions import Conditions, Unresolved, external_calls
from lss_rules.language.datasets import load_municipalities
from lss_rules.language.diagnostics import Diagnostics, did_you_mean
from lss_rules.language.for_year import LAST_YEAR as LAST_YEAR
from lss_rules.language.for_year import PLACEHOLDER, year_model
from lss_rules.language.for_year import resolve_text as resolve_text
from lss_rules.language.paths import dataset_path, printable
from lss_rules.language.syntax import Decl, Raw

T = TypeVar("T")


def _or(prop: s.Located[T] | None, default: T) -> T:
    """A property's value, or ``default`` where the block does not have it."""
    return default if prop is None else prop.value


def _opt(prop: s.Located[T] | None) -> T | None:
    """An optional property's value (None where the block does not have it)."""
    return None if prop is None else prop.value


def _at(d: s.Decl, prop: s.Located[T] | None) -> m.Pos:
    """Where a property is written; the declaration's name where it is not."""
    return d.name_pos if prop is None else prop.pos


def _namespace(d: s.Decl) -> str:
    """The names a declaration's name must differ from: checks and rules share ids, the rest share names."""
    match d:
        case s.CheckDecl() | s.RuleDecl():
            return "id"
        case s.RegisterDecl():
            return "register"
        case s.DatasetDecl() | s.FieldDecl() | s.GroupDecl() | s.LayoutDecl() | s.ParameterDecl():
            return "name"
        case _:
            assert_never(d)


class Lowerer:
    """One lowering run over all declarations of a spec."""

    def __init__(self, decls: list[Decl], base_dirs: dict[str, Path], diags: Diagnostics) -> None:
        self.decls = decls
        self.base_dirs = base_dirs
        self.diags = diags
        self.register_decls: list[s.RegisterDecl] = []
        self.dataset_decls: list[s.DatasetDecl] = []
        self.field_decls: list[s.FieldDecl] = []
        self.group_decls: list[s.GroupDecl] = []
        self.layout_decls: list[s.LayoutDecl] = []
        self.param_decls: list[s.ParameterDecl] = []
        self.check_decls: list[s.CheckDecl] = []
        self.rule_decls: list[s.RuleDecl] = []
        for d in decls:
            match d:
                case s.RegisterDecl():
                    self.register_decls.append(d)
                case s.DatasetDecl():
                    self.dataset_decls.append(d)
                case s.FieldDecl():
                    self.field_decls.append(d)
                case s.GroupDecl():
                    self.group_decls.append(d)
                case s.LayoutDecl():
                    self.layout_decls.append(d)
                case s.ParameterDecl():
                    self.param_decls.append(d)
                case s.CheckDecl():
                    self.check_decls.append(d)
                case s.RuleDecl():
                    self.rule_decls.append(d)
                case _:
                    assert_never(d)
        self.first_year = 1999

    # ------------------------------------------------------------- entry point
    def lower(self) -> m.Spec | None:
        self._duplicates()
        register = self._register()
        # ids are the register's name in capitals, then S (check) or R (rule) and a number: LSS-S01, LSS-R24
        self.id_prefix = register.name.upper() if register is not None else "LSS"
        datasets = tuple(self._dataset(d) for d in self.dataset_decls)
        self.dataset_names = {d.name for d in datasets}
        self.field_decl_by_name = {d.name: d for d in self.field_decls}
        fields = tuple(self._field_shell(d) for d in self.field_decls)
        self.fields = {f.name: f for f in fields}
        self.params = {d.name: d for d in self.param_decls}
        self._used_params: set[str] = set()
        self._unknown: list[Unresolved] = []  # reported at the end: a misspelled declaration is pointed at once
        groups = tuple(self._group(d) for d in self.group_decls)
        self.groups = {g.name: g for g in groups}
        self.conditions = Conditions(
            self.fields, self.params, self.groups, self.diags, self._used_params, self._unknown
        )
        fields = tuple(self._field_conditions(f) for f in fields)
        self.fields = {f.name: f for f in fields}
        layouts = tuple(self._layout(d) for d in self.layout_decls)
        parameters = tuple(self._parameter(d) for d in self.param_decls)
        if register is not None:
            register = self._comparison(register)
        checks = tuple(self._check(d) for d in self.check_decls)
        rules = tuple(self._rule(d) for d in self.rule_decls)
        self._report_unknown()
        if register is None:
            return None
        return m.Spec(register, datasets, fields, groups, layouts, parameters, checks, rules, year_pass=year_model)

    def _report_unknown(self) -> None:
        """Unknown names, each at its use; but a name used where an unused parameter's name is close to it
        means the declaration is misspelled: one diagnostic there, not one at every correct use."""
        unused = sorted(n for n in self.params if n not in self._used_params)
        misspelled: dict[str, list[m.Pos]] = {}
        for name, pos, _, _ in self._unknown:
            close = difflib.get_close_matches(name, unused, n=1, cutoff=0.6)
            if close and name not in self.fields and name not in self.groups:
                misspelled.setdefault(close[0], []).append(pos)
        declared = {close for close in misspelled}
        for name, pos, message, known in self._unknown:
            close = difflib.get_close_matches(name, unused, n=1, cutoff=0.6)
            if close and close[0] in declared:
                continue
            self.diags.error("E002", message, pos, did_you_mean(name, known))
        for param, uses in sorted(misspelled.items()):
            names = sorted({n for n, pos, _, _ in self._unknown if pos in uses})
            lines = ", ".join(str(u.line) for u in sorted(uses, key=lambda u: (u.file, u.line, u.column)))
            self.diags.error(
                "E002",
                f"parametern `{param}` används inte, men `{'`, `'.join(names)}` används (rad {lines}): "
                "är parameterns namn felstavat?",
                self.params[param].name_pos,
                f"menade du `{names[0]}`?",
            )

    def _duplicates(self) -> None:
        seen: dict[tuple[str, str], Decl] = {}
        for d in self.decls:
            key = (_namespace(d), d.name)
            if key in seen:
                first = seen[key]
                self.diags.error(
                    "E004", f"`{d.name}` deklareras två gånger", d.name_pos, f"första deklarationen: {first.name_pos}"
                )
            else:
                seen[key] = d

    def _required(self, d: Decl, prop: s.Located[T] | None, keyword: str, default: T) -> T:
        """A property the declaration must have (``keyword`` as written in the block); E009 where it does not."""
        if prop is None:
            self.diags.error(
                "E009",
                f"{d.keyword} `{d.name}` saknar `{keyword}`",
                d.name_pos,
                f"lägg till en rad `{keyword} …` i blocket",
            )
            return default
        return prop.value

    # ------------------------------------------------------------- years and dated values
    def _years(self, ys: m.YearSet) -> m.YearSet:
        rs = []
        for r in ys.ranges:
            first = self.first_year if r.first == 0 else r.first
            if r.last is not None and r.last < first:
                self.diags.error("E010", f"årsintervallet {r} är tomt: slutåret ligger före startåret", r.pos)
            rs.append(dataclasses.replace(r, first=first))
        return dataclasses.replace(ys, ranges=tuple(rs))

    def _dated(self, dated: m.Dated[Raw], convert: Callable[[Raw], T]) -> m.Dated[T]:
        """A dated list as written, each value read by ``convert`` (which reports a value of the wrong kind)."""
        entries = []
        for e in dated.entries:
            value = convert(e.value)
            if e.last is not None and e.last < e.first:
                self.diags.error("E010", f"årsintervallet {e.first}..{e.last} är tomt", e.pos)
            entries.append(m.DatedEntry(value, e.first, e.last, pos=e.pos))
        return m.Dated(tuple(entries), pos=dated.pos)

    def _as_severity(self, raw: Raw) -> m.Severity:
        if raw.kind == "name" and raw.value in m.SEVERITIES:
            return cast(m.Severity, raw.value)
        self.diags.error(
            "E010",
            f"okänd allvarlighetsgrad `{raw.value}`",
            raw.pos,
            did_you_mean(str(raw.value), m.SEVERITIES) or "använd error, warning eller none",
        )
        return "none"

    def _as_int(self, raw: Raw) -> int:
        if isinstance(raw.value, int):
            return raw.value
        self.diags.error("E010", f"värdet `{raw.value}` ska vara ett heltal", raw.pos)
        return 0

    def _as_monthday(self, raw: Raw) -> m.MonthDay:
        if raw.kind == "monthday":
            mm, dd = (int(x) for x in str(raw.value).split("-"))
            try:
                dt.date(2000, mm, dd)  # a leap year accepts every real month-day
                return m.MonthDay(mm, dd)
            except ValueError:
                pass
        self.diags.error("E010", f"`{raw.value}` är inget datum på formen MM-DD", raw.pos)
        return m.MonthDay(1, 1)

    # ------------------------------------------------------------- register and data
    def _register(self) -> m.Register | None:
        if not self.register_decls:
            pos = self.decls[0].pos if self.decls else m.Pos("spec", 1, 1)
            self.diags.error("E009", "specifikationen saknar en `register`-deklaration", pos)
            return None
        d = self.register_decls[0]
        self.first_year = self._required(d, d.first_year, "first_year", 1999)
        empty: m.Dated[Raw] = m.Dated((m.DatedEntry(Raw("monthday", "01-01", d.pos), self.first_year, None),))
        return m.Register(
            name=d.name,
            title=self._required(d, d.title, "title", d.name),
            title_en=_opt(d.title_en),
            regulation=_or(d.regulation, ()),
            first_year=self.first_year,
            reference_date=self._dated(self._required(d, d.reference_date, "reference_date", empty), self._as_monthday),
            deadline=self._dated(self._required(d, d.deadline, "deadline", empty), self._as_monthday),
            source=_or(d.source, ()),
            stated_through=self._stated_through(d),
            requires_lss_rules=_opt(d.requires_lss_rules),
            pos=d.pos,
        )

    def _comparison(self, register: m.Register) -> m.Register:
        """The register's comparison parameters name declared parameters (E002 where one does not)."""
        d = self.register_decls[0]
        return dataclasses.replace(
            register,
            comparison_threshold=self._param_name(d.comparison_threshold),
            comparison_minimum=self._param_name(d.comparison_minimum),
        )

    def _param_name(self, prop: s.Located[str] | None) -> str | None:
        """A property naming a declared parameter (E002 where it names none: then None)."""
        if prop is None:
            return None
        if prop.value not in self.params:
            self.diags.error("E002", f"okänd parameter `{prop.value}`", prop.pos, did_you_mean(prop.value, self.params))
            return None
        self._used_params.add(prop.value)
        return prop.value

    def _stated_through(self, d: s.RegisterDecl) -> int | None:
        year = _opt(d.stated_through)
        if year is not None and year < self.first_year:
            self.diags.error(
                "E010",
                f"stated_through {year} ligger före registrets första år {self.first_year}",
                _at(d, d.stated_through),
                "ange det sista år som källorna beskriver",
            )
            return None
        return year

    def _dataset(self, d: s.DatasetDecl) -> m.Dataset:
        file = self._required(d, d.file, "file", "")
        rows: tuple[m.Municipality, ...] = ()
        if file:
            base = self.base_dirs.get(d.name_pos.file, Path("."))
            try:
                path = dataset_path(base, file)
            except DataError as exc:
                self.diags.error(
                    "E011",
                    f"datasetet `{d.name}`: sökvägen {printable(file)} {exc}",
                    _at(d, d.file),
                    "lägg filen i specifikationsmappen (t.ex. data/) och ange en relativ sökväg dit",
                )
                return m.Dataset(
                    d.name, file, self._required(d, d.label, "label", d.name), rows, _or(d.source, ()), pos=d.pos
                )
            try:  # the table's own problems are located in it (language/datasets.py)
                rows = load_municipalities(path, self.diags, shown=str(base / file))
            except (OSError, DataError) as exc:
                self.diags.error(
                    "E011",
                    f"kan inte läsa datasetet `{d.name}` från {printable(str(path))}: {_reason(exc)}",
                    _at(d, d.file),
                    "filen ska vara en vanlig fil i specifikationsmappen",
                )
        return m.Dataset(d.name, file, self._required(d, d.label, "label", d.name), rows, _or(d.source, ()), pos=d.pos)

    # ------------------------------------------------------------- fields and groups
    def _field_shell(self, d: s.FieldDecl) -> m.Field:
        ftype = self._required(d, d.type, "type", m.CountType())
        if isinstance(ftype, m.MunicipalityType) and ftype.dataset not in self.dataset_names:
            self.diags.error(
                "E002", f"okänt dataset `{ftype.dataset}`", ftype.pos, did_you_mean(ftype.dataset, self.dataset_names)
            )
        if isinstance(ftype, m.EnumType):
            seen: set[int] = set()
            for mem in ftype.members:
                if mem.value in seen:
                    self.diags.error("E004", f"värdet {mem.value} finns två gånger i uppräkningen", mem.pos)
                seen.add(mem.value)
        collected = self._years(
            self._required(d, d.collected, "collected", m.YearSet((m.YearRange(self.first_year, None),)))
        )
        return m.Field(
            name=d.name,
            type=ftype,
            label=self._required(d, d.label, "label", d.name),
            label_en=_opt(d.label_en),
            law=_opt(d.law),
            collected=collected,
            equalisation=_or(d.equalisation, False),
            optional=_or(d.optional, False),
            differs_from=_opt(d.differs_from),
            note=_opt(d.note),
            interpretation=_opt(d.interpretation),
            pos=d.pos,
        )

    def _field_conditions(self, f: m.Field) -> m.Field:
        d = self.field_decl_by_name[f.name]
        required_when = self.conditions.condition(_opt(d.required_when))
        empty_unless = self.conditions.condition(_opt(d.empty_unless))
        if f.differs_from is not None:
            other = self.fields.get(f.differs_from)
            if other is None:
                self.diags.error(
                    "E002",
                    f"okänt fält `{f.differs_from}`",
                    _at(d, d.differs_from),
                    did_you_mean(f.differs_from, self.fields),
                )
            elif m.type_name(other.type) != m.type_name(f.type):
                self.diags.error(
                    "E003",
                    f"`{f.name}` ({m.type_name(f.type)}) kan inte jämföras med "
                    f"`{other.name}` ({m.type_name(other.type)})",
                    _at(d, d.differs_from),
                )
        return dataclasses.replace(f, required_when=required_when, empty_unless=empty_unless)

    def _group(self, d: s.GroupDecl) -> m.Group:
        members = self._required(d, d.members, "members", ())
        for name in members:
            f = self.fields.get(name)
            if f is None:
                self.diags.error(
                    "E002",
                    f"okänt fält `{name}` i gruppen `{d.name}`",
                    _at(d, d.members),
                    did_you_mean(name, self.fields),
                )
            elif not isinstance(f.type, m.FlagType):
                self.diags.error(
                    "E003",
                    f"gruppen `{d.name}` får bara innehålla markeringar (flag); `{name}` är {m.type_name(f.type)}",
                    _at(d, d.members),
                )
        return m.Group(d.name, self._required(d, d.label, "label", d.name), tuple(members), pos=d.pos)

    # ------------------------------------------------------------- layouts and parameters
    def _layout(self, d: s.LayoutDecl) -> m.Layout:
        names = []
        seen: set[str] = set()
        for name, pos in self._required(d, d.fields, "fields", ()):
            if name not in self.fields:
                self.diags.error("E002", f"okänt fält `{name}` i postformatet", pos, did_you_mean(name, self.fields))
            if name in seen:
                self.diags.error("E004", f"fältet `{name}` står två gånger i postformatet", pos)
            seen.add(name)
            names.append(name)
        sep = self._required(d, d.separator, "separator", ";")
        if len(sep) != 1:
            self.diags.error("E010", f"avgränsaren ska vara ett tecken, inte {sep!r}", _at(d, d.separator))
        encodings = self._required(d, d.encodings, "encodings", ("utf-8",))
        for enc in encodings:
            import codecs

            try:
                codecs.lookup(enc)
            except LookupError:
                self.diags.error("E010", f"okänd teckenkodning {enc!r}", _at(d, d.encodings))
        return m.Layout(
            name=d.name,
            years=self._years(self._required(d, d.years, "years", m.YearSet((m.YearRange(self.first_year, None),)))),
            separator=sep,
            encodings=tuple(encodings),
            fields=tuple(names),
            source=_or(d.source, ()),
            interpretation=_opt(d.interpretation),
            pos=d.pos,
        )

    def _parameter(self, d: s.ParameterDecl) -> m.Parameter:
        empty: m.Dated[Raw] = m.Dated(())
        value = self._required(d, d.value, "value", empty)
        return m.Parameter(
            name=d.name,
            label=self._required(d, d.label, "label", d.name),
            value=self._dated(value, self._as_int),
            unit=_opt(d.unit),
            source=_or(d.source, ()),
            interpretation=_opt(d.interpretation),
            pos=d.pos,
        )

    # ------------------------------------------------------------- checks and rules
    def _texts(self, d: s.CheckDecl | s.RuleDecl) -> tuple[m.Text, m.Text]:
        title = m.Text(self._required(d, d.title, "title", d.name), _opt(d.title_en))
        message = m.Text(self._required(d, d.message, "message", d.name), _opt(d.message_en))
        for text in (d.title, d.title_en, d.message, d.message_en):
            if text is not None:
                for match in PLACEHOLDER.finditer(text.value):
                    name = match.group(1)
                    if name in self.params:
                        self._used_params.add(name)
                    else:
                        self._unknown.append((name, text.pos, f"okänd parameter `{{{name}}}` i texten", [*self.params]))
        return title, message

    def _severity(self, d: s.CheckDecl | s.RuleDecl) -> m.Dated[m.Severity]:
        empty: m.Dated[Raw] = m.Dated(())
        return self._dated(self._required(d, d.severity, "severity", empty), self._as_severity)

    def _id_form(self, d: s.CheckDecl | s.RuleDecl, letter: str) -> None:
        """A check is ``LSS-Snn``, a rule ``LSS-Rnn`` (the register's name in capitals first): the id of reports."""
        prefix = getattr(self, "id_prefix", "LSS")
        if not re.fullmatch(rf"{re.escape(prefix)}-{letter}\d{{2}}", d.name):
            what = "en kontroll" if letter == "S" else "en regel"
            self.diags.error(
                "E002",
                f"okänt id `{d.name}` för {what}: id ska ha formen {prefix}-{letter}01",
                d.name_pos,
                f"numrera {what} som {prefix}-{letter}01, {prefix}-{letter}02, …",
            )

    def _check(self, d: s.CheckDecl) -> m.Check:
        self._id_form(d, "S")
        written_kind = self._required(d, d.kind, "kind", "field_count")
        kind: m.CheckKind = "field_count"
        if written_kind in m.CHECK_KINDS:
            kind = cast(m.CheckKind, written_kind)
        else:
            self.diags.error(
                "E010",
                f"okänd kontrolltyp `{written_kind}`",
                _at(d, d.kind),
                did_you_mean(written_kind, m.CHECK_KINDS) or "kontrolltyper: " + ", ".join(m.CHECK_KINDS),
            )
        title, message = self._texts(d)
        return m.Check(
            id=d.name,
            kind=kind,
            title=title,
            message=message,
            severity=self._severity(d),
            source=_or(d.source, ()),
            interpretation=_opt(d.interpretation),
            note=_opt(d.note),
            pos=d.pos,
        )

    def _rule(self, d: s.RuleDecl) -> m.Rule:
        self._id_form(d, "R")
        written_scope = self._required(d, d.scope, "scope", "record")
        scope: m.Scope = "record"
        if written_scope in m.SCOPES:
            scope = cast(m.Scope, written_scope)
        else:
            self.diags.error(
                "E010",
                f"okänt omfång `{written_scope}`",
                _at(d, d.scope),
                did_you_mean(written_scope, m.SCOPES) or "omfång: " + ", ".join(m.SCOPES),
            )
        title, message = self._texts(d)
        when = self.conditions.condition(_opt(d.when))
        require = self.conditions.condition(_opt(d.require))
        written = _opt(d.require)  # None above may be a condition that did not resolve
        unique = None
        if d.unique is not None:
            unique = self._unique(d.unique.value)
            if scope not in ("file", "national"):
                self.diags.error(
                    "E010",
                    "`unique` gäller en fil eller alla filer: ange `scope file` eller `scope national`",
                    _at(d, d.unique),
                )
        elif scope in ("file", "national"):
            self.diags.error("E009", f"regeln har omfånget {scope} men saknar `unique`", _at(d, d.scope))
        if written is None and unique is None:
            self.diags.error("E009", f"regeln `{d.name}` saknar `require` eller `unique`", d.name_pos)
        # on the conditions as written: a call of an external function counts also where its condition did not lower
        if written is not None and scope == "external" and not external_calls(written):
            self.diags.error(
                "E010",
                "en regel med omfånget external ska använda ett externt register (t.ex. deceased)",
                _at(d, d.scope),
            )
        if scope != "external":
            for call in external_calls(_opt(d.when)) + external_calls(written):
                self.diags.error("E010", f"`{call.func}` läser ett externt register: ange `scope external`", call.pos)
        return m.Rule(
            id=d.name,
            scope=scope,
            title=title,
            message=message,
            severity=self._severity(d),
            when=when,
            require=require,
            unique=unique,
            source=_or(d.source, ()),
            interpretation=_opt(d.interpretation),
            note=_opt(d.note),
            pos=d.pos,
        )

    def _unique(self, u: m.Unique) -> m.Unique:
        if u.key not in self.fields:
            self.diags.error("E002", f"okänt fält `{u.key}`", u.pos, did_you_mean(u.key, self.fields))
        group = u.each_flag_in
        if group is not None:
            g = self.groups.get(group.name)
            if g is None:
                self.diags.error(
                    "E002", f"okänd grupp `{group.name}`", group.pos, did_you_mean(group.name, self.groups)
                )
            else:
                group = dataclasses.replace(group, members=g.members)
        return dataclasses.replace(u, each_flag_in=group)


def _reason(exc: Exception) -> str:
    """Why a dataset could not be read, in Swedish (an OSError's and a codec's own texts are English)."""
    from lss_rules.runtime.python import os_error_text

    if isinstance(exc, UnicodeDecodeError):
        return f"filen är inte UTF-8 (byte {exc.start})"
    if isinstance(exc, OSError):
        return os_error_text(exc)
    return str(exc)
