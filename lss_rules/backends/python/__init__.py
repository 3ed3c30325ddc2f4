"""The Python target: ``to_python`` (IR -> module), ``printer`` (the IR as Python), ``cache``
(compiled modules kept between runs).  Its runtime is :mod:`lss_rules.runtime.python`.
"""
