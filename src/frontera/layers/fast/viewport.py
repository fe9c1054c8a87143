"""What the map shows (zoom and bounds), as streamlit-folium hands it back to the page."""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Side of the square, in Leaflet pixels at the view's zoom, that :meth:`Viewport.settled` snaps a view to.
SETTLE_PX = 1024


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

    @classmethod
    def around(cls, centre: tuple[float, float], zoom: float, width_px: int = 1280, height_px: int = 640) -> Viewport:
        """The view of a map of ``width_px`` x ``height_px`` centred on ``centre`` (lat, lon) at ``zoom``."""
        cx, cy = _world_px(centre[0], centre[1], zoom)
        south, west = _lat_lon(cx - width_px / 2, cy + height_px / 2, zoom)
        north, east = _lat_lon(cx + width_px / 2, cy - height_px / 2, zoom)
        return cls(float(zoom), south, west, north, east)

    def settled(self) -> Viewport:
        """A square of :data:`SETTLE_PX` pixels at this (rounded) zoom, centred on the nearest point of a grid of
        half squares: views close to each other settle on the same one, so what is built for it can be reused.

        Padded once (:meth:`padded`, three squares a side), it holds any view of up to 2,560 pixels whose
        centre settles there.

        >>> home = Viewport.around((15.40, -92.03), 11)
        >>> home.settled() == Viewport.around((15.41, -92.02), 11, 900, 400).settled()
        True
        >>> home.settled() == Viewport.around((15.40, -91.5), 11).settled()  # a screen or more away
        False
        """
        zoom = float(round(self.zoom))
        cx, cy = _world_px(self.centre_lat, (self.west + self.east) / 2, zoom)
        step = SETTLE_PX / 2
        sx, sy = round(cx / step) * step, round(cy / step) * step
        south, west = _lat_lon(sx - step, sy + step, zoom)
        north, east = _lat_lon(sx + step, sy - step, zoom)
        return Viewport(zoom, round(south, 6), round(west, 6), round(north, 6), round(east, 6))

    def padded(self, factor: float = 1.0) -> Viewport:
        """The view grown by ``factor`` times its size on every side (panning a little needs no rerun)."""
        dy, dx = (self.north - self.south) * factor, (self.east - self.west) * factor
        return Viewport(self.zoom, self.south - dy, self.west - dx, self.north + dy, self.east + dx)

    def holds(self, other: Viewport) -> bool:
        """Whether ``other`` lies wholly inside this view."""
        return (
            self.south <= other.south
            and self.west <= other.west
            and other.north <= self.north
            and other.east <= self.east
        )

    @property
    def centre_lat(self) -> float:
        return (self.south + self.north) / 2

    def contains(self, lon, lat):
        """Which of the points (arrays of degrees) lie inside the view."""
        return (lon >= self.west) & (lon <= self.east) & (lat >= self.south) & (lat <= self.north)

    def moved_from(self, centre: tuple[float, float], zoom: float) -> bool:
        """Whether this view is elsewhere than ``centre`` (lat, lon) at ``zoom``: another zoom level, or the
        centre off by more than a quarter of the view (the map's first reply, at its opening view, is not)."""
        if round(self.zoom) != round(zoom):
            return True
        lat, lon = centre
        return (
            abs(lat - self.centre_lat) > (self.north - self.south) / 4
            or abs(lon - (self.west + self.east) / 2) > (self.east - self.west) / 4
        )


def _world_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Leaflet's pixel coordinates of a place at ``zoom`` (Web Mercator, 256 px tiles)."""
    size = 256 * 2.0**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(max(-85.0511, min(85.0511, lat))) / 2))
    return (lon + 180) / 360 * size, (0.5 - y / (2 * math.pi)) * size


def _lat_lon(x: float, y: float, zoom: float) -> tuple[float, float]:
    size = 256 * 2.0**zoom
    lat = math.degrees(2 * math.atan(math.exp((0.5 - y / size) * 2 * math.pi)) - math.pi / 2)
    return lat, x / size * 360 - 180
