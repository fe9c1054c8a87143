"""Shared fixtures. Subprocesses (streamlit, the CLI) import this checkout's ``src``, even from a git worktree."""

import os
from pathlib import Path

import pytest

pytest_plugins = ["pg_fixtures"]  # PostgreSQL + PostGIS for the PostGIS tests (tests/pg_fixtures.py)

_SRC = str(Path(__file__).resolve().parents[1] / "src")
if not os.environ.get("FRONTERA_TESTS_INSTALLED"):  # tests/test_install.py runs some tests against a wheel
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_SRC, os.environ.get("PYTHONPATH", "")) if p)


@pytest.fixture(autouse=True)
def _isolated_user_store(tmp_path, monkeypatch):
    """Every test gets an empty user store of its own: never the developer's real one."""
    monkeypatch.setenv("FRONTERA_DATA_DIR", str(tmp_path / "frontera-data"))
    monkeypatch.delenv("FRONTERA_DATABASE_URL", raising=False)  # a developer's shared database is never touched
    yield
