"""Fuzz: a downloaded year's kit (`lss-rules release --verify`).

A small kit (a file, a zip, a manifest, SHA256SUMS) with its SHA256SUMS text, its manifest and the names,
modes and bytes of its zip's entries replaced by anything: exit 0, 1 or 2 with one line, never a trace;
the kit and the folder around it are never written to, nothing is unpacked, no process is started.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import tempfile
import warnings
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.tools.release import KIT_FORMAT

from .conftest import count, drive, one_line_error, run_cli, snapshot

json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.sampled_from(["../x", "/etc", "a.txt"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
entry_name = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["../x", "svit/../../x", "/etc/passwd", "svit/a.txt", "svit/", "C:\\x", "svit\\..\\x", ""]),
)
entry = st.tuples(
    entry_name,
    st.sampled_from(
        [0, 0o644, 0o755, stat.S_IFLNK | 0o777, stat.S_IFREG | 0o644, stat.S_IFDIR | 0o755, stat.S_IFCHR | 0o600]
    ),
    st.binary(max_size=40),
)


def _zip(entries: list[tuple[str, int, bytes]]) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as z:
        warnings.simplefilter("ignore")  # a name twice is one of the cases
        for name, mode, data in entries:
            info = zipfile.ZipInfo(name or "x")
            info.create_system = 3
            info.external_attr = mode << 16
            z.writestr(info, data)
    return buf.getvalue()


def _sums(files: dict[str, bytes]) -> bytes:
    return "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(files.items())).encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entries=st.lists(entry, max_size=4),
    manifest=st.one_of(json_value, st.just("valid"), st.binary(max_size=30)),
    sums=st.one_of(st.just("valid"), st.text(max_size=200), st.binary(max_size=80)),
)
def _case(entries, manifest, sums) -> None:
    count("kit")
    with tempfile.TemporaryDirectory() as tmp:
        kit = Path(tmp) / "kit"
        kit.mkdir()
        files = {"a.txt": b"x\n", "svit.zip": _zip(entries)}
        if manifest == "valid":
            doc = {
                "format": KIT_FORMAT,
                "year": 2023,
                "files": {n: hashlib.sha256(d).hexdigest() for n, d in files.items()},
            }
            files["manifest.json"] = json.dumps(doc).encode()
        elif isinstance(manifest, bytes):
            files["manifest.json"] = manifest
        else:
            files["manifest.json"] = json.dumps(manifest).encode()
        for name, data in files.items():
            (kit / name).write_bytes(data)
        (kit / "SHA256SUMS").write_bytes(
            _sums(files) if sums == "valid" else sums if isinstance(sums, bytes) else sums.encode("utf-8", "replace")
        )
        before = snapshot(Path(tmp))
        code, _out, err = run_cli(["release", "--verify", str(kit)])
        one_line_error(code, err)
        assert code in (0, 1, 2) and "Traceback" not in err
        if code == 1:
            assert err.count("\n") == 1 and err.startswith("lss-rules: ")
        assert snapshot(Path(tmp)) == before


def test_fuzz_kit():
    drive("kit", _case)
