"""The offline basemap: land, states and departments, and labels that appear as you zoom in.

Drawn from the bundled geodata, so the map reads well with no tiles at all:

- countries (OpenStreetMap shapes) as flat land colours over a sea-coloured background;
- states and departments (Natural Earth admin-1, trimmed to the OSM shapes) as thin outlines;
- labels for countries, states/departments and GeoNames towns; a town's label shows from its
  ``min_zoom`` on, largest towns first, and a label that would overlap a bigger one waits
  for a closer zoom (``static/frontera/labels.js``).

The map's attribution credits OpenStreetMap, Natural Earth and GeoNames.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
from folium.elements import JSCSSMixin
from folium.raster_layers import TileLayer
from folium.template import Template

from frontera import assets
from frontera.gazetteer import fold
from frontera.i18n import N_, _
from frontera.storage.geopackage import Situation

#: Credits; their links open outside the map (in the app the map is a frame: a link followed in
#: it would replace the map, offline with an error page).
_OUT = 'target="_blank" rel="noopener noreferrer"'
_CREDIT_LINKS = {
    "osm": f'<a href="https://www.openstreetmap.org/copyright" {_OUT}>OpenStreetMap</a>',
    "ne": f'<a href="https://www.naturalearthdata.com/" {_OUT}>Natural Earth</a>',
    "geonames": f'<a href="https://www.geonames.org/" {_OUT}>GeoNames</a>',
}
#: The credit's words (translated where drawn); the links are this module's own HTML, filled in.
CREDIT = N_("Basemap © {osm} contributors (ODbL), {ne}; towns {geonames} (CC BY 4.0)")


def attribution() -> str:
    """The map's credit in the session's language."""
    return _(CREDIT).format(**_CREDIT_LINKS)


ATTRIBUTION = CREDIT.format(**_CREDIT_LINKS)  # in English
LAND = {"MX": "#f3efe6", "GT": "#eaf0e6", "BZ": "#eeeee9"}
COUNTRY_LABELS = {"MX": "México", "GT": "Guatemala", "BZ": "Belize"}
#: Zoom ranges (min, max) of each kind of label.
COUNTRY_ZOOMS = (5, 8)
ADMIN1_ZOOMS = (6, 11)
TOWN_MAX_ZOOM = 18
#: Population from which a town's label is drawn bold.
BIG_TOWN = 100_000
#: A town this close (degrees, ~1 km) to a situation place is that place (labelled under the place's name).
PLACE_RADIUS_DEG = 0.01
#: Label class of places that the places layer labels itself: shown only while that layer is off.
AT_PLACE = "frontera-bm-label-at-place"
#: Same name and this close (degrees, ~5 km): a GeoNames town is a situation place.
SAME_NAME_DEG = 0.05
#: Zoom from which the situation's places are labelled by the basemap (when the places layer is off).
PLACE_MIN_ZOOM = 7


class BasemapLabels(JSCSSMixin):
    """Labels placed in the browser by ``L.fronteraLabels``: ``items`` rows are
    ``[lat, lon, text, min_zoom, max_zoom, kind, extra_class]``, in priority order."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.fronteraLabels(
                {{ this.items|tojson }}
            ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js: list[tuple[str, str]] = [("frontera_labels", assets.static_url("frontera/labels.js"))]  # noqa: RUF012 - folium's JSCSSMixin declares it so

    def __init__(self, items: list[list]):
        super().__init__()
        self._name = "BasemapLabels"
        self.items = items


class Attribution(folium.MacroElement):
    """Adds a credit to the map's attribution control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            if ({{ this._parent.get_name() }}.attributionControl) {
                {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
            }
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = text


def _point_rows(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    return gdf.geometry.y.to_numpy(), gdf.geometry.x.to_numpy()


def same_places(towns: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> np.ndarray:
    """``[town, place]`` is True when the town is that place: within ~1 km, or same name within ~5 km.

    GeoNames often has a municipality's seat twice (rg_cities1000 and cities500), a few km apart.
    """
    tlat, tlon = _point_rows(towns)
    plat, plon = _point_rows(places)
    dlat, dlon = np.abs(tlat[:, None] - plat[None, :]), np.abs(tlon[:, None] - plon[None, :])
    tnames = np.array([fold(n) for n in towns["name"]], dtype=object)
    pnames = np.array([fold(n) for n in places["name"]], dtype=object)
    named = np.array([[t in p or p in t for p in pnames] for t in tnames], dtype=bool).reshape(len(tnames), len(pnames))
    return ((dlat < PLACE_RADIUS_DEG) & (dlon < PLACE_RADIUS_DEG)) | (
        named & (dlat < SAME_NAME_DEG) & (dlon < SAME_NAME_DEG)
    )


def _labelled_by_places_layer(places: gpd.GeoDataFrame) -> np.ndarray:
    """Which places the places layer labels permanently (``always_label``; all when the column is absent)."""
    if "always_label" not in places:
        return np.ones(len(places), dtype=bool)
    return places["always_label"].fillna(False).astype(bool).to_numpy()


def town_label_items(towns: gpd.GeoDataFrame, places: gpd.GeoDataFrame | None = None) -> list[list]:
    """Town label rows, largest population first, without the towns that are situation places
    (:func:`place_label_items` labels those, under the name the reports use)."""
    towns = towns.sort_values("population", ascending=False, kind="stable")
    if places is not None and len(places) and len(towns):
        towns = towns[~same_places(towns, places).any(axis=1)]
    lat, lon = _point_rows(towns)
    return [
        [
            round(float(y), 5),
            round(float(x), 5),
            str(name),
            int(zmin),
            TOWN_MAX_ZOOM,
            "town",
            "frontera-bm-label-town-big" if pop >= BIG_TOWN else "",
        ]
        for y, x, name, zmin, pop in zip(lat, lon, towns["name"], towns["min_zoom"], towns["population"])
    ]


def area_label_items(areas: gpd.GeoDataFrame, names: list[str], kind: str, zooms: tuple[int, int]) -> list[list]:
    """One label per area at a point inside it, largest area first so it wins overlaps."""
    size = areas.to_crs("EPSG:6372").geometry.area.to_numpy()  # Mexico's LCC: m² across the region
    points = areas.geometry.representative_point()
    return [
        [round(points.iloc[i].y, 4), round(points.iloc[i].x, 4), names[i], zooms[0], zooms[1], kind, ""]
        for i in np.argsort(-size, kind="stable")
    ]


def place_label_items(places: gpd.GeoDataFrame) -> list[list]:
    """Labels for the situation's places from zoom ``PLACE_MIN_ZOOM``; those the places layer labels
    itself are marked ``AT_PLACE`` and show only while that layer is off, so no name is written twice."""
    if places is None or not len(places):
        return []
    plat, plon = _point_rows(places)
    return [
        [
            round(float(y), 5),
            round(float(x), 5),
            str(name),
            PLACE_MIN_ZOOM,
            TOWN_MAX_ZOOM,
            "town",
            AT_PLACE if labelled else "",
        ]
        for y, x, name, labelled in zip(plat, plon, places["name"], _labelled_by_places_layer(places))
    ]


def label_items(situation: Situation) -> list[list]:
    """Every basemap label, in the order they claim space: countries, states, places, then towns by size."""
    countries = situation.countries
    items = area_label_items(
        countries,
        [COUNTRY_LABELS.get(c, n) for c, n in zip(countries["iso_a2"], countries["name"])],
        "country",
        COUNTRY_ZOOMS,
    )
    items += area_label_items(situation.admin1, list(situation.admin1["name"]), "admin1", ADMIN1_ZOOMS)
    items += place_label_items(situation.places)
    items += town_label_items(situation.towns, situation.places)
    return items


def add_basemap(m: folium.Map, situation: Situation) -> None:
    """Draw the offline basemap under everything else (call it before the situation layers)."""
    has_tiles = any(isinstance(child, TileLayer) for child in m._children.values())
    land_opacity = 0.35 if has_tiles else 1.0  # let configured tiles show through
    folium.GeoJson(
        situation.countries[["iso_a2", "name", "geometry"]].__geo_interface__,
        name="Land",
        style_function=lambda f: {
            "fillColor": LAND.get(f["properties"]["iso_a2"], "#eeeeee"),
            "fillOpacity": land_opacity,
            "color": "#a9b8c2",
            "weight": 0.8,
            "className": "frontera-land",
        },
        interactive=False,
        control=False,
    ).add_to(m)
    folium.GeoJson(
        situation.admin1[["iso_3166_2", "name", "geometry"]].__geo_interface__,
        name="States and departments",
        style_function=lambda f: {
            "fill": False,
            "color": "#b3a58f",
            "weight": 1.0,
            "dashArray": "5 4",
            "opacity": 0.9,
            "className": "frontera-admin1",
        },
        interactive=False,
        control=False,
    ).add_to(m)
    m.add_child(BasemapLabels(label_items(situation)))
    m.add_child(Attribution(attribution()))
