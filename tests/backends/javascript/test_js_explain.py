"""``node lss-2023.mjs --explain`` writes ``lss-rules validate --explain``'s report, byte for byte (issue 27).

Text and JSON (``"contract": 2``, each finding's ``trace``), Swedish and English, masked and shown, the same
exit code; on the bundled example registers and on a generated register of three municipalities with the
same person in two of them (LSS-R09's other lines), a line twice in one file (LSS-R07's first line) and a
deceased list (LSS-R02's date of death).
"""

from __future__ import annotations

import contextlib
import io
import subprocess
from pathlib import Path

import pytest

from lss_rules.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("register")
    assert main(["generate", "--year", "2023", "--persons", "300", "--seed", "7", "--municipalities", "3",
                 "--error-rate", "0.3", "-o", str(folder)]) == 0  # fmt: skip
    names = sorted(p.name for p in folder.glob("*.txt"))
    first = (folder / names[0]).read_bytes().splitlines(keepends=True)
    with (folder / names[1]).open("ab") as f:
        f.write(first[0])  # LSS-R09: a person in two municipalities' files
    with (folder / names[0]).open("ab") as f:
        f.write(first[1])  # LSS-R07: a person twice in one file
    # the same person in the third file with a service of the first line's set and another left empty: that line
    # has LSS-S03 and was not judged by LSS-R09, so it is no "other" line of the first line's finding
    fields = first[0].decode().split(";")
    on = next(i for i in range(6, len(fields)) if fields[i] == "1")
    off = next(i for i in range(6, len(fields)) if fields[i] == "0")
    unjudged = [*fields[:off], "", *fields[off + 1 :]]
    with (folder / names[2]).open("a", encoding="utf-8") as f:
        f.write(";".join(unjudged) + "\n")
    assert fields[on] == "1"
    pnr = first[1].split(b";")[1].decode()
    alone = [line.split(b";")[1].decode() for line in (folder / names[2]).read_bytes().splitlines()[5:9]]
    # LSS-R02 on the person of an R07 line and on four persons with no other finding (their lines read again)
    dead = [f"{p};2020-01-01\n" for p in [pnr, *alone]]
    (folder / "avlidna.lst").write_text("".join(dead), encoding="utf-8")
    return folder, [*names, "--deceased", "avlidna.lst"]


def _python(folder: Path, argv: list[str], monkeypatch) -> tuple[int, str]:
    monkeypatch.chdir(folder)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["validate", "--year", "2023", *argv])
    return code, out.getvalue()


CASES = [[], ["--format", "json"], ["--lang", "en"], ["--format", "json", "--lang", "en", "--show-personnummer"]]


@pytest.mark.parametrize("options", CASES, ids=lambda o: " ".join(o) or "text")
@pytest.mark.parametrize("register", ["2023", "2023-med-fel", "generated"])
def test_the_module_explains_as_validate_does(node, js_module, generated, register, options, monkeypatch):
    if register == "generated":
        folder, files = generated
    else:
        folder = EXAMPLES / register
        files = sorted(p.name for p in folder.glob("*.txt"))
    argv = [*files, "--explain", *options]
    code, expected = _python(folder, argv, monkeypatch)
    proc = subprocess.run(
        [node, str(js_module(2023)), *argv], cwd=folder, capture_output=True, timeout=120, check=False
    )
    assert proc.stderr == b""
    assert (proc.returncode, proc.stdout.decode("utf-8")) == (code, expected)
    if register != "2023":
        assert ("Spårning: " if "en" not in options else "Trace: ") in expected or '"trace": {' in expected
    if register == "generated":
        assert '"others": [\n' in expected or "Se också: " in expected or "See also: " in expected
