"""Files and planning for the contract suite (not a test module)."""

from __future__ import annotations

import io

import pandas as pd
from import_helpers import fixture_bytes, situation

from benchmarks.synth import native_clashes_geojson
from frontera.importers import planner, prepare_import
from frontera.storage.base import Store


def plan_of(store: Store, name: str, data: bytes, import_id: str, valid_rows_only: bool = False):
    """The preview, as the CLI and the Import page make it, against the store as it is."""
    existing = store.read_records(with_timestamps=True)
    return prepare_import(name, data, situation(), existing, import_id=import_id, valid_rows_only=valid_rows_only)


def commit(store: Store, name: str, data: bytes, import_id: str, valid_rows_only: bool = False, who=None) -> dict:
    plan = plan_of(store, name, data, import_id, valid_rows_only)
    return store.commit_import(planner(import_id, name, plan.parsed, valid_rows_only=valid_rows_only), data, who=who)


def acled(**changes: dict[str, object]) -> bytes:
    """tests/fixtures/acled_current.csv (5 events) with some cells changed: ``{event id: {column: value}}``."""
    frame = pd.read_csv(io.BytesIO(fixture_bytes("acled_current.csv")), dtype=str, keep_default_na=False)
    for event, cells in changes.items():
        for col, value in cells.items():
            frame.loc[frame["event_id_cnty"] == event, col] = str(value)
    return frame.to_csv(index=False).encode()


def clashes(tag: str, n: int) -> bytes:
    """``n`` clashes with ids ``<tag>-<k>``, in Frontera's own GeoJSON."""
    return native_clashes_geojson(tag, n)


def by_id(store: Store) -> dict[str, dict]:
    """Every stored record as a dict, by id (geometry as WKT)."""
    out = {}
    for frame in store.read_records().values():
        for rec in frame.to_dict("records"):
            rec["geometry"] = rec["geometry"].wkt
            out[str(rec["id"])] = {k: (None if _na(v) else v) for k, v in rec.items()}
    return out


def _na(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
