"""Worked examples in YAML beside the spec (``spec/examples/*.yaml``): their format, read with positions.

A spec editor states by example what a rule means; ``lss-rules check`` runs every
example against the reference evaluator (:mod:`lss_rules.meaning.evaluate`) and the
compiled validator, and a failing example is a located diagnostic in the YAML
file.  One file per rule or check, for instance ``spec/examples/LSS-R04.yaml``::

    rule: LSS-R04
    examples:
      - name: fyller 11 under året
        year: 2023
        records:
          - {personnummer: "201211099882", korttidstillsyn: 1}
        findings:
          - {rule: LSS-R04, line: 1, severity: error}

- ``records`` is one file (named after the municipality of its first record,
  ``0114.txt``); ``files`` gives several: ``{0114.txt: [...], 1885.txt: [...]}``;
- a record is written by field name; a field not given takes a valid default
  derived from the model (:func:`lss_rules.meaning.derive.base_record`): so
  an example survives a change of layout.  When a record sets an insats flag,
  the other flags default to 0; hours or days given set their flag to 1; a
  record without a personnummer gets an adult's test number of its own.  A
  value is taken as written (``0114`` stays ``0114``); an empty value or
  ``null`` is an empty field.  A record written as a string is the line as the
  file holds it (for LSS-S01);
- ``deceased`` maps personnummer to date of death (LSS-R02);
- ``findings`` lists every finding the files must draw (``rule``, ``line`` — or
  ``null`` for a whole file —, ``severity``: ``fel`` or ``varning``, or ``error`` or ``warning``, and
  ``file`` when there are several files); no other finding may come;
- a file may say ``vector: interpretation-<name>`` (or ``convention-<name>``) instead of a rule: its
  examples are then that vector of the conformance suite, one example a year, with that id and kind
  (``spec/examples/interpretation-trailing-blank-line.yaml``: the interpretations and counting
  conventions of the register, which the suite code itself never names).

Running them (the reference evaluator and the compiled validator, ``lss-rules check``) and giving them
to the conformance suite is :mod:`lss_rules.tools.examples`.

Nothing here raises on a bad YAML file: every problem is a
:class:`~lss_rules.language.diagnostics.Diagnostic` with file, line and column (the
YAML is composed, not just loaded, so every node keeps its position).

>>> from lss_rules.language.load import load_spec, default_spec_dir
>>> spec = load_spec()
>>> examples, problems = load_examples(default_spec_dir() / "examples", spec)
>>> problems, len({e.year for e in examples}) > 3
([], True)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lss_rules.errors import DataError
from lss_rules.language import model as m
from lss_rules.language import yaml_words
from lss_rules.language.diagnostics import Diagnostic, did_you_mean
from lss_rules.language.syntax import MAX_DIGITS
from lss_rules.language.yaml_trees import TreeMemo
from lss_rules.runtime.python import os_error_text

#: Diagnostic codes of the examples (the spec's own are in :data:`lss_rules.language.diagnostics.CODES`).
EXAMPLE_CODES: dict[str, str] = {
    "E020": "en exempelfil är inte giltig YAML (eller inte UTF-8)",
    "E021": "en exempelfil har fel form: fel typ, en okänd eller saknad nyckel",
    "E022": "ett exempel nämner en okänd regel, ett okänt fält eller ett år utanför registret",
    "E023": "ett exempel ger inte de fynd det anger",
}

SEVERITIES = ("error", "warning")
#: the words a finding's ``severity`` may be written with: the spec's own, and the Swedish ones people use
SEVERITY_WORDS = {"error": "error", "warning": "warning", "fel": "error", "varning": "warning"}
_LAST_YEAR = 9998  # a reference date must be a date
#: Bounds of a worked example (the spec's own are far below: 3 records, values of 47 characters, 3 kB files):
#: an example is read by hand, run twice, printed on its rule's page and exported into the vendors' suite,
#: so what it may hold is bounded before any of that is done.  YAML anchors and aliases are refused: an
#: alias repeats its anchor's value without writing it again, and 5,000 of one 1 MB value once made `check`
#: build 1 GB and a suite of 482 MB.
MAX_EXAMPLE_BYTES = 1 << 20  # one example file
MAX_RECORDS = 1000  # records of one example, over all its files
MAX_VALUE = 4096  # characters of one value (a field, a line written as text, a name)
_MAX_NODES = 200_000  # nodes of one file
#: The id of the conformance vector a file's examples are (``vector:``): the kinds the suite does not make
#: itself, so that no example takes the id of a derived vector (``LSS-R04-violation-01``, ``format-01``).
VECTOR_ID = re.compile(r"(interpretation|convention)-[a-z0-9][a-z0-9-]{0,80}")


# --------------------------------------------------------------------------- the examples, typed


@dataclass(frozen=True, slots=True)
class Record:
    """One line of an example: values by field name, or (``raw``) the line as written."""

    values: tuple[tuple[str, str], ...] = ()
    raw: str | None = None
    pos: m.Pos = field(default=m.NOPOS, compare=False)


@dataclass(frozen=True, slots=True)
class ExampleFile:
    name: str | None  # None: named after the municipality of its first record
    records: tuple[Record, ...]
    pos: m.Pos = field(default=m.NOPOS, compare=False)


@dataclass(frozen=True, slots=True)
class Expected:
    rule: str
    line: int | None
    severity: str
    file: str | None
    pos: m.Pos = field(default=m.NOPOS, compare=False)


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    year: int
    files: tuple[ExampleFile, ...]
    findings: tuple[Expected, ...]
    deceased: tuple[tuple[str, dt.date], ...] | None
    rule: str | None  # the rule of the file the example is in
    pos: m.Pos = field(default=m.NOPOS, compare=False)
    vector: str | None = None  # the conformance vector the file's examples are, one a year (``vector:``)

    @property
    def slug(self) -> str:
        """A name for the example that stays put: file stem and position in the file."""
        return f"{Path(self.pos.file).stem}-{self.pos.line}"

    @property
    def kind(self) -> str:
        """The kind of its conformance vector: ``interpretation``, ``convention`` or ``example``."""
        return self.vector.split("-", 1)[0] if self.vector is not None else "example"


class _Bad(Exception):
    def __init__(self, code: str, message: str, pos: m.Pos, hint: str | None = None) -> None:
        super().__init__(message)
        self.diag = Diagnostic(code, message, pos, hint)


# --------------------------------------------------------------------------- reading YAML with positions


def _pos(node: yaml.Node, file: str) -> m.Pos:
    s, e = node.start_mark, node.end_mark
    return m.Pos(file, s.line + 1, s.column + 1, e.line + 1, e.column + 1)


_TAG = "tag:yaml.org,2002:"
_KIND = {
    "str": "ett enkelt värde (text eller tal)",
    "int": "ett heltal",
    "map": "en mappning (nyckel: värde)",
    "seq": "en lista",
}


class _Reader:
    def __init__(self, file: str, spec: m.Spec) -> None:
        self.file = file
        self.spec = spec
        self.nodes = 0
        self.records_left = MAX_RECORDS

    def pos(self, node: yaml.Node) -> m.Pos:
        self.nodes += 1
        if self.nodes > _MAX_NODES:
            raise _Bad("E021", f"filen har fler än {_MAX_NODES} värden", _pos(node, self.file))
        return _pos(node, self.file)

    def bad(self, node: yaml.Node, message: str, hint: str | None = None, code: str = "E021") -> _Bad:
        return _Bad(code, message, self.pos(node), hint)

    def mapping(self, node: yaml.Node, what: str, known: Sequence[str], required: Sequence[str]) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise self.bad(node, f"{what} ska vara {_KIND['map']}")
        out: dict[str, Any] = {}
        keys: dict[str, yaml.Node] = {}
        for k, v in node.value:
            key = self.text(k, "en nyckel")
            if key in out:
                raise self.bad(k, f"nyckeln `{key}` finns två gånger i {what}")
            if key not in known:
                raise self.bad(k, f"okänd nyckel `{key}` i {what}", did_you_mean(key, known))
            out[key] = v
            keys[key] = k
        missing = [k for k in required if k not in out]
        if missing:
            raise self.bad(node, f"{what} saknar nyckeln `{missing[0]}`")
        return out

    def seq(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.bad(node, f"{what} ska vara {_KIND['seq']}")
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise self.bad(node, f"{what} ska vara {_KIND['str']}")
        value = "" if node.tag == _TAG + "null" else str(node.value)
        if len(value) > MAX_VALUE:
            raise self.bad(node, f"{what} har {len(value)} tecken; ett värde i ett exempel får ha högst {MAX_VALUE}")
        return value

    def integer(self, node: yaml.Node, what: str, *, null: bool = False) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null" and null:
            return None
        # ASCII digits only: `!!int "²"` is a digit to str.isdigit and no number to int()
        ok = isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "int" and node.value.isdigit()
        if not (ok and node.value.isascii()):
            extra = " eller null" if null else ""
            raise self.bad(node, f"{what} ska vara ett heltal{extra}, inte `{_show(node)}`")
        if len(node.value) > MAX_DIGITS:  # a year or a line number: never int() of a text of any length
            raise self.bad(node, f"{what} har {len(node.value)} siffror; ett år eller radnummer har högst {MAX_DIGITS}")
        return int(node.value)

    # ------------------------------------------------------------------ the document
    def document(self, root: yaml.Node | None) -> tuple[str | None, list[Example], list[Diagnostic]]:
        if root is None:
            return None, [], []
        top = self.mapping(root, "filen", ("rule", "vector", "examples"), ("examples",))
        rule = None
        if "rule" in top:
            rule = self.rule_id(top["rule"])
        vector = self.vector_id(top["vector"]) if "vector" in top else None
        examples: list[Example] = []
        problems: list[Diagnostic] = []
        years: set[int] = set()
        for node in self.seq(top["examples"], "`examples`"):
            try:
                ex = self.example(node, rule, vector)
                if vector is not None and ex.year in years:  # one vector id a year's suite
                    raise _Bad("E021", f"vektorn {vector} har redan ett exempel för {ex.year}", ex.pos)
                years.add(ex.year)
                examples.append(ex)
            except _Bad as exc:  # one broken example does not hide the others
                problems.append(exc.diag)
        return rule, examples, problems

    def vector_id(self, node: yaml.Node) -> str:
        ident = self.text(node, "`vector`")
        if not VECTOR_ID.fullmatch(ident):
            raise self.bad(
                node,
                f"`vector` är `interpretation-` eller `convention-` följt av ett namn (a–z, 0–9, -), inte `{ident}`",
            )
        return ident

    def rule_id(self, node: yaml.Node) -> str:
        ident = self.text(node, "regelns id")
        if ident not in self.spec.ids:
            raise self.bad(node, f"okänd regel `{ident}`", did_you_mean(ident, self.spec.ids), code="E022")
        return ident

    def example(self, node: yaml.Node, rule: str | None, vector: str | None = None) -> Example:
        keys = ("name", "year", "records", "files", "deceased", "findings")
        ex = self.mapping(node, "ett exempel", keys, ("name", "year", "findings"))
        name = self.text(ex["name"], "`name`")
        year = self.integer(ex["year"], "`year`")
        assert year is not None
        if not self.spec.first_year <= year <= _LAST_YEAR:
            raise self.bad(
                ex["year"], f"registret börjar {self.spec.first_year}; {year} är inget insamlingsår", code="E022"
            )
        ym = self.spec.for_year(year)
        if ("records" in ex) == ("files" in ex):
            raise self.bad(node, "ett exempel har antingen `records` (en fil) eller `files` (flera filer)")
        files: list[ExampleFile] = []
        self.records_left = MAX_RECORDS
        if "records" in ex:
            files.append(ExampleFile(None, self.records(ex["records"], ym), self.pos(ex["records"])))
        else:
            fnode = ex["files"]
            if not isinstance(fnode, yaml.MappingNode) or not fnode.value:
                raise self.bad(fnode, "`files` ska vara en mappning från filnamn till poster")
            seen: set[str] = set()
            for k, v in fnode.value:
                fname = self.text(k, "ett filnamn")
                if not fname or "/" in fname or "\\" in fname or fname in (".", ".."):
                    raise self.bad(k, f"`{fname}` är inte ett filnamn (utan mapp)")
                if fname in seen:
                    raise self.bad(k, f"filen `{fname}` finns två gånger")
                seen.add(fname)
                files.append(ExampleFile(fname, self.records(v, ym), self.pos(k)))
        deceased = None
        if "deceased" in ex:
            deceased = self.deceased(ex["deceased"])
        names = [f.name for f in files]
        findings = tuple(self.finding(f, names) for f in self.seq(ex["findings"], "`findings`"))
        return Example(name, year, tuple(files), findings, deceased, rule, self.pos(node), vector)

    def records(self, node: yaml.Node, ym: m.YearModel) -> tuple[Record, ...]:
        out = []
        layout = set(ym.field_names)
        every = [f.name for f in self.spec.fields]
        for rec in self.seq(node, "posterna"):
            self.records_left -= 1
            if self.records_left < 0:
                raise self.bad(rec, f"exemplet har fler än {MAX_RECORDS} poster; ett exempel visar ett fall med få")
            if isinstance(rec, yaml.ScalarNode):
                out.append(Record(raw=self.text(rec, "en rad"), pos=self.pos(rec)))
                continue
            if not isinstance(rec, yaml.MappingNode):
                raise self.bad(rec, "en post ska vara en mappning (fält: värde) eller en rad som text")
            values: dict[str, str] = {}
            for k, v in rec.value:
                fname = self.text(k, "ett fältnamn")
                if fname not in every:
                    raise self.bad(k, f"okänt fält `{fname}`", did_you_mean(fname, every), code="E022")
                if fname not in layout:
                    raise self.bad(k, f"fältet `{fname}` finns inte i postformatet {ym.year}", code="E022")
                if fname in values:
                    raise self.bad(k, f"fältet `{fname}` finns två gånger i posten")
                values[fname] = self.text(v, f"värdet av `{fname}`")
            out.append(Record(values=tuple(values.items()), pos=self.pos(rec)))
        return tuple(out)

    def deceased(self, node: yaml.Node) -> tuple[tuple[str, dt.date], ...]:
        if not isinstance(node, yaml.MappingNode):
            raise self.bad(node, "`deceased` ska vara en mappning från personnummer till dödsdatum (ÅÅÅÅ-MM-DD)")
        out = []
        for k, v in node.value:
            pnr = self.text(k, "ett personnummer")
            day = self.text(v, "ett dödsdatum")
            try:
                out.append((pnr, dt.date.fromisoformat(day)))
            except ValueError:
                raise self.bad(v, f"`{day}` är inte ett datum ÅÅÅÅ-MM-DD") from None
        return tuple(out)

    def finding(self, node: yaml.Node, names: Sequence[str | None]) -> Expected:
        f = self.mapping(node, "ett fynd", ("rule", "line", "severity", "file"), ("rule", "line", "severity"))
        rule = self.rule_id(f["rule"])
        line = self.integer(f["line"], "`line`", null=True)
        if line == 0:
            raise self.bad(f["line"], "raderna räknas från 1")
        written = self.text(f["severity"], "`severity`")
        severity = SEVERITY_WORDS.get(written)
        if severity is None:
            raise self.bad(
                f["severity"],
                f"`severity` är fel eller varning (error eller warning), inte `{written}`",
                did_you_mean(written, SEVERITY_WORDS),
            )
        fname = None
        if "file" in f:
            fname = self.text(f["file"], "`file`")
            if fname not in names:
                known = [n for n in names if n]
                raise self.bad(f["file"], f"exemplet har ingen fil `{fname}`", did_you_mean(fname, known))
        elif len(names) > 1:
            raise self.bad(node, "exemplet har flera filer: ange `file`")
        return Expected(rule, line, severity, fname, self.pos(node))


def _show(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else type(node).__name__


class _Unaliased(yaml.SafeLoader):
    """YAML composed with positions, refusing anchors (``&a``) and aliases (``*a``) where they stand."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _AliasFound(event.start_mark)
        return super().compose_node(parent, index)


class _AliasFound(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("alias")
        self.mark = mark


#: each text's tree composed once a process (a build reads the same examples eight times): yaml_trees.py
_trees: TreeMemo[yaml.Node | None] = TreeMemo(lambda text: yaml.compose(text, Loader=_Unaliased))


def _read_bounded(path: Path) -> bytes:
    """The file's bytes: a regular file of at most :data:`MAX_EXAMPLE_BYTES` (DataError else)."""
    from lss_rules.language.paths import read_dataset

    data = read_dataset(path)  # regular file, no FIFO or device, capped at the dataset bound
    if len(data) > MAX_EXAMPLE_BYTES:
        raise DataError(f"är för stor ({len(data)} byte; en exempelfil får vara högst {MAX_EXAMPLE_BYTES})")
    return data


def read_example_file(path: Path, spec: m.Spec) -> tuple[list[Example], list[Diagnostic]]:
    """The examples of one YAML file and the problems found in it (never raises on bad content)."""
    file = str(path)
    try:
        text = _read_bounded(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [Diagnostic("E020", f"filen är inte UTF-8 (byte {exc.start})", m.Pos(file, 1, 1))]
    except DataError as exc:
        return [], [Diagnostic("E020", f"filen {exc}", m.Pos(file, 1, 1))]
    except OSError as exc:
        return [], [Diagnostic("E020", f"filen kan inte läsas ({os_error_text(exc)})", m.Pos(file, 1, 1))]
    try:
        root = _trees(text)
    except _AliasFound as exc:
        where = m.Pos(file, exc.mark.line + 1, exc.mark.column + 1)
        return [], [
            Diagnostic(
                "E021",
                "exempel använder inte YAML-ankare eller alias (`&namn`, `*namn`)",
                where,
                "skriv ut värdet där det används",
            )
        ]
    except yaml.MarkedYAMLError as exc:  # said in Swedish (PyYAML's text is English): language/yaml_words.py
        mark = exc.problem_mark or exc.context_mark
        where = m.Pos(file, mark.line + 1, mark.column + 1) if mark else m.Pos(file, 1, 1)
        message, hint = yaml_words.swedish(exc.problem, exc.context)
        return [], [Diagnostic("E020", f"YAML-fel: {message}", where, hint)]
    except yaml.YAMLError:
        message, hint = yaml_words.swedish(None)
        return [], [Diagnostic("E020", f"YAML-fel: {message}", m.Pos(file, 1, 1), hint)]
    except RecursionError:
        return [], [Diagnostic("E020", "YAML-fel: för djupt nästlad", m.Pos(file, 1, 1))]
    reader = _Reader(file, spec)
    try:
        _, examples, problems = reader.document(root)
    except _Bad as exc:
        return [], [exc.diag]
    return examples, problems


def example_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) if folder.is_dir() else []


def load_examples(folder: Path, spec: m.Spec) -> tuple[list[Example], list[Diagnostic]]:
    """Every example under ``folder`` (``*.yaml``, sorted) and every problem in reading them."""
    examples: list[Example] = []
    problems: list[Diagnostic] = []
    for path in example_files(folder):
        ex, pr = read_example_file(path, spec)
        examples += ex
        problems += pr
    return examples, problems
