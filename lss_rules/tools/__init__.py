"""Tools built on the pipeline: ``impact`` (a change on a register), ``report`` (feedback file and comparison
report), ``examples`` (worked examples), ``conformance`` (the vendors' suite), ``jsoncheck`` (a downloaded
JSON file checked before it is read).
"""
