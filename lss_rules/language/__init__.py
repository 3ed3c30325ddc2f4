"""The language's front end: ``.lss`` text -> declarations -> :class:`Spec` -> one :class:`YearModel` a year,
with located diagnostics.

``syntax`` (parse), ``lower`` (resolve names, typed model), ``model`` (the model), ``for_year`` (a year's
model), ``check`` (whole-spec checks), ``diagnostics``, ``load`` (files -> checked spec), ``source``
(which spec a command reads), ``paths`` (the files a spec names), ``history`` (facts over the years),
``fmt`` (canonical layout), ``highlight`` (lexers), ``model_text`` (a model as stable text), ``truth`` (a
condition's absent values made two-valued: what check's range reasoning, the evaluator and every backend read),
``lexical`` and ``regular`` (the tokens and the files every layer above reads the same way).
"""
