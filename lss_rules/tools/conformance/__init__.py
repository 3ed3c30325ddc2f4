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

from lss_rules.tools.conformance.build import (
    MAX_PER_RULE,
    SUITE_FORMAT,
    Vector,
    build_suite,
    export,
    reference_findings,
)
from lss_rules.tools.conformance.junit import junit_xml, xml_text
from lss_rules.tools.conformance.reasons import EARLY, OUTSIDE
from lss_rules.tools.conformance.run import command_words, run_suite, run_vector, vendor_args
from lss_rules.tools.conformance.suite import (
    MAX_EXPECTED_BYTES,
    MAX_MANIFEST_BYTES,
    STATUSES,
    SuiteError,
    SuiteVector,
    duplicates,
    key_set,
    load_suite,
    read_capped,
)
from lss_rules.tools.conformance.verdict import Result, Run, VendorCannotStart, compare, contract_problem

__all__ = [
    "EARLY",
    "MAX_EXPECTED_BYTES",
    "MAX_MANIFEST_BYTES",
    "MAX_PER_RULE",
    "OUTSIDE",
    "STATUSES",
    "SUITE_FORMAT",
    "Result",
    "Run",
    "SuiteError",
    "SuiteVector",
    "Vector",
    "VendorCannotStart",
    "build_suite",
    "command_words",
    "compare",
    "contract_problem",
    "duplicates",
    "export",
    "junit_xml",
    "key_set",
    "load_suite",
    "read_capped",
    "reference_findings",
    "run_suite",
    "run_vector",
    "vendor_args",
    "xml_text",
]
