"""Resolve place names and coordinates in flow files to places on the map, never by guessing.

Names are looked up in :mod:`frontera.gazetteer` (the situation's places, the
Guatemalan towns at the crossings, then GeoNames towns, also by their other names). A name resolves when exactly one entry has that name (accents and
case ignored; ``"Cuilco, Huehuetenango"`` narrows by state or country); otherwise
the problem lists the candidates. Ids: a situation place keeps its id
(``amatenango``); a GeoNames town is ``geonames:<geonameid>``; the town at a crossing
``border:<crossing id>``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np

from frontera.gazetteer import COUNTRY_NAMES, Place, build_gazetteer, fold, search
from frontera.i18n import N_
from frontera.model.text import Worded

#: Coordinates resolve to the nearest place within this distance (km).
SNAP_KM = 5.0


@dataclass(frozen=True)
class Resolved:
    id: str
    name: str
    label: str
    lon: float
    lat: float


class PlaceResolver:
    """Name -> place, built once per import from the bundled places, towns and states."""

    def __init__(
        self,
        places: gpd.GeoDataFrame | None,
        towns: gpd.GeoDataFrame,
        admin1: gpd.GeoDataFrame | None = None,
        crossings: gpd.GeoDataFrame | None = None,
    ):
        # Flows run between towns: crossings themselves are not ends, but the town at one is ("La Mesilla").
        self.entries: list[Place] = [
            p for p in build_gazetteer(towns, places, admin1, crossings) if p.kind != "crossing"
        ]
        ids: dict[tuple, str] = {}
        if places is not None and len(places):
            for rec in places.to_crs("EPSG:4326").itertuples():
                ids[("place", fold(rec.name), round(rec.geometry.y, 5), round(rec.geometry.x, 5))] = str(rec.id)
        for rec in towns.to_crs("EPSG:4326").itertuples():
            ids[("town", fold(rec.name), round(rec.geometry.y, 5), round(rec.geometry.x, 5))] = (
                f"geonames:{rec.geonameid}"
            )
        self._ids = ids
        self._by_name: dict[str, list[Place]] = {}
        self._alt_by_name: dict[str, list[Place]] = {}
        for p in self.entries:
            for key in _name_keys(p.name):
                self._by_name.setdefault(key, []).append(p)
        # Other names ("Frontera Comalapa") count only where no place has that name as its own; never a
        # country's name (GeoNames lists "Guatemala" for the capital).
        countries = {fold(c) for c in (*COUNTRY_NAMES.values(), "Mexico")}
        for p in self.entries:
            for alt in p.alt_names:
                key = fold(alt)
                if key not in countries and key not in self._by_name:
                    self._alt_by_name.setdefault(key, []).append(replace(p, alias=alt))
        self._lat = np.array([p.lat for p in self.entries])
        self._lon = np.array([p.lon for p in self.entries])
        self._cache: dict[str, Resolved | str] = {}

    def _resolved(self, p: Place) -> Resolved:
        pid = p.id or self._ids.get((p.kind, fold(p.name), round(p.lat, 5), round(p.lon, 5)), "")
        return Resolved(pid or f"{fold(p.name)}@{p.lat:.4f},{p.lon:.4f}", p.name, p.label, p.lon, p.lat)

    def by_name(self, name: str) -> Resolved | str:
        """The place, or the text of what was expected (with the candidates)."""
        key = fold(name)
        if key not in self._cache:
            self._cache[key] = self._lookup(name)
        return self._cache[key]

    def _lookup(self, name: str) -> Resolved | str:
        key = fold(name)
        hits = self._by_name.get(key) or self._alt_hits(key)
        if not hits and "," in key:
            base, qual = (s.strip() for s in key.rsplit(",", 1))
            hits = [
                p
                for p in self._by_name.get(base, [])
                if qual in (fold(p.state), fold(p.country), fold(COUNTRY_NAMES.get(p.country, "")))
            ]
        if len(hits) == 1:
            return self._resolved(hits[0])
        if len(hits) > 1:
            return Worded(
                N_("one place, but several have that name: {names}; add the state, e.g. {example}"),
                names=" / ".join(p.label for p in hits[:6]),
                example=repr(f"{hits[0].name}, {hits[0].state or hits[0].country}"),
            )
        cands = search(self.entries, name, limit=6)
        if cands:
            return Worded(
                N_("a place on the map; did you mean {names}? Write the full name"),
                names=" / ".join(p.label for p in cands),
            )
        return N_("a place on the map (a town in the gazetteer, e.g. 'Cuilco'); no place has that name")

    def _alt_hits(self, key: str) -> list[Place]:
        """Places with ``key`` as another name, unless it is the short form of other places' names too
        ("Amatenango": del Valle's other name, and the start of Amatenango de la Frontera): then ask."""
        hits = self._alt_by_name.get(key, [])
        if hits and any(fold(p.name).startswith(key + " ") for p in self.entries):
            return []
        return hits

    def by_point(self, lon: float, lat: float) -> Resolved | str:
        """The nearest place within :data:`SNAP_KM`, or what was expected."""
        dy = (self._lat - lat) * 111.2
        dx = (self._lon - lon) * 111.2 * np.cos(np.radians(lat))
        d = np.hypot(dx, dy)
        i = int(np.argmin(d))
        if d[i] <= SNAP_KM:
            return self._resolved(self.entries[i])
        return Worded(
            N_("coordinates within {km} km of a place on the map (nearest: {place}, {distance} km away)"),
            km=f"{SNAP_KM:g}",
            place=self.entries[i].label,
            distance=f"{d[i]:.1f}",
        )


def _name_keys(name: str) -> list[str]:
    """``"Ángel Albino Corzo (Jaltenango de la Paz)"`` is found by the whole name and by both parts."""
    key = fold(name)
    keys = [key]
    if "(" in key and key.endswith(")"):
        outer, inner = key[:-1].split("(", 1)
        keys += [outer.strip(), inner.strip()]
    return keys
