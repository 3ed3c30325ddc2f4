"""The project's shared reference files, for the tests that read them.

They live in ``../shared/reference`` beside the checkout (``$LSS_REFERENCE`` names another
folder).  Where that folder is missing — a checkout elsewhere, a CI runner — the copies the
package carries are used (Skatteverket's test numbers, the municipality list); a file with
no copy skips the test that needs it, saying which file is missing.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LSS_REFERENCE") or REPO.parent / "shared" / "reference")
PACKAGED = {
    "skatteverket-testpersonnummer.json": "lss_rules.generators.data",
    "skatteverket-testsamordningsnummer.json": "lss_rules.generators.data",
    "kommuner.csv": "lss_rules.spec.data",
}


def reference_file(name: str) -> Path:
    """The reference file ``name``: from the shared folder, else the package's copy, else a skip."""
    path = SHARED / name
    if path.is_file():
        return path
    package = PACKAGED.get(name)
    if package is not None:
        copy = Path(str(importlib.resources.files(package) / name))
        if copy.is_file():
            return copy
    pytest.skip(f"{name}: not in {SHARED} (set LSS_REFERENCE) and the package has no copy", allow_module_level=True)
