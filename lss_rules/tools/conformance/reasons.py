"""Why a vector failed, in Swedish words a vendor reads on the console and in JUnit.

A wrong answer names the differing findings and quotes what the vector tests on those lines (the
``tests`` text of the manifest, only the ``rad N:`` parts that concern them); a program that did not
give a usable answer is named by its class (:data:`OUTSIDE`) and the first line of its standard error
that carries the error.  Everything a vendor's program printed, and every personnummer in a vector's
text, is masked and made printable before it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from lss_rules.runtime import python as runtime

#: The classes of a vector's result that say nothing about the rules: the program did not give a usable
#: answer.  When the first :data:`EARLY` vectors all end in the same class the run stops (see run.py).
OUTSIDE = {
    "missing": "programmet eller en fil det behöver finns inte",
    "exit2": "programmet avslutades med kod 2 (körningen kunde inte göras)",
    "crash": "programmet kraschade",
    "nojson": "programmet skrev ingen JSON-rapport på standard ut",
    "contract": "programmets rapport följer inte rapportformatet",
}
#: How many vectors, the first in the suite's order, decide that a run stops early.
EARLY = 5

_RAD = re.compile(r"(?:^|; )rad (\d+): ")
_NOT_FOUND = (
    "Cannot find module",  # node
    "can't open file",  # python
    "No such file or directory",
    "ENOENT",
    "command not found",
    "not found",
    "Unable to access jarfile",  # java -jar
)
_TRACEBACK = "Traceback (most recent call last):"
_ERROR_LINE = re.compile(r"^\s*(?:Uncaught\s+)?(?:[A-Za-z_][\w.]*)?(?:Error|Exception)\b.*?:|^\s*(?:error|fel)\b", re.I)


def shown(text: str, limit: int | None = None) -> str:
    """``text`` as the console and JUnit show it: personnummer masked, on one printable line."""
    text = runtime.printable(runtime.mask_text(" ".join(text.split())))
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def error_line(stderr: str) -> str:
    """The first line of ``stderr`` that carries the error, masked: the last line of a Python traceback,
    node's ``Error:`` line, or else the first line that names an error; the last line when none does."""
    lines = [x for x in stderr.splitlines() if x.strip()]
    if not lines:
        return ""
    if any(x.startswith(_TRACEBACK) for x in lines):
        start = max(i for i, x in enumerate(lines) if x.startswith(_TRACEBACK))
        tail = [x for x in lines[start + 1 :] if not x.startswith((" ", "\t"))]  # frames are indented
        if tail:
            return shown(tail[-1], 300)
    for x in lines:
        if _ERROR_LINE.search(x):
            return shown(x, 300)
    return shown(lines[-1], 300)


def outside_class(code: int, stderr: str) -> str:
    """The class (a key of :data:`OUTSIDE`) of a run that gave no JSON report."""
    if code in (126, 127) or any(w in stderr for w in _NOT_FOUND):  # python's "can't open file" is exit 2
        return "missing"
    if code == 2:
        return "exit2"
    if code not in (0, 1) or _TRACEBACK in stderr or any(_ERROR_LINE.search(x) for x in stderr.splitlines()):
        return "crash"
    return "nojson"


# --------------------------------------------------------------------------- a wrong answer


def finding_text(f: tuple[Any, ...]) -> str:
    """A (file, line, rule, severity) key in words: ``0114.txt rad 1: LSS-R04 (fel)``."""
    where = "hela filen" if f[1] is None else f"rad {f[1]}"
    severity = runtime.SEVERITY_WORDS.get(f[3], f[3]) if isinstance(f[3], str) else f[3]
    return shown(f"{f[0]} {where}: {f[2]} ({severity})")


def status_text(status: Any) -> str:
    return runtime.STATUS_WORDS.get(status, shown(str(status))) if isinstance(status, str) else shown(str(status))


def tested_on(tests: str, files: tuple[str, ...], keys: Iterable[tuple[Any, ...]]) -> str:
    """What the vector tests on the lines of ``keys``: the ``rad N:`` parts of ``tests`` for those lines.

    The ``rad N:`` parts describe the vector's last file (a combination vector's first file only breaks
    the other rules, said after the parts); a key elsewhere, or a text without such parts (a vector of
    one line), gives the whole text.  Masked and printable.
    """
    keys = list(keys)
    parts = _parts(tests)
    if not parts or not keys:
        return shown(tests, 600)
    last = files[-1] if files else None
    wanted, whole = [], False
    for f in keys:
        if f[0] == last and f[1] in parts:
            if f[1] not in wanted:
                wanted.append(f[1])
        else:
            whole = True
    if whole and not wanted:
        return shown(tests, 600)
    said = [f"rad {n}: {parts[n]}" for n in sorted(wanted)]
    rest = parts.get(None)
    if whole and rest:
        said.append(rest)
    return shown("; ".join(said))


def _parts(tests: str) -> dict[int | None, str]:
    """``rad N: …`` parts of a tests text by line; the text after the last part's sentence under None."""
    marks = list(_RAD.finditer(tests))
    if not marks or marks[0].start() != 0:
        return {}
    out: dict[int | None, str] = {}
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        text = tests[m.end() : nxt.start() if nxt is not None else len(tests)]
        if nxt is None and ". " in text:  # "…; rad 68: …. Filen kommer efter 0115.txt …"
            text, _, rest = text.partition(". ")
            out[None] = rest
        out[int(m.group(1))] = text
    return out
