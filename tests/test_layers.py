"""Layer builders: assert on the features and popup text they produce, and on escaping."""

import json
import re

import folium
import pandas as pd
import pytest
from shapely.geometry import Point

from frontera.analysis import enrich
from frontera.features import Feature
from frontera.features.events import event_features
from frontera.features.flows import bends, curve, flow_features, screen_bearing
from frontera.features.operations import operation_features
from frontera.features.places import place_features
from frontera.features.style import ARROW_MAX_PX, FLOW_MIN_WEIGHT, arrow_size
from frontera.layers import panes
from frontera.layers.basemap import ATTRIBUTION
from frontera.layers.events import add_events
from frontera.layers.legend import legend_sections
from frontera.layers.literal import js_value
from frontera.layers.render import folium_layer
from frontera.mapview import MapOptions, build_map
from frontera.model.dates import data_span
from frontera.model.layers import layer as layer_spec
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


def flows_of(sit, **kwargs) -> list[Feature]:
    names = dict(zip(sit.places["id"], sit.places["name"]))
    return flow_features(sit.records["flows"], names, sit.sources, **kwargs)


def role(features: list[Feature], name: str) -> list[Feature]:
    return [f for f in features if f.role == name]


def test_flow_popups_carry_figure_wording_dates_sources_and_disagreement(sit):
    features = flows_of(sit)
    pops = [f.popup for f in role(features, "line")]
    f1 = next(p for p in pops if "· F1" in p)
    assert "<b>400</b>" in f1 and "207" in f1 and "23 July 2024 – 2 August 2024" in f1  # dates through Babel (issue 14)
    assert "Reports disagree" in f1 and "F2 gives 600" in f1 and "not added up" in f1
    assert 'href="https://www.trtworld.com/article/18191151"' in f1
    assert "Amatenango de la Frontera → Cuilco" in f1
    f2 = next(p for p in pops if "· F2" in p)
    assert "F1 gives 400" in f2
    # F2 has two origins: two arrows; four flows -> five arrows in all, each head named like its line
    heads = role(features, "head")
    assert len(heads) == 5 and all(h.style["class_name"] == "frontera-arrowhead" for h in heads)
    tips = [f.tooltip.html for f in features if f.tooltip is not None]
    assert sum(t.startswith("F2: 600 people") for t in tips) == 4  # 2 lines + 2 heads
    assert {f.record_id for f in heads} == {"F1", "F2", "F3", "F4"}


def test_flow_width_grows_with_people(sit):
    weights = {f.record_id: f.style["weight"] for f in role(flows_of(sit), "line")}
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
    features = event_features(sit.records["clashes"], "clashes", sit.sources)
    circles = role(features, "marker")
    assert {c.style["class_name"] for c in circles} == {"frontera-clash frontera-event"}
    radii = [c.style["radius"] for c in circles]
    assert len(radii) == 3 and min(radii) >= 5
    pops = [c.popup for c in circles]
    c2 = next(p for p in pops if "· C2" in p)
    assert "19" in c2 and "Cartel Chiapas y Guatemala" in c2 and "km from the Mexico–Guatemala border" in c2
    assert "nearest official crossing" in c2
    c1 = next(p for p in pops if "· C1" in p)
    assert "not reported" in c1 and "ongoing" in c1 and "within about 8 km" in c1
    rings = role(features, "ring")  # every clash here has an approximate place
    assert [r.style["class_name"] for r in rings] == ["frontera-uncertainty frontera-clashes-ring"] * 3


def test_operations_skip_items_without_extent_and_say_illustrative(sit):
    features = operation_features(sit.records["operations"], sit.sources)
    pops = [f.popup for f in features]
    assert not any("· O2" in p for p in pops) and "O2" not in {f.record_id for f in features}
    o1 = next(p for p in pops if "· O1" in p)
    assert "Illustrative extent" in o1 and "agreed" in o1 and "land and air" in o1
    icons = [f.style["html"] for f in role(features, "badge")]
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
    assert '"scale": {"imperial": true}' in html  # MapUse adds the scale (static/frontera/mapuse.js): km and miles
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


def test_events_lie_above_flows_places_and_areas_and_their_rings_take_no_click(sit):
    features = event_features(sit.records["clashes"], "clashes", sit.sources)
    circles, rings = role(features, "marker"), role(features, "ring")
    assert len(circles) == 3 and len(rings) == 3
    assert {c.pane for c in circles} == {panes.EVENTS} and all(c.interactive for c in circles)
    assert all(r.pane == panes.RINGS and r.interactive is False for r in rings)
    assert all(r.popup is None and r.record_id is None for r in rings), "decoration has no popup"
    z = panes.PANES
    assert z[panes.EVENTS] > z[panes.PLACES] > z[panes.ARROWS] > z[panes.FLOWS] > z[panes.BADGES] > z[panes.AREAS]
    assert panes.RINGS in panes.PASSIVE_PANES
    flow_features_ = flows_of(sit)
    lines, casings = role(flow_features_, "line"), role(flow_features_, "casing")
    assert len(lines) == len(casings) == 5
    assert all(c.popup is None and c.interactive is False for c in casings)
    assert {x.pane for x in lines} == {panes.FLOWS}
    places = place_features(layer_spec("places"), sit.places, sit.border_line)
    assert {x.pane for x in places} == {panes.PLACES}


def test_the_adapter_puts_each_feature_in_its_pane_with_its_text(sit):
    """One module makes folium objects of features: pane, decoration, popup and tooltip as given."""
    from frontera.layers.common import SafePopup, SafeTooltip

    features = event_features(sit.records["clashes"], "clashes", sit.sources)
    for f in features:
        layer = folium_layer(f)
        assert layer.options["pane"] == f.pane
        assert layer.options.get("interactive", True) is f.interactive
        popups = [c for c in layer._children.values() if isinstance(c, SafePopup)]
        tips = [c for c in layer._children.values() if isinstance(c, SafeTooltip)]
        assert [p.html for p in popups] == ([f.popup] if f.popup else [])
        assert [t.html for t in tips] == ([f.tooltip.html] if f.tooltip else [])
    ring, circle = features[:2]
    assert isinstance(folium_layer(ring), folium.Circle) and isinstance(folium_layer(circle), folium.CircleMarker)
    with pytest.raises(ValueError, match="is not one of"):
        Feature("clashes", "circle", (15.0, -92.0), pane="nowhere")
    with pytest.raises(ValueError, match="is not one of"):
        Feature("clashes", "blob", (15.0, -92.0))


def test_map_popups_are_short_and_the_full_record_is_kept_for_the_details(sit):
    flows = {f.record_id: f.popup for f in role(flows_of(sit, short=True), "line")}
    f1 = flows["F1"]
    assert "<b>400</b> (reports disagree)" in f1 and "Amatenango de la Frontera → Cuilco" in f1
    assert "23 July 2024 – 2 August 2024" in f1 and "below the map" in f1  # dates through Babel (issue 14)
    assert "trtworld" not in f1 and "Sources</p>" not in f1 and "F2 gives 600" not in f1
    short = role(event_features(sit.records["clashes"], "clashes", sit.sources, short=True), "marker")
    c1 = next(f.popup for f in short if f.record_id == "C1")
    assert "· C1" in c1
    assert "armed clash" in c1 and "not reported" in c1 and "within about 8 km" in c1 and "href" not in c1
    full = role(event_features(sit.records["clashes"], "clashes", sit.sources), "marker")
    assert all("Sources</p>" in f.popup for f in full), "standalone maps keep the full popup"


def test_operation_areas_are_outlined_and_a_point_operation_gets_our_marker(sit):
    ops = sit.records["operations"]
    areas = role(operation_features(ops, sit.sources), "area")
    assert len(areas) == 4
    assert all(a.style["fill_opacity"] == 0 and a.pane == panes.AREAS for a in areas)
    shapes = {r["id"]: r["geometry"] for r in ops.to_dict("records")}
    sizes = [shapes[a.record_id].area for a in areas]
    assert sizes == sorted(sizes, reverse=True), "where areas overlap the smallest lies on top"
    for area in areas:  # a MultiPolygon stays one layer with each part; holes stay holes
        geom = shapes[area.record_id]
        assert f"· {area.record_id}" in area.popup
        parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        rings = area.geometry if len(parts) > 1 else [area.geometry]
        assert [len(p) for p in rings] == [1 + len(p.interiors) for p in parts]
        drawn = folium_layer(area)
        assert isinstance(drawn, folium.Polygon) and drawn.locations == area.geometry
    agreement = ops.iloc[[0]].copy()
    agreement["id"], agreement["status"], agreement["geometry"] = "ACLED1", "agreed", [Point(-92.1, 15.4)]
    (point,) = operation_features(normalize_records(agreement), sit.sources)
    assert point.shape == "icon" and point.style["class_name"] == "frontera-operation-point"
    assert point.pane == panes.EVENTS and "· ACLED1" in point.popup and point.record_id == "ACLED1"
    marker = folium_layer(point)
    assert isinstance(marker, folium.Marker) and marker.icon is not None, "never Leaflet's default pin"
    assert marker.icon.options["class_name"] == "frontera-operation-point"


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
    lines = [f for f in flow_features(normalize_records(flows), {}, sit.sources) if f.shape == "line"]
    classes = {f.style["class_name"] for f in lines}
    assert "frontera-flow frontera-flow-imp_3___x__" in classes
    assert all(re.fullmatch(r"[A-Za-z0-9_ -]+", c) for c in classes), classes


def test_flows_stay_readable_and_arrowheads_are_capped(sit):
    features = flows_of(sit)
    weights = [f.style["weight"] for f in role(features, "line")]
    assert min(weights) >= FLOW_MIN_WEIGHT
    heads = role(features, "head")
    sizes = [int(re.search(r"border-bottom:(\d+)px", h.style["html"]).group(1)) for h in heads]
    assert len(heads) == 5 and max(sizes) == arrow_size(max(weights)) <= ARROW_MAX_PX
    assert {h.pane for h in heads} == {panes.ARROWS}
    assert all(isinstance(folium_layer(h), folium.Marker) for h in heads)


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
