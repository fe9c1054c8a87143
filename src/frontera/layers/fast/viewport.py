"""What the map shows (zoom and bounds), as streamlit-folium hands it back to the page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Viewport:
    """What the map shows: Leaflet zoom and bounds (degrees), as streamlit-folium returns them."""

    zoom: float
    south: float
    west: float
    north: float
    east: float

    @classmethod
    def from_st_folium(cls, out: dict | None) -> Viewport | None:
        """From ``st_folium(..., returned_objects=["zoom", "bounds"])``'s answer; None when it has none."""
        if out is None:
            return None
        try:
            b = out["bounds"]
            return cls(
                float(out["zoom"]),
                float(b["_southWest"]["lat"]),
                float(b["_southWest"]["lng"]),
                float(b["_northEast"]["lat"]),
                float(b["_northEast"]["lng"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def padded(self, factor: float = 1.0) -> Viewport:
        """The view grown by ``factor`` times its size on every side (panning a little needs no rerun)."""
        dy, dx = (self.north - self.south) * factor, (self.east - self.west) * factor
        return Viewport(self.zoom, self.south - dy, self.west - dx, self.north + dy, self.east + dx)

    @property
    def centre_lat(self) -> float:
        return (self.south + self.north) / 2

    def contains(self, lon, lat):
        """Which of the points (arrays of degrees) lie inside the view."""
        return (lon >= self.west) & (lon <= self.east) & (lat >= self.south) & (lat <= self.north)
