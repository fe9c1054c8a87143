"""``python -m frontera.cli``: the same as the ``frontera`` command."""

import sys

from frontera.cli import main

sys.exit(main())
