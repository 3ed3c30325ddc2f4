# This folder is the LSS specification (the *.lss files and data/).
# The file exists so that the spec is installed with the package as
# `lss_rules.spec`; it holds no code.
