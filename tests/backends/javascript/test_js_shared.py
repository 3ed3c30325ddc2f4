"""One source for what the two runtimes share (issue 23): runtime.py defines, runtime.mjs has slots.

``runtime.JAVASCRIPT_SHARED`` names the constants and tables of ``lss_rules/runtime/python.py`` that the
JavaScript runtime uses; ``lss_rules.backends.javascript.assemble.runtime_source`` writes each into its
slot in ``runtime.mjs``.  These tests prove that every slot is filled and every shared name used, that
the values arrive in JavaScript equal to Python's, and that no copy of a shared text is left by hand.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from lss_rules.backends.javascript import assemble


def test_every_slot_is_filled():
    source = assemble.runtime_source()
    assert assemble.SLOT.search(source) is None
    assert "/* runtime.py */" not in source
    raw = assemble.runtime_text()
    assert sorted(m[2] for m in assemble.SLOT.finditer(raw)) == sorted(assemble.shared_values())


def test_every_shared_name_is_used():
    """Each shared name is read in the JavaScript runtime past its slot, or exported (the module's API):
    nothing shared for nothing."""
    source = assemble.runtime_source()
    exported = {m[2] for m in assemble.SLOT.finditer(assemble.runtime_text()) if m[1].startswith("export ")}
    unused = [
        name
        for name in assemble.shared_values()
        if len(re.findall(rf"\b{name}\b", source)) < 2 and name not in exported
    ]
    assert unused == []


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text + "\nconst NOT_SHARED = /* runtime.py */ null;\n",  # a slot Python does not fill
        lambda text: text.replace("const HINT_BYTES = /* runtime.py */ null;", "const HINT_BYTES = 8192;"),  # a copy
        lambda text: text + "\nconst HINT_BYTES = /* runtime.py */ null;\n",  # a slot twice
    ],
)
def test_a_slot_and_the_shared_names_that_disagree_are_an_error(change):
    with pytest.raises(AssertionError, match="disagree"):
        assemble.fill_slots(change(assemble.runtime_text()))


def _strings(value: Any) -> list[str]:
    """The texts of a shared value (not the keys of its tables: names the code uses, such as a status)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def test_no_copy_of_a_shared_text_is_left_in_javascript():
    """A text runtime.py shares is not written out in runtime.mjs as well (the copies that drifted)."""
    raw = assemble.runtime_text()
    texts = {s for value in assemble.shared_values().values() for s in _strings(value) if len(s) >= 12}
    copied = sorted(s for s in texts if json.dumps(s, ensure_ascii=False)[1:-1] in raw or s in raw)
    assert copied == []


def test_javascript_reads_the_values_python_has(node, tmp_path):
    values = assemble.shared_values()
    module = tmp_path / "shared.mjs"
    module.write_text(
        "".join(f"export const {name} = {assemble.js_literal(value)};\n" for name, value in values.items()),
        encoding="utf-8",
    )
    driver = Path(__file__).resolve().parent / "namespace.mjs"  # prints the module's exports as JSON
    proc = subprocess.run([node, str(driver), str(module)], capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert json.loads(proc.stdout) == json.loads(json.dumps(values))


@pytest.mark.parametrize("value", [{"__proto__": 1}, {1: "a"}, {"a": {1, 2}}, b"x"])
def test_what_javascript_would_read_otherwise_is_refused(value):
    with pytest.raises(AssertionError):
        assemble.js_literal(value)


def test_the_runtime_is_its_parts_joined_in_order():
    """Every part of the JavaScript runtime is joined, once, in the order of PARTS (a part left out of PARTS
    would silently drop its functions from every module); each part ends a line, so no two lines fuse."""
    from importlib import resources

    from lss_rules.backends.javascript import assemble

    folder = resources.files("lss_rules.runtime") / "javascript"
    on_disk = sorted(p.name.removesuffix(".mjs") for p in folder.iterdir() if p.name.endswith(".mjs"))
    assert sorted(assemble.PARTS) == on_disk and len(set(assemble.PARTS)) == len(assemble.PARTS)
    texts = [(folder / f"{part}.mjs").read_text(encoding="utf-8") for part in assemble.PARTS]
    assert all(text.endswith("\n") for text in texts)
    assert assemble.runtime_text() == "".join(texts)
    assert all(len(text.splitlines()) <= 560 for text in texts)
