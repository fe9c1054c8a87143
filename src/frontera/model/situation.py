"""The situation: every layer Frontera draws from, read and typed (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd


@dataclass(frozen=True)
class Situation:
    """Everything the map and the pages draw from, already read and typed: a frozen aggregate of the
    loaded layers (a changed situation is a new one, ``dataclasses.replace(situation, records=...)``)."""

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

    def place_names(self) -> dict[str, str]:
        """Place id -> name: the situation's places, GeoNames towns as ``geonames:<id>`` and the towns at the
        crossings as ``border:<crossing id>`` (ends of imported flows)."""
        names: dict[str, str] = {}
        if "geonameid" in self.towns:
            names.update({f"geonames:{g}": str(n) for g, n in zip(self.towns["geonameid"], self.towns["name"])})
        if "gt_town" in self.crossings:  # the towns at a crossing (frontera.gazetteer)
            names.update({f"border:{c}": str(t) for c, t in zip(self.crossings["id"], self.crossings["gt_town"]) if t})
            names.update(
                {f"border:{c}:mx": str(t) for c, t in zip(self.crossings["id"], self.crossings["mx_town"]) if t}
            )
        names.update(zip(self.places["id"], self.places["name"]))
        return names
