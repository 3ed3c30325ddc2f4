"""Every backend by name, behind the one interface ``emit(ym) -> Output`` (:mod:`lss_rules.backends`)."""

from __future__ import annotations

from collections.abc import Callable

from lss_rules import model as m
from lss_rules.backends import Output, docs, javascript, jsonschema, pdf, python

BACKENDS: dict[str, Callable[[m.YearModel], Output]] = {
    "python": python.emit,
    "python-standalone": python.emit_standalone,  # `compile --standalone`: the runtime embedded
    "javascript": javascript.emit,
    "jsonschema": jsonschema.emit,
    "docs": docs.emit,
    "print": pdf.emit,  # the year's print document (HTML), rendered as a PDF by the docs build
}
