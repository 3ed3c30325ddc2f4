"""Shared fixtures.  Tests run against the installed package (scripts/setup
installs it non-editable); files of the repository are read by path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline: on a loaded machine (CI, or helpers sharing two cores) one slow example made a
# property test fail with DeadlineExceeded though the property held; slowness is measured by benchmarks/.
settings.register_profile("lss", deadline=None)
settings.load_profile("lss")

REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--reset-golden", action="store_true", help="rewrite golden files instead of comparing")


@pytest.fixture(scope="session", autouse=True)
def _site_started_early(request: pytest.FixtureRequest, tmp_path_factory):
    """The docs site's build started with the session when a selected test needs the site (tests/site_build.py):
    it runs beside the first tests, and the docs tests find it built.  The session waits for it before ending
    (a worker never leaves a build behind that the other waits for)."""
    if os.environ.get("LSS_TEST_SITE") or not any("site" in item.fixturenames for item in request.session.items):
        yield
        return
    from site_build import run_folder, start

    thread = start(run_folder(tmp_path_factory))
    yield
    thread.join()


@pytest.fixture(scope="session")
def spec():
    from lss_rules.language.load import load_spec

    return load_spec(REPO / "spec")


@pytest.fixture(scope="session")
def year_model(spec):
    def get(year: int):
        return spec.for_year(year)

    return get


@pytest.fixture(scope="session")
def runtime_mjs(tmp_path_factory) -> Path:
    """The JavaScript runtime in a file, as a module embeds it: with the tables it shares with runtime.py
    (``lss_rules/runtime/javascript/runtime.mjs`` itself leaves their place empty)."""
    from lss_rules.backends.javascript.to_javascript import runtime_source

    path = tmp_path_factory.mktemp("runtime") / "runtime.mjs"
    path.write_text(runtime_source(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def check_schema(tmp_path_factory):
    """``Draft202012Validator.check_schema``, once a run for each schema's content (tests/schema_check.py)."""
    from schema_check import metaschema_check
    from site_build import run_folder

    return metaschema_check(run_folder(tmp_path_factory) / "metaschema-passed")


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/NAME; `pytest --reset-golden` rewrites it."""

    def check(name: str, text: str) -> None:
        path = REPO / "tests" / "golden" / name
        if request.config.getoption("--reset-golden") or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not request.config.getoption("--reset-golden"):
                pytest.fail(f"golden file {path} did not exist; written now, review and commit it")
        assert text == path.read_text(encoding="utf-8"), f"differs from golden file {path} (--reset-golden)"

    return check
