import sys

from lss_rules.cli import main

sys.argv[0] = "lss-rules"  # `python -m lss_rules` is lss-rules, also in a message that names the program
sys.exit(main())
