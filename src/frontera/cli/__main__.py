"""``python -m frontera.cli``: the same as the ``frontera`` command."""

import sys

from frontera.cli import main

if __name__ == "__main__":
    sys.exit(main())
