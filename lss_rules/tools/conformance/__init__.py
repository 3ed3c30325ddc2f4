"""The conformance suite for vendors: export test vectors for a year, run a vendor's validator on them.

The package: :mod:`.build` (a suite from a year model, written out), :mod:`.families` (the vectors
of a rule that take several lines or files), :mod:`.suite` (a suite's files, read safely),
:mod:`.run` (a vendor's program over a suite), :mod:`.verdict` (an answer judged), :mod:`.reasons`
(why a vector failed, in Swedish), :mod:`.modules` (a compiled module run without a process per
vector) and :mod:`.junit` (JUnit XML of a run).

A *vector* is a folder with submission files (``<kommunkod>.txt``), a
``deceased.txt`` when the vector needs a death-register extract, and
``expected.json``::

    {"year": 2023, "status": "rejected",
     "findings": [{"rule": "LSS-R04", "severity": "error", "file": "0114.txt", "line": 1}]}

The suite folder holds one folder per vector and ``manifest.json`` (year, spec
version, and for every vector its id, the rule it tests, its kind and what it
shows).  Vectors come from the model-derived solver
(:mod:`lss_rules.meaning.derive`) and fixed seeds, so the suite is the same
between runs:

- for every rule and check in force: lines that violate it at its boundaries
  (``violation``) and lines one value away that do not (``inside``); for a
  structural check one vector per field, every way of breaking it a line;
- for every record rule one ``combination``: its boundary lines after the same
  line with another personnummer (what a validator may remember), with an
  unknown value in a field the rule does not read, with each field it reads
  made unknown, in the second file of a run whose first file breaks every other
  rule and check;
- the file and national rules with several lines and files (a repeat
  personnummer; the same person and insats from two municipalities);
- the counting conventions (``convention``) and the interpretations the README
  lists (``interpretation``), one named vector each;
- the file conventions (``format``: CRLF, a byte-order mark, no final line end);
- a whole valid register (``register``).

Every expected report is computed by the reference evaluator
(:mod:`lss_rules.meaning.evaluate`) and checked against what the solver intended.

The runner calls ``VENDOR_COMMAND --year Y --format json [--deceased deceased.txt] -- FILE...``
in each vector's folder (file names relative, after ``--`` so that none is read as an option),
and compares the status and the
set of (file, line, rule, severity).  Exit code 0 for an accepted report and 1
for a rejected one are part of the protocol, as for ``lss-rules validate``.

A suite is untrusted input (vendors download it): :func:`load_suite` validates it before
anything in it is used, and :func:`junit_xml` is well-formed whatever a vendor prints.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names for type checkers; at run time each submodule is imported when a name is used
    from lss_rules.tools.conformance.build import (
        MAX_PER_RULE as MAX_PER_RULE,
    )
    from lss_rules.tools.conformance.build import (
        SUITE_FORMAT as SUITE_FORMAT,
    )
    from lss_rules.tools.conformance.build import (
        Vector as Vector,
    )
    from lss_rules.tools.conformance.build import (
        build_suite as build_suite,
    )
    from lss_rules.tools.conformance.build import (
        export as export,
    )
    from lss_rules.tools.conformance.build import (
        reference_findings as reference_findings,
    )
    from lss_rules.tools.conformance.junit import junit_xml as junit_xml
    from lss_rules.tools.conformance.junit import xml_text as xml_text
    from lss_rules.tools.conformance.reasons import EARLY as EARLY
    from lss_rules.tools.conformance.reasons import OUTSIDE as OUTSIDE
    from lss_rules.tools.conformance.run import (
        command_words as command_words,
    )
    from lss_rules.tools.conformance.run import (
        run_suite as run_suite,
    )
    from lss_rules.tools.conformance.run import (
        run_vector as run_vector,
    )
    from lss_rules.tools.conformance.run import (
        vendor_args as vendor_args,
    )
    from lss_rules.tools.conformance.suite import (
        MAX_EXPECTED_BYTES as MAX_EXPECTED_BYTES,
    )
    from lss_rules.tools.conformance.suite import (
        MAX_MANIFEST_BYTES as MAX_MANIFEST_BYTES,
    )
    from lss_rules.tools.conformance.suite import (
        STATUSES as STATUSES,
    )
    from lss_rules.tools.conformance.suite import (
        SuiteError as SuiteError,
    )
    from lss_rules.tools.conformance.suite import (
        SuiteVector as SuiteVector,
    )
    from lss_rules.tools.conformance.suite import (
        duplicates as duplicates,
    )
    from lss_rules.tools.conformance.suite import (
        key_set as key_set,
    )
    from lss_rules.tools.conformance.suite import (
        load_suite as load_suite,
    )
    from lss_rules.tools.conformance.suite import (
        read_capped as read_capped,
    )
    from lss_rules.tools.conformance.verdict import (
        Result as Result,
    )
    from lss_rules.tools.conformance.verdict import (
        Run as Run,
    )
    from lss_rules.tools.conformance.verdict import (
        VendorCannotStart as VendorCannotStart,
    )
    from lss_rules.tools.conformance.verdict import (
        compare as compare,
    )
    from lss_rules.tools.conformance.verdict import (
        contract_problem as contract_problem,
    )

#: Where each public name lives.  Importing a submodule runs this file first: the command line imports
#: ``reasons`` for its help text, and ``validate`` must not pay for the suite builder (60 ms at start-up).
_WHERE = {
    "EARLY": "reasons",
    "MAX_EXPECTED_BYTES": "suite",
    "MAX_MANIFEST_BYTES": "suite",
    "MAX_PER_RULE": "build",
    "OUTSIDE": "reasons",
    "Result": "verdict",
    "Run": "verdict",
    "STATUSES": "suite",
    "SUITE_FORMAT": "build",
    "SuiteError": "suite",
    "SuiteVector": "suite",
    "Vector": "build",
    "VendorCannotStart": "verdict",
    "build_suite": "build",
    "command_words": "run",
    "compare": "verdict",
    "contract_problem": "verdict",
    "duplicates": "suite",
    "export": "build",
    "junit_xml": "junit",
    "key_set": "suite",
    "load_suite": "suite",
    "read_capped": "suite",
    "reference_findings": "build",
    "run_suite": "run",
    "run_vector": "run",
    "vendor_args": "run",
    "xml_text": "junit",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
