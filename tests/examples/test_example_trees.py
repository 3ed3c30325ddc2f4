"""The examples' YAML trees are composed once a process (lss_rules/language/yaml_trees.py): reading the same
file again gives the same examples and problems without composing it again; a text that does not compose is
never kept; the memory kept stays within its budget."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lss_rules.language import examples as ex
from lss_rules.language.examples import load_examples, read_example_file
from lss_rules.language.yaml_trees import TreeMemo

REPO = Path(__file__).resolve().parents[2]


def test_a_second_reading_is_the_first_without_composing_again(spec, tmp_path):
    folder = tmp_path / "examples"
    shutil.copytree(REPO / "spec" / "examples", folder)
    first = load_examples(folder, spec)
    composed = ex._trees.composed
    assert all(p.read_text(encoding="utf-8") in ex._trees._kept for p in folder.glob("*.yaml"))
    again = load_examples(folder, spec)
    assert ex._trees.composed == composed  # every tree kept
    assert again == first and first[0] and first[1] == []
    assert [e.pos for e in again[0]] == [e.pos for e in first[0]]  # positions too (not compared by ==)
    # another file with the same text: the same examples, placed in that file
    other = tmp_path / "other.yaml"
    other.write_text((folder / "LSS-R04.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    here, _ = read_example_file(other, spec)
    there, _ = read_example_file(folder / "LSS-R04.yaml", spec)
    assert here == there and {e.pos.file for e in here} == {str(other)}


@pytest.mark.parametrize(
    ("text", "code"),
    [("rule: LSS-R04\nexamples: [a, b\n", "E020"), ("rule: &a LSS-R04\nexamples: *a\n", "E021")],
)
def test_a_text_that_does_not_compose_is_said_every_time(spec, tmp_path, text, code):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    first = read_example_file(path, spec)
    composed = ex._trees.composed
    assert read_example_file(path, spec) == first and [d.code for d in first[1]] == [code]
    assert ex._trees.composed == composed  # never composed: the error comes before anything is kept
    assert text not in ex._trees._kept


def test_the_memory_kept_stays_within_the_budget():
    calls: list[str] = []

    def compose(text: str) -> str:
        calls.append(text)
        return text.upper()

    trees = TreeMemo(compose, max_text=4, budget=8)
    assert [trees(t) for t in ("aaa", "bbb", "aaa")] == ["AAA", "BBB", "AAA"] and calls == ["aaa", "bbb"]
    trees("ccc")  # 9 characters: the least recently used (bbb) goes
    assert trees.size == 6 and trees("aaa") == "AAA" and calls == ["aaa", "bbb", "ccc"]
    trees("bbb")
    assert calls[-1] == "bbb"
    assert trees("toolong") == "TOOLONG" and trees("toolong") == "TOOLONG"  # over max_text: composed each time
    assert calls[-2:] == ["toolong", "toolong"] and trees.size <= 8
