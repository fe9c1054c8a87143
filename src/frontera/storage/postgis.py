"""The shared store: PostgreSQL + PostGIS (``FRONTERA_DATABASE_URL``), for a team working on one picture.

Tables (schema ``frontera``, made by ``frontera db upgrade``, see :mod:`frontera.storage.pg_schema`):

- ``flows``, ``clashes``, ``incidents``, ``operations``: one row per record, primary key ``id``,
  geometry ``geom`` in SRID 4326 with a GiST index, the export contract's columns (``source_urls``,
  ``origin`` and ``destination`` are filled from the bundled sources and places when a row is
  written), ``updated_by``/``updated_at``: QGIS shows the same picture straight from the database.
- ``import_log`` (every import and removal, with ``who``), ``import_files`` (each imported file as it
  came), ``record_history`` (every version an import replaced or deleted, with the import that did it
  and ``who``; ``restored_by`` once a removal put it back), ``store_state`` (a change counter).

Every write is one transaction that first takes a PostgreSQL advisory lock, so imports from any
number of app processes and CLI runs are serialised and each plans against the records as they are.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import threading
from collections.abc import Callable, Hashable, Iterator
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from frontera.errors import ImportRefusedError, InputError, StoreError
from frontera.i18n import N_, _
from frontera.model.layers import dataset_tag
from frontera.model.records import (
    CRS,
    RECORD_COLUMNS,
    SOURCE_TIMESTAMP,
    TIME_LAYERS,
    empty_records,
    normalize_records,
    split_ids,
)
from frontera.storage import pg_schema
from frontera.storage.history import import_log_entry

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from frontera.storage.base import HistoryEntry, ImportPlan, LogEntry, Records

#: Key of the advisory lock every write takes (any constant; the same in every process).
LOCK_KEY = 7021_0011
#: Columns derived from the bundled data when a row is written (the export contract's names).
DERIVED = ("source_urls", "origin", "destination")
_DATE_COLUMNS = ("date_start", "date_end")
_ENGINES: dict[str, Engine] = {}
_ENGINES_GUARD = threading.Lock()


def engine_for(url: str) -> Engine:
    """One pooled engine per URL and process: app reruns share it; a dropped connection is replaced."""
    from sqlalchemy import create_engine  # noqa: PLC0415 - SQLAlchemy is needed only with a database

    with _ENGINES_GUARD:
        if url not in _ENGINES:
            _ENGINES[url] = create_engine(
                url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args={"connect_timeout": 5}
            )
        return _ENGINES[url]


def dispose(url: str) -> None:
    """Close this process's connections to ``url`` (the next use opens new ones)."""
    with _ENGINES_GUARD:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def render_url(url: str) -> str:
    """The URL as a person may see it: without its password."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL: show nothing of it that could be a secret
        return "(a FRONTERA_DATABASE_URL that is not a valid SQLAlchemy URL)"


#: What a failed read left undone (said in the reader's language where the error is made).
NOTHING_READ = N_("nothing was read")


class PostgisStore:
    """The :class:`~frontera.storage.base.Store` in a PostgreSQL + PostGIS database."""

    def __init__(self, url: str) -> None:
        self.label = render_url(url)
        try:
            self._engine = engine_for(url)
        except Exception as exc:  # noqa: BLE001 - an unknown driver, a malformed URL: one sentence
            raise StoreError(
                _(
                    "FRONTERA_DATABASE_URL cannot be used ({error}); expected e.g. {example}. Fix: correct the "
                    "variable, or unset it to use the embedded GeoPackage store."
                ).format(error=type(exc).__name__, example="postgresql+psycopg://USER@HOST:5432/DBNAME")
            ) from None
        self._schema_ok = False

    # --- reading --------------------------------------------------------------------------------

    def read_records(self, *, with_timestamps: bool = False) -> Records:
        with self._connect(NOTHING_READ) as conn:
            return _read_all(conn, with_timestamps)

    def version(self) -> Hashable:
        """The change counter, bumped by every import and removal: one row, read on every rerun. With the
        store's instance id, so that a database dropped and made again never looks like the old one."""
        with self._connect(NOTHING_READ) as conn:
            instance, changes = conn.exec_driver_sql("SELECT instance, changes FROM frontera.store_state").one()
            return (self.label, str(instance), int(changes))

    def read_import_log(self) -> list[LogEntry]:
        with self._connect(NOTHING_READ) as conn:
            rows = conn.exec_driver_sql("SELECT entry FROM frontera.import_log ORDER BY seq").scalars()
            return [dict(r) for r in rows]

    def list_imports(self) -> list[LogEntry]:
        with self._connect(NOTHING_READ) as conn:
            log = [
                dict(r) for r in conn.exec_driver_sql("SELECT entry FROM frontera.import_log ORDER BY seq").scalars()
            ]
            counts = _counts_by_dataset(conn)
        removed = {e.get("import_id") for e in log if e.get("action") == "remove"}
        return [
            {**e, "records_now": counts.get(dataset_tag(e["import_id"]), 0)}
            for e in log
            if e.get("action") == "import" and e.get("import_id") not in removed
        ]

    def read_import_file(self, import_id: str) -> tuple[str, bytes] | None:
        """The file an import came from, as it came: (name, bytes), or None."""
        with self._connect(NOTHING_READ) as conn:
            row = conn.exec_driver_sql(
                "SELECT name, data FROM frontera.import_files WHERE import_id = %(i)s", {"i": import_id}
            ).first()
        return (row[0], bytes(row[1])) if row else None

    def record_history(self, record_id: str) -> list[HistoryEntry]:
        """Every change to one record, oldest first, with the import that made it and the version it replaced."""
        with self._connect(NOTHING_READ) as conn:
            rows = conn.exec_driver_sql(
                "SELECT seq, import_id, record_id, action, changed_at, who, in_effect, before "
                "FROM frontera.record_history WHERE record_id = %(i)s ORDER BY seq",
                {"i": str(record_id)},
            ).mappings()
            return [_history_entry(dict(r)) for r in rows]

    # --- writing --------------------------------------------------------------------------------

    def commit_import(
        self, plan_for: Callable[[Records], ImportPlan], data: bytes, *, who: str | None = None
    ) -> LogEntry:
        """Lock, plan against the records as they are now, write the changes, history and log: one transaction.

        A refused plan raises :class:`~frontera.errors.ImportRefusedError`; a plan that changes nothing
        writes nothing at all (no log entry, no kept file) and returns its entry with ``written`` False.
        """
        with self._writing(N_("nothing was imported")) as conn:
            plan = plan_for(_read_all(conn, True))
            if plan.refused:
                raise ImportRefusedError(plan.refusal())
            kept_as = f"table frontera.import_files of {self.label}"
            entry = import_log_entry(plan, who=who, when=_now(), kept_as=kept_as)
            if not plan.changes_anything:  # identical or older rows only: nothing to write, not even the log
                return entry
            if _logged(conn, plan.import_id):
                raise StoreError(
                    _(
                        "import id {import_id} is already in {store}; nothing of {file} was imported. "
                        "Fix: import the file again (it gets a new id)"
                    ).format(import_id=repr(plan.import_id), store=self.label, file=repr(plan.file))
                )
            _apply(conn, plan, who, entry["when"])
            conn.exec_driver_sql(
                "INSERT INTO frontera.import_files (import_id, name, data, who) VALUES (%(i)s, %(n)s, %(d)s, %(w)s)",
                {"i": plan.import_id, "n": plan.file, "d": data, "w": who},
            )
            _log(conn, entry)
        return entry

    def remove_import(self, import_id: str, *, who: str | None = None) -> LogEntry:
        """Undo an import as if it had never happened (see :mod:`frontera.storage.base`); returns the log entry."""
        with self._writing(_("import {import_id} was not removed").format(import_id=repr(import_id))) as conn:
            actions = _actions(conn, import_id)
            if "remove" in actions:
                raise InputError(
                    _("import {import_id} was removed already; `frontera imports` lists those in effect").format(
                        import_id=repr(import_id)
                    )
                )
            if "import" not in actions:
                raise InputError(
                    _("no import {import_id} in {store}; `frontera imports` lists them").format(
                        import_id=repr(import_id), store=self.label
                    )
                )
            removed, restored = _undo(conn, import_id)
            entry: LogEntry = {"when": _now(), "action": "remove", "import_id": import_id, "who": who}
            entry |= {"removed": removed, "restored": restored, "changed": removed + restored}
            _log(conn, entry)
        return entry

    def upgrade_schema(self) -> tuple[str | None, str]:
        """``frontera db upgrade``: create or migrate the schema; returns the revisions before and after."""
        with self._errors(N_("the schema was not changed")):
            before, after = pg_schema.upgrade(self._engine)
        self._schema_ok = False
        return before, after

    # --- connections, the lock, errors -------------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self, what: str) -> Iterator[Connection]:
        """A read-only snapshot: the layers, the log and the counter as one commit left them."""
        with self._errors(what), self._engine.connect() as conn:
            conn.execution_options(isolation_level="REPEATABLE READ")
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            self._check(conn)
            yield conn

    @contextlib.contextmanager
    def _writing(self, what: str) -> Iterator[Connection]:
        """One transaction holding the store's advisory lock (released at commit or rollback)."""
        with self._errors(what), self._engine.begin() as conn:
            self._check(conn)
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(k)s)", {"k": LOCK_KEY})
            yield conn

    def _check(self, conn: Connection) -> None:
        if not self._schema_ok:  # once per store object: the app builds one per rerun
            pg_schema.check_schema(conn, self.label)
            self._schema_ok = True

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        from sqlalchemy import exc as sa_exc  # noqa: PLC0415

        try:
            yield
        except Exception as exc:
            db = _database_error(exc)  # pandas' read_sql wraps it in its own DatabaseError
            if isinstance(db, sa_exc.OperationalError):
                raise StoreError(
                    _(
                        "cannot reach the database {store} ({error}); {what}, and the database was left as it was. "
                        "Fix: check that PostgreSQL is running and reachable, then try again (a running app picks "
                        "the database up again at its next action, with no restart)."
                    ).format(store=self.label, error=_first_line(db), what=_(what))
                ) from None
            if isinstance(db, sa_exc.DBAPIError):
                raise StoreError(
                    _(
                        "the database {store} refused the operation ({error}); {what}, and the database was left "
                        "as it was. Fix: check the database user's rights, or run `frontera db upgrade`."
                    ).format(store=self.label, error=_first_line(db), what=_(what))
                ) from None
            raise


def _database_error(exc: BaseException | None) -> BaseException | None:
    """The SQLAlchemy database error behind ``exc`` (itself, or its cause), or None."""
    from sqlalchemy import exc as sa_exc  # noqa: PLC0415

    for _depth in range(5):
        if exc is None or isinstance(exc, sa_exc.DBAPIError):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return f"{type(orig).__name__}: {text[:200]}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _actions(conn: Connection, import_id: str) -> set[str]:
    rows = conn.exec_driver_sql("SELECT action FROM frontera.import_log WHERE import_id = %(i)s", {"i": import_id})
    return set(rows.scalars())


def _logged(conn: Connection, import_id: str) -> bool:
    return "import" in _actions(conn, import_id)


def _log(conn: Connection, entry: LogEntry) -> None:
    conn.exec_driver_sql(
        "INSERT INTO frontera.import_log (action, import_id, file, who, entry) "
        "VALUES (%(a)s, %(i)s, %(f)s, %(w)s, %(e)s)",
        {
            "a": entry["action"],
            "i": entry["import_id"],
            "f": entry.get("file"),
            "w": entry.get("who"),
            "e": json.dumps(entry, ensure_ascii=False, default=str),
        },
    )
    conn.exec_driver_sql("UPDATE frontera.store_state SET changes = changes + 1")


def _counts_by_dataset(conn: Connection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for layer in TIME_LAYERS:
        rows = conn.exec_driver_sql(f"SELECT dataset, count(*) FROM frontera.{layer} GROUP BY dataset")  # noqa: S608 - a layer name
        for tag, n in rows:
            counts[str(tag)] = counts.get(str(tag), 0) + int(n)
    return counts


# --- rows in and out ------------------------------------------------------------------------------


def _read_all(conn: Connection, with_timestamps: bool = False) -> Records:
    return {layer: _read_layer(conn, layer, with_timestamps) for layer in TIME_LAYERS}


def _read_layer(conn: Connection, layer: str, with_timestamps: bool) -> gpd.GeoDataFrame:
    from sqlalchemy import text  # noqa: PLC0415

    cols = ", ".join(RECORD_COLUMNS)
    sql = f"SELECT {cols}, {SOURCE_TIMESTAMP}, extra, geom FROM frontera.{layer} ORDER BY id"  # noqa: S608 - constant names
    frame = gpd.read_postgis(text(sql), conn, geom_col="geom", crs=CRS)
    if not len(frame):
        out = empty_records()
    else:
        extra = pd.DataFrame([e or {} for e in frame.pop("extra")], index=frame.index)
        frame = frame.rename_geometry("geometry")
        for col in extra.columns:
            frame[col] = extra[col]
        out = normalize_records(frame)
    if with_timestamps:
        from frontera.storage.history import with_timestamps as stamped  # noqa: PLC0415

        return stamped(out)
    return out.drop(columns=[SOURCE_TIMESTAMP], errors="ignore")


def _column(values: pd.Series) -> list[Any]:
    """A column as the database driver takes it: None for every kind of missing, dates as dates."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return [None if pd.isna(v) else v.date() for v in values]
    out = values.astype(object).where(values.notna(), None).tolist()
    return [v.item() if hasattr(v, "item") else v for v in out]  # NumPy scalars become Python ones


@functools.cache
def _names_and_urls() -> tuple[dict[str, str], dict[str, str]]:
    """Place names and source URLs of the bundled data, for the contract's derived columns."""
    from frontera.storage import geopackage  # noqa: PLC0415

    situation = geopackage.load_situation(include_user=False)
    sources = situation.sources
    return situation.place_names(), dict(zip(sources["source_id"], sources["url"]))


def _columns(frame: gpd.GeoDataFrame, who: str | None) -> dict[str, list[Any]]:
    """The table's columns for ``frame`` (records in the record schema), the derived ones filled in."""
    import shapely  # noqa: PLC0415

    names, urls = _names_and_urls()
    cols = {c: _column(frame[c]) if c in frame else [None] * len(frame) for c in (*RECORD_COLUMNS, SOURCE_TIMESTAMP)}
    cols["source_urls"] = [" ".join(urls[i] for i in split_ids(v) if i in urls) for v in cols["source_ids"]]
    cols["origin"] = ["; ".join(names.get(i, i) for i in split_ids(v)) for v in cols["origin_ids"]]
    cols["destination"] = ["; ".join(names.get(i, i) for i in split_ids(v)) for v in cols["destination_id"]]
    extra = [c for c in frame.columns if c not in (*RECORD_COLUMNS, SOURCE_TIMESTAMP, "geometry")]
    extras = {c: _column(frame[c]) for c in extra}
    cols["extra"] = [json.dumps({c: extras[c][k] for c in extra}, default=str) for k in range(len(frame))]
    cols["updated_by"] = [who] * len(frame)
    geoms = frame.geometry.to_numpy()
    wkb = shapely.to_wkb(shapely.set_srid(geoms, 4326), hex=True, include_srid=True)  # EWKB: PostGIS's own input
    cols["geom"] = [None if g is None or g.is_empty else w for g, w in zip(geoms, wkb)]
    return cols


def _insert(conn: Connection, layer: str, frame: gpd.GeoDataFrame, who: str | None) -> None:
    """Rows in with COPY (about ten times faster than INSERTs), inside the import's transaction."""
    if not len(frame):
        return
    cols = _columns(frame, who)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]  # psycopg's own cursor
    with cursor.copy(f"COPY frontera.{layer} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in zip(*cols.values()):
            copy.write_row(row)


_BEFORE = "to_jsonb(t) - 'geom' || jsonb_build_object('geom', encode(ST_AsEWKB(t.geom), 'hex'))"


def _keep_history(conn: Connection, ids: list[str], action: str, params: dict[str, Any]) -> None:
    """History entries for ``ids`` (their current version is ``before``), then those rows go."""
    keep = (
        "INSERT INTO frontera.record_history (import_id, record_id, action, changed_at, who, layer, before, geom) "
        "SELECT %(imp)s, t.id, %(action)s, %(at)s::timestamptz, %(who)s, t.layer, BEFORE, t.geom "
        "FROM frontera.LAYER t WHERE t.id = ANY(%(ids)s) ORDER BY t.id"
    )
    for layer in TIME_LAYERS:
        conn.exec_driver_sql(
            keep.replace("BEFORE", _BEFORE).replace("LAYER", layer), {**params, "action": action, "ids": ids}
        )
        conn.exec_driver_sql(f"DELETE FROM frontera.{layer} WHERE id = ANY(%(ids)s)", {"ids": ids})  # noqa: S608


def _apply(conn: Connection, plan: ImportPlan, who: str | None, when: str) -> None:
    """Write a plan: history entries (the replaced and deleted versions, the adds), then the new rows."""
    params = {"imp": plan.import_id, "who": who, "at": when}
    for action, ids in (("update", plan.updated_ids), ("delete", plan.removed_ids)):
        if ids:
            _keep_history(conn, list(dict.fromkeys(map(str, ids))), action, params)
    added = list(dict.fromkeys(map(str, plan.added_ids)))
    if added:
        conn.exec_driver_sql(
            "INSERT INTO frontera.record_history (import_id, record_id, action, changed_at, who) "
            "SELECT %(imp)s, i, 'add', %(at)s::timestamptz, %(who)s FROM unnest(%(ids)s::text[]) AS i",
            {**params, "ids": added},
        )
    recs = plan.to_write
    for layer in TIME_LAYERS:
        if len(recs):
            _insert(conn, layer, recs[recs["layer"].astype(str) == layer], who)


_SPLICE = """
WITH mine AS (SELECT * FROM frontera.record_history WHERE import_id = %(i)s AND in_effect),
nxt AS (
    SELECT DISTINCT ON (h.record_id) h.seq, h.record_id FROM frontera.record_history h
    WHERE h.in_effect AND h.import_id <> %(i)s AND h.record_id IN (SELECT record_id FROM mine)
      AND h.seq > (SELECT min(seq) FROM mine)
    ORDER BY h.record_id, h.seq)
UPDATE frontera.record_history h SET before = m.before, geom = m.geom, layer = m.layer
FROM nxt JOIN mine m USING (record_id) WHERE h.seq = nxt.seq
RETURNING h.record_id
"""


def _undo(conn: Connection, import_id: str) -> tuple[int, int]:
    """Undo ``import_id``'s history entries (splicing later changes onto what it replaced).

    Returns (records it added that are gone now, records given their previous version back)."""
    spliced = set(conn.exec_driver_sql(_SPLICE, {"i": import_id}).scalars())
    undo = conn.exec_driver_sql(
        "UPDATE frontera.record_history SET in_effect = false WHERE import_id = %(i)s AND in_effect "
        "RETURNING record_id, layer, before",
        {"i": import_id},
    ).all()
    undo = [u for u in undo if u[0] not in spliced]
    ids = [u[0] for u in undo]
    for layer in TIME_LAYERS:
        conn.exec_driver_sql(f"DELETE FROM frontera.{layer} WHERE id = ANY(%(ids)s)", {"ids": ids})  # noqa: S608
    back = [u for u in undo if u[2] is not None]
    for _id, layer, before in back:
        conn.exec_driver_sql(
            f"INSERT INTO frontera.{layer} SELECT * FROM jsonb_populate_record(NULL::frontera.{layer}, %(r)s)",  # noqa: S608
            {"r": json.dumps(before)},
        )
    return len(undo) - len(back), len(back)


def _history_entry(row: dict[str, Any]) -> HistoryEntry:
    before = row["before"]
    if before is not None:
        import shapely  # noqa: PLC0415

        geom = before.get("geom")
        record = {c: before.get(c) for c in RECORD_COLUMNS}
        for col in _DATE_COLUMNS:
            record[col] = pd.Timestamp(record[col]) if record[col] else None
        record["geometry"] = shapely.from_wkb(bytes.fromhex(geom)).wkt if geom else None
        before = record
    return {
        "seq": int(row["seq"]),
        "import_id": row["import_id"],
        "record_id": row["record_id"],
        "action": row["action"],
        "when": row["changed_at"].astimezone(dt.UTC).isoformat(timespec="seconds"),
        "who": row["who"],
        "in_effect": bool(row["in_effect"]),
        "before": before,
    }
