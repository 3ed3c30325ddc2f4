"""lss-rules: the rules of the LSS register, written once and compiled into everything else.

``grammar/``, ``spec/`` and ``generators/`` sit at the top of the repository and
are joined to the package as ``lss_rules.grammar``, ``lss_rules.spec`` and
``lss_rules.generators`` by setuptools' package-dir mapping (pyproject.toml):
a wheel carries them inside the package, and the development install
(``pip install -e .``) maps them to the source folders.  The package never
edits its own search path.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # ``__version__`` is the installed distribution's (pyproject.toml), found when first asked for
    if name == "__version__":
        version = _installed_version()
        globals()["__version__"] = version
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _installed_version() -> str:
    """The version in the name of the first ``lss_rules-VERSION.dist-info`` on the search path, as
    ``importlib.metadata`` finds it, without importing it (with the email parser it costs ~10 times the
    rest of ``lss-rules validate``'s start); ``importlib.metadata`` itself when the name says nothing."""
    import os
    import sys

    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for n in sorted(names):
            if n.startswith("lss_rules-") and n.endswith(".dist-info"):
                return n[len("lss_rules-") : -len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version("lss-rules")
    except metadata.PackageNotFoundError:  # a source tree never installed
        return "0+okänd"
