"""The storage interface: what every backend of the user's records offers.

The GeoPackage store (:mod:`frontera.storage.geopackage`, single user, no set-up) is the
first implementation; a PostgreSQL + PostGIS store (``FRONTERA_DATABASE_URL``) is the second.
Both give the same behaviour, checked by one contract test suite (``tests/contract/``) run
against each. :func:`frontera.storage.open_store` picks the backend.

A backend only persists. What an import adds, updates, keeps, removes or rejects is decided
by the pure planning in :mod:`frontera.importers.report` (``plan_for`` below): the backend calls
it under its own lock, against the records as they are at that moment, so that two imports at
once are serialised and neither loses anything. The plan it gets back says what to write:

- ``plan.refused``: the file or some of its rows were rejected and the person did not ask for
  the valid rows only: raise :class:`~frontera.errors.ImportRefusedError` (``str(plan)``-like text is
  in ``plan.refusal()``), write nothing.
- ``plan.changes_anything`` false (every row identical to the stored one, or kept newer): write
  nothing at all (no records, no log entry, no kept file); return the entry with ``written`` False.
- otherwise write ``plan.to_write`` (records added or updated, one frame, column ``layer`` says the
  table; ids may move between layers), delete ``plan.removed_ids``, and keep history:

History: for every record an import adds, updates or deletes, one history entry
``(seq, import_id, record_id, action, before, in_effect, who, when)`` where ``action`` is "add",
"update" or "delete" and ``before`` is the version it replaced (None for "add"). Removing an
import undoes exactly its entries, as if it had never happened: for each of its entries, if a
later import still in effect changed the same record, that later entry's ``before`` becomes this
entry's ``before`` (the chain is spliced); otherwise the record gets ``before`` back (or vanishes
when ``before`` is None). Its entries are then marked ``in_effect`` False (kept for the audit).
:mod:`frontera.storage.history` does this on frames (pure), for any backend that wants it.

ACLED's ``timestamp``: the frames given to ``plan_for`` carry one more column,
:data:`~frontera.model.records.SOURCE_TIMESTAMP` (nullable Int64, seconds since 1970, NA when the
source gave none), and ``plan.to_write`` carries it too: a backend stores it beside the record.
:meth:`Store.read_records` does not return it (the map and exports never see it).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:  # the interface imports nothing of Frontera's, not even for types (storage never reaches importers)
    import geopandas as gpd

#: The user's records: one frame per time-bound layer, in the record schema (:mod:`frontera.model.records`).
Records = dict[str, "gpd.GeoDataFrame"]

#: One entry of the import log. An import: ``when``, ``action`` "import", ``import_id``, ``file``,
#: ``kind``, ``kept_as``, ``who``, counts ``added``, ``updated``, ``removed`` (deleted by an ACLED
#: deletion file), ``unchanged``, ``kept_newer``, ``rejected``, ``valid_rows_only`` and ``written``.
#: A removal: ``when``, ``action`` "remove", ``import_id``, ``who``, ``removed`` (records it had added,
#: gone now), ``restored`` (records given their previous version back), ``changed`` (the sum).
#: :meth:`Store.list_imports` adds ``records_now`` (records whose current version it wrote).
LogEntry = dict[str, Any]

#: One change to one record (:meth:`Store.record_history`): ``seq``, ``import_id``, ``record_id``,
#: ``action`` ("add", "update", "delete"), ``when``, ``who``, ``in_effect`` (False once its import
#: was removed) and ``before`` (the replaced version as a dict of the record's columns, geometry as
#: WKT text; None for "add").
HistoryEntry = dict[str, Any]


class ImportPlan(Protocol):
    """What a store reads of a plan (:class:`frontera.importers.ImportPlan` is the one implementation)."""

    import_id: str
    file: str
    added_ids: list[str]
    updated_ids: list[str]
    removed_ids: list[str]
    valid_rows_only: bool

    @property
    def kind(self) -> str: ...

    @property
    def refused(self) -> bool: ...

    @property
    def changes_anything(self) -> bool: ...

    @property
    def to_write(self) -> gpd.GeoDataFrame: ...

    def refusal(self) -> str: ...

    def counts(self) -> dict[str, int]: ...


@runtime_checkable
class Store(Protocol):
    """A place where imported records live. Every method is safe to call from several threads and
    processes at once; a failed write leaves the store exactly as it was and raises
    :class:`~frontera.errors.StoreError` naming the store, what went wrong and the fix."""

    #: Said to the user: which store this is (a path, or a database without its password).
    label: str

    def read_records(self, *, with_timestamps: bool = False) -> Records:
        """The imported records, one frame per layer (empty frames for layers with none); with
        ``with_timestamps`` each frame has the :data:`~frontera.model.records.SOURCE_TIMESTAMP` column too."""
        ...

    def version(self) -> Hashable:
        """A value that changes whenever the records or the log change (a cache key for readers)."""
        ...

    def commit_import(
        self, plan_for: Callable[[Records], ImportPlan], data: bytes, *, who: str | None = None
    ) -> LogEntry:
        """Under the store's lock: plan against the records as they are now, keep the original file's
        ``data``, write the changes, their history and the log entry, all or nothing. Returns the
        log entry. Raises :class:`~frontera.errors.ImportRefusedError` when ``plan.refused``."""
        ...

    def list_imports(self) -> list[LogEntry]:
        """The imports still in effect, oldest first, each with ``records_now``."""
        ...

    def remove_import(self, import_id: str, *, who: str | None = None) -> LogEntry:
        """Undo an import (restoring what it replaced or deleted), log it; returns the removal's log
        entry. Raises :class:`~frontera.errors.InputError` for an unknown or already removed id."""
        ...

    def read_import_log(self) -> list[LogEntry]:
        """Every import and removal, oldest first."""
        ...

    def record_history(self, record_id: str) -> list[HistoryEntry]:
        """Every change to one record, oldest first (empty for an unknown id)."""
        ...
