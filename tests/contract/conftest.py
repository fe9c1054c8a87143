"""The contract suite's ``store`` fixture: every test here runs once per backend.

Adding a backend is one entry in :data:`BACKENDS`: a function ``(tmp_path) -> Store`` that returns a
fresh, empty store of that kind (the PostGIS backend adds ``"postgis"``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from frontera.storage.base import Store


def make_geopackage(tmp_path: Path) -> Store:
    from frontera.storage.geopackage import GeoPackageStore

    return GeoPackageStore(tmp_path / "contract-store")


#: Backend name -> a factory of fresh, empty stores.
BACKENDS: dict[str, Callable[[Path], Store]] = {
    "geopackage": make_geopackage,
}


@pytest.fixture(params=sorted(BACKENDS))
def store(request, tmp_path) -> Store:
    made = BACKENDS[request.param](tmp_path)
    assert isinstance(made, Store)
    return made
