"""Storage adapters: where the situation is read from and imports are written to.

:func:`open_store` picks the backend (:mod:`frontera.storage.base` is the interface every backend
implements): ``FRONTERA_DATABASE_URL`` set -> PostgreSQL + PostGIS, else the GeoPackage in
:func:`~frontera.paths.data_dir`. Every reader and writer of the user's records goes through it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from frontera.model.situation import Situation
from frontera.storage.base import Store

DATABASE_URL_VAR = "FRONTERA_DATABASE_URL"


def open_store(environ: Mapping[str, str] | None = None) -> Store:
    """The store configured by ``environ`` (default ``os.environ``)."""
    env = os.environ if environ is None else environ
    url = (env.get(DATABASE_URL_VAR) or "").strip()
    if url:
        return _postgis_store(url)
    from frontera.storage.geopackage import GeoPackageStore  # noqa: PLC0415 - the default needs no database

    data = (env.get("FRONTERA_DATA_DIR") or "").strip()
    return GeoPackageStore(Path(data) if environ is not None and data else None)


def _postgis_store(url: str) -> Store:
    from frontera.errors import StoreError  # noqa: PLC0415

    try:
        from frontera.storage import postgis  # noqa: PLC0415 - SQLAlchemy and psycopg only with a database
    except ImportError as exc:
        from frontera.i18n import _  # noqa: PLC0415

        raise StoreError(
            _(
                "{variable} is set, but this Frontera has no PostgreSQL + PostGIS store ({error}); nothing was "
                "read or written. Fix: unset {variable} to use the GeoPackage in your data folder, or install a "
                "Frontera that has the PostGIS store."
            ).format(variable=DATABASE_URL_VAR, error=f"{type(exc).__name__}: {exc}")
        ) from None
    store: Store = postgis.PostgisStore(url)
    return store


def load_situation(store: Store | None = None, geodata: Path | None = None, include_user: bool = True) -> Situation:
    """The bundled situation and, beside it, the records of ``store`` (default :func:`open_store`)."""
    from frontera.storage.geopackage import situation_with  # noqa: PLC0415 - reads the bundled files

    user = (store or open_store()).read_records() if include_user else None
    return situation_with(user, geodata)
