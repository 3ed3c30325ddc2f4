"""lss-rules: the rules of the LSS register, written once and compiled into everything else.

``grammar/``, ``spec/`` and ``generators/`` sit at the top of the repository and
are joined to the package as ``lss_rules.grammar``, ``lss_rules.spec`` and
``lss_rules.generators`` by setuptools' package-dir mapping (pyproject.toml):
a wheel carries them inside the package, and the development install
(``pip install -e .``) maps them to the source folders.  The package never
edits its own search path.
"""

__version__ = "0.1.0"
