"""Displacement-flow tables (CSV or Excel, with or without an HXL hashtag row) -> ``flows`` records.

Columns are found by header name (case ignored) or by HXL hashtag:

===============  =========================================  ======================================
field            header names                               HXL
===============  =========================================  ======================================
id               id, flow_id                                #id
origin           origin, from, origin_name                  #adm2+name+origin, #adm1+name+origin, #loc+name+origin
destination      destination, dest, to, destination_name    #adm2+name+dest, #adm1+name+dest, #loc+name+dest,
                                                            else #adm2+name / #adm1+name (where people are, DTM)
origin_lat/lon   origin_lat, origin_lon                     #geo+lat+origin, #geo+lon+origin
dest. lat/lon    destination_lat/_lon, dest_lat/_lon        #geo+lat+dest, #geo+lon+dest
people           people, displaced, individuals             #affected+displaced, #affected+idps, #affected+ind
date_start       date_start, date, start_date               #date+start, #date+reported, #date
date_end         date_end, end_date                         #date+end
source           source, source_ids, sources                #meta+source
status, title, summary (also by HXL #status, #description+title, #description), date_precision, people_wording: by name
===============  =========================================  ======================================

A flow needs its origin and destination as places on the map (see
:mod:`frontera.importers.places`); several origins may be given as ``"A; B"``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from frontera.i18n import N_
from frontera.importers import limits
from frontera.importers.checks import Checker, check_count, check_dates
from frontera.importers.places import PlaceResolver, Resolved
from frontera.importers.report import Parsed
from frontera.importers.sniff import Table, fail
from frontera.model.records import CRS, split_ids
from frontera.model.rules import MAX_TITLE_CHARS
from frontera.model.text import Worded
from frontera.model.validate import check_records

#: field -> (header names, HXL patterns (hashtag, attributes it must have, attributes it must not have))
FIELDS: dict[str, tuple[tuple[str, ...], tuple[tuple[str, frozenset, frozenset], ...]]] = {}


def _f(name: str, headers: tuple[str, ...], *hxl: tuple[str, set, set]) -> None:
    FIELDS[name] = (headers, tuple((t, frozenset(a), frozenset(n)) for t, a, n in hxl))


_f("id", ("id", "flow_id", "row_id"), ("id", set(), set()))
_f(
    "origin",
    ("origin", "from", "origin_name", "origin_place"),
    ("adm2", {"name", "origin"}, set()),
    ("loc", {"name", "origin"}, set()),
    ("adm1", {"name", "origin"}, set()),
)
_f(
    "destination",
    ("destination", "dest", "to", "destination_name", "destination_place"),
    ("adm2", {"name", "dest"}, set()),
    ("loc", {"name", "dest"}, set()),
    ("adm1", {"name", "dest"}, set()),
    ("adm2", {"name"}, {"origin", "dest"}),
    ("loc", {"name"}, {"origin", "dest"}),
    ("adm1", {"name"}, {"origin", "dest"}),
)
_f("origin_lat", ("origin_lat", "origin_latitude", "from_lat"), ("geo", {"lat", "origin"}, set()))
_f("origin_lon", ("origin_lon", "origin_lng", "origin_longitude", "from_lon"), ("geo", {"lon", "origin"}, set()))
_f(
    "destination_lat",
    ("destination_lat", "dest_lat", "destination_latitude", "to_lat"),
    ("geo", {"lat", "dest"}, set()),
)
_f(
    "destination_lon",
    ("destination_lon", "dest_lon", "destination_longitude", "destination_lng", "to_lon"),
    ("geo", {"lon", "dest"}, set()),
)
_f(
    "people",
    ("people", "displaced", "individuals", "persons", "count"),
    ("affected", {"displaced"}, {"m", "f", "hh"}),
    ("affected", {"idps"}, {"m", "f", "hh"}),
    ("affected", {"ind"}, {"m", "f", "hh"}),
    ("inneed", set(), {"m", "f"}),
)
_f(
    "date_start",
    ("date_start", "date", "start_date", "start", "date_from"),
    ("date", {"start"}, set()),
    ("date", {"reported"}, {"year", "month"}),
    ("date", set(), {"end", "year", "month"}),
)
_f("date_end", ("date_end", "end_date", "end", "date_to"), ("date", {"end"}, set()))
_f("source", ("source", "source_ids", "sources", "source_id"), ("meta", {"source"}, set()))
_f("status", ("status",), ("status", set(), set()))
_f("title", ("title",), ("description", {"title"}, set()))
_f("summary", ("summary", "description", "notes"), ("description", set(), {"title"}))
for _name in ("date_precision", "people_wording", "place_note", "date_note"):
    _f(_name, (_name,))


def _hxl_parts(tag: str) -> tuple[str, frozenset]:
    parts = tag.lstrip("#").split("+")
    return parts[0], frozenset(parts[1:])


def find_columns(table: Table) -> dict[str, str]:
    """field -> column of the table, by header name first, then by HXL hashtag."""
    lower = {c.strip().lower(): c for c in table.frame.columns}
    tags = {c: _hxl_parts(t) for c, t in table.hxl.items()}
    out: dict[str, str] = {}
    for field, (headers, patterns) in FIELDS.items():
        col = next((lower[h] for h in headers if h in lower), None)
        if col is None:
            for hashtag, need, avoid in patterns:
                col = next(
                    (
                        c
                        for c, (t, attrs) in tags.items()
                        if t == hashtag and need <= attrs and not (avoid & attrs) and c not in out.values()
                    ),
                    None,
                )
                if col:
                    break
        if col is not None:
            out[field] = col
    return out


def looks_like_flows(table: Table) -> bool:
    cols = find_columns(table)
    has_origin = "origin" in cols or {"origin_lat", "origin_lon"} <= set(cols)
    has_dest = "destination" in cols or {"destination_lat", "destination_lon"} <= set(cols)
    return (has_origin and has_dest) or ("people" in cols and (has_origin or has_dest))


def parse_flows(table: Table, dataset: str, import_id: str, resolver: PlaceResolver) -> Parsed:
    cols = find_columns(table)
    file = table.file
    _require_columns(file, cols)
    frame = pd.DataFrame({f: table.frame[c].astype(str).str.strip() for f, c in cols.items()}, index=table.frame.index)
    label = dict(cols.items())  # problems name the user's column
    rows = table.row_numbers()
    chk = Checker(file, rows)
    notes = list(table.notes)

    start, end = check_dates(chk, frame.rename(columns=label), label["date_start"], label.get("date_end"))
    people = (
        check_count(chk, frame.rename(columns=label), label["people"])
        if "people" in cols
        else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    )
    ends = _resolve_ends(chk, frame, label, resolver)
    status = frame["status"].str.lower() if "status" in frame else pd.Series("displaced", index=frame.index)
    status = status.where(status != "", "displaced")
    source = _sources(frame, file, notes)
    row_id = frame["id"] if "id" in frame else rows.astype(str)
    row_id = row_id.where(row_id != "", rows.astype(str))
    get = lambda f: frame.get(f, "")  # noqa: E731
    rec = pd.DataFrame(
        {
            "layer": "flows",
            "id": row_id,
            "title": _title(frame, ends, people),
            "date_start": start,
            "date_end": end,
            "date_precision": _date_precision(frame, start, end),
            "geo_precision": "town",
            "source_ids": source,
            "people": people,
            "fatalities": pd.NA,
            "injured": pd.NA,
            "status": status,
            "origin_ids": _joined(ends, frame.index, "origin", "id"),
            "destination_id": _joined(ends, frame.index, "destination", "id"),
            "kind": "",
            "domain": "",
            "actors": "",
            "summary": get("summary"),
            "date_note": get("date_note"),
            "place_note": _place_note(frame, ends),
            "uncertainty_km": np.nan,
            "people_wording": get("people_wording"),
            "disagrees_with": "",
            "extent_note": "",
            "dataset": dataset,
        },
        index=frame.index,
    )
    labels = {**label, "source_ids": label.get("source", "source")}
    chk.take(check_records(rec, file=file, rows=rows, skip=chk.bad, labels=labels))
    rec["id"] = import_id + ":" + rec["id"]  # checked as the file has it, so that problems quote the file's id
    ok = ~chk.bad
    geoms = [_line(o, d) for o, d, good in zip(ends["origin"], ends["destination"], ok) if good]
    gdf = gpd.GeoDataFrame(rec[ok], geometry=geoms, crs=CRS)
    return Parsed.checked(N_("displacement flows"), len(table.frame), gdf, chk, notes)


def _sources(frame: pd.DataFrame, file: str, notes: list[str]) -> pd.Series:
    """The file's source ids, else the file itself (and a note saying so)."""
    if "source" in frame:
        return frame["source"]
    notes.append(Worded(N_("no source column: each flow cites the file itself ('file:{file}')"), file=file))
    return pd.Series(f"file:{file}", index=frame.index)


def _require_columns(file: str, cols: dict[str, str]) -> None:
    """Refuse a table without both ends of a flow or without its start date."""
    for end in ("origin", "destination"):
        if end not in cols and not {f"{end}_lat", f"{end}_lon"} <= set(cols):
            raise fail(
                file,
                None,
                end,
                None,
                Worded(
                    N_(
                        "a column {name} with place names (or {lat} and {lon}); "
                        "with HXL: #adm2+name+origin / #adm2+name+dest"
                    ),
                    name=repr(end),
                    lat=f"{end}_lat",
                    lon=f"{end}_lon",
                ),
            )
    if "date_start" not in cols:
        raise fail(file, None, "date_start", None, N_("a column 'date_start' (or 'date'; HXL #date+start)"))


#: side -> per row, the places at that end (None where unresolved; such rows are refused).
_Ends = dict[str, list]


def _resolve_ends(chk: Checker, frame: pd.DataFrame, label: dict[str, str], resolver: PlaceResolver) -> _Ends:
    """Per row, the places at each end; a flow whose ends are the same places is refused."""
    ends: _Ends = {}
    for side in ("origin", "destination"):
        got = _resolve_side(chk, frame, label, side, resolver)
        ends[side] = got
    same = pd.Series(
        [
            bool(o) and bool(d) and {p.id for p in o} == {p.id for p in d}
            for o, d in zip(ends["origin"], ends["destination"])
        ],
        index=frame.index,
    )
    chk.reject(
        same,
        label.get("destination", "destination"),
        frame.get("destination", pd.Series("", index=frame.index)),
        N_("a destination different from the origin"),
    )
    return ends


def _joined(ends: _Ends, index: pd.Index, side: str, attr: str) -> pd.Series:
    """One attribute of the places at one end, ``"; "``-joined per row."""
    return pd.Series(["; ".join(getattr(p, attr) for p in v) if v else "" for v in ends[side]], index=index)


def _title(frame: pd.DataFrame, ends: _Ends, people: pd.Series) -> pd.Series:
    """The file's title, else "N people from A to B"."""
    o_names = _joined(ends, frame.index, "origin", "name")
    d_names = _joined(ends, frame.index, "destination", "name")
    people_txt = people.astype("string").fillna("")
    auto_title = np.where(people_txt != "", people_txt + " people from ", "People from ") + o_names + " to " + d_names
    title = (
        frame["title"].where(frame["title"] != "", auto_title)
        if "title" in frame
        else pd.Series(auto_title, index=frame.index)
    )
    return pd.Series(title, index=frame.index).str.slice(0, MAX_TITLE_CHARS)


def _date_precision(frame: pd.DataFrame, start: pd.Series, end: pd.Series) -> pd.Series:
    """The file's date precision, else ``range`` when the flow has an end date, else ``day``."""
    has_end = end.notna() & (end != start)
    precision = frame["date_precision"] if "date_precision" in frame else pd.Series("", index=frame.index)
    return precision.where(precision != "", np.where(has_end, "range", "day"))


def _place_note(frame: pd.DataFrame, ends: _Ends) -> pd.Series:
    """The file's place note, else "from <origin> to <destination>"."""
    place_note = (
        "from "
        + _joined(ends, frame.index, "origin", "label")
        + " to "
        + _joined(ends, frame.index, "destination", "label")
    )
    if "place_note" in frame:
        place_note = frame["place_note"].where(frame["place_note"] != "", place_note)
    return place_note


def _resolve_side(
    chk: Checker, frame: pd.DataFrame, label: dict[str, str], side: str, resolver: PlaceResolver
) -> list[list[Resolved] | None]:
    """Per row, the places at one end of the flow (None when unresolved; the problem is recorded)."""
    out: list[list[Resolved] | None] = []
    bad_idx: list = []
    bad_val: list[str] = []
    bad_exp: list[str] = []
    names = frame.get(side, None)
    lat = pd.to_numeric(frame[f"{side}_lat"], errors="coerce") if f"{side}_lat" in frame else None
    lon = pd.to_numeric(frame[f"{side}_lon"], errors="coerce") if f"{side}_lon" in frame else None
    column = label.get(side) or f"{label.get(f'{side}_lat')}/{label.get(f'{side}_lon')}"
    for n, i in enumerate(frame.index):
        if n % 1000 == 999:
            limits.check_time(Worded(N_("placing the flows' {side} places"), side=side))
        name = names.iloc[n] if names is not None else ""
        if name:
            places: list[Resolved] = []
            for part in split_ids(name):
                got = resolver.by_name(part)
                if isinstance(got, str):
                    bad_idx.append(i)
                    bad_val.append(part)
                    bad_exp.append(got)
                    out.append(None)
                    break
                places.append(got)
            else:
                out.append(places)
        elif lat is not None and lon is not None and pd.notna(lat.iloc[n]) and pd.notna(lon.iloc[n]):
            got = resolver.by_point(float(lon.iloc[n]), float(lat.iloc[n]))
            if isinstance(got, str):
                bad_idx.append(i)
                bad_val.append(f"{lat.iloc[n]}, {lon.iloc[n]}")
                bad_exp.append(got)
                out.append(None)
            else:
                out.append([got])
        else:
            bad_idx.append(i)
            bad_val.append(name)
            bad_exp.append(Worded(N_("the {side} of the flow (a place name) (it is required)"), side=side))
            out.append(None)
    if bad_idx:
        mask = pd.Series(frame.index.isin(bad_idx), index=frame.index)
        chk.reject(mask, column, pd.Series(bad_val, index=bad_idx), pd.Series(bad_exp, index=bad_idx, dtype=object))
    return out


def _line(origins: list[Resolved], dests: list[Resolved]) -> shapely.Geometry:
    lines = [shapely.LineString([(o.lon, o.lat), (d.lon, d.lat)]) for o in origins for d in dests]
    return lines[0] if len(lines) == 1 else shapely.MultiLineString(lines)
