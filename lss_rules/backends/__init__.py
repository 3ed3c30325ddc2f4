"""Backends: each turns a :class:`~lss_rules.model.YearModel` into something else.

Every backend is a module ``to_<target>``-style function over the typed model;
none reads spec text.  :mod:`lss_rules.backends.python` compiles a year's rules
into a standalone Python validator.
"""
