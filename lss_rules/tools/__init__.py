"""Tools built on the pipeline: ``diff`` (what changed between years), ``impact`` (a change on a register),
``report`` (feedback file and comparison report), ``examples`` (worked examples), ``conformance`` (the vendors' suite).
"""
