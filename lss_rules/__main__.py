import sys

from lss_rules.cli import main

sys.exit(main())
