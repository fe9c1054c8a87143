"""Layer builders: assert on the features and popup text they produce, and on escaping."""

import json
import re

import folium
import pytest

from frontera.analysis import enrich
from frontera.dates import data_span
from frontera.layers.events import add_events
from frontera.layers.flows import add_flows, bends, curve, screen_bearing
from frontera.layers.operations import add_operations
from frontera.mapview import MapOptions, build_map
from frontera.store import load_situation, normalize_records
from frontera.view import view_from_query


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
    weights = {m.group(1): float(m.group(2)) for m in re.finditer(
        r'"className": "frontera-flow frontera-flow-(F\d)".*?"weight": ([\d.]+)', html)}
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
    radii = [float(r) for r in re.findall(r'"className": "frontera-clash frontera-event".*?"radius": ([\d.]+)', html, re.S)]
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
    for cls in ("frontera-flow", "frontera-clash frontera-event", "frontera-incident frontera-event", "frontera-operation", "frontera-border",
                "frontera-crossing-official", "frontera-crossing-informal", "frontera-place", "frontera-legend"):
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
    script = html[html.index("<script>", html.index("</style>") if "</style>" in html else 0):]
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
