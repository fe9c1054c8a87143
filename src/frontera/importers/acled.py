"""ACLED CSV exports (pre-2023 and current layouts) and ACLED deletion files -> Frontera records.

ACLED's meaning is kept, vectorised over whole columns:

==========================  ==========================================  ==========================
ACLED                       Frontera                                    note
==========================  ==========================================  ==========================
event_id_cnty               id (as is, e.g. ``MEX12345``)               same id again = update
event_date + time_precision date_start/date_end, date_precision         1 day, 2 week (±3 days),
                                                                        3 month (whole month)
latitude/longitude +        point, geo_precision, uncertainty_km        1 town (0 km), 2 near-town
geo_precision                                                           (10 km), 3 region (25 km)
event_type/sub_event_type   layer, kind                                 see :data:`LAYER_RULES`
actor1, actor2              actors ``"actor1; actor2"``                 never drawn as attacker→target
fatalities                  fatalities
notes, source               summary (with "Sources named by ACLED")
location, admin2, admin1,   place_note
country
==========================  ==========================================  ==========================

Current-layout exports without ``actor2`` list an event once per actor; rows that
share an ``event_id_cnty`` and differ only in actor columns are merged into one
record whose ``actors`` names them all. A deletion file (``event_id_cnty`` and
``deleted_timestamp``) removes those events from the user's store.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from frontera.i18n import N_
from frontera.importers.checks import Checker, check_count, check_dates, check_lat_lon
from frontera.importers.report import Parsed
from frontera.importers.sniff import Table, fail
from frontera.model.records import CRS, DEFAULT_UNCERTAINTY_KM, RECORD_COLUMNS, SOURCE_TIMESTAMP, normalize_records
from frontera.model.rules import MAX_TITLE_CHARS
from frontera.model.text import Worded
from frontera.model.validate import check_records

REQUIRED = ("event_id_cnty", "event_date", "event_type", "latitude", "longitude")

#: (event_type, sub_event_type or None for any) -> (layer, kind, status). First match wins.
LAYER_RULES: tuple[tuple[str, str | None, str, str, str], ...] = (
    ("battles", None, "clashes", "armed clash", ""),
    ("violence against civilians", None, "clashes", "violence against civilians", ""),
    ("explosions/remote violence", None, "clashes", "explosion or remote violence", ""),
    ("strategic developments", "agreement", "operations", "strategic development", "agreed"),
    ("strategic developments", "change to group/activity", "operations", "strategic development", "under way"),
    ("strategic developments", "headquarters or base established", "operations", "strategic development", "under way"),
    ("strategic developments", None, "incidents", "strategic development", ""),
    ("riots", None, "incidents", "protest or riot", ""),
    ("protests", None, "incidents", "protest or riot", ""),
)
EVENT_TYPES = (
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Strategic developments",
    "Riots",
    "Protests",
)
TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
GEO_PRECISION = {"1": "town", "2": "near-town", "3": "region"}
GEO_UNCERTAINTY_KM = {"town": DEFAULT_UNCERTAINTY_KM["town"], "near-town": 10.0, "region": 25.0}
_ACTOR_COLS = ("actor1", "assoc_actor_1", "inter1", "interaction")


def looks_like_acled(columns: list[str]) -> bool:
    cols = {c.lower() for c in columns}
    return {"event_id_cnty", "event_date", "event_type"} <= cols


def looks_like_deletions(columns: list[str]) -> bool:
    cols = {c.lower() for c in columns}
    return {"event_id_cnty", "deleted_timestamp"} <= cols and "event_type" not in cols


def _precision_code(s: pd.Series) -> pd.Series:
    """``'1'``, ``'1.0'``, `` 1 `` -> ``'1'``; anything else stays as written."""
    num = pd.to_numeric(s.str.strip(), errors="coerce")
    num = num.where(np.isfinite(num) & (num.abs() < 1e6))
    whole = num.notna() & (num == np.floor(num.fillna(0)))
    return num.where(whole).astype("Int64").astype(str).where(whole, s.str.strip())


def parse_deletions(table: Table) -> Parsed:
    frame = table.frame.rename(columns=str.lower)
    chk = Checker(table.file, table.row_numbers())
    ids = frame["event_id_cnty"].str.strip()
    chk.reject(ids == "", "event_id_cnty", ids, N_("an ACLED event id such as MEX12345"))
    keep = ids[~chk.bad]
    return Parsed(
        N_("ACLED deletions"),
        len(frame),
        normalize_records(gpd.GeoDataFrame(geometry=[], crs=CRS)),
        rejected=chk.sorted_problems(),
        notes=list(table.notes),
        delete_ids=keep.tolist(),
    )


def _require_columns(file: str, frame: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED if c not in frame]
    if missing:
        expected = Worded(
            N_("a column {name} (an ACLED export has {columns})"), name=repr(missing[0]), columns=", ".join(REQUIRED)
        )
        raise fail(file, None, missing[0], None, expected)


def parse_acled(table: Table, dataset: str, bundled_ids: frozenset[str] | set[str] = frozenset()) -> Parsed:
    """Map an ACLED export onto Frontera records (rejected rows listed, never guessed).

    An event id that is also a bundled record's id (``C1``) is refused: kept, it would stand
    beside the bundled record under the same id in exports and on the map.
    """
    frame = table.frame.rename(columns=str.lower)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    _require_columns(table.file, frame)
    frame = frame.apply(lambda s: s.str.strip())
    rows = table.row_numbers()
    notes = list(table.notes)
    frame, rows, merged = _merge_monadic(frame, rows)
    if merged:
        notes.append(
            Worded(N_("{n} rows were the same event listed once per actor; merged into one record each"), n=merged)
        )
    chk = Checker(table.file, rows)
    get = _getter(frame)

    ids = _check_ids(chk, frame, bundled_ids)
    tp, gp = _check_precisions(chk, get)
    day, start, end, date_precision = _dates(chk, frame, tp)
    lat, lon = check_lat_lon(chk, frame, "latitude", "longitude")
    fatalities = (
        check_count(chk, frame, "fatalities")
        if "fatalities" in frame
        else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    )
    layer, kind, status = _layers(chk, frame, get)
    geo_precision = gp.map(GEO_PRECISION).fillna("town")
    text = _text_fields(frame, get, gp, day, date_precision)

    rec = _record_frame(
        frame.index,
        {
            "layer": layer,
            "id": ids,
            "date_start": start,
            "date_end": end,
            "date_precision": date_precision,
            "geo_precision": geo_precision,
            "fatalities": fatalities,
            "status": status,
            "kind": kind,
            **text,
            "uncertainty_km": geo_precision.map(GEO_UNCERTAINTY_KM).astype(float),
            "dataset": dataset,
        },
    )
    chk.take(
        check_records(rec, file=table.file, rows=rows, skip=chk.bad, labels={"id": "event_id_cnty"}, what="event id")
    )
    ok = ~chk.bad
    gdf = gpd.GeoDataFrame(rec[ok], geometry=gpd.points_from_xy(lon[ok], lat[ok]), crs=CRS)
    return Parsed.checked(N_("ACLED events"), len(table.frame), _stamped(gdf, get("timestamp")), chk, notes)


def _getter(frame: pd.DataFrame) -> Callable[[str], pd.Series]:
    """A column of ``frame`` by name, or empty text where the export has no such column."""

    def get(col: str) -> pd.Series:
        return frame[col] if col in frame else pd.Series("", index=frame.index)

    return get


def _check_ids(chk: Checker, frame: pd.DataFrame, bundled_ids: frozenset[str] | set[str]) -> pd.Series:
    """ACLED's event ids; empty ones and bundled records' ids are refused."""
    ids = frame["event_id_cnty"]
    chk.reject(ids == "", "event_id_cnty", ids, N_("an ACLED event id such as MEX12345"))
    chk.reject(
        ids.isin(list(bundled_ids)),
        "event_id_cnty",
        ids,
        N_(
            "an ACLED event id such as MEX12345, not the id of one of Frontera's bundled records; "
            "check that this column holds ACLED's event_id_cnty, or give the row an id of its own"
        ),
    )
    return ids


def _check_precisions(chk: Checker, get: Callable[[str], pd.Series]) -> tuple[pd.Series, pd.Series]:
    """ACLED's time and geo precision codes (``'1'`` where the cell is empty)."""
    tp = _precision_code(get("time_precision")).where(get("time_precision") != "", "1")
    chk.reject(
        ~tp.isin(list(TIME_PRECISION)), "time_precision", get("time_precision"), N_("1, 2 or 3 (ACLED time precision)")
    )
    gp = _precision_code(get("geo_precision")).where(get("geo_precision") != "", "1")
    chk.reject(
        ~gp.isin(list(GEO_PRECISION)), "geo_precision", get("geo_precision"), N_("1, 2 or 3 (ACLED geo precision)")
    )
    return tp, gp


def _dates(chk: Checker, frame: pd.DataFrame, tp: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """The event's day, its first and last possible day by time precision, and the precision's name."""
    day, _ = check_dates(chk, frame, "event_date", None)
    date_precision = tp.map(TIME_PRECISION).fillna("day")
    start, end = day.copy(), day.copy()
    week = date_precision == "week"
    month = date_precision == "month"
    start[week], end[week] = day[week] - pd.Timedelta(days=3), day[week] + pd.Timedelta(days=3)
    start[month] = day[month] - pd.to_timedelta(day[month].dt.day - 1, unit="D")
    end[month] = day[month] + pd.offsets.MonthEnd(0)
    return day, start, end, date_precision


def _layers(
    chk: Checker, frame: pd.DataFrame, get: Callable[[str], pd.Series]
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Layer, kind and status by :data:`LAYER_RULES`; an unknown event type is refused."""
    et, st = frame["event_type"].str.lower(), get("sub_event_type").str.lower()
    layer = pd.Series("", index=frame.index, dtype=object)
    kind = layer.copy()
    status = layer.copy()
    todo = pd.Series(True, index=frame.index)
    for etype, sub, lay, knd, sts in LAYER_RULES:
        m = todo & (et == etype) & ((st == sub) if sub else True)
        layer[m], kind[m], status[m] = lay, knd, sts
        todo &= ~m
    chk.reject(
        todo,
        "event_type",
        frame["event_type"],
        Worded(N_("one of ACLED's event types: {types}"), types=", ".join(EVENT_TYPES)),
    )
    return layer, kind, status


def _text_fields(
    frame: pd.DataFrame, get: Callable[[str], pd.Series], gp: pd.Series, day: pd.Series, date_precision: pd.Series
) -> dict[str, object]:
    """Title, actors, summary, place note and date note, from ACLED's text columns."""
    sub_title = get("sub_event_type").where(get("sub_event_type") != "", frame["event_type"])
    where = _join(get("location"), get("admin1"), sep=", ")
    title = (sub_title + np.where(where != "", " in " + where, "")).str.slice(0, MAX_TITLE_CHARS)
    actors = _join(get("actor1"), get("actor2"))
    summary = get("notes") + np.where(get("source") != "", " Sources named by ACLED: " + get("source") + ".", "")
    loc, a3, a2 = get("location"), get("admin3"), get("admin2")
    a3 = a3.where(a3 != loc, "")
    a2 = a2.where((a2 != loc) & (a2 != a3), "")
    place_note = _join(loc, a3, a2, get("admin1"), get("country"), sep=", ")
    place_note = place_note + " (ACLED geo_precision " + gp + ")"
    week = date_precision == "week"
    month = date_precision == "month"
    date_note = np.where(
        week,
        "ACLED time_precision 2: some day in the week around " + day.dt.strftime("%Y-%m-%d"),
        np.where(month, "ACLED time_precision 3: some day in " + day.dt.strftime("%B %Y"), ""),
    )
    return {
        "title": title.str.strip(),
        "actors": actors,
        "summary": summary.str.strip(),
        "date_note": date_note,
        "place_note": place_note,
    }


def _record_frame(index: pd.Index, fields: dict[str, object]) -> pd.DataFrame:
    """The records in Frontera's column order; fields ACLED has no counterpart for are empty."""
    empty: dict[str, object] = {
        "source_ids": "acled",
        "people": pd.NA,
        "injured": pd.NA,
        "origin_ids": "",
        "destination_id": "",
        "domain": "",
        "people_wording": "",
        "disagrees_with": "",
        "extent_note": "",
    }
    columns = {**empty, **fields}
    return pd.DataFrame({name: columns[name] for name in RECORD_COLUMNS}, index=index)


def _stamped(records: gpd.GeoDataFrame, timestamp: pd.Series) -> gpd.GeoDataFrame:
    """``records`` with ACLED's ``timestamp`` (the version of the row) as :data:`SOURCE_TIMESTAMP`."""
    stamp = pd.to_numeric(timestamp.reindex(records.index), errors="coerce").round()
    return records.assign(**{SOURCE_TIMESTAMP: stamp.astype("Int64")})


def _join(*cols: pd.Series, sep: str = "; ") -> pd.Series:
    """Join non-empty cells of several columns, row by row."""
    out = None
    for col in cols:
        c = col.fillna("").astype(str).str.strip()
        if out is None:
            out = c
        else:
            both = (out != "") & (c != "")
            out = out + np.where(both, sep, "") + c
    return out


def _merge_monadic(frame: pd.DataFrame, rows: pd.Series) -> tuple[pd.DataFrame, pd.Series, int]:
    """Merge rows that list one event once per actor (layouts without ``actor2``)."""
    if "actor2" in frame or "actor1" not in frame or not frame["event_id_cnty"].duplicated().any():
        return frame, rows, 0
    others = [c for c in frame.columns if c not in _ACTOR_COLS]
    dup_ids = frame["event_id_cnty"].duplicated(keep=False) & (frame["event_id_cnty"] != "")
    group = frame[dup_ids]
    same = group.groupby("event_id_cnty")[others].nunique().le(1).all(axis=1)
    mergeable = group["event_id_cnty"].map(same).fillna(False).astype(bool)
    ids = group.index[mergeable.to_numpy()]
    if not len(ids):
        return frame, rows, 0
    sub = frame.loc[ids]
    actors = sub.groupby("event_id_cnty", sort=False)["actor1"].agg(
        lambda s: "; ".join(dict.fromkeys(x for x in s if x))
    )
    first = ~sub["event_id_cnty"].duplicated(keep="first")
    keep_idx = frame.index.difference(ids).union(sub.index[first.to_numpy()])
    out = frame.loc[keep_idx].copy()
    firsts = sub.index[first.to_numpy()]
    out.loc[firsts, "actor1"] = sub.loc[firsts, "event_id_cnty"].map(actors)
    return out, rows.loc[keep_idx], len(ids) - len(firsts)
