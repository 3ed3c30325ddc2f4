"""`lss-rules release`: a year's kit for vendors, reproducible, and `release --verify` on kits good and bad.

The kit is built once a session by the commands of docs/guide/vendors.md as written there (the PDF
takes seconds); the bad-kit tests change copies of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shlex
import shutil
import stat
import zipfile
from pathlib import Path

import jsonschema
import pytest

import lss_rules
from lss_rules.cli import build_parser, main
from lss_rules.language.load import load_spec
from lss_rules.language.syntax import LANGUAGE
from lss_rules.meaning.diff import diff_years
from lss_rules.meaning.release_notes import render_markdown
from lss_rules.tools.conformance import load_suite

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "guide" / "vendors.md"
SECTION = "## 6. Årets utgåva: `release`"


def guide_commands() -> list[str]:
    """The shell commands of the guide's section on the kit, as written there."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    nxt = section.find("\n## ", len(SECTION))
    section = section if nxt < 0 else section[:nxt]
    return [line for block in re.findall(r"```sh\n(.*?)```", section, re.S) for line in block.splitlines() if line]


def run_command(line: str) -> int:
    """A guide's line run in-process: ``VAR=value`` prefixes set in the environment, then ``lss-rules ...``."""
    words = shlex.split(line)
    env = {}
    while "=" in words[0] and not words[0].startswith("-"):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[0] == "lss-rules", line
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return main(words[1:])
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="session")
def guide_kit(tmp_path_factory) -> Path:
    """The kit the guide's commands write (in a folder of their own), after they all ran with exit 0."""
    where = tmp_path_factory.mktemp("guide")
    cwd = Path.cwd()
    os.chdir(where)
    try:
        lines = guide_commands()
        kit_lines = [line for line in lines if " release " in f" {line} "]
        assert kit_lines and any("--verify" in line for line in kit_lines)
        for line in kit_lines:
            assert run_command(line) == 0, line
    finally:
        os.chdir(cwd)
    (kit,) = [p for p in where.iterdir() if p.is_dir()]
    return kit


def copy_of(kit: Path, tmp_path: Path) -> Path:
    target = tmp_path / "kit"
    shutil.copytree(kit, target)
    return target


def resum(kit: Path) -> None:
    """Write SHA256SUMS (and the manifest's sums) again after a file was changed on purpose."""
    manifest_path = kit / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError:
        manifest = None
    names = sorted(p.name for p in kit.iterdir() if p.name not in ("SHA256SUMS", ".lss-rules-utdata.json"))
    if isinstance(manifest, dict):
        manifest["files"] = {
            n: hashlib.sha256((kit / n).read_bytes()).hexdigest() for n in names if n != "manifest.json"
        }
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    sums = "".join(f"{hashlib.sha256((kit / n).read_bytes()).hexdigest()}  {n}\n" for n in names)
    (kit / "SHA256SUMS").write_text(sums, encoding="utf-8")


def verify_says(kit: Path, capsys) -> tuple[int, str]:
    code = main(["release", "--verify", str(kit)])
    out = capsys.readouterr()
    return code, out.err


# ----------------------------------------------------------------- the kit


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_the_kit_holds_every_file(guide_kit):
    names = sorted(p.name for p in guide_kit.iterdir())
    assert names == sorted(
        [
            ".lss-rules-utdata.json",
            "SHA256SUMS",
            "changes.json",
            "lss-2022.mjs",
            "lss-record-2022.schema.json",
            "lss-regler-2022.pdf",
            "lss_validator_2022.py",
            "manifest.json",
            "svit-2022.zip",
            "ÄNDRINGAR.md",
        ]
    )
    assert (guide_kit / "lss-regler-2022.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_the_manifest(guide_kit, spec):
    doc = json.loads((guide_kit / "manifest.json").read_text(encoding="utf-8"))
    assert doc["year"] == 2022 and doc["register"] == "lss"
    assert doc["spec_digest"] == load_spec().digest
    assert doc["lss_rules_version"] == importlib.metadata.version("lss-rules")
    assert doc["language_version"] == LANGUAGE  # the version this lss-rules reads, so the one the spec states (E013)
    schema = json.loads((Path(lss_rules.__file__).parent / "schemas" / "report.schema.json").read_text("utf-8"))
    assert doc["report_contract"] == schema["x-lss-contract"] == 2  # the report contract (issue 27: trace)
    # SOURCE_DATE_EPOCH=1767225600 in the guide: 2026-01-01 UTC
    assert doc["published"] == "2026-01-01"
    assert doc["applies_from"] == spec.for_year(2022).reference_date.isoformat() == "2022-10-01"
    assert doc["rules_unchanged_since"] == 2022 and doc["previous_year"] == 2021
    assert doc["breaking_changes"] is False  # 2022 only raised a limit
    for name, digest in doc["files"].items():
        assert hashlib.sha256((guide_kit / name).read_bytes()).hexdigest() == digest


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_the_changes_are_the_diff_against_the_year_before(guide_kit, spec):
    d = diff_years(load_spec(), 2021, 2022)
    assert (guide_kit / "ÄNDRINGAR.md").read_text(encoding="utf-8") == render_markdown(d)
    changes = json.loads((guide_kit / "changes.json").read_text(encoding="utf-8"))
    assert (changes["from"], changes["to"], changes["breaking"]) == (2021, 2022, False)
    assert [p["name"] for p in changes["parameters"]] == ["personlig_assistans_max_timmar"]
    schema = json.loads((REPO / "lss_rules" / "schemas" / "diff.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(changes, schema, cls=jsonschema.Draft202012Validator)
    assert changes["spec"] == {"path": None, "digest": load_spec().digest}


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_the_sums_are_sha256sum_format(guide_kit):
    lines = (guide_kit / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    names = [line.split("  ", 1)[1] for line in lines]
    assert names == sorted(names) and "SHA256SUMS" not in names and ".lss-rules-utdata.json" not in names
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((guide_kit / name).read_bytes()).hexdigest() == digest


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_the_zip_is_the_exported_suite(guide_kit, tmp_path):
    with zipfile.ZipFile(guide_kit / "svit-2022.zip") as z:
        names = z.namelist()
        assert names == sorted(names) and all(n.startswith("svit-2022/") for n in names)
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        z.extractall(tmp_path)  # our own zip, checked above: every name under svit-2022/
    manifest, vectors = load_suite(tmp_path / "svit-2022")
    assert manifest["year"] == 2022 and len(vectors) > 100


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_two_runs_are_byte_identical(guide_kit, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert main(["release", "--year", "2022", "-o", str(tmp_path / "again")]) == 0
    for p in guide_kit.iterdir():
        assert (tmp_path / "again" / p.name).read_bytes() == p.read_bytes(), p.name


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_verify_accepts_the_kit(guide_kit, capsys):
    assert main(["release", "--verify", str(guide_kit)]) == 0
    assert "årsutgåvan 2022 stämmer" in capsys.readouterr().out


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_the_output_folder_must_be_empty_and_force_replaces_only_a_kit(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    assert main(["release", "--year", "2022", "-o", str(kit)]) == 2
    assert "inte tom" in capsys.readouterr().err
    (kit / "0114.txt").write_text("en riktig inlämning\n", encoding="utf-8")
    assert main(["release", "--year", "2022", "-o", str(kit), "--force"]) == 2
    assert (kit / "0114.txt").exists()


def test_year_before_the_register_is_exit_2(tmp_path, capsys):
    assert main(["release", "--year", "1990", "-o", str(tmp_path / "k")]) == 2
    assert "1999" in capsys.readouterr().err
    assert not (tmp_path / "k").exists() or not any((tmp_path / "k").iterdir())


def test_usage(capsys, tmp_path):
    assert main(["release", "--year", "2022"]) == 2
    assert main(["release", "--verify", str(tmp_path), "--year", "2022"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_readme_rows_parse(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(lss-rules release[^`]*)` \|", readme, re.M)
    assert len(rows) == 2
    for row in rows:
        words = shlex.split(row.replace("Y", "2022").replace("DIR", str(tmp_path)))
        args = build_parser().parse_args(words[1:])
        assert args.command == "release"


# ----------------------------------------------------------------- bad kits: one line, exit 1 (2: no kit at all)


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_a_changed_file(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    with (kit / "lss-2022.mjs").open("ab") as f:
        f.write(b"// x\n")
    code, err = verify_says(kit, capsys)
    assert code == 1 and err.count("\n") == 1 and "lss-2022.mjs har ändrats" in err


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_a_missing_file(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    (kit / "lss-regler-2022.pdf").unlink()
    code, err = verify_says(kit, capsys)
    assert code == 1 and err.count("\n") == 1 and "lss-regler-2022.pdf saknas" in err


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_an_extra_file(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    (kit / "extra.txt").write_text("x", encoding="utf-8")
    code, err = verify_says(kit, capsys)
    assert code == 1 and "extra.txt hör inte till årsutgåvan" in err


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_an_extra_folder(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    (kit / "svit-2022").mkdir()
    code, err = verify_says(kit, capsys)
    assert code == 1 and "svit-2022 hör inte till" in err


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_a_link_in_place_of_a_file_is_not_followed(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    outside = tmp_path / "outside.mjs"
    shutil.move(kit / "lss-2022.mjs", outside)  # the same bytes, reached through a link
    (kit / "lss-2022.mjs").symlink_to(outside)
    code, err = verify_says(kit, capsys)
    assert code == 1 and "lss-2022.mjs är ingen vanlig fil" in err


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_a_manifest_that_is_not_json(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    (kit / "manifest.json").write_text("{inte json", encoding="utf-8")
    resum(kit)  # the sums agree: the manifest itself must be refused
    code, err = verify_says(kit, capsys)
    assert code == 1 and err.count("\n") == 1 and "manifest.json är inte JSON" in err


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_a_manifest_that_disagrees_with_the_sums(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    doc = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    doc["files"]["lss-2022.mjs"] = "0" * 64
    (kit / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    names = sorted(p.name for p in kit.iterdir() if p.name not in ("SHA256SUMS", ".lss-rules-utdata.json"))
    sums = "".join(f"{hashlib.sha256((kit / n).read_bytes()).hexdigest()}  {n}\n" for n in names)
    (kit / "SHA256SUMS").write_text(sums, encoding="utf-8")
    code, err = verify_says(kit, capsys)
    assert code == 1 and "inte överens om lss-2022.mjs" in err


def _zip(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info, data in entries:
            z.writestr(info, data)
    return buf.getvalue()


@pytest.mark.long
@pytest.mark.parametrize("name", ["../evil.txt", "svit-2022/../../evil.txt", "/etc/evil", "svit-2022\\..\\evil"])
@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_a_zip_entry_outside_the_suite(guide_kit, tmp_path, capsys, name):
    kit = copy_of(guide_kit, tmp_path)
    (kit / "svit-2022.zip").write_bytes(_zip([(zipfile.ZipInfo(name), b"x")]))
    resum(kit)
    code, err = verify_says(kit, capsys)
    assert code == 1 and "pekar utanför sviten" in err
    assert not (tmp_path / "evil.txt").exists() and not any(p.name == "evil.txt" for p in tmp_path.rglob("*"))


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_a_zip_with_a_link_inside(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    link = zipfile.ZipInfo("svit-2022/manifest.json")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    (kit / "svit-2022.zip").write_bytes(_zip([(link, b"/etc/passwd")]))
    resum(kit)
    code, err = verify_says(kit, capsys)
    assert code == 1 and "är en länk eller en specialfil" in err


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_a_zip_with_a_name_twice(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    with pytest.warns(UserWarning):
        data = _zip([(zipfile.ZipInfo("svit-2022/a.txt"), b"1"), (zipfile.ZipInfo("svit-2022/a.txt"), b"2")])
    (kit / "svit-2022.zip").write_bytes(data)
    resum(kit)
    code, err = verify_says(kit, capsys)
    assert code == 1 and "står två gånger" in err


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_not_a_zip(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    (kit / "svit-2022.zip").write_bytes(b"PK\x03\x04 trasig")
    resum(kit)
    code, err = verify_says(kit, capsys)
    assert code == 1 and "ingen läsbar zip-fil" in err


@pytest.mark.long  # builds the kit (a PDF, the suite): ~15 s once a session
def test_sums_not_in_the_format(guide_kit, tmp_path, capsys):
    kit = copy_of(guide_kit, tmp_path)
    (kit / "SHA256SUMS").write_text("abc  ../../etc/passwd\n", encoding="utf-8")
    code, err = verify_says(kit, capsys)
    assert code == 1 and "SHA256SUMS rad 1" in err


def test_no_kit_at_all_is_exit_2(tmp_path, capsys):
    code, err = verify_says(tmp_path / "finns-inte", capsys)
    assert code == 2 and err.count("\n") == 1
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    code, _ = verify_says(tmp_path / "fil", capsys)
    assert code == 2


def test_an_empty_folder_has_no_sums(tmp_path, capsys):
    code, err = verify_says(tmp_path, capsys)
    assert code == 1 and "SHA256SUMS saknas" in err


def test_publication_date_follows_source_date_epoch(monkeypatch):
    from lss_rules.tools.release import publication_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert publication_date() == dt.date(2026, 1, 1)
