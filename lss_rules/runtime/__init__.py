"""The runtimes: what every generated validator carries at run time, in Python (``python``)
and JavaScript (``javascript/``). They import nothing of lss-rules (the Python one only the standard
library), so the front end, the meaning and the tools use the Python one too: one reading of files, one
personnummer check, one set of report words.
"""
