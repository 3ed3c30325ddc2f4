"""Shared fixtures.  Tests run against the installed package (scripts/setup
installs it non-editable); files of the repository are read by path."""

from __future__ import annotations

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
def check_schema(tmp_path_factory, worker_id):
    """``Draft202012Validator.check_schema``, once a run for each schema's content (tests/schema_check.py)."""
    from schema_check import metaschema_check

    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent  # the run's folder, both workers' (as the site's)
    return metaschema_check(shared / "metaschema-passed")


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
