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
            from lss_rules.backends.python.to_python import to_python
            from lss_rules.language.load import load_spec

            source = to_python(load_spec(spec).for_year(2023))
            with guarded():
                compile(source, "validator.py", "exec")  # valid Python; never run here
                module: dict = {"__name__": "fuzzed"}
                exec(compile(source, "validator.py", "exec"), module)  # importing it starts no process


def test_fuzz_spec() -> None:
    drive("spec", _fuzz)


# --------------------------------------------------------------------------- deep conditions (issue 22)
# 500 chained `and`s ended in RecursionError; 210 nested `-` passed `check` and broke `validate`.  A condition
# of any shape and depth is drawn: `check` accepts it exactly when it nests at most MAX_DEPTH levels (else E010),
# and then the Python validator compiles, imports and validates, and the JavaScript module prints.

ATOM_VALUE = "age(personnummer)"
_BOOL = st.sampled_from(["and", "and-left", "or", "or-left", "not", "parentheses"])
_ARITH = st.sampled_from(["+", "-", "+nested", "-nested", "parentheses"])


def _condition(bools: list[str], ariths: list[str]) -> tuple[str, int]:
    """The condition the drawn operators build, and its depth as the language counts it."""
    value, value_depth = ATOM_VALUE, 1
    for op in ariths:
        if op == "parentheses":
            value = f"({value})"
            continue
        value = f"{value} {op[0]} 1" if len(op) == 1 else f"1 {op[0]} ({value})"
        value_depth += 1
    cond, depth = f"{value} >= 12", value_depth + 1
    for op in bools:
        if op == "parentheses":
            cond = f"({cond})"
        elif op == "not":
            cond, depth = f"not ({cond})", depth + 1
        elif op.endswith("-left"):
            cond, depth = f"({cond}) {op[:-5]} daglig_verksamhet = 1", depth + 1
        else:
            cond, depth = f"daglig_verksamhet = 1 {op} ({cond})", depth + 1
    return cond, depth


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bools=st.one_of(st.lists(_BOOL, max_size=80), st.lists(_BOOL, min_size=100, max_size=600)),
    ariths=st.lists(_ARITH, max_size=80),
)
def _fuzz_deep(bools: list[str], ariths: list[str]) -> None:
    from lss_rules.language.syntax import MAX_DEPTH

    count("spec")
    cond, depth = _condition(bools, ariths)
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "spec"
        shutil.copytree(SPEC, spec, ignore=shutil.ignore_patterns("__pycache__", "__init__.py", "examples"))
        rules = spec / "rules.lss"
        text = rules.read_text(encoding="utf-8")
        old = "  require age(personnummer) between 12 and 23\n"
        assert old in text
        rules.write_text(text.replace(old, f"  require {cond}\n", 1), encoding="utf-8")
        code, _out, err = run_cli(["check", str(spec)])
        if depth > MAX_DEPTH:
            assert code == 1 and f"error[E010]: villkoret är nästlat i {depth} nivåer" in err, err
            return
        if code == 1:  # drawn operators can contradict each other (E008), nothing else is wrong
            assert {ln.split("error[")[1][:4] for ln in err.splitlines() if "error[" in ln} == {"E008"}, err
            return
        assert code == 0, err
        from lss_rules.backends.javascript.to_javascript import to_javascript
        from lss_rules.backends.python.to_python import to_python
        from lss_rules.language.load import load_spec

        ym = load_spec(spec).for_year(2023)
        to_javascript(ym)
        module: dict = {"__name__": "fuzzed"}
        with guarded():
            exec(compile(to_python(ym), "validator.py", "exec"), module)
        data = Path(tmp) / "0114.txt"
        data.write_text("0114;201501012389;1;0;;0;;0;0;;0;;0;0;0;0;0;;1\n", encoding="utf-8")
        module["validate"]([str(data)], None)


def test_fuzz_deep_conditions() -> None:
    drive("spec", _fuzz_deep)
