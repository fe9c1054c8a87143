"""Which Frontera the tests import: the checkout's ``src``, or (test_install.py) an installed wheel."""

import os
from pathlib import Path

import frontera

ROOT = Path(__file__).resolve().parents[1]


def test_frontera_is_imported_from_where_the_run_says():
    here = Path(frontera.__file__).resolve()
    if os.environ.get("FRONTERA_TESTS_INSTALLED"):
        assert "site-packages" in here.parts, here
    else:
        assert here.is_relative_to(ROOT / "src"), here
