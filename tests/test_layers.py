"""Layer builders: assert on the features and popup text they produce, and on escaping."""

import json
import re

import folium
import pandas as pd
import pytest
from shapely.geometry import Point

from frontera.analysis import enrich
from frontera.layers import panes
from frontera.layers.basemap import ATTRIBUTION
from frontera.layers.events import add_events
from frontera.layers.flows import add_flows, bends, curve, screen_bearing
from frontera.layers.legend import legend_sections
from frontera.layers.literal import js_value
from frontera.layers.operations import add_operations
from frontera.layers.places import add_places
from frontera.layers.style import ARROW_MAX_PX, FLOW_MIN_WEIGHT, arrow_size
from frontera.mapview import MapOptions, build_map
from frontera.model.dates import data_span
from frontera.model.view import view_from_query
from frontera.storage.geopackage import load_situation, normalize_records


@pytest.fixture(scope="module")
def sit():
    return enrich(load_situation(include_user=False))


def render(m: folium.Map) -> str:
    return m.get_root().render()


def popups_of(html: str) -> list[str]:
    """The popup HTML strings bound in the rendered script (JSON-decoded)."""
    return [json.loads(s) for s in re.findall(r"\.bindPopup\((\"(?:[^\"\\]|\\.)*\")", html)]


def tooltips_of(html: str) -> list[str]:
    return [json.loads(s) for s in re.findall(r"\.bindTooltip\((\"(?:[^\"\\]|\\.)*\")", html)]


def group_with(fn, *args) -> str:
    m = folium.Map(tiles=None)
    g = folium.FeatureGroup().add_to(m)
    fn(g, *args)
    return render(m)


def test_flow_popups_carry_figure_wording_dates_sources_and_disagreement(sit):
    names = dict(zip(sit.places["id"], sit.places["name"]))
    html = group_with(add_flows, sit.records["flows"], names, sit.sources)
    pops = popups_of(html)
    f1 = next(p for p in pops if "· F1" in p)
    assert "<b>400</b>" in f1 and "207" in f1 and "2024-07-23 – 2024-08-02" in f1
    assert "Reports disagree" in f1 and "F2 gives 600" in f1 and "not added up" in f1
    assert 'href="https://www.trtworld.com/article/18191151"' in f1
    assert "Amatenango de la Frontera → Cuilco" in f1
    f2 = next(p for p in pops if "· F2" in p)
    assert "F1 gives 400" in f2
    # F2 has two origins: two arrows; four flows -> five arrows in all, each head named like its line
    assert html.count("frontera-arrowhead") == 5
    assert sum(t.startswith("F2: 600 people") for t in tooltips_of(html)) == 4  # 2 lines + 2 heads


def test_flow_width_grows_with_people(sit):
    names = dict(zip(sit.places["id"], sit.places["name"]))
    html = group_with(add_flows, sit.records["flows"], names, sit.sources)
    weights = {
        m.group(1): float(m.group(2))
        for m in re.finditer(r'"className": "frontera-flow frontera-flow-(F\d)".*?"weight": ([\d.]+)', html)
    }
    assert weights["F3"] < weights["F1"] < weights["F2"] < weights["F4"]


def test_flows_between_same_places_bend_apart(sit):
    b = bends(sit.records["flows"])
    ids = list(sit.records["flows"]["id"])
    assert b[ids.index("F1")][0] != b[ids.index("F2")][0]  # both run Amatenango -> Cuilco
    assert len(b[ids.index("F2")]) == 2


def test_curve_ends_at_its_places_and_arrow_points_east():
    pts = curve((-92.117, 15.435), (-91.967, 15.4), 0.15)
    assert pts[0] == pytest.approx((-92.117, 15.435)) and pts[-1] == pytest.approx((-91.967, 15.4))
    assert 45 < screen_bearing((-92.0, 15.4), (-91.9, 15.4)) + 45 <= 135


def test_events_sized_by_fatalities_and_unknown_still_visible(sit):
    html = group_with(add_events, sit.records["clashes"], "clashes", sit.sources)
    radii = [
        float(r) for r in re.findall(r'"className": "frontera-clash frontera-event".*?"radius": ([\d.]+)', html, re.S)
    ]
    assert len(radii) == 3 and min(radii) >= 5
    pops = popups_of(html)
    c2 = next(p for p in pops if "· C2" in p)
    assert "19" in c2 and "Cartel Chiapas y Guatemala" in c2 and "km from the Mexico–Guatemala border" in c2
    assert "nearest official crossing" in c2
    c1 = next(p for p in pops if "· C1" in p)
    assert "not reported" in c1 and "ongoing" in c1 and "within about 8 km" in c1
    assert html.count("frontera-clashes-ring") == 3  # every clash here has an approximate place


def test_operations_skip_items_without_extent_and_say_illustrative(sit):
    html = group_with(add_operations, sit.records["operations"], sit.sources)
    pops = popups_of(html)
    assert not any("· O2" in p for p in pops)
    o1 = next(p for p in pops if "· O1" in p)
    assert "Illustrative extent" in o1 and "agreed" in o1 and "land and air" in o1
    icons = [json.loads(s) for s in re.findall(r'"html": ("(?:[^"\\]|\\.)*")', html)]
    assert any("O1 LAND + AIR · AGREED" in i for i in icons), icons


def test_whole_map_has_every_layer_and_a_legend_and_scale(sit):
    view, _ = view_from_query({}, data_span(list(sit.records.values())))
    html = render(build_map(sit, view))
    for cls in (
        "frontera-flow",
        "frontera-clash frontera-event",
        "frontera-incident frontera-event",
        "frontera-operation",
        "frontera-border",
        "frontera-crossing-official",
        "frontera-crossing-informal",
        "frontera-place",
        "frontera-legend",
    ):
        assert cls in html, cls
    assert '"control_scale": true' in html.lower() or "L.control.scale" in html
    labels = [t for t in tooltips_of(html) if t in ("Amatenango de la Frontera", "Cuilco")]
    assert len(labels) == 2
    assert re.search(r'bindTooltip\("Amatenango de la Frontera", \{[^}]*"permanent": true', html)


HOSTILE = ["<img src=x onerror=alert(1)>", "${alert(1)}", "`); alert(1); (`", "</script><script>alert(1)</script>"]


@pytest.mark.parametrize("title", HOSTILE)
def test_data_text_is_never_html_or_script(sit, title):
    rec = sit.records["clashes"].iloc[[0]].copy()
    rec["title"] = title
    rec["actors"] = title
    rec["summary"] = title
    rec["id"] = "X1"
    m = folium.Map(tiles=None)
    g = folium.FeatureGroup().add_to(m)
    add_events(g, normalize_records(rec), "clashes", sit.sources)
    html = render(m)
    script = html[html.index("<script>", html.index("</style>") if "</style>" in html else 0) :]
    assert "<img src=x" not in script and "</script><script>alert" not in script
    for text in popups_of(html) + tooltips_of(html):
        assert "<img" not in text and "<script" not in text
        assert "&lt;img" in text or "${alert(1)}" in text or "`" in text or "&lt;/script&gt;" in text
    # nothing sits inside a JS template literal: every bound string is a JSON string literal
    assert "bindPopup(`" not in html and "bindTooltip(`" not in html


def test_no_cdn_in_the_map(sit):
    view, _ = view_from_query({}, data_span(list(sit.records.values())))
    html = render(build_map(sit, view, MapOptions()))
    loaded = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert loaded and all(not u.startswith(("http:", "https:", "//")) for u in loaded), loaded


# --- The map in use (issue 9): panes, short popups, legend of what is drawn, own markers -------------


def drawn(fn, *args, **kwargs) -> list:
    """The folium layers a layer builder puts in a fresh feature group."""
    g = folium.FeatureGroup()
    fn(g, *args, **kwargs)
    return list(g._children.values())


def child(layer, cls):
    return next((c for c in layer._children.values() if isinstance(c, cls)), None)


def popup_of(layer) -> str:
    from frontera.layers.common import SafePopup

    p = child(layer, SafePopup)
    return p.html if p is not None else ""


def test_events_lie_above_flows_places_and_areas_and_their_rings_take_no_click(sit):
    layers = drawn(add_events, sit.records["clashes"], "clashes", sit.sources)
    circles = [x for x in layers if isinstance(x, folium.CircleMarker)]
    rings = [x for x in layers if isinstance(x, folium.Circle)]
    assert len(circles) == 3 and len(rings) == 3
    assert {c.options["pane"] for c in circles} == {panes.EVENTS}
    assert all(r.options["pane"] == panes.RINGS and r.options["interactive"] is False for r in rings)
    assert all(popup_of(r) == "" for r in rings), "decoration has no popup"
    z = panes.PANES
    assert z[panes.EVENTS] > z[panes.PLACES] > z[panes.ARROWS] > z[panes.FLOWS] > z[panes.BADGES] > z[panes.AREAS]
    assert panes.RINGS in panes.PASSIVE_PANES
    names = dict(zip(sit.places["id"], sit.places["name"]))
    flow_layers = drawn(add_flows, sit.records["flows"], names, sit.sources)
    lines = [x for x in flow_layers if isinstance(x, folium.PolyLine) and popup_of(x)]
    casings = [x for x in flow_layers if isinstance(x, folium.PolyLine) and not popup_of(x)]
    assert len(lines) == len(casings) == 5
    assert {x.options["pane"] for x in lines} == {panes.FLOWS}
    assert all(c.options["interactive"] is False for c in casings)
    places = drawn(add_places, sit.places, sit.border_line)
    assert {x.options["pane"] for x in places} == {panes.PLACES}


def test_map_popups_are_short_and_the_full_record_is_kept_for_the_details(sit):
    names = dict(zip(sit.places["id"], sit.places["name"]))
    flows = {
        popup_of(x).split("· ")[1][:2]: popup_of(x)
        for x in drawn(add_flows, sit.records["flows"], names, sit.sources, short=True)
        if popup_of(x)
    }
    f1 = flows["F1"]
    assert "<b>400</b> (reports disagree)" in f1 and "Amatenango de la Frontera → Cuilco" in f1
    assert "2024-07-23 – 2024-08-02" in f1 and "below the map" in f1
    assert "trtworld" not in f1 and "Sources</p>" not in f1 and "F2 gives 600" not in f1
    events = [
        popup_of(x)
        for x in drawn(add_events, sit.records["clashes"], "clashes", sit.sources, short=True)
        if popup_of(x)
    ]
    c1 = next(p for p in events if "· C1" in p)
    assert "armed clash" in c1 and "not reported" in c1 and "within about 8 km" in c1 and "href" not in c1
    full = [popup_of(x) for x in drawn(add_events, sit.records["clashes"], "clashes", sit.sources) if popup_of(x)]
    assert all("Sources</p>" in p for p in full), "standalone maps keep the full popup"


def test_operation_areas_are_outlined_and_a_point_operation_gets_our_marker(sit):
    ops = sit.records["operations"]
    areas = [x for x in drawn(add_operations, ops, sit.sources) if isinstance(x, folium.Polygon)]
    assert len(areas) == 4
    assert all(a.options["fillOpacity"] == 0 and a.options["pane"] == panes.AREAS for a in areas)
    shapes = {r["id"]: r["geometry"] for r in ops.to_dict("records")}
    sizes = [shapes[re.search(r"· (O\d)", popup_of(a)).group(1)].area for a in areas]
    assert sizes == sorted(sizes, reverse=True), "where areas overlap the smallest lies on top"
    for area in areas:  # a MultiPolygon stays one layer with each part; holes stay holes
        geom = shapes[re.search(r"· (O\d)", popup_of(area)).group(1)]
        parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        rings = area.locations if len(parts) > 1 else [area.locations]
        assert [len(p) for p in rings] == [1 + len(p.interiors) for p in parts]
    agreement = ops.iloc[[0]].copy()
    agreement["id"], agreement["status"], agreement["geometry"] = "ACLED1", "agreed", [Point(-92.1, 15.4)]
    layers = drawn(add_operations, normalize_records(agreement), sit.sources)
    (marker,) = layers
    assert isinstance(marker, folium.Marker) and marker.icon is not None, "never Leaflet's default pin"
    assert marker.icon.options["class_name"] == "frontera-operation-point"
    assert marker.options["pane"] == panes.EVENTS and "· ACLED1" in popup_of(marker)


def test_legend_lists_exactly_what_is_drawn_imported_kinds_included(sit):
    clashes = sit.records["clashes"].copy()
    imported = clashes.iloc[[0]].copy()
    imported["id"], imported["kind"] = "MEX1", "Battles {{ 7*7 }}"
    visible = {
        "clashes": pd.concat([clashes, imported]),
        "flows": sit.records["flows"],
        "operations": sit.records["operations"],
    }
    sections = dict(legend_sections(("clashes", "flows", "operations", "border"), visible, ("official",)))
    labels = {title: [r[3] for r in rows] for title, rows in sections.items()}
    events = next(v for k, v in labels.items() if k.startswith("Clashes"))
    assert events[:3] == ["armed clash", "attack", "Battles {{ 7*7 }}"]
    battles = next(r for rows in sections.values() for r in rows if r[3].startswith("Battles"))
    assert battles[1] == "#525252", "an imported kind is shown in the colour it is drawn with"
    flows = next(v for k, v in labels.items() if k.startswith("Displacement"))
    assert "displaced" in flows and "returned" in flows and "sheltered" not in flows
    assert "Places and border" in sections and [r[3] for r in sections["Places and border"]] == [
        "Mexico–Guatemala border (OpenStreetMap)"
    ], "crossings and places are off: not listed"
    operations = next(v for k, v in labels.items() if k.startswith("Security"))
    drawn_statuses = set(sit.records["operations"].dropna(subset=["geometry"])["status"])
    assert set(operations) - {"illustrative extent (not published)"} == drawn_statuses
    encoded = js_value(legend_sections(("clashes",), visible))
    assert not any(ch in encoded for ch in "{}%#<>"), "no template or HTML syntax reaches the page"
    assert legend_sections((), {}) == []


def test_flow_class_names_hold_only_safe_characters(sit):
    flows = sit.records["flows"].iloc[[0]].copy()
    flows["id"], flows["disagrees_with"] = "imp:3 {{x}}", ""
    lines = [x for x in drawn(add_flows, normalize_records(flows), {}, sit.sources) if isinstance(x, folium.PolyLine)]
    classes = {x.options["className"] for x in lines}
    assert "frontera-flow frontera-flow-imp_3___x__" in classes
    assert all(re.fullmatch(r"[A-Za-z0-9_ -]+", c) for c in classes), classes


def test_flows_stay_readable_and_arrowheads_are_capped(sit):
    names = dict(zip(sit.places["id"], sit.places["name"]))
    layers = drawn(add_flows, sit.records["flows"], names, sit.sources)
    weights = [x.options["weight"] for x in layers if isinstance(x, folium.PolyLine) and popup_of(x)]
    assert min(weights) >= FLOW_MIN_WEIGHT
    heads = [x for x in layers if isinstance(x, folium.Marker)]
    sizes = [int(re.search(r"border-bottom:(\d+)px", h.icon.options["html"]).group(1)) for h in heads]
    assert len(heads) == 5 and max(sizes) == arrow_size(max(weights)) <= ARROW_MAX_PX
    assert {h.options["pane"] for h in heads} == {panes.ARROWS}


def test_attribution_links_open_outside_the_map():
    links = re.findall(r"<a [^>]*>", ATTRIBUTION)
    assert len(links) == 3
    assert all('target="_blank"' in a and 'rel="noopener noreferrer"' in a for a in links), links


def test_every_map_creates_the_panes_and_loads_the_map_in_use_script(sit):
    view, _ = view_from_query({}, data_span(list(sit.records.values())))
    m = build_map(sit, view)
    (use,) = [c for c in m._children.values() if isinstance(c, panes.MapUse)]
    assert [p[0] for p in use.options["panes"]] == list(panes.PANES)
    assert [p[0] for p in use.options["panes"] if p[2]] == list(panes.PASSIVE_PANES)
    scripts = [js for c in m._children.values() for _, js in getattr(c, "default_js", [])]
    assert any(js.endswith("frontera/mapuse.js") for js in scripts), scripts
    with pytest.raises(ValueError, match="is not one of"):
        panes.on_pane(folium.CircleMarker((15.0, -92.0)), "nowhere")
