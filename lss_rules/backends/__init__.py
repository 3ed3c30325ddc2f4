"""Backends: each turns a :class:`~lss_rules.language.model.YearModel` into something else.

Every backend has one entry point of the same shape, ``emit(ym) -> Output``: a
year model in; named output files and the list of what the backend cannot
express out (as the JSON Schema backend lists ``x-lss-rules-not-expressed``).
None reads spec text, none imports the command line, none imports another
backend's private names (``tests/test_imports.py``).  The backends, by name,
are in :data:`lss_rules.backends.registry.BACKENDS`:

- :mod:`lss_rules.backends.validator.lower` — the validator module (via the IR of
  :mod:`lss_rules.backends.validator.ir`, printed by :mod:`lss_rules.backends.python.printer`);
  ``python-standalone`` is the same module with the runtime embedded;
- :mod:`lss_rules.backends.javascript.to_javascript` — the same validator as one ES module
  (the same IR, printed by :mod:`lss_rules.backends.javascript.printer`);
- :mod:`lss_rules.backends.jsonschema` — the JSON Schema of a record;
- :mod:`lss_rules.backends.docs.site` — the year's page of the docs site.

A backend whose output spans the years — the docs site, where a rule's page shows
its history — also has the spec-wide form ``emit_spec(spec, inputs) -> Output``
(:data:`lss_rules.backends.registry.SPEC_BACKENDS`); ``inputs`` (:class:`SpecInputs`)
is what its caller hands it that the spec does not hold.  ``lss-rules docs`` and
the mkdocs hook write the site through it.

``Output``, ``NotExpressed`` and ``SpecInputs`` live in :mod:`lss_rules.backends.output`, not here:
``lss-rules validate`` reaches its cache through this package on every run, and this file imports
nothing (:mod:`dataclasses` with :mod:`inspect` cost a tenth of a small run's start).
"""
