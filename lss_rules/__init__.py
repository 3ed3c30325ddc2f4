"""lss-rules: the rules of the LSS register, written once and compiled into everything else."""

from pathlib import Path as _Path

__version__ = "0.1.0"

# Installing joins grammar/, spec/ and generators/ (top-level folders of the
# repository) to the package as lss_rules.grammar, lss_rules.spec and
# lss_rules.generators.  Run from a source checkout instead (`python -m
# lss_rules` or `python -m mkdocs` in the repository root, where the bare source
# tree shadows the installed package), find them beside the package.
_checkout = _Path(__file__).resolve().parent.parent
if not (_Path(__file__).parent / "grammar").is_dir() and (_checkout / "grammar" / "lss.lark").is_file():
    __path__.append(str(_checkout))
