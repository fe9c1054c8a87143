"""Where things are, for tests in any folder (``pythonpath = ["tests"]`` in pyproject.toml).

Kept out of ``conftest.py``: with a second ``conftest.py`` under ``tests/browser/``,
``from conftest import …`` would find whichever of the two was imported first.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: ../shared/reference: real exports to check against, beside the checkout (never committed).
REFERENCE = ROOT.parent / "shared" / "reference"
