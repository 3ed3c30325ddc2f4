"""The JavaScript target: ``to_javascript`` (IR -> ES module), ``printer`` (the IR as JavaScript),
``fields`` (a line's fields read by char code).  Its runtime is ``lss_rules/runtime/javascript/``.
"""
