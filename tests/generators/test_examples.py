"""examples/2023 is what `lss-rules generate` makes, byte for byte."""

from __future__ import annotations

from pathlib import Path

from lss_rules.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "2023"
COMMAND = ["generate", "--year", "2023", "--persons", "300", "--seed", "2023", "--municipalities", "3"]


def test_regenerating_gives_identical_bytes(tmp_path):
    assert main([*COMMAND, "-o", str(tmp_path)]) == 0
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in EXAMPLES.iterdir())
    for name in made:
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), name


def test_example_is_accepted_by_the_reference_evaluator(spec):
    from lss_rules.meaning.evaluate import evaluate_files

    paths = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    report = evaluate_files(spec.for_year(2023), paths)
    assert report["status"] == "accepted"
    assert sum(f["records"] for f in report["files"]) == 306


def test_the_readme_command_is_documented():
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    assert "lss-rules validate --year 2023 examples/2023/*.txt" in readme
    assert "lss-rules " + " ".join(COMMAND) + " -o examples/2023" in readme
