"""`generate` and `conformance export` write into an empty folder; `--force` removes only what they recorded.

Issue 22, item 9: `generate --force` removed real NNNN.txt submissions and `conformance export --force`
a folder because it held an expected.json.  Now a command records what it wrote (`.lss-rules-utdata.json`:
its name and each file's sha256) and `--force` removes exactly that, and only when the folder holds
nothing else; everything else is one line and exit 2 with nothing removed, inside or outside the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from lss_rules.cli import main
from lss_rules.outdir import RECORD, RECORD_FORMAT

GENERATE = ["generate", "--year", "2023", "--persons", "30", "--seed", "1", "--municipalities", "3", "-o"]
EXPORT = ["conformance", "export", "--year", "2005", "-o"]
LINE = "0114;201001012384;1;0;;0;;1;0;;0;;0;0;0;0;0;;0\n"


def _tree(root: Path) -> dict[str, object]:
    """Every path under ``root`` with what it is: the bytes of a file, the target of a link, or a folder."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                out[rel] = "folder"
            else:
                out[rel] = p.read_bytes()
    return out


def _refused(argv: list[str], root: Path, capsys, *words: str) -> None:
    """The command is one line on standard error and exit 2, and nothing under ``root`` changed."""
    before = _tree(root)
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("lss-rules: "), err
    for word in words:
        assert word in err, err
    assert _tree(root) == before


def _record(out: Path) -> dict:
    return json.loads((out / RECORD).read_text(encoding="utf-8"))


def _write_record(out: Path, files: dict[str, str], command: str = "generate") -> None:
    (out / RECORD).unlink()
    doc = {"format": RECORD_FORMAT, "command": command, "files": files}
    (out / RECORD).write_text(json.dumps(doc), encoding="utf-8")


def test_force_replaces_what_an_earlier_run_wrote(tmp_path, capsys):
    out = tmp_path / "reg"
    assert main([*GENERATE, str(out)]) == 0
    first = _tree(out)
    assert sorted(_record(out)["files"]) == sorted(n for n in first if n != RECORD)
    assert main([*GENERATE, str(out)]) == 2  # not empty
    assert main([*GENERATE, str(out), "--force"]) == 0
    assert _tree(out) == first
    assert main([*GENERATE[:-3], "--municipalities", "2", "-o", str(out), "--force"]) == 0  # fewer files: none left
    assert len([n for n in os.listdir(out) if n.endswith(".txt")]) == 2


def test_real_submissions_are_never_removed(tmp_path, capsys):
    """Before: `generate --force` removed every NNNN.txt in the folder."""
    out = tmp_path / "inrapportering"
    out.mkdir()
    (out / "0114.txt").write_text(LINE, encoding="utf-8")
    (out / "expected.json").write_text("{}", encoding="utf-8")
    _refused([*GENERATE, str(out), "--force"], tmp_path, capsys, "ingen sådan anteckning")


def test_a_submission_placed_beside_a_generated_register_stops_force(tmp_path, capsys):
    out = tmp_path / "reg"
    assert main([*GENERATE, str(out)]) == 0
    (out / "9999.txt").write_text(LINE, encoding="utf-8")
    _refused([*GENERATE, str(out), "--force"], tmp_path, capsys, "9999.txt", "skrevs inte av")


def test_a_generated_file_edited_since_is_not_removed(tmp_path, capsys):
    out = tmp_path / "reg"
    assert main([*GENERATE, str(out)]) == 0
    edited = next(p for p in sorted(out.iterdir()) if p.suffix == ".txt")
    edited.write_text(edited.read_text(encoding="utf-8") + LINE, encoding="utf-8")
    _refused([*GENERATE, str(out), "--force"], tmp_path, capsys, edited.name)


def test_a_run_stopped_half_way_can_be_replaced(tmp_path, capsys):
    out = tmp_path / "reg"
    assert main([*GENERATE, str(out)]) == 0
    for p in sorted(out.glob("*.txt"))[1:]:
        p.unlink()  # the record is written first: what it lists and is missing is skipped
    assert main([*GENERATE, str(out), "--force"]) == 0


def test_export_force_does_not_remove_a_folder_for_its_expected_json(tmp_path, capsys):
    """Before: any folder holding an expected.json was taken for a vector and removed."""
    out = tmp_path / "svit"
    mine = out / "mina-fall"
    mine.mkdir(parents=True)
    (mine / "expected.json").write_text("{}", encoding="utf-8")
    (mine / "0114.txt").write_text(LINE, encoding="utf-8")
    _refused([*EXPORT, str(out), "--force"], tmp_path, capsys, "ingen sådan anteckning")


def test_export_force_replaces_an_earlier_suite_and_nothing_else(tmp_path, capsys):
    out = tmp_path / "svit"
    assert main([*EXPORT, str(out)]) == 0
    first = _tree(out)
    assert main([*EXPORT, str(out), "--force"]) == 0
    assert _tree(out) == first
    vector = next(p for p in sorted(out.iterdir()) if p.is_dir())
    (vector / "anteckning.md").write_text("mitt", encoding="utf-8")
    _refused([*EXPORT, str(out), "--force"], tmp_path, capsys, f"{vector.name}/anteckning.md")


def test_a_record_of_another_command_is_refused(tmp_path, capsys):
    out = tmp_path / "reg"
    assert main([*GENERATE, str(out)]) == 0
    _refused([*EXPORT, str(out), "--force"], tmp_path, capsys, "lss-rules generate")


def _outside(tmp_path: Path) -> Path:
    victim = tmp_path / "x"
    victim.write_text(LINE, encoding="utf-8")
    return victim


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


HOSTILE = {
    "../x": lambda out, x: _write_record(out, {"../x": _sha(x)}),
    "absolute path": lambda out, x: _write_record(out, {str(x): _sha(x)}),
    "folder ..": lambda out, x: _write_record(out, {"../x": _sha(x), "../x/y": _sha(x)}),
    "the record itself": lambda out, x: _write_record(out, {RECORD: _sha(x)}),
    "a link to a file outside": lambda out, x: (
        (out / "0114.txt").symlink_to(x),
        _write_record(out, {"0114.txt": _sha(x)}),
    ),
    "a link to a folder outside": lambda out, x: (
        (out / "vektor").symlink_to(x.parent),
        _write_record(out, {"vektor/x": _sha(x)}, "conformance export"),
    ),
    "not a record": lambda out, x: (out / RECORD).write_text('{"files": {"../x": 1}}', encoding="utf-8"),
    "a record that is a link": lambda out, x: (
        (out / RECORD).unlink(),
        (out / RECORD).symlink_to(x),
    ),
    "a bad sha256": lambda out, x: _write_record(out, {"expected.json": "../../x"}),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_record_removes_nothing_anywhere(tmp_path, capsys, case):
    out = tmp_path / "reg"
    assert main([*GENERATE, str(out)]) == 0
    for p in out.iterdir():
        if p.name != RECORD:
            p.unlink()
    victim = _outside(tmp_path)
    HOSTILE[case](out, victim)
    command = EXPORT if case == "a link to a folder outside" else GENERATE
    _refused([*command, str(out), "--force"], tmp_path, capsys)
    assert victim.read_text(encoding="utf-8") == LINE


def test_without_force_a_non_empty_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "reg"
    out.mkdir()
    (out / "anteckning.md").write_text("mina anteckningar", encoding="utf-8")
    _refused([*GENERATE, str(out)], tmp_path, capsys, "inte tom", "--force")
