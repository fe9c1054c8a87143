"""The fast event layer: its payload holds the same events as the plain layer, and the browser draws them.

Python tests decode the payload as ``fast-util.js`` does and compare it with the
records; browser tests open a standalone map in headless Chromium (offline), check
that the canvas drew as many events as the plain folium layer does, that popups
carry the regular popup's fields and that data cannot inject HTML.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import zlib
from html.parser import HTMLParser
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS, require_chromium
from shapely.geometry import Point, Polygon

from frontera import assets, popups
from frontera.aggregate import aggregate_points
from frontera.layers.events import add_events
from frontera.layers.fast import (
    FastEventLayer,
    HexagonLayer,
    encode_cells,
    encode_events,
)
from frontera.layers.fast.schema import CELL_COLUMNS, EVENT_COLUMNS, PAYLOAD_VERSION
from frontera.storage.geopackage import CRS, load_situation, normalize_records

XSS = '<img src=x onerror="window.__pwned=1">`${1}` & \u001f'


def decode(payload: dict) -> dict:
    """What fast-util.js reads: typed arrays and string tables by column name."""
    header = payload["header"]
    buf = base64.b64decode(payload["data"])
    if header["codec"] == "deflate":
        buf = zlib.decompress(buf)
    assert len(buf) == header["bytes"]
    types = {"i32": "<i4", "u32": "<u4", "u16": "<u2", "u8": "u1", "f32": "<f4"}
    out = {}
    for name, c in header["columns"].items():
        if c["t"] == "str":
            out[name] = buf[c["o"] : c["o"] + c["b"]].decode("utf-8").split("\x1f")
        else:
            out[name] = np.frombuffer(buf, dtype=types[c["t"]], count=c["n"], offset=c["o"])
    for name, c in header["columns"].items():
        if c["t"] == "str":
            table = out[name]
            out[name] = [table[k] for k in out[c["codes"]]] if "codes" in c else table * header["n"]
    return out


def records(rows: list[dict]) -> pd.DataFrame:
    base = {"layer": "clashes", "date_precision": "day", "geo_precision": "town", "source_ids": "s1", "kind": "attack"}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    import geopandas as gpd

    return normalize_records(gpd.GeoDataFrame(frame, geometry=frame.pop("geometry"), crs=CRS))


@pytest.fixture
def three():
    return records(
        [
            {
                "id": "A1",
                "title": XSS,
                "date_start": "2024-07-16",
                "date_end": None,
                "fatalities": None,
                "geometry": Point(-92.13641, 15.65912),
                "uncertainty_km": 8.0,
                "actors": "Sinaloa cartel; CJNG",
            },
            {
                "id": "A2",
                "title": "Ambush on the road",
                "date_start": "2024-08-01",
                "date_end": "2024-08-03",
                "fatalities": 12,
                "kind": "armed clash",
                "geo_precision": "municipality",
                "geometry": Polygon([(-92.0, 15.4), (-91.9, 15.4), (-91.9, 15.5), (-92.0, 15.5)]),
            },
            {"id": "A3", "title": "No place", "date_start": "2024-08-02", "fatalities": 0, "geometry": None},
        ]
    )


def test_payload_holds_each_located_event_with_its_fields(three):
    data = decode(encode_events(three))
    assert data["id"] == ["A1", "A2"]  # A3 has no place: not drawn, as in the plain layer
    lon = data["px"][data["place"]] / 1e5
    lat = data["py"][data["place"]] / 1e5
    assert lon[0] == pytest.approx(-92.13641) and lat[0] == pytest.approx(15.65912)
    assert (-92.0 < lon[1] < -91.9) and (15.4 < lat[1] < 15.5)  # a polygon: a point inside it
    assert data["fatalities"].tolist() == [-1, 12]  # -1: not reported
    assert data["title"][0] == XSS.replace("\u001f", " ")  # raw in the payload; escaped by the popup
    assert data["kind"] == ["attack", "armed clash"]
    day = np.datetime64("1970-01-01") + data["start"].astype("timedelta64[D]")
    assert [str(d) for d in day] == ["2024-07-16", "2024-08-01"]
    assert data["span"].tolist() == [-1, 2]  # no end (ongoing); a three-day range
    assert data["uncertainty"].tolist() == [80, 65535]


def test_shared_places_are_sent_once():
    pts = [Point(-92.1, 15.6)] * 50 + [Point(-91.9, 15.4)] * 50
    frame = records(
        [{"id": f"E{i}", "title": "t", "date_start": "2024-01-01", "geometry": p} for i, p in enumerate(pts)]
    )
    data = decode(encode_events(frame))
    assert len(data["px"]) == 2 and len(data["place"]) == 100


def test_empty_selection_encodes_to_nothing(three):
    payload = encode_events(three.iloc[0:0])
    assert payload["header"]["n"] == 0 and decode(payload)["id"] == []


def test_hexagon_payload_adds_up_to_the_events():
    rng = np.random.default_rng(1)
    lon, lat, fat = rng.uniform(-93, -91, 500), rng.uniform(14.5, 16.5, 500), rng.integers(-1, 5, 500)
    agg = aggregate_points(lon, lat, fat, 5)
    data = decode(encode_cells(agg))
    assert data["count"].sum() == 500
    assert data["fatalities"].sum() == fat[fat >= 0].sum()
    assert data["unknown"].sum() == (fat < 0).sum()
    assert len(data["verts"]) == len(agg) * 12


# ------------------------------------------------------------------ browser


class _Text(HTMLParser):
    """Table rows (label -> text), heading and source items of a popup."""

    def __init__(self):
        super().__init__()
        self.rows, self.h4, self.sources, self._tag, self._label = {}, "", [], None, None
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._tag = tag
        if tag == "li":
            self.sources.append("")

    def handle_data(self, data):
        if self._tag == "h4":
            self.h4 += data
        elif self._tag == "th":
            self._label = data
        elif self._tag == "td" and self._label:
            self.rows[self._label] = self.rows.get(self._label, "") + data
        if self.sources and self._tag in ("li", "a", "span"):
            self.sources[-1] += data

    def handle_endtag(self, tag):
        if tag == "td":
            self._label = None
        self._tag = None


def parsed(html: str) -> _Text:
    p = _Text()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def browser_page():
    require_chromium()
    import tempfile

    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="fastpoints-")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            viewport={"width": 1000, "height": 700},
            args=CHROMIUM_ARGS,
        )
        external: list[str] = []
        context.route(re.compile(r"^https?://"), lambda r: (external.append(r.request.url), r.abort()))
        page = context.new_page()
        page.external = external
        yield page
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


def standalone(tmp_path: Path, layer, zoom: int = 9, center=(15.5, -92.0)) -> tuple[Path, str]:
    m = folium.Map(location=center, zoom_start=zoom, tiles=None)
    assets.configure_map(m, "inline")
    layer.add_to(m)
    path = tmp_path / "map.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    return path, layer.get_name()


def drawn(page, css: str) -> int:
    page.wait_for_selector(f"canvas.{css}[data-drawn]", state="attached", timeout=15000)
    return int(page.get_attribute(f"canvas.{css}", "data-drawn"))


@pytest.mark.browser
def test_canvas_draws_the_same_events_as_the_plain_layer(browser_page, tmp_path):
    sit = load_situation(include_user=False)
    events = pd.concat([sit.records["clashes"], sit.records["incidents"]], ignore_index=True)
    plain = folium.FeatureGroup()
    expected = add_events(plain, sit.records["clashes"], "clashes", sit.sources) + add_events(
        plain, sit.records["incidents"], "incidents", sit.sources
    )
    layer = FastEventLayer(events, sit.sources)
    path, name = standalone(tmp_path, layer, zoom=7, center=(16.0, -92.0))
    page = browser_page
    page.goto(path.as_uri())
    assert drawn(page, "frontera-fastpoints") == expected == layer.count
    assert page.external == []
    # Every popup carries the regular popup's heading, rows (but Border) and sources.
    for rec in events.to_dict("records"):
        if rec["geometry"] is None:
            continue
        ours = parsed(page.evaluate(f"{name}.popupHtml({name}.indexOf({rec['id']!r}))"))
        theirs = parsed(popups.record_popup(rec, sit.sources, popups.event_rows(rec)))
        assert ours.h4 == theirs.h4
        assert ours.rows == {k: v for k, v in theirs.rows.items() if k != "Border"}, rec["id"]
        assert ours.sources == theirs.sources


@pytest.mark.browser
def test_click_opens_an_escaped_popup_and_pages_through_events_at_one_spot(browser_page, tmp_path, three):
    same_spot = records(
        [
            {
                "id": f"B{i}",
                "title": f"Event {i}",
                "date_start": f"2024-01-0{i + 1}",
                "geometry": Point(-92.13641, 15.65912),
            }
            for i in range(2)
        ]
    )
    frame = pd.concat([three, same_spot], ignore_index=True)
    path, name = standalone(tmp_path, FastEventLayer(frame), zoom=10, center=(15.65912, -92.13641))
    page = browser_page
    page.goto(path.as_uri())
    assert drawn(page, "frontera-fastpoints") == 4  # A3 has no place; A2 is off to the south-east but in view
    # streamlit-folium learns what was clicked from the clicked layer's tooltip: record it the same way.
    page.evaluate(f"{name}.on('click', e => {{ window.__clicked = e.sourceTarget.getTooltip().getContent(); }})")
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    assert "1 of 3 events here" in popup.inner_text()
    clicked = page.evaluate("window.__clicked")
    shown = page.evaluate(
        "(html) => { const s = document.createElement('span'); s.innerHTML = html; "
        "return [s.textContent, s.children.length]; }",
        clicked,
    )
    first = popup.locator("h4").inner_text()
    assert shown[1] == 0 and re.match(r"^(A1|B0|B1): ", shown[0]), clicked  # "ID: title", as plain text
    assert shown[0].split(": ", 1)[1].strip() == first
    titles = set()
    for _ in range(3):
        titles.add(popup.locator("h4").inner_text())
        popup.locator("button[data-step='1']").click()
    assert titles == {XSS.replace("\u001f", " ").strip(), "Event 0", "Event 1"}  # inner_text trims
    assert popup.locator("img").count() == 0
    assert page.evaluate("window.__pwned === undefined")


@pytest.mark.browser
def test_uncertainty_rings_appear_when_zoomed_in(browser_page, tmp_path, three):
    path, _name = standalone(tmp_path, FastEventLayer(three.iloc[:1]), zoom=12, center=(15.65912, -92.13641))
    page = browser_page
    page.goto(path.as_uri())
    assert drawn(page, "frontera-fastpoints") == 1
    # An 8 km ring at zoom 12 is ~ 210 px in radius: pixels 150 px from the centre are tinted.
    tinted = page.evaluate("""() => {
        const c = document.querySelector('canvas.frontera-fastpoints');
        const r = window.devicePixelRatio || 1, ctx = c.getContext('2d');
        const px = ctx.getImageData(Math.round((c.width / r / 2 + 150) * r), Math.round(c.height / 2), 1, 1).data;
        return px[3] > 0;
    }""")
    assert tinted


@pytest.mark.browser
def test_hexagons_draw_every_cell_and_report_counts(browser_page, tmp_path):
    rng = np.random.default_rng(2)
    lon, lat, fat = rng.normal(-92.1, 0.2, 400), rng.normal(15.6, 0.2, 400), rng.integers(0, 3, 400)
    agg = aggregate_points(lon, lat, fat, 5)
    path, _name = standalone(tmp_path, HexagonLayer(agg, note="Zoom in to see events"), zoom=8, center=(15.6, -92.1))
    page = browser_page
    page.goto(path.as_uri())
    assert drawn(page, "frontera-hexagons") == len(agg)
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    text = page.locator(".leaflet-popup-content").inner_text(timeout=5000)
    count = int(re.search(r"([\d,]+) events", text).group(1).replace(",", ""))
    assert 0 < count <= 400 and "Zoom in to see events" in text


# ------------------------------------------------------------------ dispatch


def spread(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    return records(
        [
            {"id": f"E{i}", "title": "t", "date_start": "2024-01-01", "fatalities": int(f), "geometry": Point(x, y)}
            for i, (x, y, f) in enumerate(
                zip(rng.uniform(-93, -91, n), rng.uniform(14.5, 16.5, n), rng.integers(0, 4, n))
            )
        ]
    )


def children(group: folium.FeatureGroup) -> list:
    return list(group._children.values())


def test_add_events_switches_to_the_canvas_above_the_threshold(monkeypatch):
    import frontera.layers.events as events_module

    monkeypatch.setattr(events_module, "FAST_THRESHOLD", 20)
    small, big = folium.FeatureGroup(), folium.FeatureGroup()
    assert add_events(small, spread(20), "clashes", pd.DataFrame()) == 20
    assert not any(isinstance(c, FastEventLayer) for c in children(small))
    assert add_events(big, spread(21), "clashes", pd.DataFrame()) == 21
    (layer,) = children(big)
    assert isinstance(layer, FastEventLayer) and layer.count == 21


def test_too_many_events_become_hexagons_unless_zoomed_in(monkeypatch):
    import frontera.layers.fast as fp
    import frontera.layers.fast.dispatch as dispatch

    monkeypatch.setattr(dispatch, "AGGREGATE_THRESHOLD", 100)
    events = spread(300)
    hexes = fp.many_events_layer(events)
    assert isinstance(hexes, HexagonLayer)
    data = decode(hexes.payload)
    assert data["count"].sum() == 300 and data["fatalities"].sum() == events["fatalities"].sum()
    near = fp.Viewport(zoom=12, south=15.0, west=-92.05, north=15.1, east=-91.95)
    detail = fp.many_events_layer(events, viewport=near)
    assert isinstance(detail, FastEventLayer)
    box = near.padded()
    lon, lat = fp.lon_lat(events)
    assert detail.count == int(((lon >= box.west) & (lon <= box.east) & (lat >= box.south) & (lat <= box.north)).sum())
    far = fp.Viewport(zoom=7, south=14.0, west=-94.0, north=17.0, east=-90.0)
    assert isinstance(fp.many_events_layer(events, viewport=far), HexagonLayer)


def test_viewport_reads_st_folium_output():
    out = {"zoom": 11, "bounds": {"_southWest": {"lat": 15.0, "lng": -92.5}, "_northEast": {"lat": 15.5, "lng": -92.0}}}
    assert fp_viewport(out) == (11.0, 15.0, -92.5, 15.5, -92.0)
    assert fp_viewport({"zoom": None}) is None


def fp_viewport(out):
    from frontera.layers.fast import Viewport

    v = Viewport.from_st_folium(out)
    return None if v is None else (v.zoom, v.south, v.west, v.north, v.east)


def test_density_choice_reaches_the_layer_and_is_checked(three):
    group = folium.FeatureGroup()
    assert add_events(group, three, "clashes", pd.DataFrame(), density="hexagons") == 2  # small, yet on the canvas
    (layer,) = children(group)
    assert isinstance(layer, FastEventLayer) and layer.options["density"] == "hexagons"
    with pytest.raises(ValueError, match="density 'blobs' is not one of auto, points, hexagons, heat"):
        FastEventLayer(three, density="blobs")


def test_hostile_source_text_reaches_the_script_without_template_or_html_syntax(three):
    sources = pd.DataFrame(
        [
            {
                "source_id": "s1",
                "publisher": "{{7*7}} {% raw %} {# <script>",
                "title": "100% & more",
                "published": "2024",
                "url": "",
            }
        ]
    )
    layer = FastEventLayer(three, sources)
    header = layer.header_js
    assert not any(c in header for c in "{%#<>&"[1:]) and "{{" not in header and "{%" not in header
    assert json.loads(header)["sources"]["s1"][0] == "{{7*7}} {% raw %} {# <script>"


# ------------------------------------------------------------ one schema, both sides

FAST_JS = assets.STATIC_DIR / "frontera"


def test_the_browser_copy_of_the_schema_is_generated_from_the_python_one():
    from frontera.layers.fast.schema import SCHEMA_JS, schema_js

    on_disk = (assets.STATIC_DIR / SCHEMA_JS).read_text(encoding="utf-8")
    assert on_disk == schema_js(), "static/frontera/fast-schema.js is stale: run `python -m frontera.layers.fast`"
    declared = json.loads(on_disk.split("L.FronteraFast.schema = ", 1)[1].split(";\n", 1)[0])
    assert declared["version"] == PAYLOAD_VERSION
    assert [tuple(c) for c in declared["events"]] == [(c.name, c.type) for c in EVENT_COLUMNS]
    assert [tuple(c) for c in declared["cells"]] == [(c.name, c.type) for c in CELL_COLUMNS]


def test_payload_headers_carry_the_schemas_columns_in_order_and_its_version(three):
    agg = aggregate_points(np.array([-92.1, -92.0]), np.array([15.6, 15.5]), np.array([1, -1]), 5)
    for payload, schema in ((encode_events(three), EVENT_COLUMNS), (encode_cells(agg), CELL_COLUMNS)):
        header = payload["header"]
        assert header["v"] == PAYLOAD_VERSION
        packed = [(name, c["t"]) for name, c in header["columns"].items() if "#" not in name]
        assert [name for name, _t in packed] == [c.name for c in schema]
        assert all(col.accepts(t) for col, (_name, t) in zip(schema, packed, strict=True))
        # every offset in the buffer follows the previous column's (packing order is schema order)
        offsets = [c["o"] for c in header["columns"].values()]
        assert offsets == sorted(offsets)


def test_the_packer_refuses_a_column_the_schema_does_not_declare_or_types_otherwise():
    from frontera.errors import PayloadSchemaError as SchemaError
    from frontera.layers.fast.codec import Packer

    pack = Packer(EVENT_COLUMNS)
    with pytest.raises(SchemaError, match="'py' packed where the schema expects 'px'"):
        pack.array("py", np.zeros(2, np.int32))
    with pytest.raises(SchemaError, match="'px' packed as u16, declared i32"):
        pack.array("px", np.zeros(2, np.uint16))
    pack.array("px", np.zeros(2, np.int32))
    with pytest.raises(SchemaError, match=r"declared in the schema were not packed"):
        pack.payload()


def test_the_browser_code_reads_only_columns_the_schema_declares():
    """Every ``cols.<name>`` the layers read is declared for their payload (renaming one side alone fails)."""
    reads = {
        "fast-points.js": {c.name for c in EVENT_COLUMNS},
        "fast-hexagons.js": {c.name for c in CELL_COLUMNS},
    }
    for name, declared in reads.items():
        code = (FAST_JS / name).read_text(encoding="utf-8")
        used = set(re.findall(r"\b(?:cols|this\._cols)\.([A-Za-z_]\w*)", code))
        assert used, f"{name} reads no columns through `cols`: the check below would test nothing"
        assert used <= declared, f"{name} reads {sorted(used - declared)}, which the schema does not declare"


def test_views_close_to_each_other_settle_on_one_layer_view_that_holds_them():
    from frontera.layers.fast import Viewport
    from frontera.layers.fast.dispatch import DETAIL_ZOOM, settled_viewport

    home = Viewport.around((15.45, -92.03), 11, 1280, 485)
    first = settled_viewport(home)
    assert first is not None and first.padded().holds(home)
    # panning by up to a few hundred pixels, even across the grid's lines: the same view, the same layer
    for dlat, dlon in ((0.05, 0), (-0.05, 0), (0, 0.1), (0.03, -0.08)):
        moved = Viewport.around((15.45 + dlat, -92.03 + dlon), 11, 1280, 485)
        assert settled_viewport(moved, first) == first
        assert first.padded().holds(moved)
    far = Viewport.around((15.45, -91.2), 11, 1280, 485)  # about 1,200 px away: a new view that holds it
    again = settled_viewport(far, first)
    assert again != first and again is not None and again.padded().holds(far)
    assert settled_viewport(Viewport.around((15.45, -92.03), 12), first) != first  # another zoom
    # zoomed out, only the zoom (and roughly the latitude) matters: every event is summed
    out_a = settled_viewport(Viewport.around((15.45, -92.03), DETAIL_ZOOM - 2))
    assert out_a == settled_viewport(Viewport.around((15.9, -91.0), DETAIL_ZOOM - 2))
    assert settled_viewport(None) is None
