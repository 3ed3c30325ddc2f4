"""A docs site built once per session (``mkdocs build --strict`` into a tmp dir), served on loopback,
and headless Debian Chromium driven by Playwright for the browser tests (marker ``browser``).

The browser fixtures skip with a reason when ``/usr/bin/chromium`` or Playwright is missing; they never
download a browser (no ``playwright install``).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site, built once for the whole run (tests/site_build.py: started with the session, the first
    pytest-xdist worker to need it builds it under a lock in the run's shared folder, the other waits for it)."""
    prebuilt = os.environ.get("LSS_TEST_SITE")  # a site you built yourself, to iterate on the browser tests
    if prebuilt:
        return Path(prebuilt)
    from site_build import run_folder
    from site_build import site as built_site

    return built_site(run_folder(tmp_path_factory))


@pytest.fixture(scope="session")
def generated(spec) -> dict[str, str]:
    """The generated files of the site as `lss-rules docs` and the mkdocs hook get them: through the one interface."""
    from lss_rules.backends.output import SpecInputs
    from lss_rules.backends.registry import SPEC_BACKENDS
    from lss_rules.cli.reference import cli_reference_md

    return dict(SPEC_BACKENDS["docs"](spec, SpecInputs(cli_reference=cli_reference_md())).files)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site on a loopback port."""
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session's browser tests."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip("chromium finns inte (/usr/bin/chromium); installera med apt-get install chromium")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright är inte installerat (pip install playwright)"
    )
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
