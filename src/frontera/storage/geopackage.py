"""The one module that reads and writes files: bundled geodata, the user's store, exports.

- Bundled data: ``geodata/`` in the repository (override with ``FRONTERA_GEODATA_DIR``).
- The user's store: ``$FRONTERA_DATA_DIR`` (default: ``$XDG_DATA_HOME/frontera``, that is
  ``~/.local/share/frontera``), holding ``store.gpkg`` with one table per time-bound layer.
  :class:`GeoPackageStore` is its :class:`~frontera.storage.base.Store` (callers get it from
  :func:`frontera.storage.open_store`); the module functions below serve it and older callers.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import re
import secrets
import shutil
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from frontera.i18n import N_, _, format_number
from frontera.model.layers import dataset_tag
from frontera.model.records import (  # the record model lives in schema; store keeps its names for callers
    CRS,
    TIME_LAYERS,
    empty_records,
    normalize_records,
)
from frontera.model.situation import Situation
from frontera.paths import data_dir, geodata_dir
from frontera.storage.base import ImportPlan, Records
from frontera.storage.history import (
    HISTORY_COLUMNS,
    STORED_COLUMNS,
    apply_plan,
    empty_history,
    entries_for,
    import_log_entry,
    normalize_history,
    records_only,
    undo_import,
    with_timestamps,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

try:  # Arrow reads a 100k-row store table in under a second (GDAL's row-by-row path takes several)
    import pyarrow  # noqa: F401

    _HAS_ARROW = True
except ImportError:  # pragma: no cover
    _HAS_ARROW = False


def store_path(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / "store.gpkg"


def read_geojson(path: Path) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path)
    if gdf.crs is None:
        gdf = gdf.set_crs(CRS)
    return gdf


def read_sources(directory: Path | None = None) -> pd.DataFrame:
    return pd.read_csv((directory or geodata_dir()) / "sources.csv", dtype=str, keep_default_na=False)


def read_record_texts(lang: str, directory: Path | None = None) -> pd.DataFrame:
    """The bundled records' texts in ``lang`` (``geodata/records.<lang>.csv``: id, field, text); empty if none."""
    path = (directory or geodata_dir()) / f"records.{lang}.csv"
    if not path.is_file():
        return pd.DataFrame(columns=["id", "field", "text"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_context(directory: Path | None = None) -> pd.DataFrame:
    return pd.read_csv((directory or geodata_dir()) / "context.csv", dtype=str, keep_default_na=False)


def load_bundled_records(directory: Path | None = None) -> dict[str, gpd.GeoDataFrame]:
    directory = directory or geodata_dir()
    return {layer: normalize_records(read_geojson(directory / f"{layer}.geojson")) for layer in TIME_LAYERS}


def read_user_records(directory: Path | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Imported records, per layer; empty frames when the store does not exist yet.

    Leftovers of an interrupted import are cleaned first when no import is running.
    Raises :class:`~frontera.errors.StoreError` (naming the file, the damage and the fix)
    when the store is damaged.
    """
    folder = Path(directory or data_dir())
    _clean_if_idle(folder)
    return records_only(_read_user_records(folder))


#: What a failed read left undone (said in the reader's language where the error is made).
NOTHING_READ = N_("nothing was read from it")


def _read_user_records(folder: Path, what: str = NOTHING_READ) -> dict[str, gpd.GeoDataFrame]:
    """The records with their :data:`~frontera.model.records.SOURCE_TIMESTAMP` column."""
    path = store_path(folder)
    out = {layer: with_timestamps(empty_records()) for layer in TIME_LAYERS}
    if not path.exists():
        return out
    import pyogrio  # noqa: PLC0415

    damage = store_damage(path)
    if damage:
        raise _damaged_error(path, damage, what)
    try:
        present = {name for name, _ in pyogrio.list_layers(path)}
        for layer in TIME_LAYERS:
            if layer in present:
                out[layer] = with_timestamps(_read_table(path, layer))
    except Exception as exc:  # noqa: BLE001 - GDAL, SQLite, Arrow and shapely each fail in their own words
        raise _damaged_error(path, f"{type(exc).__name__}: {str(exc)[:200]}", what) from None
    return out


def _read_table(path: Path, layer: str) -> gpd.GeoDataFrame:
    """One table of the store. With Arrow, columns come in as Arrow strings and points are
    decoded from their WKB with NumPy: a million-event store loads in a few seconds."""
    if not _HAS_ARROW:
        return gpd.read_file(path, layer=layer)
    import pyogrio  # noqa: PLC0415

    meta, table = pyogrio.read_arrow(path, layer=layer)
    geom_col = meta.get("geometry_name") or "wkb_geometry"
    wkb = table.column(geom_col).to_numpy(zero_copy_only=False) if geom_col in table.schema.names else None
    frame = table.drop_columns([geom_col]).to_pandas() if wkb is not None else table.to_pandas()
    geometry = _points_from_wkb(wkb) if wkb is not None else None
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, index=frame.index, crs=CRS))


def _points_from_wkb(wkb: np.ndarray) -> np.ndarray:
    """Geometries from WKB; when every one is a little-endian 2D point (21 bytes), read x and y directly."""
    import shapely  # noqa: PLC0415

    if len(wkb) and all(w is not None and len(w) == 21 for w in wkb[:1000]):
        raw = np.frombuffer(b"".join(wkb), dtype=np.uint8) if all(len(w) == 21 for w in wkb) else None
        if raw is not None:
            rows = raw.reshape(-1, 21)
            if (rows[:, 0] == 1).all() and (rows[:, 1:5].view("<u4")[:, 0] == 1).all():
                xy = rows[:, 5:21].copy().view("<f8")
                return shapely.points(xy[:, 0], xy[:, 1])
    return shapely.from_wkb(wkb)


def store_mtime(directory: Path | None = None) -> float:
    """Modification time of the user's store (0.0 when there is none): a cache key."""
    path = store_path(directory)
    return path.stat().st_mtime if path.exists() else 0.0


def load_situation(geodata: Path | None = None, user_dir: Path | None = None, include_user: bool = True) -> Situation:
    """Read the bundled situation and, beside it, the records imported into the GeoPackage in ``user_dir``
    (:func:`frontera.storage.load_situation` reads them from whichever store is configured)."""
    return situation_with(read_user_records(user_dir) if include_user else None, geodata)


def situation_with(user: dict[str, gpd.GeoDataFrame] | None, geodata: Path | None = None) -> Situation:
    """The bundled situation (``geodata``) with the user's records ``user`` beside it (None: none)."""
    geodata = geodata or geodata_dir()
    records = load_bundled_records(geodata)
    if user is not None:
        for layer in TIME_LAYERS:
            if len(user[layer]):
                records[layer] = gpd.GeoDataFrame(
                    pd.concat([records[layer], user[layer]], ignore_index=True), geometry="geometry", crs=CRS
                )
    return Situation(
        records=records,
        places=read_geojson(geodata / "places.geojson"),
        crossings=read_geojson(geodata / "crossings.geojson"),
        border=read_geojson(geodata / "border.geojson"),
        countries=read_geojson(geodata / "countries.geojson"),
        admin1=read_geojson(geodata / "admin1.geojson"),
        towns=read_geojson(geodata / "towns.geojson"),
        sources=read_sources(geodata),
        context=read_context(geodata),
    )


def write_text_atomic(path: Path, text: str | bytes) -> None:
    """Write a file so that readers see the old or the new content, never half of it.

    The temporary file beside it has a name unique to this call, and is removed when
    writing fails (a full disk, Ctrl-C): only a ``kill -9`` can leave one behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{_TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --- the user's store: writing, imports, removal -------------------------------------------------
#
# store.gpkg holds the records (one table per layer, with their source timestamps), the import log
# (table ``import_log``) AND the history of records (``record_history``): all are replaced together
# by one os.replace, so they can never disagree. Writers hold
# the store lock (a threading lock and flock on .store.lock): one read-modify-write at a time.
# Temporary names carry ``.tmp-``; leftovers of a killed import are cleaned by the next writer
# (or reader that finds the store idle), and a kept original whose import made it into the
# log is moved into place then.

IMPORT_LOG = "imports.log"  # the log before it moved into store.gpkg: read when the store has none
LOG_TABLE = "import_log"
LOCK_FILE = ".store.lock"
_TMP_MARK = ".tmp-"
_STORE_TMP_PREFIX = ".store" + _TMP_MARK
_SQLITE_MAGIC = b"SQLite format 3\x00"
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def imports_dir(directory: Path | None = None) -> Path:
    """``imports/<import_id>/<original file>``: every imported file, kept as it came."""
    return (directory or data_dir()) / "imports"


def _thread_lock(folder: Path) -> threading.Lock:
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(str(folder.resolve()), threading.Lock())


@contextlib.contextmanager
def store_lock(directory: Path | None = None, blocking: bool = True):
    """Hold the store's write lock (threads of this process and other processes wait).

    With ``blocking=False`` yields False at once when someone else holds it.
    """
    from frontera.errors import StoreError  # noqa: PLC0415

    folder = Path(directory or data_dir())
    tlock = _thread_lock(_made(folder))
    if not tlock.acquire(blocking=blocking):
        yield False
        return
    try:
        try:
            fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                _("could not open the lock file {path} ({why}); nothing was changed. {fix}").format(
                    path=folder / LOCK_FILE, why=exc.strerror, fix=_fix_for(exc, folder)
                )
            ) from exc
        try:
            got = _flock(fd, blocking)
            yield got
        finally:
            os.close(fd)  # closing the descriptor releases the flock
    finally:
        tlock.release()


def _made(folder: Path) -> Path:
    from frontera.errors import StoreError  # noqa: PLC0415

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            _("could not create the folder of your store {folder} ({why}); nothing was written. {fix}").format(
                folder=folder, why=exc.strerror, fix=_fix_for(exc, folder)
            )
        ) from exc
    return folder


def _flock(fd: int, blocking: bool) -> bool:
    if fcntl is None:  # pragma: no cover - not POSIX: the threading lock is all there is
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def is_disk_full(exc: BaseException) -> bool:
    """True for "no space left" in any of its forms (OSError, or GDAL's SQLite "disk is full")."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "no space left" in text or "disk is full" in text or "disk quota" in text


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _fix_for(exc: BaseException, folder: Path, full: bool | None = None) -> str:
    """The fix sentence for a write that failed in ``folder``."""
    if full if full is not None else is_disk_full(exc):
        free = _free_bytes(folder)
        free_text = (
            _("{size} MB free").format(size=format_number(free / 1e6, decimals=1))
            if free is not None
            else _("free space unknown")
        )
        return _("Fix: the disk holding {folder} is full ({free}); free some space and run it again.").format(
            folder=folder, free=free_text
        )
    return _("Fix: check that {folder} exists and is writable, then run it again.").format(folder=folder)


def _write_error(path: Path, exc: BaseException, what: str):
    """The StoreError for a failed write. GDAL does not always say "disk full" when it is (a
    GeoPackage half created on a full disk fails with "no such table"): a failure with less free
    space than twice the store plus 1 MB is reported as a full disk, with GDAL's words."""
    from frontera.errors import StoreError  # noqa: PLC0415

    free = _free_bytes(path.parent)
    size = path.stat().st_size if path.exists() else 0
    low = free is not None and free < 2 * size + (1 << 20)
    if is_disk_full(exc):
        cause = _("no space left on the disk")
    elif low and free is not None:  # `low` implies a known `free`; said again for mypy
        cause = _("no space left on the disk: {size} MB free; {error}").format(
            size=format_number(free / 1e6, decimals=2), error=f"{type(exc).__name__}: {str(exc)[:160]}"
        )
    else:
        cause = f"{type(exc).__name__}: {str(exc)[:300]}"
    return StoreError(
        _("could not write your store {path} ({cause}); {what}: your store was left exactly as it was. {fix}").format(
            path=path, cause=cause, what=_(what), fix=_fix_for(exc, path.parent, full=is_disk_full(exc) or low)
        )
    )


def _damaged_error(path: Path, cause: str, what: str = NOTHING_READ):
    from frontera.errors import StoreError  # noqa: PLC0415

    return StoreError(
        _(
            "your store {path} is damaged ({cause}) and could not be read; {what}, and the file was not changed. "
            "Fix: move it aside ({command}) and import your files again (the originals are kept in "
            "{originals}), or point FRONTERA_DATA_DIR at another folder."
        ).format(
            path=path,
            cause=cause,
            what=_(what),
            command=f"mv '{path}' '{path}.damaged'",
            originals=imports_dir(path.parent),
        )
    )


def store_damage(path: Path) -> str | None:
    """Why ``path`` cannot be a whole GeoPackage (wrong magic, truncated), or None when its header is sound."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        return _("cannot open it: {why}").format(why=exc.strerror)
    if len(head) < 100 or not head.startswith(_SQLITE_MAGIC):
        return _("{size} bytes, not a GeoPackage: its first bytes are not SQLite's").format(size=size)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if head[24:28] == head[92:96] and pages and size < pages * page_size:  # the page count is valid
        return _("truncated: {size} bytes of {expected}").format(size=size, expected=pages * page_size)
    return None


def _check_integrity(folder: Path, what: str) -> None:
    """Before a write: SQLite's page-by-page check, so damage is never copied into a new store.

    About a third of a second for a 200,000-record store; readers rely on the header and on
    errors instead, to keep the map quick.
    """
    path = store_path(folder)
    if not path.exists():
        return
    try:
        con = _sqlite_ro(path)
        try:
            result = [r[0] for r in con.execute("PRAGMA quick_check(3)").fetchall()]
        finally:
            con.close()
    except sqlite3.Error as exc:
        result = [f"{type(exc).__name__}: {exc}"]
    if result != ["ok"]:
        raise _damaged_error(path, " ".join("; ".join(map(str, result)).split())[:200], what)


def _sqlite_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _read_log_table(path: Path) -> list[dict] | None:
    """The import log kept in the store, or None when this store predates it."""
    con = _sqlite_ro(path)
    try:
        if not con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (LOG_TABLE,)).fetchone():
            return None
        rows = con.execute(f"SELECT entry FROM {LOG_TABLE} ORDER BY seq").fetchall()  # noqa: S608 - a constant
    finally:
        con.close()
    return [e for e in (_json_or_none(r[0]) for r in rows) if isinstance(e, dict)]


def _json_or_none(text: object) -> object:
    try:
        return json.loads(str(text))
    except ValueError:
        return None


def read_import_log(directory: Path | None = None) -> list[dict]:
    """Every entry of the import log (kept inside ``store.gpkg``), oldest first.

    A store written before the log moved inside it is read with its ``imports.log``.
    Raises :class:`~frontera.errors.StoreError` when the store is damaged.
    """
    path = store_path(directory)
    if path.exists():
        damage = store_damage(path)
        if damage:
            raise _damaged_error(path, damage)
        try:
            entries = _read_log_table(path)
        except sqlite3.Error as exc:
            raise _damaged_error(path, f"{type(exc).__name__}: {exc}") from None
        if entries is not None:
            return entries
    legacy = (directory or data_dir()) / IMPORT_LOG
    if not legacy.exists():
        return []
    lines = legacy.read_text(encoding="utf-8", errors="replace").splitlines()
    return [e for e in map(_json_or_none, lines) if isinstance(e, dict)]


HISTORY_TABLE = "record_history"


def _replace_store(
    records: dict[str, gpd.GeoDataFrame],
    log: list[dict],
    folder: Path,
    what: str,
    history: gpd.GeoDataFrame | None = None,
) -> Path:
    """Write records, history and log to a new GeoPackage, fsync, rename it over ``store.gpkg``. Hold the lock."""
    path = store_path(folder)
    tmp = folder / f"{_STORE_TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}.gpkg"  # GDAL wants .gpkg
    try:
        for layer in TIME_LAYERS:
            frame = records.get(layer)
            _write_table(with_timestamps(frame if frame is not None and len(frame) else empty_records()), tmp, layer)
        hist = (history if history is not None else empty_history()).copy()
        hist["h_who"] = hist["h_who"].astype(object).where(hist["h_who"].notna(), "")
        _write_table(hist[[*STORED_COLUMNS, *HISTORY_COLUMNS, "geometry"]], tmp, HISTORY_TABLE)
        _write_log(log, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        _remove_temporaries(folder, tmp.name)
        if isinstance(exc, Exception):
            raise _write_error(path, exc, what) from None
        raise
    _fsync_dir(folder)
    legacy = folder / IMPORT_LOG
    if legacy.exists():  # its entries are in the store now
        with contextlib.suppress(OSError):
            os.replace(legacy, folder / (IMPORT_LOG + ".migrated"))
    return path


def _write_table(frame: gpd.GeoDataFrame, tmp: Path, layer: str) -> None:
    import pyogrio  # noqa: PLC0415

    pyogrio.write_dataframe(
        frame,
        tmp,
        layer=layer,
        driver="GPKG",
        promote_to_multi=False,
        geometry_type="Unknown",
        append=False,
        use_arrow=_HAS_ARROW,
    )


def _write_log(log: list[dict], tmp: Path) -> None:
    import pyogrio  # noqa: PLC0415

    log_frame = pd.DataFrame(
        {
            "seq": pd.Series(range(1, len(log) + 1), dtype="int64"),
            "entry": pd.Series([json.dumps(e, ensure_ascii=False) for e in log], dtype=object),
        }
    )
    pyogrio.write_dataframe(log_frame, tmp, layer=LOG_TABLE, driver="GPKG", append=False)


def _read_history(folder: Path, what: str = NOTHING_READ) -> gpd.GeoDataFrame:
    """The store's history of records (empty for a store written before it existed)."""
    import pyogrio  # noqa: PLC0415

    path = store_path(folder)
    if not path.exists():
        return empty_history()
    try:
        if HISTORY_TABLE not in {name for name, _ in pyogrio.list_layers(path)}:
            return empty_history()
        return normalize_history(_read_table(path, HISTORY_TABLE))
    except Exception as exc:  # noqa: BLE001 - as in _read_user_records
        raise _damaged_error(path, f"{type(exc).__name__}: {str(exc)[:200]}", what) from None


def _remove_temporaries(folder: Path, prefix: str) -> None:
    for p in folder.glob(f"{glob.escape(prefix)}*"):  # the file and GDAL's -journal / -wal beside it
        with contextlib.suppress(OSError):
            p.unlink()


def write_user_records(records: dict[str, gpd.GeoDataFrame], directory: Path | None = None) -> Path:
    """Replace the store's records with ``records`` (its import log and history are kept), atomically.

    The whole new GeoPackage is written to a temporary file in the same folder,
    flushed to disk, then moved over ``store.gpkg`` with ``os.replace``: a reader, a
    crash or a kill at any moment sees the old store or the new one, never a mix.
    """
    folder = Path(directory or data_dir())
    with store_lock(folder):
        what = _("nothing was written")
        return _replace_store(records, read_import_log(folder), folder, what, _read_history(folder, what))


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_MAX_NAME_BYTES = 180  # well under the 255 bytes most file systems allow, with room for ".tmp-…"


def safe_basename(name: object) -> str:
    """A file name that stays inside its folder: the last path part, letters, digits and ``._- `` only.

    Control and invisible characters become ``_``, leading dots go (no ``..``, no hidden
    files), and the name is cut to 180 UTF-8 bytes keeping its extension.

    >>> safe_basename("../../etc/passwd"), safe_basename("a\\x00b\\x1b[31m.csv"), safe_basename("..")
    ('passwd', 'a_b__31m.csv', 'upload')
    """
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c if (c.isalnum() and c.isprintable()) or c in "._- " else "_" for c in base)
    base = base.strip(" ").lstrip(".").rstrip(" .")
    if len(base.encode("utf-8")) > _MAX_NAME_BYTES:
        stem, dot, ext = base.rpartition(".")
        if not dot or not 0 < len(ext.encode("utf-8")) <= 16:
            stem, dot, ext = base, "", ""
        room = _MAX_NAME_BYTES - len(dot + ext)
        base = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .") + dot + ext
    return base or "upload"


_IMPORT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def _check_import_id(import_id: str) -> None:
    from frontera.errors import InputError  # noqa: PLC0415

    if not _IMPORT_ID.fullmatch(str(import_id)):
        raise InputError(
            _("import id {import_id}: expected letters, digits, '-' or '_' (at most 64)").format(
                import_id=repr(import_id)
            )
        )


def _stage_original(folder: Path, import_id: str, name: str, data: bytes) -> Path:
    """Write the original file into ``imports/.tmp-<unique>/<import_id>/``; moved into place after the commit."""
    stage = imports_dir(folder) / f"{_TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}"
    target = stage / import_id / name
    try:
        target.parent.mkdir(parents=True)
        with open(target, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return stage


def _promote(stage: Path, logged: set[str]) -> None:
    """Move kept originals of logged imports from a staging folder into ``imports/<id>/``; drop the rest."""
    for id_dir in (p for p in stage.iterdir() if p.is_dir()):
        if id_dir.name not in logged:
            continue
        dest = stage.parent / id_dir.name
        dest.mkdir(exist_ok=True)
        for f in id_dir.iterdir():
            os.replace(f, dest / f.name)
    shutil.rmtree(stage, ignore_errors=True)


def clean_leftovers(directory: Path | None = None) -> list[str]:
    """Remove what interrupted writes left (temporary stores, staged files). Hold the lock.

    Kept originals of imports that reached the log are moved into place first. Returns
    the names removed or moved. A damaged store is left alone (its staged files too).
    """
    folder = Path(directory or data_dir())
    done = [p.name for p in folder.glob(f"{_STORE_TMP_PREFIX}*")]
    _remove_temporaries(folder, _STORE_TMP_PREFIX)
    stages = sorted(imports_dir(folder).glob(f"{_TMP_MARK}*")) if imports_dir(folder).is_dir() else []
    if stages:
        from frontera.errors import StoreError  # noqa: PLC0415

        try:
            logged = {str(e.get("import_id")) for e in read_import_log(folder) if e.get("action") == "import"}
        except StoreError:
            return done
        for stage in stages:
            with contextlib.suppress(OSError):
                _promote(stage, logged)
                done.append(stage.name)
    for p in imports_dir(folder).glob(f"*/.*{_TMP_MARK}*"):  # write_text_atomic leftovers of older versions
        with contextlib.suppress(OSError):
            p.unlink()
            done.append(p.name)
    return done


def _clean_if_idle(folder: Path) -> None:
    """Clean leftovers when no writer holds the store (a reader never waits for one)."""
    if not folder.is_dir():
        return
    try:
        with store_lock(folder, blocking=False) as got:
            if got:
                clean_leftovers(folder)
    except Exception:  # noqa: BLE001,S110 - cleaning is a courtesy: a read-only folder must not fail a read
        pass


def _now() -> str:
    import datetime as dt  # noqa: PLC0415

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def _writing(folder: Path, what: str) -> Iterator[tuple[dict[str, gpd.GeoDataFrame], list[dict]]]:
    """Under the store lock, leftovers cleaned: the store's records (with source timestamps) and log as
    they are now.

    Raises :class:`~frontera.errors.StoreError` (``what`` says what did not happen) when the
    store is damaged, before anything is written.
    """
    with store_lock(folder):
        clean_leftovers(folder)
        existing = _read_user_records(folder, what)
        _check_integrity(folder, what)
        yield existing, read_import_log(folder)


class GeoPackageStore:
    """The embedded store: ``store.gpkg`` in a folder (default :func:`~frontera.paths.data_dir`), written whole
    and renamed into place under a file lock. Implements :class:`frontera.storage.base.Store`."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.folder = Path(directory) if directory is not None else data_dir()
        self.label = str(store_path(self.folder))

    def __repr__(self) -> str:
        return f"GeoPackageStore({str(self.folder)!r})"

    def read_records(self, *, with_timestamps: bool = False) -> dict[str, gpd.GeoDataFrame]:
        _clean_if_idle(self.folder)
        records = _read_user_records(self.folder)
        return records if with_timestamps else records_only(records)

    def version(self) -> Hashable:
        return _inode(self.folder) or 0

    def commit_import(self, plan_for: Callable[[Records], ImportPlan], data: bytes, *, who: str | None = None) -> dict:
        return _commit(self.folder, plan_for, data, who)

    def list_imports(self) -> list[dict]:
        return list_imports(self.folder)

    def remove_import(self, import_id: str, *, who: str | None = None) -> dict:
        return _remove(self.folder, import_id, who)

    def read_import_log(self) -> list[dict]:
        return read_import_log(self.folder)

    def record_history(self, record_id: str) -> list[dict]:
        return entries_for(_read_history(self.folder), record_id)

    def imports_dir(self) -> Path:
        """Where the original files are kept (``imports/<import_id>/``)."""
        return imports_dir(self.folder)


def commit_import(plan, data: bytes, directory: Path | None = None, who: str | None = None) -> dict:
    """Write an :class:`~frontera.importers.ImportPlan` (made again under the lock: ``plan.again``)."""
    return GeoPackageStore(directory).commit_import(plan.again, data, who=who)


def _commit(folder: Path, plan_for: Callable[[Records], ImportPlan], data: bytes, who: str | None) -> dict:
    """Under the store lock, the store is re-read (not taken from the preview) and the plan
    made against it, so an import committed meanwhile, by another thread or process, is not
    lost. Returns the log entry. Raises :class:`~frontera.errors.ImportRefusedError` (the plan has
    rejected rows and all or nothing was asked) or :class:`~frontera.errors.StoreError` (the
    store damaged or not writable), the store unchanged either way.
    """
    from frontera.errors import ImportRefusedError  # noqa: PLC0415

    with _writing(folder, "nothing was imported") as (existing, log):
        plan = plan_for(existing)
        _check_import_id(plan.import_id)
        if plan.refused:
            raise ImportRefusedError(plan.refusal())
        name, when = safe_basename(plan.file), _now()
        entry = import_log_entry(plan, who=who, when=when, kept_as=f"imports/{plan.import_id}/{name}")
        if not plan.changes_anything:  # identical or older rows only: nothing to write, not even the log
            return entry
        history = _read_history(folder, "nothing was imported")
        seq = int(history["h_seq"].max()) + 1 if len(history) else 1
        records, added = apply_plan(existing, plan, next_seq=seq, who=who, when=when)
        _write_import(folder, plan, name, data, records, [*log, entry], _concat_history(history, added))
    return entry


def _concat_history(*frames: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    parts = [f for f in frames if len(f)]
    if not parts:
        return empty_history()
    return normalize_history(gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=CRS))


def _write_import(folder: Path, plan: ImportPlan, name: str, data: bytes, records, log: list[dict], history) -> None:
    """Keep the original file (staged), replace the store, then move the file into place."""
    what = _("nothing of {file} was imported").format(file=repr(plan.file))
    try:
        stage = _stage_original(folder, plan.import_id, name, data)
    except OSError as exc:
        raise _write_error(store_path(folder), exc, what) from None
    try:
        _replace_store(records, log, folder, what, history)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    with contextlib.suppress(OSError):  # if this fails, the next clean_leftovers moves it
        _promote(stage, {plan.import_id})


def list_imports(directory: Path | None = None) -> list[dict]:
    """One entry per import still in effect, with how many records' current version it wrote."""
    folder = Path(directory or data_dir())
    for _attempt in range(5):  # log and records from the same version of the file, even while a writer replaces it
        before = _inode(folder)
        log, records = read_import_log(folder), read_user_records(folder)
        if _inode(folder) == before:
            break
    removed = {e.get("import_id") for e in log if e.get("action") == "remove"}
    counts: dict[str, int] = {}
    for frame in records.values():
        for tag, n in frame["dataset"].astype(str).value_counts().items():
            counts[tag] = counts.get(tag, 0) + int(n)
    return [
        {**e, "records_now": counts.get(dataset_tag(e["import_id"]), 0)}
        for e in log
        if e.get("action") == "import" and e.get("import_id") not in removed
    ]


def _inode(folder: Path) -> tuple[int, int] | None:
    try:
        st = store_path(folder).stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def remove_import(import_id: str, directory: Path | None = None) -> int:
    """Undo an import (see :meth:`GeoPackageStore.remove_import`); returns how many records changed."""
    return int(_remove(Path(directory or data_dir()), import_id, None)["changed"])


def _remove(folder: Path, import_id: str, who: str | None) -> dict:
    """Undo an import under the lock: what it added goes, what it updated or deleted comes back. Logged."""
    from frontera.errors import InputError  # noqa: PLC0415

    what = _("import {import_id} was not removed").format(import_id=repr(import_id))
    with _writing(folder, what) as (existing, log):
        done = {e.get("import_id") for e in log if e.get("action") == "remove"}
        if import_id in done:
            raise InputError(
                _("import {import_id} was removed already; `frontera imports` lists those in effect").format(
                    import_id=repr(import_id)
                )
            )
        history = _read_history(folder, what)
        if (history["h_import"] == import_id).any():
            records, history, counts = undo_import(existing, history, import_id)
        else:  # an import made before the store kept history: its records go
            records, counts = _without_tagged(existing, import_id)
        logged = import_id in {e.get("import_id") for e in log if e.get("action") == "import"}
        if not logged and not counts["removed"]:
            raise InputError(
                _("no import {import_id}; `frontera imports` lists them").format(import_id=repr(import_id))
            )
        changed = counts["removed"] + counts["restored"]
        entry: dict[str, Any] = {"when": _now(), "action": "remove", "import_id": import_id, "who": who}
        entry |= {"removed": counts["removed"], "restored": counts["restored"], "changed": changed}
        _replace_store(records, [*log, entry], folder, what, history)
    return entry


def _without_tagged(existing: dict[str, gpd.GeoDataFrame], import_id: str) -> tuple[dict, dict[str, int]]:
    """The records without those tagged ``import:<id>`` (an import that has no history), and how many went."""
    tag = dataset_tag(import_id)
    out, n = {}, 0
    for layer in TIME_LAYERS:
        f = existing.get(layer)
        f = f if f is not None and len(f) else with_timestamps(empty_records())
        mine = f["dataset"].astype(str) == tag
        n += int(mine.sum())
        out[layer] = f[~mine].reset_index(drop=True)
    return out, {"removed": n, "restored": 0}


def gpkg_to_bytes(tables: dict[str, gpd.GeoDataFrame]) -> bytes:
    """A GeoPackage holding ``tables`` (name -> frame, in order) as bytes, for a download.

    GDAL writes GeoPackages only to files: this is done in a private temporary folder.
    """
    import tempfile  # noqa: PLC0415

    import pyogrio  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "frontera.gpkg"
        for name, table in tables.items():
            pyogrio.write_dataframe(
                table, path, layer=name, driver="GPKG", promote_to_multi=False, geometry_type="Unknown"
            )
        return path.read_bytes()


def gpkg_from_bytes(data: bytes) -> list[gpd.GeoDataFrame]:
    """Every table of a GeoPackage given as bytes (an upload), in file order.

    Raises whatever GDAL raises for a damaged file; the caller names the file and the fix.
    """
    import tempfile  # noqa: PLC0415

    import pyogrio  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.gpkg"
        path.write_bytes(data)
        return [gpd.read_file(path, layer=name) for name, _ in pyogrio.list_layers(path)]
