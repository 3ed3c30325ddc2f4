"""Hypothesis strategies for LSS registers (installed as ``lss_rules.generators``)."""
