"""The storage interface: what every backend of the user's records offers.

The GeoPackage store (:mod:`frontera.storage.geopackage`, single user, no set-up) is the
first implementation; a PostgreSQL + PostGIS store (``FRONTERA_DATABASE_URL``) is the second.
Both give the same behaviour, checked by one contract test suite run against each.

A backend only persists. What an import adds, updates, removes or rejects is decided by the
pure planning in :mod:`frontera.importers` (``plan_for`` below): the backend calls it under its
own lock, against the records as they are at that moment, so that two imports at once are
serialised and neither loses anything.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:  # the planning types; the interface itself imports nothing of Frontera's at run time
    import geopandas as gpd

    from frontera.importers.report import ImportPlan

#: The user's records: one frame per time-bound layer, in the record schema (:mod:`frontera.model.records`).
Records = dict[str, "gpd.GeoDataFrame"]

#: One entry of the import log: ``when``, ``action`` ("import" or "remove"), ``import_id``, ``file``,
#: counts, and (with sign-in) ``who``.
LogEntry = dict[str, Any]


@runtime_checkable
class Store(Protocol):
    """A place where imported records live. Every method is safe to call from several threads and
    processes at once; a failed write leaves the store exactly as it was and raises
    :class:`~frontera.errors.StoreError` naming the store, what went wrong and the fix."""

    #: Said to the user: which store this is (a path, or a database without its password).
    label: str

    def read_records(self) -> Records:
        """The imported records, one frame per layer (empty frames for layers with none)."""
        ...

    def version(self) -> Hashable:
        """A value that changes whenever the records or the log change (a cache key for readers)."""
        ...

    def commit_import(
        self, plan_for: Callable[[Records], ImportPlan], data: bytes, *, who: str | None = None
    ) -> LogEntry:
        """Under the store's lock: plan against the records as they are now, keep the original file's
        ``data``, write the changes and log them, all or nothing. Returns the log entry."""
        ...

    def list_imports(self) -> list[LogEntry]:
        """The imports still in effect, each with ``records_now``."""
        ...

    def remove_import(self, import_id: str, *, who: str | None = None) -> int:
        """Undo an import (restoring what it replaced), log it; returns how many records changed."""
        ...

    def read_import_log(self) -> list[LogEntry]:
        """Every import and removal, oldest first."""
        ...
