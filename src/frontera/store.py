"""The one module that reads and writes files: bundled geodata, the user's store, exports.

- Bundled data: ``geodata/`` in the repository (override with ``FRONTERA_GEODATA_DIR``).
- The user's store: ``$FRONTERA_DATA_DIR`` (default: ``$XDG_DATA_HOME/frontera``, that is
  ``~/.local/share/frontera``), holding ``store.gpkg`` with one table per time-bound layer.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from frontera.schema import (
    FLOAT_COLUMNS,
    INT_COLUMNS,
    OPTIONAL_TEXT,
    RECORD_COLUMNS,
    TEXT_COLUMNS,
    TIME_LAYERS,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
try:  # Arrow reads a 100k-row store table in under a second (GDAL's row-by-row path takes several)
    import pyarrow  # noqa: F401

    _HAS_ARROW = True
except ImportError:  # pragma: no cover
    _HAS_ARROW = False
CRS = "EPSG:4326"


def geodata_dir() -> Path:
    """Folder of the bundled data."""
    return Path(os.environ.get("FRONTERA_GEODATA_DIR", PROJECT_ROOT / "geodata"))


def data_dir() -> Path:
    """Folder of the user's store (imported records)."""
    if "FRONTERA_DATA_DIR" in os.environ:
        return Path(os.environ["FRONTERA_DATA_DIR"])
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "frontera"


def store_path(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / "store.gpkg"


def empty_records() -> gpd.GeoDataFrame:
    """A frame of no records, with every column typed (a fresh copy: callers may add to it)."""
    return _EMPTY_RECORDS().copy()


@functools.cache
def _EMPTY_RECORDS() -> gpd.GeoDataFrame:  # noqa: N802 - a constant built on first use
    return normalize_records(gpd.GeoDataFrame({c: [] for c in RECORD_COLUMNS}, geometry=gpd.GeoSeries([], crs=CRS)))


def normalize_records(gdf: gpd.GeoDataFrame | pd.DataFrame) -> gpd.GeoDataFrame:
    """Give a frame of time-bound records the in-memory types every other module expects.

    Dates become ``datetime64[ns]`` (NaT when empty), counts nullable ``Int64``,
    text pandas strings with ``""`` for empty optional text; every column of
    ``RECORD_COLUMNS`` exists. Columns that already have their type are left alone
    (a million-row store arrives typed from its cache).
    """
    out = gdf.copy()
    if "geometry" not in out:
        out["geometry"] = None
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=getattr(gdf, "crs", None) or CRS)
    for col in RECORD_COLUMNS:
        if col not in out:
            out[col] = None
    for col in ("date_start", "date_end"):
        if out[col].dtype != "datetime64[ns]":
            values = pd.to_datetime(out[col], errors="coerce")
            if getattr(values.dtype, "tz", None) is not None:  # GeoPackage dates may come back as UTC
                values = values.dt.tz_localize(None)
            out[col] = values.astype("datetime64[ns]")
    for col in INT_COLUMNS:
        if out[col].dtype != "Int64":
            out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
    for col in FLOAT_COLUMNS:
        if out[col].dtype != "float64":
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in TEXT_COLUMNS:
        values = out[col]
        if not pd.api.types.is_string_dtype(values) or values.dtype == object:
            values = values.astype(object).where(values.notna(), None).astype("str")
        if col in OPTIONAL_TEXT and values.isna().any():
            values = values.fillna("")
        out[col] = values
    if out.crs is not None and out.crs.to_epsg() != 4326:
        out = out.to_crs(CRS)
    extra = [c for c in out.columns if c not in RECORD_COLUMNS and c != "geometry"]
    return out[[*RECORD_COLUMNS, *extra, "geometry"]].reset_index(drop=True)


def read_geojson(path: Path) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path)
    if gdf.crs is None:
        gdf = gdf.set_crs(CRS)
    return gdf


def read_sources(directory: Path | None = None) -> pd.DataFrame:
    return pd.read_csv((directory or geodata_dir()) / "sources.csv", dtype=str, keep_default_na=False)


def read_context(directory: Path | None = None) -> pd.DataFrame:
    return pd.read_csv((directory or geodata_dir()) / "context.csv", dtype=str, keep_default_na=False)


@dataclass
class Situation:
    """Everything the map and the pages draw from, already read and typed."""

    records: dict[str, gpd.GeoDataFrame]
    places: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame
    border: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    admin1: gpd.GeoDataFrame
    towns: gpd.GeoDataFrame
    sources: pd.DataFrame
    context: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def border_line(self):
        return self.border.geometry.iloc[0]

    def place_names(self) -> dict[str, str]:
        """Place id -> name: the situation's places, GeoNames towns as ``geonames:<id>`` and the towns at the
        crossings as ``border:<crossing id>`` (ends of imported flows)."""
        names: dict[str, str] = {}
        if "geonameid" in self.towns:
            names.update({f"geonames:{g}": str(n) for g, n in zip(self.towns["geonameid"], self.towns["name"])})
        if "gt_town" in self.crossings:  # the towns at a crossing (frontera.gazetteer)
            names.update({f"border:{c}": str(t) for c, t in zip(self.crossings["id"], self.crossings["gt_town"]) if t})
            names.update({f"border:{c}:mx": str(t) for c, t in zip(self.crossings["id"], self.crossings["mx_town"]) if t})
        names.update(zip(self.places["id"], self.places["name"]))
        return names


def load_bundled_records(directory: Path | None = None) -> dict[str, gpd.GeoDataFrame]:
    directory = directory or geodata_dir()
    return {layer: normalize_records(read_geojson(directory / f"{layer}.geojson")) for layer in TIME_LAYERS}


def read_user_records(directory: Path | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Imported records, per layer; empty frames when the store does not exist yet."""
    path = store_path(directory)
    out = {layer: empty_records() for layer in TIME_LAYERS}
    if not path.exists():
        return out
    import pyogrio  # noqa: PLC0415

    present = {name for name, _ in pyogrio.list_layers(path)}
    for layer in TIME_LAYERS:
        if layer in present:
            out[layer] = normalize_records(_read_table(path, layer))
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
    """Read the bundled situation and, beside it, the user's imported records."""
    geodata = geodata or geodata_dir()
    records = load_bundled_records(geodata)
    if include_user:
        user = read_user_records(user_dir)
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
    """Write a file so that readers see the old or the new content, never half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    data = text.encode("utf-8") if isinstance(text, str) else text
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


# --- the user's store: writing, imports, removal -------------------------------------------------

IMPORT_LOG = "imports.log"


def imports_dir(directory: Path | None = None) -> Path:
    """``imports/<import_id>/<original file>``: every imported file, kept as it came."""
    return (directory or data_dir()) / "imports"


def write_user_records(records: dict[str, gpd.GeoDataFrame], directory: Path | None = None) -> Path:
    """Replace the store with ``records`` (one table per time-bound layer), atomically.

    The whole new GeoPackage is written to a temporary file in the same folder,
    flushed to disk, then moved over ``store.gpkg`` with ``os.replace``: a reader, a
    crash or a kill at any moment sees the old store or the new one, never a mix.
    """
    import pyogrio  # noqa: PLC0415

    from frontera.errors import StoreError  # noqa: PLC0415

    path = store_path(directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp-{os.getpid()}.gpkg")  # GDAL wants the .gpkg ending
    try:
        tmp.unlink(missing_ok=True)
        for layer in TIME_LAYERS:
            frame = records.get(layer)
            frame = normalize_records(frame if frame is not None and len(frame) else empty_records())
            frame = frame[[*RECORD_COLUMNS, "geometry"]]
            pyogrio.write_dataframe(frame, tmp, layer=layer, driver="GPKG", promote_to_multi=False,
                                    geometry_type="Unknown", append=False, use_arrow=_HAS_ARROW)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StoreError(f"could not write {path}: {exc}; your store was left as it was") from exc
        raise
    return path


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


def _safe_name(name: str) -> str:
    base = Path(str(name).replace("\\", "/")).name.strip() or "upload"
    return "".join(c if c.isalnum() or c in "._- " else "_" for c in base)[:120].lstrip(".") or "upload"


def read_import_log(directory: Path | None = None) -> list[dict]:
    """Every line of ``imports.log`` (JSON per line), oldest first; unreadable lines are skipped."""
    import json  # noqa: PLC0415

    path = (directory or data_dir()) / IMPORT_LOG
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            out.append(entry)
    return out


def _append_log(entry: dict, directory: Path | None = None) -> None:
    import json  # noqa: PLC0415

    path = (directory or data_dir()) / IMPORT_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def commit_import(plan, data: bytes, directory: Path | None = None) -> dict:
    """Write an :class:`~frontera.importers.ImportPlan`: keep the file, replace the store, log it.

    The store is re-read here (not taken from the preview) so that a second import
    made meanwhile is not lost. Returns the log entry.
    """
    import datetime as dt  # noqa: PLC0415

    from frontera.importers.report import merged_store  # noqa: PLC0415
    from frontera.importers.report import plan as replan

    existing = read_user_records(directory)
    fresh = replan(plan.import_id, plan.file, plan.parsed, existing)
    keep = imports_dir(directory) / plan.import_id / _safe_name(plan.file)
    write_text_atomic(keep, data)
    if fresh.changes_anything:
        write_user_records(merged_store(existing, fresh), directory)
    entry = {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "action": "import",
             "import_id": plan.import_id, "file": plan.file, "kind": plan.kind,
             "kept_as": str(keep.relative_to(directory or data_dir())), **fresh.counts()}
    _append_log(entry, directory)
    return entry


def list_imports(directory: Path | None = None) -> list[dict]:
    """One entry per import still in the log, with how many of its records the store holds now."""
    log = read_import_log(directory)
    removed = {e.get("import_id") for e in log if e.get("action") == "remove"}
    records = read_user_records(directory)
    counts: dict[str, int] = {}
    for frame in records.values():
        for tag, n in frame["dataset"].astype(str).value_counts().items():
            counts[tag] = counts.get(tag, 0) + int(n)
    out = []
    for e in log:
        if e.get("action") == "import" and e.get("import_id") not in removed:
            out.append({**e, "records_now": counts.get(f"import:{e['import_id']}", 0)})
    return out


def remove_import(import_id: str, directory: Path | None = None) -> int:
    """Remove the records an import added or last updated; keep its file; log it. Returns how many."""
    import datetime as dt  # noqa: PLC0415

    from frontera.errors import InputError  # noqa: PLC0415
    from frontera.importers.report import without_import  # noqa: PLC0415

    known = {e.get("import_id") for e in read_import_log(directory) if e.get("action") == "import"}
    existing = read_user_records(directory)
    remaining, n = without_import(existing, import_id)
    if import_id not in known and not n:
        raise InputError(f"no import {import_id!r}; `frontera imports` lists them")
    if n:
        write_user_records(remaining, directory)
    _append_log({"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "action": "remove",
                 "import_id": import_id, "removed": n}, directory)
    return n


def gpkg_to_bytes(tables: dict[str, gpd.GeoDataFrame]) -> bytes:
    """A GeoPackage holding ``tables`` (name -> frame, in order) as bytes, for a download.

    GDAL writes GeoPackages only to files: this is done in a private temporary folder.
    """
    import tempfile  # noqa: PLC0415

    import pyogrio  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "frontera.gpkg"
        for name, table in tables.items():
            pyogrio.write_dataframe(table, path, layer=name, driver="GPKG", promote_to_multi=False,
                                    geometry_type="Unknown")
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
