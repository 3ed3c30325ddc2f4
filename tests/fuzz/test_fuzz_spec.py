"""Fuzz: spec text and spec file names (`lss-rules check`, and `compile` when the spec is clean).

A copy of the real spec with text inserted, deleted or replaced anywhere, and files of any name
beside it: `check` ends with 0, 1 or 2 and no traceback; a spec it passes compiles to a module
that is valid Python whose import starts no process; nothing is written outside the output.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import count, drive, guarded, one_line_error, run_cli, snapshot

SPEC = Path(__file__).resolve().parents[2] / "spec"
FILES = sorted(p.name for p in SPEC.glob("*.lss"))
TOKENS = [
    '"',
    "\\",
    "\\n",
    "\\\\n",
    "\n",
    "\u2028",
    "\x00",
    "{",
    "}",
    "(",
    ")",
    ";",
    "#",
    "<script>alert(1)</script>",
    '"); import os; os.system("true"); ("',
    "__import__('os')",
    "999999999999999999999999",
    "9" * 5000,  # past CPython's int() limit of 4,300 digits (issue 22)
    "0" * 5000 + "1",
    "-1",
    "from 3000",
    "until 1990",
    "rule",
    "field",
    "parameter",
    "dataset",
    'file "/etc/passwd"',
    'file "/dev/zero"',
    "é",
    "\ufeff",
]

edit = st.tuples(
    st.sampled_from(FILES),
    st.floats(0, 1),
    st.integers(0, 40),
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=20)),
)
extra_name = st.one_of(
    st.sampled_from(["zz.lss", "a\nimport os\n#.lss", "Regler.lss", "-x.lss", "z z.lss", "ü.lss", "..lss"]),
    st.text(min_size=1, max_size=12).map(lambda s: s + ".lss"),
)


def _apply(folder: Path, file: str, where: float, cut: int, text: str) -> None:
    path = folder / file
    src = path.read_text(encoding="utf-8")
    at = int(where * len(src))
    path.write_text(src[:at] + text + src[at + cut :], encoding="utf-8")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(edit, max_size=3), extra=st.one_of(st.none(), extra_name))
def _fuzz(edits: list[tuple[str, float, int, str]], extra: str | None) -> None:
    count("spec")
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "spec"
        shutil.copytree(SPEC, spec, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
        for e in edits:
            _apply(spec, *e)
        if extra is not None and "/" not in extra and "\x00" not in extra:
            with contextlib.suppress(OSError):  # a name the file system refuses
                (spec / extra).write_text((spec / FILES[0]).read_text(encoding="utf-8")[:200], encoding="utf-8")
        before = snapshot(Path(tmp))
        code, _out, err = run_cli(["check", str(spec)])
        one_line_error(code, err)
        assert snapshot(Path(tmp)) == before
        plain = all(
            n.replace("_", "").replace("-", "").replace(".lss", "").isalnum()
            for n in os.listdir(spec)
            if n.endswith(".lss")
        )
        if code == 0 and plain:
            from lss_rules.backends.python import to_python
            from lss_rules.load import load_spec

            source = to_python(load_spec(spec).for_year(2023))
            with guarded():
                compile(source, "validator.py", "exec")  # valid Python; never run here
                module: dict = {"__name__": "fuzzed"}
                exec(compile(source, "validator.py", "exec"), module)  # importing it starts no process


def test_fuzz_spec() -> None:
    drive("spec", _fuzz)
