"""Files in Frontera's own schema: GeoJSON, GeoPackage, and CSV as ``export-data`` writes it.

Rows of the static layers (places, crossings, border) are skipped with a note: they
are bundled, not imported. Ids are kept, except an id that is also a bundled
record's id, which gets the import id in front so it never replaces bundled data.
CSV cells that ``export.to_csv`` neutralised against formula injection (``'=...``)
get their text back.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from frontera.csv_formulas import unneutralise_column
from frontera.i18n import N_
from frontera.importers import limits
from frontera.importers.checks import Checker, check_count, check_dates
from frontera.importers.limits import FileProblem
from frontera.importers.report import Parsed
from frontera.importers.sniff import Table, check_size, fail, load_json
from frontera.model.records import (
    CRS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    RECORD_COLUMNS,
    STATIC_LAYERS,
)
from frontera.model.rules import REQUIRED_FIELDS
from frontera.model.text import Worded
from frontera.model.validate import check_records


def looks_native(columns: list[str]) -> bool:
    cols = {c.strip().lower() for c in columns}
    return {"layer", "id", "title", "date_start"} <= cols


def table_to_frame(table: Table) -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
    """A native CSV/Excel table -> text columns, row numbers, geometries (WKT or lon/lat)."""
    frame = table.frame.rename(columns=lambda c: c.strip().lower())
    frame = frame.loc[:, ~frame.columns.duplicated()]
    if not table.spreadsheet:  # a workbook's "'=x" is the text typed; only our CSV export adds a '
        frame = frame.apply(unneutralise_column)
    rows = table.row_numbers()
    geoms = np.full(len(frame), None, dtype=object)
    if "geometry_wkt" in frame:
        wkt = frame["geometry_wkt"].str.strip()
        parsed = shapely.from_wkt(np.array([v or None for v in wkt.tolist()], dtype=object), on_invalid="ignore")
        geoms = np.asarray(parsed, dtype=object)
        frame["_geometry_text"] = wkt
    elif {"lon", "lat"} <= set(frame.columns):
        lon, lat = pd.to_numeric(frame["lon"], errors="coerce"), pd.to_numeric(frame["lat"], errors="coerce")
        ok = lon.notna() & lat.notna()
        geoms[ok.to_numpy()] = shapely.points(lon[ok].to_numpy(), lat[ok].to_numpy())
        frame["_geometry_text"] = frame["lat"] + ", " + frame["lon"]
    return frame, rows, geoms


def read_geojson_features(file: str, data: bytes) -> tuple[pd.DataFrame, pd.Series, np.ndarray, list]:
    """Features -> properties (as text), feature numbers, geometries; bad features become problems."""
    doc = load_json(file, data)
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        got = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise fail(file, None, "type", got, N_("a GeoJSON FeatureCollection"))
    if not doc["features"]:
        raise fail(file, None, "features", "[]", N_("at least one feature"))
    limits.check_count(file, "features", len(doc["features"]), limits.MAX_ROWS, N_("features"))
    props: list[dict] = []
    geoms: list = []
    problems: list = []
    from frontera.model.records import Problem  # noqa: PLC0415

    for n, feat in enumerate(doc["features"], start=1):
        if n % 1000 == 0:
            limits.check_time(N_("reading features"))
        p = feat.get("properties") if isinstance(feat, dict) else None
        props.append({str(k): v for k, v in p.items()} if isinstance(p, dict) else {})
        g = feat.get("geometry") if isinstance(feat, dict) else None
        if not isinstance(feat, dict):
            problems.append(Problem(file, n, "feature", str(feat)[:40], N_("a GeoJSON Feature object")))
            geoms.append(None)
            continue
        if g is None:
            geoms.append(None)
            continue
        try:
            geoms.append(shapely.geometry.shape(g))
        except Exception:  # noqa: BLE001 - shapely raises several kinds for malformed coordinates
            problems.append(
                Problem(
                    file,
                    n,
                    "geometry",
                    str(g)[:60],
                    N_(
                        "a GeoJSON geometry: an object with a 'type' (Point, LineString, Polygon…) and "
                        "'coordinates' as numbers [longitude, latitude]"
                    ),
                )
            )
            geoms.append(None)
    keys = {k for p in props for k in p}
    limits.check_count(file, "properties", len(keys), limits.MAX_COLUMNS, N_("property names"), limits.FEWER_COLUMNS)
    limits.check_count(
        file, "properties", len(keys) * len(props), limits.MAX_CELLS, N_("cells (features x properties)")
    )
    frame = pd.DataFrame(props)
    frame = frame.map(_cell_text) if len(frame.columns) else pd.DataFrame(index=range(len(props)))
    return frame, pd.Series(range(1, len(props) + 1)), np.asarray([*geoms, None], dtype=object)[:-1], problems


def _cell_text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_gpkg(file: str, data: bytes) -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
    check_size(file, len(data))
    frames = [_to_wgs84(file, name, f) for name, f in _read_gpkg_tables(file, data) if len(f)]
    if not frames:
        raise fail(file, None, "(file)", "no features", N_("a GeoPackage with at least one table of records"))
    geoms = np.concatenate([np.asarray(f.geometry.values, dtype=object) for f in frames])
    props = pd.concat([pd.DataFrame(f.drop(columns=f.geometry.name)) for f in frames], ignore_index=True)
    for col in props.columns:
        if pd.api.types.is_datetime64_any_dtype(props[col]):
            props[col] = props[col].dt.strftime("%Y-%m-%d")
    return props.map(_cell_text), pd.Series(range(1, len(props) + 1)), geoms


def _read_gpkg_tables(file: str, data: bytes) -> list[tuple[str, gpd.GeoDataFrame]]:
    """Every table, read within the limits: columns counted first, and never more features than the
    row and cell limits leave (a table that has more is refused; its declared count is not trusted).

    GDAL reads GeoPackages only from files: a private temporary folder, gone on return.
    """
    import tempfile  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    import pyogrio  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.gpkg"
        path.write_bytes(data)
        try:
            names = [name for name, _ in pyogrio.list_layers(path)]
            limits.check_count(file, "(tables)", len(names), limits.MAX_GPKG_TABLES, N_("tables"))
            out, rows, cells = [], 0, 0
            for name in names:
                width = len(pyogrio.read_info(path, layer=name).get("fields", [])) + 1
                limits.check_count(
                    file, f"(table {name})", width - 1, limits.MAX_COLUMNS, N_("columns"), limits.FEWER_COLUMNS
                )
                cap = max(min(limits.MAX_ROWS - rows, (limits.MAX_CELLS - cells) // width), 0)
                frame = pyogrio.read_dataframe(path, layer=name, max_features=cap + 1)
                if len(frame) > cap:
                    raise limits.refuse(
                        file,
                        f"(table {name})",
                        limits.more_than(cap, N_("features")),
                        Worded(
                            N_("{features} and {cells} in all tables"),
                            features=limits.amount(limits.MAX_ROWS, N_("features")),
                            cells=limits.amount(limits.MAX_CELLS, N_("cells")),
                        ),
                        limits.SPLIT,
                    )
                rows, cells = rows + len(frame), cells + len(frame) * width
                out.append((name, frame))
                limits.check_time(Worded(N_("reading table {name}"), name=name))
            return out
        except FileProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - GDAL errors vary with the damage
            raise fail(
                file,
                None,
                "(file)",
                Worded(N_("a damaged GeoPackage ({error})"), error=str(exc)[:100]),
                N_("a GeoPackage that QGIS can open; open it in QGIS and save it again"),
            ) from None


def _to_wgs84(file: str, table: str, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The table in longitude/latitude (EPSG:4326); a CRS that cannot be placed on the earth is refused."""
    crs = frame.crs
    if crs is None or crs.equals(CRS) or crs.to_epsg() == 4326:
        return frame
    fix = N_(
        "a table in a coordinate system with an EPSG code (EPSG:4326, WGS 84, is best); reproject it in QGIS "
        "(Export > Save Features As…, CRS EPSG:4326)"
    )
    if crs.is_engineering:
        raise fail(
            file,
            None,
            f"(crs of table {table})",
            Worded(N_("{crs} (an engineering/local CRS, not on the earth)"), crs=crs.name),
            fix,
        )
    try:
        return frame.to_crs(CRS)
    except Exception as exc:  # noqa: BLE001 - pyproj raises ProjError and others for CRSs it cannot transform
        raise fail(file, None, f"(crs of table {table})", f"{crs.name} ({type(exc).__name__})", fix) from None


def _skipped(frame: pd.DataFrame, bundled_ids: set[str], notes: list) -> pd.Series:
    """Rows of bundled layers and Frontera's own bundled records: skipped, each kind with a note."""
    static = frame["layer"].isin(STATIC_LAYERS)
    if static.any():
        skipped = ", ".join(sorted(set(frame["layer"][static])))
        notes.append(Worded(N_("{n} rows of bundled layers ({layers}) skipped"), n=int(static.sum()), layers=skipped))
    ours = (frame["dataset"] == "bundled") & frame["id"].isin(bundled_ids) & ~static
    if ours.any():
        notes.append(
            Worded(
                N_(
                    "{n} rows are Frontera's bundled records (already on the map) and were skipped; "
                    "change their 'dataset' cell to import them as your own"
                ),
                n=int(ours.sum()),
            )
        )
    return static | ours


def parse_native(
    file: str,
    frame: pd.DataFrame,
    rows: pd.Series,
    geoms: np.ndarray,
    dataset: str,
    import_id: str,
    bundled_ids: set[str],
    problems: list | None = None,
    notes: list | None = None,
) -> Parsed:
    """Check records in Frontera's schema and keep the good ones."""
    frame = frame.rename(columns=lambda c: str(c).strip().lower()).reset_index(drop=True)
    rows = rows.reset_index(drop=True)
    notes = list(notes or [])
    missing = [c for c in REQUIRED_FIELDS if c not in frame]
    if missing:
        expected = Worded(
            N_("a column {name} (Frontera's schema; see README, 'Export contract')"), name=repr(missing[0])
        )
        raise fail(file, None, missing[0], None, expected)
    for col in RECORD_COLUMNS:
        if col not in frame:
            frame[col] = ""
    frame = frame.apply(lambda s: s.astype(str).str.strip() if s.name != "_geometry_text" else s)
    skip = _skipped(frame, bundled_ids, notes)
    frame, rows, geoms = (
        frame[~skip].reset_index(drop=True),
        rows[~skip].reset_index(drop=True),
        geoms[~skip.to_numpy()],
    )
    chk = Checker(file, rows)
    if problems:
        chk.problems.extend(problems)
        chk.bad |= rows.isin({p.row for p in problems})
    rec = frame[list(RECORD_COLUMNS)].copy()
    rec["date_start"], rec["date_end"] = check_dates(chk, frame, "date_start", "date_end")
    for c in INT_COLUMNS:
        rec[c] = check_count(chk, frame, c)
    chk.take(check_records(rec, file=file, rows=rows, geometry=geoms, skip=chk.bad))
    rec["uncertainty_km"] = pd.to_numeric(rec["uncertainty_km"].where(rec["uncertainty_km"] != ""), errors="coerce")
    collide = rec["id"].isin(bundled_ids)
    if collide[~chk.bad].any():
        notes.append(
            Worded(
                N_("{n} ids are also bundled ids; imported as '{prefix}:<id>'"),
                n=int(collide[~chk.bad].sum()),
                prefix=import_id,
            )
        )
    rec["id"] = rec["id"].where(~collide, import_id + ":" + rec["id"])
    rec["dataset"] = dataset
    ok = ~chk.bad
    gdf = gpd.GeoDataFrame(rec[ok], geometry=list(geoms[ok.to_numpy()]), crs=CRS)
    for c in FLOAT_COLUMNS:
        gdf[c] = gdf[c].astype(float)
    return Parsed.checked(N_("Frontera records"), len(frame) + int(skip.sum()), gdf, chk, notes)
