"""The meaning of a year's rules: the reference evaluator (``evaluate``), the boundary solver that derives
data from a rule (``derive``), the rules in words (``wording``, ``expected``), and what changed between two
years (``diff``: the release notes, the docs' and the PDFs' change pages, ``lss-rules diff``).
"""
