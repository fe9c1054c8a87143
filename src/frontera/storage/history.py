"""History of the user's records, on frames (pure: no I/O), for any backend.

Every record an import adds, updates or deletes gets one history entry: the import, the action and
the version it replaced (``before``; none for an "add"). Removing an import undoes exactly its
entries (see :mod:`frontera.storage.base`): a record it added vanishes, a record it updated or
deleted gets its previous version back, and where a later import changed the same record since,
that later entry's ``before`` becomes this one's (the later change stays, on the right base).

The history frame holds the ``before`` versions in the record schema (plus
:data:`~frontera.model.records.SOURCE_TIMESTAMP`) and :data:`HISTORY_COLUMNS`.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from frontera.model.records import CRS, RECORD_COLUMNS, SOURCE_TIMESTAMP, TIME_LAYERS, empty_records, normalize_records
from frontera.storage.base import ImportPlan

#: The history's own columns: order, import, record id, action, whether ``before`` exists, whether
#: the entry's import is still in effect, who and when.
HISTORY_COLUMNS: tuple[str, ...] = (
    "h_seq",
    "h_import",
    "h_record",
    "h_action",
    "h_before",
    "h_in_effect",
    "h_who",
    "h_when",
)
STORED_COLUMNS: tuple[str, ...] = (*RECORD_COLUMNS, SOURCE_TIMESTAMP)


def with_timestamps(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` in the record schema with a nullable Int64 :data:`SOURCE_TIMESTAMP` column."""
    out = normalize_records(frame)
    stamp = out[SOURCE_TIMESTAMP] if SOURCE_TIMESTAMP in out else pd.Series(pd.NA, index=out.index)
    out[SOURCE_TIMESTAMP] = pd.to_numeric(stamp, errors="coerce").astype("Int64")
    return out[[*STORED_COLUMNS, "geometry"]]


def records_only(records: dict[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    """The records as the map and exports read them (without the stored source timestamp)."""
    return {layer: f.drop(columns=[SOURCE_TIMESTAMP], errors="ignore") for layer, f in records.items()}


def empty_history() -> gpd.GeoDataFrame:
    out = with_timestamps(empty_records())
    for col in HISTORY_COLUMNS:
        out[col] = pd.Series(dtype="int64" if col in ("h_seq", "h_before", "h_in_effect") else object)
    return normalize_history(out)


def normalize_history(frame: gpd.GeoDataFrame | pd.DataFrame) -> gpd.GeoDataFrame:
    """The history frame with its types (as read back from a store)."""
    out = with_timestamps(frame).join(pd.DataFrame(frame)[[*HISTORY_COLUMNS]].reset_index(drop=True))
    for col in ("h_seq", "h_before", "h_in_effect"):
        out[col] = pd.to_numeric(out[col]).astype("int64")
    for col in ("h_import", "h_record", "h_action", "h_when"):
        out[col] = out[col].astype(object).fillna("").astype(str)
    who = out["h_who"].astype(object)
    out["h_who"] = who.where(who.notna() & (who != ""), None)  # stored as "" (a column of nulls has no type)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=CRS)


def _all(records: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    frames = [with_timestamps(f) for f in records.values() if f is not None and len(f)]
    if not frames:
        return with_timestamps(empty_records())
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS)


def _by_layer(frame: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    out = {}
    for layer in TIME_LAYERS:
        part = frame[frame["layer"].astype(str) == layer]
        out[layer] = with_timestamps(part) if len(part) else with_timestamps(empty_records())
    return out


def _ids(frame: pd.DataFrame) -> pd.Series:
    return frame["id"].astype(object).astype(str)  # object: Arrow strings' isin walks a Python list


def apply_plan(
    existing: dict[str, gpd.GeoDataFrame], plan: ImportPlan, *, next_seq: int, who: str | None, when: str
) -> tuple[dict[str, gpd.GeoDataFrame], gpd.GeoDataFrame]:
    """The records after ``plan`` (an :class:`~frontera.importers.ImportPlan`) and its new history entries."""
    current = _all(existing)
    ids = _ids(current)
    write = with_timestamps(plan.to_write)
    entries = []
    for action, which in (("update", plan.updated_ids), ("delete", plan.removed_ids)):
        before = current[ids.isin(list(which))].copy()
        before["h_action"], before["h_before"] = action, 1
        entries.append(before)
    added = write[_ids(write).isin(list(plan.added_ids))]
    stub = with_timestamps(empty_records().reindex(range(len(added))))
    stub["id"], stub["layer"] = _ids(added).to_numpy(), added["layer"].astype(str).to_numpy()
    stub["h_action"], stub["h_before"] = "add", 0
    entries.append(stub)
    hist = pd.concat([e for e in entries if len(e)] or [stub], ignore_index=True)
    hist["h_record"] = _ids(hist)
    hist["h_seq"] = np.arange(next_seq, next_seq + len(hist), dtype="int64")
    hist["h_import"], hist["h_in_effect"], hist["h_who"], hist["h_when"] = plan.import_id, 1, who, when
    drop = set(plan.added_ids) | set(plan.updated_ids) | set(plan.removed_ids)
    kept = current[~ids.isin(list(drop))]
    merged = pd.concat([f for f in (kept, write) if len(f)] or [kept], ignore_index=True)
    return _by_layer(gpd.GeoDataFrame(merged, geometry="geometry", crs=CRS)), normalize_history(hist)


def undo_import(
    records: dict[str, gpd.GeoDataFrame], history: gpd.GeoDataFrame, import_id: str
) -> tuple[dict[str, gpd.GeoDataFrame], gpd.GeoDataFrame, dict[str, int]]:
    """The records and history after removing ``import_id``, and counts ``removed``, ``restored``, ``spliced``."""
    hist = history.copy()
    live = hist["h_in_effect"] == 1
    mine = hist[live & (hist["h_import"] == import_id)]
    later = hist[live & (hist["h_import"] != import_id) & hist["h_record"].isin(list(mine["h_record"]))]
    later = later[later["h_seq"] > (mine["h_seq"].min() if len(mine) else 0)].sort_values("h_seq")
    next_of = later.drop_duplicates("h_record").set_index("h_record")["h_seq"]
    spliced = mine[mine["h_record"].isin(list(next_of.index))]
    if len(spliced):  # the later entry now replaced what this import had replaced
        target = hist.index[hist["h_seq"].isin(list(next_of.loc[spliced["h_record"]]))]
        order = hist.loc[target, "h_record"].map(dict(zip(spliced["h_record"], spliced.index)))
        for col in (*STORED_COLUMNS, "geometry", "h_before"):
            hist.loc[target, col] = hist.loc[order.to_numpy(), col].to_numpy()
    undo = mine[~mine["h_record"].isin(list(next_of.index))]
    current = _all(records)
    current = current[~_ids(current).isin(list(undo["h_record"]))]
    back = undo[undo["h_before"] == 1]
    restored = with_timestamps(back)
    merged = pd.concat([f for f in (current, restored) if len(f)] or [current], ignore_index=True)
    hist.loc[mine.index, "h_in_effect"] = 0
    counts = {"removed": int((undo["h_before"] == 0).sum()), "restored": len(back), "spliced": len(spliced)}
    return _by_layer(gpd.GeoDataFrame(merged, geometry="geometry", crs=CRS)), normalize_history(hist), counts


def entries_for(history: gpd.GeoDataFrame, record_id: str) -> list[dict[str, Any]]:
    """The history of one record as :data:`~frontera.storage.base.HistoryEntry` dicts, oldest first."""
    rows = history[history["h_record"] == str(record_id)].sort_values("h_seq")
    out = []
    for _, r in rows.iterrows():
        before = None
        if r["h_before"] == 1:
            before = {c: (None if _missing(r[c]) else r[c]) for c in RECORD_COLUMNS}
            before["geometry"] = None if r["geometry"] is None else r["geometry"].wkt
        out.append(
            {
                "seq": int(r["h_seq"]),
                "import_id": r["h_import"],
                "record_id": r["h_record"],
                "action": r["h_action"],
                "when": r["h_when"],
                "who": r["h_who"],
                "in_effect": bool(r["h_in_effect"]),
                "before": before,
            }
        )
    return out


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
