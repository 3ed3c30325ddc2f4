"""Every backend by name, behind the one interface ``emit(ym) -> Output`` (:mod:`lss_rules.backends`),
and the spec-wide ones behind its spec-wide form ``emit_spec(spec, inputs) -> Output``."""

from __future__ import annotations

from collections.abc import Callable

from lss_rules.backends import jsonschema, pdf
from lss_rules.backends.docs import site as docs
from lss_rules.backends.javascript import to_javascript as javascript
from lss_rules.backends.output import Output, SpecInputs
from lss_rules.backends.python import to_python as python
from lss_rules.language import model as m

BACKENDS: dict[str, Callable[[m.YearModel], Output]] = {
    "python": python.emit,
    "python-standalone": python.emit_standalone,  # `compile --standalone`: the runtime embedded
    "javascript": javascript.emit,
    "jsonschema": jsonschema.emit,
    "docs": docs.emit,
    "print": pdf.emit,  # the year's print document (HTML), rendered as a PDF by the docs build
}

#: backends whose output spans the years (the site: a rule's page shows its history), by name
SPEC_BACKENDS: dict[str, Callable[[m.Spec, SpecInputs], Output]] = {
    "docs": docs.emit_spec,  # `lss-rules docs` and the mkdocs hook: every generated file of the site
}
