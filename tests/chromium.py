"""Debian's Chromium for the browser tests: where it is, how it is started, and what to do without it.

Playwright drives ``/usr/bin/chromium`` (``scripts/ensure_chromium.sh`` installs it);
Playwright's own browser download is never used. Without it a test skips on a
developer machine and fails under CI (``CI=true``), where a skip would hide a broken map.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.browser import ARGS as _BENCH_ARGS
from benchmarks.browser import CHROMIUM as _BENCH_CHROMIUM

# One list for the tests and the benchmarks (benchmarks/browser.py), which launch the same Chromium.
CHROMIUM = Path(_BENCH_CHROMIUM)
CHROMIUM_ARGS = list(_BENCH_ARGS)


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = (
        f"{CHROMIUM} is missing: run 'bash scripts/ensure_chromium.sh' "
        "(as root on Debian it installs the chromium package)"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {message}", pytrace=False)
    pytest.skip(f"browser tests not run: {message}")
