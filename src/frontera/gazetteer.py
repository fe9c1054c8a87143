"""Find a place by name, offline: the situation's places, GeoNames towns, border crossings and records.

Pure: it takes the bundled GeoDataFrames and returns values. A town's state or
department is the admin-1 polygon it falls in; outside the bundled states it is
named by its country only. Towns and crossings are found by their other names too
(``alt_names``: "Frontera Comalapa", "Ciudad de Guatemala"), and the Guatemalan
town at each crossing ("La Mesilla", "Gracias a Dios") is an entry of its own.

>>> import geopandas as gpd
>>> from shapely.geometry import Point, box
>>> towns = gpd.GeoDataFrame({"name": ["Amatenango del Valle", "Cuilco"], "country": ["MX", "GT"],
...     "population": [4661, 3000]}, geometry=[Point(-92.43, 16.53), Point(-91.97, 15.40)], crs="EPSG:4326")
>>> admin1 = gpd.GeoDataFrame({"name": ["Chiapas"], "iso_3166_2": ["MX-CHP"], "country": ["MX"]},
...     geometry=[box(-94.2, 14.5, -90.3, 18.0)], crs="EPSG:4326")
>>> [p.label for p in search(build_gazetteer(towns, None, admin1), "amatenango")]
['Amatenango del Valle — Chiapas, México']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import pandas as pd

from frontera.analysis import representative_points

COUNTRY_NAMES = {"MX": "México", "GT": "Guatemala", "BZ": "Belize"}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    name: str
    state: str  # state or department; "" when outside the bundled admin-1 areas
    country: str  # ISO 3166-1 alpha-2
    lat: float
    lon: float
    population: int | None = None
    #: "place" (of the situation), "town" (GeoNames), "border town" (a town at a crossing that
    #: towns.geojson lacks), "crossing" or "record"
    kind: str = "town"
    iso_3166_2: str = ""
    alt_names: tuple[str, ...] = ()
    id: str = ""  # border towns: "border:<crossing id>[:mx]"; crossings: the crossing's id; records: theirs
    note: str = ""  # what a crossing or record is, where a border town is
    alias: str = ""  # the other name a search matched, shown beside the name

    @property
    def label(self) -> str:
        """``"Amatenango de la Frontera — Chiapas, México"``; ``"Frontera Comalapa (Comalapa) — Chiapas, México"``."""
        shown = f"{self.alias} ({self.name})" if self.alias else self.name
        if self.kind in ("crossing", "record"):
            return f"{shown} — {self.note}"
        where = ", ".join(p for p in (self.state, COUNTRY_NAMES.get(self.country, self.country)) if p)
        return f"{shown} — {where}" + (f" ({self.note})" if self.note else "")

    @property
    def names(self) -> tuple[str, ...]:
        """The name, then the other names."""
        return (self.name, *self.alt_names)


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form of a name, for matching.

    >>> fold("  Tonalá  (Chiapas) ")
    'tonala (chiapas)'
    """
    text = "".join(c for c in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.lower()).strip()


#: A town outside every admin-1 polygon but this close to one of its own country's takes its name
#: (the bundled outlines are simplified, so towns on a river or the border can fall just outside).
NEAREST_STATE_M = 3000.0
#: Same name and this close (degrees, ~5 km): a GeoNames town and a situation place are one place.
SAME_PLACE_DEG = 0.05


def _state_of(points: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame | None) -> tuple[list[str], list[str]]:
    """Name and ISO 3166-2 code of the state or department each point lies in ("" when none)."""
    if admin1 is None or not len(admin1) or not len(points):
        return [""] * len(points), [""] * len(points)
    areas = admin1[["name", "iso_3166_2", "country", "geometry"]].rename(columns={"name": "_state", "country": "_cc"})
    within = gpd.sjoin(points[["country", "geometry"]], areas, how="left", predicate="within")
    within = within[~within.index.duplicated(keep="first")].reindex(points.index)
    state, code = within["_state"].astype(object), within["iso_3166_2"].astype(object)
    missing = points.index[state.isna()]
    if len(missing):
        metric = "EPSG:6372"  # Mexico's LCC: metres across the region
        near = gpd.sjoin_nearest(
            points.loc[missing, ["country", "geometry"]].to_crs(metric),
            areas.to_crs(metric),
            how="left",
            max_distance=NEAREST_STATE_M,
        )
        near = near[near["country"] == near["_cc"]]
        near = near[~near.index.duplicated(keep="first")]
        state.loc[near.index], code.loc[near.index] = near["_state"], near["iso_3166_2"]
    return state.fillna("").tolist(), code.fillna("").tolist()


def split_names(text: object) -> tuple[str, ...]:
    """``"Tecún Umán; Suchiate II"`` -> ``("Tecún Umán", "Suchiate II")`` (empty or missing: ``()``)."""
    if not isinstance(text, str):
        return ()
    return tuple(n.strip() for n in text.split(";") if n.strip())


def _border_towns(crossings: gpd.GeoDataFrame | None, admin1: gpd.GeoDataFrame | None) -> list[Place]:
    """The towns at each official crossing: the Guatemalan one marked at the crossing (no gazetteer has
    them), the Mexican one at its GeoNames point (several have fewer than the 1,000 people of towns.geojson)."""
    if crossings is None or "gt_town" not in crossings:
        return []
    out = []
    for rec in crossings.to_crs("EPSG:4326").itertuples():
        if rec.kind != "official":
            continue
        if isinstance(rec.gt_town, str) and rec.gt_town:
            out.append(
                Place(
                    rec.gt_town,
                    str(rec.gt_department),
                    "GT",
                    float(rec.geometry.y),
                    float(rec.geometry.x),
                    None,
                    "border town",
                    id=f"border:{rec.id}",
                    note=f"at the {rec.name} crossing",
                )
            )
        lat, lon = getattr(rec, "mx_town_lat", None), getattr(rec, "mx_town_lon", None)
        if (
            isinstance(rec.mx_town, str)
            and rec.mx_town
            and lat is not None
            and lon is not None
            and pd.notna(lat)
            and pd.notna(lon)
        ):
            out.append(
                Place(
                    rec.mx_town,
                    "",
                    "MX",
                    float(lat),
                    float(lon),
                    None,
                    "border town",
                    id=f"border:{rec.id}:mx",
                    note=f"by the {rec.name} crossing",
                )
            )
    mx = [i for i, p in enumerate(out) if p.country == "MX"]
    if mx:
        pts = gpd.GeoDataFrame(
            {"country": ["MX"] * len(mx)},
            geometry=gpd.points_from_xy([out[i].lon for i in mx], [out[i].lat for i in mx]),
            crs="EPSG:4326",
        )
        states, codes = _state_of(pts, admin1)
        for i, state, code in zip(mx, states, codes):
            out[i] = replace(out[i], state=state, iso_3166_2=code)
    return out


def _crossings(crossings: gpd.GeoDataFrame | None) -> list[Place]:
    if crossings is None or not len(crossings):
        return []
    out = []
    for rec in crossings.to_crs("EPSG:4326").to_dict("records"):
        kind = "official border crossing" if rec["kind"] == "official" else "informal border crossing"
        out.append(
            Place(
                str(rec["name"]),
                str(rec.get("gt_department") or ""),
                "",
                float(rec["geometry"].y),
                float(rec["geometry"].x),
                None,
                "crossing",
                alt_names=split_names(rec.get("alt_names")),
                id=str(rec["id"]),
                note=kind,
            )
        )
    return out


def _near_taken(taken: list[tuple[str, float, float]], key: str, y: float, x: float) -> bool:
    return any(
        abs(y - ty) < SAME_PLACE_DEG and abs(x - tx) < SAME_PLACE_DEG and (key in tn or tn in key)
        for tn, ty, tx in taken
    )


def build_gazetteer(
    towns: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame | None,
    admin1: gpd.GeoDataFrame | None,
    crossings: gpd.GeoDataFrame | None = None,
) -> list[Place]:
    """Every searchable place: the situation's places first, then the towns at the crossings,
    then GeoNames towns (largest first), then the crossings.

    A town near a situation place with the same name (within ~5 km) is the same
    place and is listed once, under the situation's name.
    """
    out: list[Place] = []
    taken: list[tuple[str, float, float]] = []
    if places is not None and len(places):
        for rec in places.to_crs("EPSG:4326").itertuples():
            admin = getattr(rec, "admin1", "") or ""
            out.append(
                Place(
                    str(rec.name),
                    str(admin),
                    str(rec.country),
                    float(rec.geometry.y),
                    float(rec.geometry.x),
                    None,
                    "place",
                )
            )
            taken.append((fold(rec.name), rec.geometry.y, rec.geometry.x))
    towns = towns.to_crs("EPSG:4326").sort_values("population", ascending=False, kind="stable")
    states, codes = _state_of(towns, admin1)
    town_places = []
    for rec, state, code in zip(towns.itertuples(), states, codes):
        y, x, key = float(rec.geometry.y), float(rec.geometry.x), fold(rec.name)
        if _near_taken(taken, key, y, x):
            continue
        pop = None if pd.isna(rec.population) else int(rec.population)
        town_places.append(
            Place(
                str(rec.name),
                state,
                str(rec.country),
                y,
                x,
                pop,
                "town",
                code,
                alt_names=split_names(getattr(rec, "alt_names", None)),
            )
        )
    # A crossing's town that GeoNames has (Ciudad Tecún Umán) is listed once, as the GeoNames town.
    taken += [(fold(p.name), p.lat, p.lon) for p in town_places]
    out += [p for p in _border_towns(crossings, admin1) if not _near_taken(taken, fold(p.name), p.lat, p.lon)]
    return out + town_places + _crossings(crossings)


def find_records(records: Mapping[str, gpd.GeoDataFrame], query: str, limit: int = 10) -> list[Place]:
    """Records whose id starts with ``query`` (one word, case ignored), exact ids first, at their point.

    Records with no place (a meeting) cannot be shown on the map and are left out.
    """
    words = query.split()
    if len(words) != 1:
        return []
    q = words[0].casefold()
    hits: list[tuple[bool, str, str, Any]] = []
    for layer, gdf in records.items():
        if not len(gdf):
            continue
        ids = gdf["id"].astype(str)
        mask = ids.str.casefold().str.startswith(q).to_numpy()
        for pos in mask.nonzero()[0][:limit]:
            rid = ids.iloc[pos]
            hits.append((rid.casefold() != q, rid, layer, gdf.iloc[pos]))
    hits.sort(key=lambda h: h[:2])
    out = []
    for _, rid, layer, rec in hits:
        geom = rec.geometry
        if geom is None or not hasattr(geom, "is_empty") or geom.is_empty:
            continue
        pt = representative_points(gpd.GeoSeries([geom], crs="EPSG:4326")).iloc[0]
        title = str(rec.get("title") or "")
        title = title if len(title) <= 70 else title[:69] + "…"
        out.append(
            Place(f"{rid}: {title}", "", "", float(pt.y), float(pt.x), None, "record", id=rid, note=f"{layer} record")
        )
        if len(out) == limit:
            break
    return out


def find(gazetteer: list[Place], records: Mapping[str, gpd.GeoDataFrame], query: str, limit: int = 10) -> list[Place]:
    """What "Find a place" lists: a record whose id is ``query`` first; then, when the query holds a
    digit (an id such as "F2"), the records whose id starts with it before the places; else after them."""
    recs = find_records(records, query, limit)
    q = query.strip().casefold()
    exact = [r for r in recs if r.id.casefold() == q]
    rest = [r for r in recs if r.id.casefold() != q]
    places = search(gazetteer, query, limit)
    ordered = exact + (rest + places if any(c.isdigit() for c in q) else places + rest)
    return ordered[:limit]


def search(gazetteer: list[Place], query: str, limit: int = 10) -> list[Place]:
    """Places whose name contains every word of ``query`` (accents and case ignored).

    Ranked: names that start with the query, then names with a word starting with
    it, then the rest; within each, situation places first, then by population.
    """
    words = fold(query).split()
    if not words:
        return []
    text = " ".join(words)
    hits = []
    for i, place in enumerate(gazetteer):
        best = None
        for n, candidate in enumerate(place.names):
            name = fold(candidate)
            if not all(w in name for w in words):
                continue
            if name.startswith(text):
                rank = 0
            elif re.search(r"\b" + re.escape(words[0]), name):
                rank = 1
            else:
                rank = 2
            if best is None or rank < best[0]:
                # An other name already inside the name ("La Mesilla" in "Ciudad Cuauhtémoc – La Mesilla")
                # ranks the entry but is not shown twice.
                shown = "" if n == 0 or fold(candidate) in fold(place.name) else candidate
                best = (rank, shown)
        if best is None:
            continue
        found = replace(place, alias=best[1]) if best[1] else place
        hits.append((best[0], place.kind != "place", -(place.population or 0), i, found))
    hits.sort(key=lambda h: h[:4])
    return [h[-1] for h in hits[:limit]]
