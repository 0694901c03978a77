"""``python -m genlogic.service serve --db PATH ...``: the same as ``genlogic serve``."""

import sys

from .cli import main

sys.exit(main())
