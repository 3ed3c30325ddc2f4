"""A conformance suite's files, and reading a downloaded suite safely.

A suite folder holds one folder per vector (submission files, ``deceased.txt`` when the vector
needs a death-register extract, ``expected.json``) and ``manifest.json``.  A suite is untrusted
input (vendors download it): :func:`load_suite` checks it against the schemas in
``lss_rules/schemas/`` (``suite-manifest``, ``suite-expected``) and its size bounds before anything
in it is used.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lss_rules.errors import DataError
from lss_rules.language.regular import NotRegular, TooLarge, read_regular
from lss_rules.runtime import python as runtime

STATUSES = ("accepted", "accepted_with_warnings", "rejected")


# --------------------------------------------------------------------------- expected.json


def key_set(report: Mapping[str, Any]) -> set[tuple[Any, Any, Any, Any]]:
    return {(f["file"], f["line"], f["rule"], f["severity"]) for f in report["findings"]}


def duplicates(report: Mapping[str, Any]) -> list[tuple[Any, Any, Any, Any]]:
    """Findings reported more than once for the same rule, file and line (there is one at most)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in report["findings"]:
        k = (f["file"], f["line"], f["rule"], f["severity"])
        if k in seen and k not in out:
            out.append(k)
        seen.add(k)
    return sorted(out, key=finding_order)


def finding_order(f: tuple[Any, ...]) -> tuple[str, int, str, str]:
    """A (file, line, rule, severity) key in report order, a whole-file finding (no line) first."""
    return (str(f[0]), -1 if f[1] is None else int(f[1]), str(f[2]), str(f[3]))


# --------------------------------------------------------------------------- reading a suite


@dataclass(frozen=True)
class SuiteVector:
    id: str
    rule: str | None
    kind: str
    tests: str
    folder: Path
    files: tuple[str, ...]
    deceased: bool
    expected: dict[str, Any]

    def read_files(self) -> dict[str, list[str]]:
        return {n: list(runtime.iter_lines(self.folder / n)) for n in self.files}

    def read_deceased(self) -> dict[str, dt.date] | None:
        return runtime.read_deceased(self.folder / "deceased.txt") if self.deceased else None


#: The most bytes read of a suite's manifest.json and of one expected.json.
MAX_MANIFEST_BYTES = 32 << 20
MAX_EXPECTED_BYTES = 8 << 20


class SuiteError(DataError):
    """A conformance suite that cannot be used: one line naming the file and the problem (exit code 2)."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{runtime.clean_path(str(path))}: {problem}")


def load_suite(suite: Path) -> tuple[dict[str, Any], list[SuiteVector]]:
    """The manifest and the vectors of a suite folder, checked as untrusted input.

    A suite is downloaded, not written by the user: manifest.json and every expected.json
    are validated against the schemas in ``lss_rules/schemas/`` (``suite-manifest``,
    ``suite-expected``); every vector folder and file is a plain name directly inside the
    suite folder, a real folder or regular file there (no symbolic link, device or FIFO);
    the JSON files are read up to a size limit.  Anything else is :class:`SuiteError`.
    """
    if not suite.is_dir():
        if not suite.exists():
            raise SuiteError(
                suite, "ingen konformitetssvit (mappen finns inte); skapa en med `lss-rules conformance export`"
            )
        raise SuiteError(suite, "är ingen mapp; ange mappen från `lss-rules conformance export`")
    root = suite.resolve()
    path = suite / "manifest.json"
    if not os.path.lexists(path):
        raise SuiteError(
            suite, "ingen konformitetssvit (manifest.json saknas); skapa en med `lss-rules conformance export`"
        )
    manifest = _load_json(path, MAX_MANIFEST_BYTES, "suite-manifest")
    vectors = []
    seen: set[str] = set()
    for i, v in enumerate(manifest["vectors"]):
        ident = v["id"]
        if ident in seen:
            raise SuiteError(path, f"vectors[{i}].id: {ident} förekommer två gånger")
        seen.add(ident)
        folder = _inside(root, suite / ident, path, dir_wanted=True)
        for name in v["files"]:
            _inside(root, folder / name, path, dir_wanted=False)
        if v.get("deceased"):
            _inside(root, folder / "deceased.txt", path, dir_wanted=False)
        expected = _load_json(folder / "expected.json", MAX_EXPECTED_BYTES, "suite-expected")
        if expected["year"] != manifest["year"]:
            raise SuiteError(folder / "expected.json", f"year {expected['year']} men sviten gäller {manifest['year']}")
        vectors.append(
            SuiteVector(
                ident,
                v.get("rule"),
                v.get("kind", ""),
                v.get("tests", ""),
                folder,
                tuple(v["files"]),
                bool(v.get("deceased")),
                expected,
            )
        )
    return manifest, vectors


def _inside(root: Path, path: Path, named_in: Path, *, dir_wanted: bool) -> Path:
    """``path`` (a plain name under a folder of ``root``) exists there as a real folder or regular file."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise SuiteError(path, f"saknas (nämns i {named_in.name})") from None
    except OSError as exc:
        raise SuiteError(path, f"kan inte läsas ({runtime.os_error_text(exc)})") from None
    if stat.S_ISLNK(st.st_mode):
        raise SuiteError(path, "är en symbolisk länk; en svit får bara innehålla vanliga filer och mappar")
    if dir_wanted and not stat.S_ISDIR(st.st_mode):
        raise SuiteError(path, "ska vara en mapp")
    if not dir_wanted and not stat.S_ISREG(st.st_mode):
        raise SuiteError(path, "ska vara en vanlig fil (inte en mapp, enhet eller FIFO)")
    if root not in path.resolve().parents:  # the schema allows only plain names: this never happens
        raise SuiteError(path, "ligger utanför sviten")  # pragma: no cover
    return path


def read_capped(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file, not following a symbolic link; SuiteError for anything else
    (the one bounded read, :func:`~lss_rules.language.regular.read_regular`)."""
    try:
        return read_regular(path, limit, follow=False)
    except FileNotFoundError:
        raise SuiteError(path, "saknas") from None
    except NotRegular:
        raise SuiteError(path, "ska vara en vanlig fil (inte en mapp, enhet eller FIFO)") from None
    except TooLarge:
        raise SuiteError(path, f"är större än {limit >> 20} MiB; en svit har inte så stora filer") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SuiteError(path, "är en symbolisk länk; en svit får bara innehålla vanliga filer") from None
        raise SuiteError(path, f"kan inte läsas ({runtime.os_error_text(exc)})") from None


def _load_json(path: Path, limit: int, schema_name: str) -> Any:
    """A suite's JSON file, parsed and valid against ``lss_rules/schemas/<schema_name>.schema.json``."""
    data = read_capped(path, limit)
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SuiteError(path, f"är inte UTF-8 (byte {exc.start})") from None
    except RecursionError:
        raise SuiteError(path, "är för djupt nästlad för att vara en svitfil") from None
    except json.JSONDecodeError as exc:  # its own text is English ("Expecting value"): where, in Swedish
        raise SuiteError(path, f"är inte JSON (rad {exc.lineno}, kolumn {exc.colno})") from None
    except ValueError as exc:
        raise SuiteError(path, f"är inte JSON ({one_line(str(exc))})") from None
    try:
        problem = _schema_problem(doc, schema_name)
    except RecursionError:
        raise SuiteError(path, "är för djupt nästlad för att vara en svitfil") from None
    if problem is not None:
        raise SuiteError(path, f"följer inte schemat {schema_name}.schema.json: {problem}")
    return doc


def _schema_problem(doc: Any, name: str) -> str | None:
    """Where and how ``doc`` first breaks the schema, in Swedish; None when it follows it.

    Checked in one pass that stops at the first failure (:mod:`lss_rules.tools.jsoncheck`): python-jsonschema's
    ``uniqueItems`` over a list of numbers and strings compared every pair (72 s for a 218 KB manifest).
    """
    from lss_rules.tools.jsoncheck import first_problem

    problem = first_problem(doc, _schema(name))
    if problem is None:
        return None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem.path).lstrip(".")
    expected = problem.expected
    what = {
        "type": lambda: f"ska vara {_types(expected)}",
        "required": lambda: f"'{expected}' saknas",
        "pattern": lambda: (
            "är inget enkelt namn (bokstäver, siffror, . _ -; inte / eller ..)"
            if "A-Za-z0-9._-" in str(expected)
            else f"har fel form (mönster {expected})"
        ),
        "enum": lambda: "ska vara en av " + ", ".join(map(str, expected)),
        "const": lambda: f"ska vara {expected}",
        "uniqueItems": lambda: "har samma värde två gånger",
        "maxItems": lambda: f"har fler än {expected} element",
        "maxLength": lambda: f"är längre än {expected} tecken",
        "minimum": lambda: f"ska vara minst {expected}",
        "maximum": lambda: f"ska vara högst {expected}",
    }[problem.keyword]()
    return f"{where or '(hela filen)'} {what}"


def _types(value: Any) -> str:
    words = {
        "object": "ett objekt",
        "array": "en lista",
        "string": "en sträng",
        "integer": "ett heltal",
        "boolean": "true eller false",
        "null": "null",
    }
    names = [value] if isinstance(value, str) else list(value)
    return " eller ".join(words.get(n, n) for n in names)


def one_line(text: str, limit: int = 160) -> str:
    text = runtime.printable(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SCHEMAS: dict[str, Any] = {}


def _schema(name: str) -> Any:
    """The package's schema ``lss_rules/schemas/<name>.schema.json`` (read once)."""
    import importlib.resources

    if name not in _SCHEMAS:
        text = importlib.resources.files("lss_rules.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
        _SCHEMAS[name] = json.loads(text)
    return _SCHEMAS[name]
