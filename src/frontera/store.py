"""The one module that reads and writes files: bundled geodata, the user's store, exports.

- Bundled data: ``geodata/`` in the repository (override with ``FRONTERA_GEODATA_DIR``).
- The user's store: ``$FRONTERA_DATA_DIR`` (default: ``$XDG_DATA_HOME/frontera``, that is
  ``~/.local/share/frontera``), holding ``store.gpkg`` with one table per time-bound layer.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from frontera.schema import INT_COLUMNS, FLOAT_COLUMNS, OPTIONAL_TEXT, RECORD_COLUMNS, TIME_LAYERS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
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
    return normalize_records(gpd.GeoDataFrame({c: [] for c in RECORD_COLUMNS}, geometry=gpd.GeoSeries([], crs=CRS)))


def normalize_records(gdf: gpd.GeoDataFrame | pd.DataFrame) -> gpd.GeoDataFrame:
    """Give a frame of time-bound records the in-memory types every other module expects.

    Dates become ``datetime64[ns]`` (NaT when empty), counts nullable ``Int64``,
    text ``object`` with ``""`` for empty; every column of ``RECORD_COLUMNS`` exists.
    """
    out = gdf.copy()
    if "geometry" not in out:
        out["geometry"] = None
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=getattr(gdf, "crs", None) or CRS)
    for col in RECORD_COLUMNS:
        if col not in out:
            out[col] = None
    for col in ("date_start", "date_end"):
        out[col] = pd.to_datetime(out[col], errors="coerce").astype("datetime64[ns]")
    for col in INT_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
    for col in FLOAT_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in RECORD_COLUMNS:
        if col in INT_COLUMNS or col in FLOAT_COLUMNS or col in ("date_start", "date_end"):
            continue
        values = out[col].astype(object)
        out[col] = values.where(values.notna(), "").astype(str) if col in OPTIONAL_TEXT else values.astype(object)
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

    def all_records(self) -> gpd.GeoDataFrame:
        frames = [f for f in self.records.values() if len(f)]
        if not frames:
            return empty_records()
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS)


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
            out[layer] = normalize_records(gpd.read_file(path, layer=layer))
    return out


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
