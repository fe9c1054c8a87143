"""What the map draws, as plain typed features: the map is an adapter of these.

Each layer's builder (:mod:`.events`, :mod:`.flows`, :mod:`.operations`, :mod:`.places`) turns the
model's records into :class:`Feature` values: a shape, its geometry, its style, the pane it lies in,
its tooltip and popup text and the record it stands for. One module alone,
:mod:`frontera.layers.render`, turns features into folium objects. Pure: no folium here, so the
features are tested as data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from frontera.i18n import N_, _

#: Pane name -> z-index (Leaflet: overlays 400, markers 600, tooltips 650, popups 700).
#: The basemap's own labels sit at 450 (static/frontera/labels.js) and take no clicks.
PANES: dict[str, int] = {
    "fronteraAreas": 405,
    "fronteraRings": 410,
    "fronteraBadges": 415,
    "fronteraFlows": 420,
    "fronteraArrows": 425,
    "fronteraPlaces": 455,
    "fronteraEvents": 470,
}
#: Panes whose features never take a click or a hover (decoration).
PASSIVE_PANES = ("fronteraRings",)

AREAS, RINGS, BADGES, FLOWS, ARROWS, PLACES, EVENTS = PANES

#: Country codes of the data, as a person reads them.
COUNTRY_NAMES = {"MX": N_("Mexico"), "GT": N_("Guatemala")}


def country_name(code: str) -> str:
    """``"MX"`` -> ``"Mexico"`` / ``"México"``, in the session's language; an unknown code as given."""
    return _(COUNTRY_NAMES[code]) if code in COUNTRY_NAMES else code


#: The shapes a feature can have (:mod:`frontera.layers.render` has one folium maker per shape).
SHAPES = ("circle_marker", "circle", "line", "polygon", "icon")


@dataclass(frozen=True)
class Tip:
    """A tooltip: its HTML (built from escaped values) and how it shows."""

    html: str
    permanent: bool = False
    direction: str = "auto"
    class_name: str = ""
    offset: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Feature:
    """One thing on the map.

    ``geometry`` is in Leaflet's order: ``(lat, lon)`` for a point shape, a list of them for a line,
    nested rings for a polygon. ``style`` holds the shape's options (colour, weight, radius, class
    name; for an ``"icon"``, the icon's ``html``, ``class_name``, ``icon_size``, ``icon_anchor``).
    ``pane`` is None for a feature in Leaflet's default pane; ``interactive=False`` is decoration.
    ``record_id`` is the record the feature stands for (None for decoration and places); ``role``
    says what part of the record it is (``"marker"``, ``"ring"``, ``"casing"``, ``"line"``, ``"head"``,
    ``"area"``, ``"badge"``).
    """

    layer: str
    shape: str
    geometry: Any
    style: Mapping[str, Any] = field(default_factory=dict)
    pane: str | None = None
    interactive: bool = True
    record_id: str | None = None
    tooltip: Tip | None = None
    popup: str | None = None
    role: str = "marker"
    #: The record's days for the map's clock: ``(first, last or None)`` as days since 1970-01-01.
    days: tuple[int | None, int | None] | None = None

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ValueError(f"shape {self.shape!r} is not one of {SHAPES}")
        if self.pane is not None and self.pane not in PANES:
            raise ValueError(f"pane {self.pane!r} is not one of {sorted(PANES)}")


_EPOCH = dt.date(1970, 1, 1)


def day_number(value: object) -> int | None:
    """Days since 1970-01-01 (the clock's unit, and the fast renderer's), or None for no date.

    >>> day_number("2024-08-02"), day_number(None)
    (19937, None)
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return (pd.Timestamp(value).date() - _EPOCH).days


def record_days(rec: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """A record's ``(date_start, date_end)`` as day numbers; an open end is None (still going on)."""
    return day_number(rec.get("date_start")), day_number(rec.get("date_end"))


def dated(features: list[Feature], rec: Mapping[str, Any]) -> list[Feature]:
    """``features`` carrying ``rec``'s days, so the clock can hide them outside its window."""
    days = record_days(rec)
    return [replace(f, days=days) for f in features]
