"""Bring an analyst's own data into Frontera: parse, check, preview, then write.

    store = open_store()
    plan = prepare_import("acled.csv", data, situation, store.read_records(with_timestamps=True))
    print(plan.text())                        # added / updated / unchanged / rejected, each problem on a line
    if not plan.refused:                      # all or nothing, unless valid_rows_only=True
        store.commit_import(plan.again, data) # planned again under the store's lock; one transaction

Pure except for nothing: parsers take bytes and GeoDataFrames and return values, and the plan
(:mod:`~frontera.importers.report`) says what changes; a store (:mod:`frontera.storage`) writes it. Which importer reads a file is decided by its
content: GeoPackage and GeoJSON by their bytes; tables (CSV, Excel) by their
columns (ACLED events, ACLED deletions, Frontera's own schema, displacement flows).
What a file may cost (decompressed bytes, rows, columns, cells, line length, time) is
bounded while it is read: see :mod:`frontera.importers.limits`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

import geopandas as gpd

from frontera.i18n import N_, _, format_number
from frontera.importers import acled, flows, limits, native
from frontera.importers.places import PlaceResolver
from frontera.importers.report import (
    UNREADABLE,
    ImportPlan,
    Parsed,
    plan,
    planner,
)
from frontera.importers.sniff import MAX_BYTES, FileProblem, read_path, read_table, sniff_kind
from frontera.model.layers import dataset_tag
from frontera.model.records import TIME_LAYERS, Problem, empty_records
from frontera.model.text import Worded

__all__ = [
    "MAX_BYTES",
    "FileProblem",
    "ImportPlan",
    "Parsed",
    "bundled_record_ids",
    "new_import_id",
    "parse_file",
    "planner",
    "prepare_import",
    "read_path",
]

Progress = Callable[[float, str], None]


def new_import_id(now: dt.datetime | None = None) -> str:
    """``20240801-120000-3f9a``: sortable, short (it prefixes flow ids), unique."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def parse_file(
    name: str,
    data: bytes,
    *,
    import_id: str,
    places: gpd.GeoDataFrame | None = None,
    towns: gpd.GeoDataFrame | None = None,
    admin1: gpd.GeoDataFrame | None = None,
    bundled_ids: set[str] | frozenset | None = None,
    crossings: gpd.GeoDataFrame | None = None,
) -> Parsed:
    """Read one file into records and problems. Never raises for bad content: a file that
    cannot be read at all, or exceeds a limit of :mod:`~frontera.importers.limits` (time included),
    gives a ``Parsed`` with no records and one problem saying why.

    ``bundled_ids``: ids of the bundled records (read from the bundled data when not given).
    """
    if bundled_ids is None:
        bundled_ids = bundled_record_ids()
    try:
        with limits.time_budget(name):
            return _parse(name, data, import_id, places, towns, admin1, frozenset(bundled_ids), crossings)
    except FileProblem as exc:
        return Parsed(UNREADABLE, 0, empty_records(), rejected=[exc.problem])


def bundled_record_ids(directory=None) -> frozenset[str]:  # a Path, as store takes it
    """Ids of the records Frontera ships (``geodata/``), read from the bundled files once."""
    from frontera.storage import geopackage as store  # noqa: PLC0415

    key = str(directory or store.geodata_dir())
    if key not in _BUNDLED_IDS:
        records = store.load_bundled_records(directory)
        _BUNDLED_IDS[key] = frozenset(i for f in records.values() for i in f["id"].astype(str))
    return _BUNDLED_IDS[key]


_BUNDLED_IDS: dict[str, frozenset[str]] = {}


def _parse(
    name: str,
    data: bytes,
    import_id: str,
    places,
    towns,
    admin1,
    bundled_ids: frozenset[str],
    crossings,
) -> Parsed:
    dataset = dataset_tag(import_id)
    kind = sniff_kind(name, data)
    if kind == "geojson":
        frame, rows, geoms, problems = native.read_geojson_features(name, data)
        return native.parse_native(name, frame, rows, geoms, dataset, import_id, set(bundled_ids), problems)
    if kind == "gpkg":
        frame, rows, geoms = native.read_gpkg(name, data)
        return native.parse_native(name, frame, rows, geoms, dataset, import_id, set(bundled_ids))
    table = read_table(name, data)
    cols = list(table.frame.columns)
    if acled.looks_like_deletions(cols):
        return acled.parse_deletions(table)
    if acled.looks_like_acled(cols):
        return acled.parse_acled(table, dataset, bundled_ids)
    if native.looks_native(cols):
        frame, rows, geoms = native.table_to_frame(table)
        return native.parse_native(name, frame, rows, geoms, dataset, import_id, set(bundled_ids), notes=table.notes)
    if flows.looks_like_flows(table):
        if towns is None:
            raise FileProblem(
                Problem(name, None, "(file)", Worded(N_("a flow table")), N_("the gazetteer (towns) to place flows"))
            )
        resolver = _resolver(places, towns, admin1, crossings)
        return flows.parse_flows(table, dataset, import_id, resolver)
    raise FileProblem(
        Problem(
            name,
            None,
            "(columns)",
            ", ".join(cols[:8]) + ("…" if len(cols) > 8 else ""),
            N_(
                "an ACLED export (event_id_cnty, event_date, event_type…), an ACLED deletion file "
                "(event_id_cnty, deleted_timestamp), a flow table (origin, destination, people, date, source) "
                "or Frontera records (layer, id, title, date_start…)"
            ),
        )
    )


_RESOLVER: list = []  # [(places, towns, admin1, crossings), resolver]: the last gazetteer built, reused while the frames are


def _resolver(places, towns, admin1, crossings) -> PlaceResolver:
    frames = (places, towns, admin1, crossings)
    if _RESOLVER and all(a is b for a, b in zip(_RESOLVER[0], frames)):
        return _RESOLVER[1]
    resolver = PlaceResolver(*frames)
    _RESOLVER[:] = [frames, resolver]
    return resolver


def prepare_import(
    name: str,
    data: bytes,
    situation,
    existing: dict[str, gpd.GeoDataFrame],
    import_id: str | None = None,
    progress: Progress | None = None,
    *,
    valid_rows_only: bool = False,
) -> ImportPlan:
    """Parse ``data`` and compare it with the user's store: the preview, nothing written.

    ``valid_rows_only``: import the valid rows even when others are rejected (else all or nothing).
    """
    import_id = import_id or new_import_id()
    if progress:
        progress(0.1, _("reading {file}").format(file=name))
    bundled = set()
    for layer in TIME_LAYERS:
        recs = situation.records[layer]
        bundled.update(recs.loc[recs["dataset"].astype(str) == "bundled", "id"].astype(str))
    parsed = parse_file(
        name,
        data,
        import_id=import_id,
        places=situation.places,
        towns=situation.towns,
        admin1=situation.admin1,
        bundled_ids=bundled,
        crossings=situation.crossings,
    )
    if progress:
        progress(0.6, _("checked {n} rows").format(n=format_number(parsed.rows_read)))
    return plan(import_id, name, parsed, existing, valid_rows_only=valid_rows_only)
