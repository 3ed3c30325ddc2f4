"""JUnit XML of a conformance run for a CI system: well-formed whatever a vendor printed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from lss_rules.runtime.python import mask_text

if TYPE_CHECKING:
    from lss_rules.tools.conformance.run import Result

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids (NUL, ESC, \\v, U+FFFE...) written as ``\\xNN``/``\\uNNNN``."""
    return _NOT_XML.sub(lambda m: ascii(m.group())[1:-1], text)


def junit_xml(manifest: Mapping[str, Any], results: Sequence[Result]) -> bytes:
    """JUnit XML (one testcase per vector) for a CI system; well-formed whatever a vendor printed."""
    failed = sum(1 for r in results if not r.passed and r.error is None)
    errors = sum(1 for r in results if r.error is not None)
    suite = ET.Element(
        "testsuite",
        name=f"lss-conformance-{manifest['year']}",
        tests=str(len(results)),
        failures=str(failed),
        errors=str(errors),
        skipped="0",
        time=f"{sum(r.seconds for r in results):.3f}",
    )
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="year", value=str(manifest["year"]))
    ET.SubElement(props, "property", name="spec_version", value=xml_text(str(manifest.get("spec_version", ""))))
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=xml_text(f"lss.{r.vector.rule or 'register'}"),
            name=xml_text(r.vector.id),
            time=f"{r.seconds:.3f}",
        )
        if not r.passed:  # a wrong answer is a failure; no usable answer (a crash, no JSON, too slow) an error
            tag, kind = ("failure", "mismatch") if r.error is None else ("error", r.error)
            fail = ET.SubElement(case, tag, message=xml_text(r.reason), type=kind)
            fail.text = xml_text(f"{mask_text(r.vector.tests)}\n{r.reason}\n\n{r.output}")
    root = ET.Element("testsuites", tests=str(len(results)), failures=str(failed), errors=str(errors))
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
