"""The page "Granska fil" as a municipality meets it: from the click on "Granska" to the status shown.

    python benchmarks/bench_page.py [--rounds N]

Builds the site (``mkdocs build``, without the PDFs) into a temp folder, serves it on loopback and opens
``granska.html`` in Debian's Chromium (Playwright, headless, 1280 px).  On the 2023 register of
``bench_validate.py`` (about 80,000 records in 290 files) and on one municipality's file of about 300
lines, it times the click to the status shown, each round in a fresh page (the year's module loaded
before the click, as when she has chosen her files); beside it, ``lss-rules validate`` on the same files
in a fresh process.  Targets (issue 24): one file <= 0.3 s, the register <= 1.5 s.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import machine, register_2023, write_register

REPO = Path(__file__).resolve().parent.parent


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _click_to_status(browser, url: str, files: list[str]) -> float:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(300_000)
    page.goto(url)
    page.locator("#lss-year").select_option("2023")
    page.locator("#lss-granska[data-ready='true']").wait_for()
    page.locator("#lss-files").set_input_files(files)
    start = time.perf_counter()
    page.locator("#lss-run").click()
    page.locator("#lss-status").filter(has_text="2023:").wait_for()
    took = time.perf_counter() - start
    page.close()
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of records with a finding (default 0)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from lss_rules.language.load import load_spec

    cli = shutil.which("lss-rules") or str(Path(sys.executable).with_name("lss-rules"))
    ym = load_spec().for_year(2023)
    reg = register_2023(ym, args.error_rate)
    with tempfile.TemporaryDirectory(prefix="lss-page-") as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "LSS_DOCS_PDF": "0", "LSS_DOCS_SHOTS": "0", "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run(
            [sys.executable, "-P", "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=REPO, env=env, check=True
        )
        paths = write_register(reg.files, Path(tmp) / "reg")
        lines = {p: Path(p).read_text(encoding="utf-8").count("\n") for p in paths}
        one = min(paths, key=lambda p: abs(lines[p] - 300))
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/granska.html"
        cases = {"one file": [one], "the register": paths}
        print(f"{machine()}")
        print(
            f"one file: {lines[one]} lines; the register: {len(paths)} files, "
            f"{sum(len(v) for v in reg.files.values())} records; {args.rounds} rounds\n"
        )
        print(f"{'':14} {'page median s':>14} {'page best s':>12} {'lss-rules validate s':>21}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
            for name, files in cases.items():
                page_times = [_click_to_status(browser, url, files) for _ in range(args.rounds)]
                start = time.perf_counter()
                subprocess.run([cli, "validate", "--year", "2023", *files], stdout=subprocess.DEVNULL, check=False)
                cli_time = time.perf_counter() - start
                print(f"{name:14} {statistics.median(page_times):14.2f} {min(page_times):12.2f} {cli_time:21.2f}")
            browser.close()
        server.shutdown()
    print("\ntargets: one file <= 0.3 s, the register <= 1.5 s (from the click to the status)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
