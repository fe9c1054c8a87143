"""Find a place by name, offline: GeoNames towns plus the situation's places, with their state.

Pure: it takes the bundled GeoDataFrames and returns values. A town's state or
department is the admin-1 polygon it falls in; outside the bundled states it is
named by its country only.

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
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

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
    kind: str = "town"  # "town" (GeoNames) or "place" (a place of the situation)
    iso_3166_2: str = ""

    @property
    def label(self) -> str:
        """``"Amatenango de la Frontera — Chiapas, México"``."""
        where = ", ".join(p for p in (self.state, COUNTRY_NAMES.get(self.country, self.country)) if p)
        return f"{self.name} — {where}"


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
    areas = admin1[["name", "iso_3166_2", "country", "geometry"]].rename(columns={"name": "_state",
                                                                              "country": "_cc"})
    within = gpd.sjoin(points[["country", "geometry"]], areas, how="left", predicate="within")
    within = within[~within.index.duplicated(keep="first")].reindex(points.index)
    state, code = within["_state"].astype(object), within["iso_3166_2"].astype(object)
    missing = points.index[state.isna()]
    if len(missing):
        metric = "EPSG:6372"  # Mexico's LCC: metres across the region
        near = gpd.sjoin_nearest(points.loc[missing, ["country", "geometry"]].to_crs(metric),
                                 areas.to_crs(metric), how="left", max_distance=NEAREST_STATE_M)
        near = near[near["country"] == near["_cc"]]
        near = near[~near.index.duplicated(keep="first")]
        state.loc[near.index], code.loc[near.index] = near["_state"], near["iso_3166_2"]
    return state.fillna("").tolist(), code.fillna("").tolist()


def build_gazetteer(
    towns: gpd.GeoDataFrame, places: gpd.GeoDataFrame | None, admin1: gpd.GeoDataFrame | None
) -> list[Place]:
    """Every searchable place: the situation's places first, then towns (largest first).

    A town near a situation place with the same name (within ~5 km) is the same
    place and is listed once, under the situation's name.
    """
    out: list[Place] = []
    taken: list[tuple[str, float, float]] = []
    if places is not None and len(places):
        for rec in places.to_crs("EPSG:4326").itertuples():
            admin = getattr(rec, "admin1", "") or ""
            out.append(Place(str(rec.name), str(admin), str(rec.country), float(rec.geometry.y),
                             float(rec.geometry.x), None, "place"))
            taken.append((fold(rec.name), rec.geometry.y, rec.geometry.x))
    towns = towns.to_crs("EPSG:4326").sort_values("population", ascending=False, kind="stable")
    states, codes = _state_of(towns, admin1)
    for rec, state, code in zip(towns.itertuples(), states, codes):
        y, x, key = float(rec.geometry.y), float(rec.geometry.x), fold(rec.name)
        if any(abs(y - ty) < SAME_PLACE_DEG and abs(x - tx) < SAME_PLACE_DEG and (key in tn or tn in key)
               for tn, ty, tx in taken):
            continue
        pop = None if pd.isna(rec.population) else int(rec.population)
        out.append(Place(str(rec.name), state, str(rec.country), y, x, pop, "town", code))
    return out


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
        name = fold(place.name)
        if not all(w in name for w in words):
            continue
        if name.startswith(text):
            rank = 0
        elif re.search(r"\b" + re.escape(words[0]), name):
            rank = 1
        else:
            rank = 2
        hits.append((rank, place.kind != "place", -(place.population or 0), i, place))
    hits.sort(key=lambda h: h[:4])
    return [h[-1] for h in hits[:limit]]
