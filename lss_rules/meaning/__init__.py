"""The meaning of a year's rules: three-valued truth (``truth``), the reference evaluator
(``evaluate``), the boundary solver that derives data from a rule (``derive``), and the rules in words
(``wording``, ``expected``).
"""
