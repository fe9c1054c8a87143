"""The contract suite's ``store`` fixture: every test here runs once per backend.

Adding a backend is one entry in :data:`BACKENDS`: a function ``(tmp_path, request) -> Store`` that
returns a fresh, empty store of that kind. ``postgis`` gets a database of its own per test from the
throwaway cluster of ``tests/pg_fixtures.py`` (never skipped: without PostgreSQL the tests fail and say
how to start it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from frontera.storage.base import Store


def make_geopackage(tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    from frontera.storage.geopackage import GeoPackageStore

    return GeoPackageStore(tmp_path / "contract-store")


def make_postgis(tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    from frontera.storage.postgis import PostgisStore

    return PostgisStore(request.getfixturevalue("pg_url"))  # a fresh database, schema at head


#: Backend name -> a factory of fresh, empty stores.
BACKENDS: dict[str, Callable[[Path, pytest.FixtureRequest], Store]] = {
    "geopackage": make_geopackage,
    "postgis": make_postgis,
}


@pytest.fixture(params=sorted(BACKENDS))
def store(request, tmp_path) -> Store:
    made = BACKENDS[request.param](tmp_path, request)
    assert isinstance(made, Store)
    return made
