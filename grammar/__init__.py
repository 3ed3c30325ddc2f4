"""The grammar of the spec language (``lss.lark``), installed as ``lss_rules.grammar``."""
