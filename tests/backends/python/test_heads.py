"""The starts of files kept from their first reading give the hints the bytes a second reading would.

As the JavaScript runtime's heads.test.mjs: the same hints as without them, for a file read whole, cut short
or never read; a file changed since its first reading is read again; a kept start is read by no second
opening of the file.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.runtime import python as runtime

FIELDS = ("kommun", "personnummer", "personkrets")

TEXTS = [
    b"",
    b"0114;198001012384;1\n",
    b"kommun;personnummer;personkrets\n0114;198001012384;1\n",
    "\ufeffkommun;personnummer;personkrets\r\n0114;198001012384;1\r\n".encode(),
    b'"0114";"198001012384";"1"\n' * 40,
    b"0114,198001012384,1\n" * 20,
    b"kommun;personnummer;personkrets\n" + b"0114;198001012384;1\n" * 400,  # past the window
    b"0114;198001012384;1\n" * 300 + b"0114,198001012384,1\n" * 300,
    b"kommun;personnummer;personkrets\n" + b"0114;198001012384;1\n" * 60000,  # read in two blocks
    bytes([0xFF, 0xFE, 0x6B, 0, 0x6F, 0]),  # UTF-16
]


@pytest.fixture(autouse=True)
def _no_kept_heads():
    for path in list(runtime._HEADS):
        runtime._take_head(path)
    yield
    for path in list(runtime._HEADS):
        runtime._take_head(path)


def read_whole(path):
    runtime.file_state(path)
    return sum(1 for _ in runtime.iter_lines(path))


def hints(path):
    return runtime.file_hints(path, ";", FIELDS, "en")


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_a_file_read_first_has_the_hints_of_one_never_read(tmp_path, text, monkeypatch):
    path = str(tmp_path / "a.txt")
    with open(path, "wb") as f:
        f.write(text)
    never = hints(path)
    assert path not in runtime._HEADS
    read_whole(path)
    assert runtime._HEADS[path][1] == text[: runtime._HINT_BYTES]
    opened = []

    def counted_open(*args, **kwargs):
        opened.append(args)
        return open(*args, **kwargs)

    monkeypatch.setattr(runtime, "open", counted_open, raising=False)
    assert hints(path) == never
    assert opened == []  # the kept start, not a second reading
    assert path not in runtime._HEADS  # given back
    monkeypatch.undo()
    assert hints(path) == never  # and read again when nothing is kept


def test_a_file_changed_since_its_reading_is_read_again(tmp_path):
    path = str(tmp_path / "a.txt")
    with open(path, "wb") as f:
        f.write(b"0114;198001012384;1\n" * 30)
    read_whole(path)
    with open(path, "wb") as f:
        f.write(b"0114,198001012384,1\n" * 31)  # another size: another state
    assert hints(path) == hints_of_a_copy(tmp_path, path)
    assert [h["code"] for h in hints_of_a_copy(tmp_path, path)] == ["separator"]


def hints_of_a_copy(tmp_path, path):
    copy = str(tmp_path / "copy.txt")
    with open(path, "rb") as src, open(copy, "wb") as dst:
        dst.write(src.read())
    return hints(copy)


def test_a_file_cut_short_keeps_nothing(tmp_path):
    path = str(tmp_path / "a.txt")
    with open(path, "wb") as f:
        f.write(b"0114;198001012384;1\n" * 600)
    lines = runtime.iter_lines(path)
    next(lines)
    lines.close()  # a reader that stopped early: no start is kept, the hints read the file
    assert path not in runtime._HEADS
    assert hints(path) == []


def test_the_room_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "_HEAD_ROOM", 2 * runtime._HINT_BYTES)
    paths = []
    for i in range(3):
        path = str(tmp_path / f"{i}.txt")
        with open(path, "wb") as f:
            f.write(b"0114;198001012384;1\n" * 300)
        read_whole(path)
        paths.append(path)
    assert [p in runtime._HEADS for p in paths] == [True, True, False]
    assert runtime._HEAD_BYTES[0] == 2 * runtime._HINT_BYTES
    read_whole(paths[0])  # read again: its start replaced, not counted twice
    assert runtime._HEAD_BYTES[0] == 2 * runtime._HINT_BYTES
    for p in paths:
        hints(p)
    assert runtime._HEAD_BYTES[0] == 0 and not runtime._HEADS


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(["0114", "198001012384", "1", "kommun", "personnummer", "", '"1"', "\r", "\ufeff", "é"]),
        max_size=12,
    ).map(lambda parts: "".join(p + sep for p, sep in zip(parts, ";,\t|\n" * 3, strict=False))),
    st.integers(1, 400),
)
def test_kept_or_read_the_hints_are_the_same(tmp_path, line, copies):
    path = str(tmp_path / "h.txt")
    data = (line * copies).encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    never = hints(path)
    read_whole(path)
    assert hints(path) == never
    os.remove(path)
