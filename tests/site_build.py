"""The docs site of a test run (``mkdocs build --strict``), built once for both pytest-xdist workers.

The build takes ~45 s of the run (27 PDFs, the guide's samples and screenshots).  It starts as the session
does, beside the first tests (``tests/conftest.py`` starts it when any selected test needs the site), so that
the tests needing it find it built instead of one worker building it while the other waits or runs out of
work.  Whoever comes first builds, under a lock in the run's folder; the others wait for the lock and read it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_folder(tmp_path_factory) -> Path:
    """The folder of this run that both workers share (the run's, not another run's): a pytest-xdist worker's
    own folder is in it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def site(shared: Path, env: dict[str, str] | None = None) -> Path:
    """The run's site: built now under the lock, or waited for and read."""
    out = shared / "site"
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "site.built").exists():
            shutil.rmtree(out, ignore_errors=True)
            _build(out, env if env is not None else dict(os.environ))
            (shared / "site.built").write_text("", encoding="utf-8")
    return out


#: the real Popen, as this module is imported (before any test runs): the fuzz tests replace subprocess.Popen
#: while a case runs, to fail on any process the tool starts, and the build may be running then
_POPEN = subprocess.Popen


def _build(out: Path, env: dict[str, str]) -> None:
    env = {**env, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764547200"}
    argv = [sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)]
    with _POPEN(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            _, stderr = proc.communicate(timeout=900)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0, stderr


def start(shared: Path) -> threading.Thread:
    """:func:`site` on a thread, with the environment as it is now (before any test changes it).  A build that
    fails here is built again by the first test that needs the site, whose error then says why."""
    env = dict(os.environ)

    def build() -> None:
        with contextlib.suppress(Exception):  # the site fixture builds it again and fails with the reason
            site(shared, env)

    thread = threading.Thread(target=build, name="site-build", daemon=True)
    thread.start()
    return thread
