"""Places of the situation (always-labelled towns) and the border crossings."""

from __future__ import annotations

import folium
import geopandas as gpd

from frontera import popups
from frontera.analysis import distance_to_border_km
from frontera.layers.common import SafePopup, SafeTooltip
from frontera.layers.panes import PLACES, RINGS, on_pane
from frontera.layers.style import (
    BORDER_COLOUR,
    CROSSING_INFORMAL_COLOUR,
    CROSSING_OFFICIAL_COLOUR,
)


def add_places(group: folium.FeatureGroup, places: gpd.GeoDataFrame, border_line) -> int:
    km = distance_to_border_km(places.geometry, border_line)
    for rec, d in zip(places.to_dict("records"), km):
        pt = rec["geometry"]
        country = {"MX": "Mexico", "GT": "Guatemala"}.get(rec["country"], rec["country"])
        html = popups.static_popup(
            rec["name"],
            [
                ("Country", f"{country}, {rec['admin1']}"),
                ("Role", rec.get("role", "")),
                ("Border", f"{d:.1f} km from the Mexico–Guatemala border"),
                ("Coordinates", f"{pt.y:.5f}, {pt.x:.5f} ({rec.get('gazetteer', 'GeoNames')})"),
            ],
        )
        marker = on_pane(
            folium.CircleMarker(
                location=(pt.y, pt.x),
                radius=4.5,
                color="#111827",
                weight=1.5,
                fill=True,
                fill_color="#ffffff",
                fill_opacity=1,
                class_name="frontera-place",
            ),
            PLACES,
        )
        marker.add_child(SafePopup(html))
        always = bool(rec.get("always_label"))
        marker.add_child(
            SafeTooltip(
                popups.esc(rec["name"]),
                permanent=always,
                direction="right",
                class_name="frontera-label frontera-label-key" if always else "frontera-label",
                offset=(6, 0),
            )
        )
        marker.add_to(group)
    return len(places)


def _crossing_popup(rec: dict, official: bool) -> str:
    rows = [
        ("Kind", "official crossing" if official else "informal crossing (no published coordinates)"),
        ("Mexican side", f"{rec['mx_town']} ({rec['mx_municipality']})"),
        ("Guatemalan side", f"{rec['gt_side']} ({rec['gt_department']})"),
        ("Note", rec.get("note", "")),
        ("Placement", rec.get("placement", "")),
    ]
    if official and rec.get("town_to_line_km") is not None:
        rows.append(("Town to border", f"{rec['town_to_line_km']:.2f} km"))
    return popups.static_popup(
        rec["name"],
        rows,
        "" if official else "Approximate: marked near Amatenango de la Frontera, precision of several kilometres.",
    )


def add_crossings(group: folium.FeatureGroup, crossings: gpd.GeoDataFrame) -> int:
    for rec in crossings.to_dict("records"):
        pt = rec["geometry"]
        official = rec["kind"] == "official"
        html = _crossing_popup(rec, official)
        if official:
            marker = on_pane(
                folium.Marker(
                    location=(pt.y, pt.x),
                    icon=folium.DivIcon(
                        html=f"<div style='background:{CROSSING_OFFICIAL_COLOUR}'></div>",
                        class_name="frontera-crossing frontera-crossing-official",
                        icon_size=(12, 12),
                        icon_anchor=(6, 6),
                    ),
                ),
                PLACES,
            )
        else:
            on_pane(
                folium.Circle(
                    location=(pt.y, pt.x),
                    radius=float(rec.get("uncertainty_km") or 5) * 1000,
                    color=CROSSING_INFORMAL_COLOUR,
                    weight=1.5,
                    dash_array="3 5",
                    fill=True,
                    fill_opacity=0.05,
                    class_name="frontera-uncertainty frontera-crossing-ring",
                ),
                RINGS,
                interactive=False,
            ).add_to(group)
            marker = on_pane(
                folium.CircleMarker(
                    location=(pt.y, pt.x),
                    radius=7,
                    color=CROSSING_INFORMAL_COLOUR,
                    weight=2.5,
                    dash_array="3 3",
                    fill=True,
                    fill_color="#ffffff",
                    fill_opacity=0.8,
                    class_name="frontera-crossing frontera-crossing-informal",
                ),
                PLACES,
            )
        marker.add_child(SafePopup(html))
        marker.add_child(SafeTooltip(popups.esc(rec["name"])))
        marker.add_to(group)
    return len(crossings)


def add_border(group: folium.FeatureGroup, border: gpd.GeoDataFrame) -> None:
    rec = border.iloc[0]
    line = rec.geometry
    folium.PolyLine(
        [(lat, lon) for lon, lat in line.coords],
        color=BORDER_COLOUR,
        weight=2.5,
        opacity=0.9,
        class_name="frontera-border",
    ).add_child(SafeTooltip(f"{popups.esc(rec['name'])} ({popups.esc(rec['attribution'])})")).add_to(group)
