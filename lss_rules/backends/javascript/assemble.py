"""The JavaScript runtime as every generated module embeds it: its parts joined, with runtime.py's tables.

The runtime is written by hand in parts (``lss_rules/runtime/javascript/*.mjs``, :data:`PARTS`), joined
here in order into the one scope of a standalone module.

What both runtimes use — texts of hints, details, reports and messages, limits, exit codes, the masked
form, the table of printable characters — is defined once, in :mod:`lss_rules.runtime.python`, and
listed there by name in ``JAVASCRIPT_SHARED``.  The JavaScript parts declare each of them as a slot::

    const HINT_BYTES = /* runtime.py */ null;

(``export const`` as well), named as in Python without a leading underscore (``_HINT_BYTES`` ->
``HINT_BYTES``); :func:`runtime_source` writes the Python value there as a JavaScript literal.  A slot
without a shared name, a shared name without its slot, or a slot twice is an error here, so neither
side can drift: there is no hand-kept copy in JavaScript to keep equal.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from lss_rules.runtime import python as runtime

# a slot: ``const NAME = /* runtime.py */ null;`` on a line of its own, maybe exported, maybe a comment after it
SLOT = re.compile(r"^((?:export )?const ([A-Z][A-Z0-9_]*) = )/\* runtime\.py \*/ null;( *//.*)?$", re.MULTILINE)


def shared_values() -> dict[str, Any]:
    """JavaScript name -> value of every name runtime.py shares (``JAVASCRIPT_SHARED``)."""
    out: dict[str, Any] = {}
    for name in runtime.JAVASCRIPT_SHARED:
        js_name = name.lstrip("_")
        if js_name in out:
            raise AssertionError(f"runtime.JAVASCRIPT_SHARED: {js_name} named twice")
        out[js_name] = getattr(runtime, name)
    return out


def js_literal(value: Any) -> str:
    """``value`` (JSON data: str, int, bool, None, tuples/lists, dicts of str keys) as a JavaScript literal.

    JSON is JavaScript; non-ASCII stays as it is (the module is UTF-8, as the runtime's own texts),
    U+2028 and U+2029 escaped (a line end to older engines), and no object key that JavaScript reads
    as something else than a key (``__proto__`` would set the prototype).
    """
    _check_keys(value)
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _check_keys(value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or key == "__proto__":
                raise AssertionError(f"runtime.py: {key!r} cannot be a key of a shared table")
            _check_keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_keys(item)
    elif not isinstance(value, str | int | float | bool | type(None)):
        raise AssertionError(f"runtime.py: a shared value is JSON data, not {type(value).__name__}")


def fill_slots(text: str) -> str:
    """``text`` (the runtime's JavaScript) with every slot filled from runtime.py; an error for any mismatch."""
    values = shared_values()
    slots = [m[2] for m in SLOT.finditer(text)]
    twice = sorted({name for name in slots if slots.count(name) > 1})
    unknown = sorted(set(slots) - set(values))
    missing = sorted(set(values) - set(slots))
    if twice or unknown or missing:
        raise AssertionError(
            "the JavaScript runtime and runtime.JAVASCRIPT_SHARED disagree: "
            f"slots twice {twice}, slots runtime.py does not share {unknown}, shared names without a slot {missing}"
        )
    return SLOT.sub(lambda m: f"{m[1]}{js_literal(values[m[2]])};{m[3] or ''}", text)


#: The parts of the JavaScript runtime (``lss_rules/runtime/javascript/*.mjs``) in the order they are joined:
#: one scope, as the one standalone module every validator is; each part a concern of its own, at most about
#: 550 lines (the runtime was one file of 2,400).
PARTS = (
    "errors",
    "reading",
    "national",
    "personnummer",
    "reports",
    "trace",
    "command_line",
    "heads",
    "hints_and_details",
    "api",
)


def runtime_text() -> str:
    """The runtime's parts joined, as in the package (its slots empty)."""
    folder = resources.files("lss_rules.runtime") / "javascript"
    return "".join((folder / f"{part}.mjs").read_text(encoding="utf-8") for part in PARTS)


def runtime_source() -> str:
    """The runtime (hand-written, no rule in it) with the tables it shares with the Python runtime."""
    return fill_slots(runtime_text())
