"""AppTest: the main page as a person drives it (widgets by key, URL state)."""

import json

import pytest
from apptest_helpers import map_script, run
from locations import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")


def metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def test_default_view_renders_everything():
    at = run()
    script = map_script(at)
    for cls in (
        "frontera-flow-F1",
        "frontera-flow-F2",
        "frontera-flow-F3",
        "frontera-flow-F4",
        "frontera-clash frontera-event",
        "frontera-incident frontera-event",
        "frontera-operation",
        "frontera-border",
        "frontera-crossing-official",
        "frontera-crossing-informal",
        "frontera-place",
    ):
        assert cls in script, cls
    assert "Amatenango de la Frontera" in script and "Cuilco" in script
    assert metric(at, "People reported displaced") == "400 or 600 · 4,187"
    assert any("400 (F1) or 600 (F2): reports disagree, not added up" in c.value.replace("\\", "") for c in at.caption)
    assert metric(at, "Fatalities") == "31"
    assert at.query_params["layers"] == "border,operations,flows,clashes,incidents,crossings,places"


def test_narrowing_dates_removes_amatenango_flows():
    at = run()
    at.date_input(key="dates").set_value(
        (__import__("datetime").date(2024, 7, 1), __import__("datetime").date(2024, 7, 22))
    ).run()
    assert not at.exception
    script = map_script(at)
    assert "frontera-flow-F1" not in script and "frontera-flow-F2" not in script and "frontera-flow-F3" not in script
    assert metric(at, "People reported displaced") == "0"
    assert at.query_params["start"] == "2024-07-01" and at.query_params["end"] == "2024-07-22"
    assert "frontera-clash" in script  # C1 goes on through July


def test_unticking_a_layer_removes_it():
    at = run()
    at.checkbox(key="layer_clashes").uncheck().run()
    script = map_script(at)
    assert "frontera-clash" not in script
    assert "frontera-flow" in script
    assert "clashes" not in at.query_params["layers"].split(",")
    assert metric(at, "Clashes") == "0"


def test_url_restores_view():
    at = run({"start": "2024-06-01", "end": "2024-06-30", "layers": "clashes,border"})
    assert at.date_input(key="dates").value == (
        __import__("datetime").date(2024, 6, 1),
        __import__("datetime").date(2024, 6, 30),
    )
    assert at.checkbox(key="layer_clashes").value is True
    assert at.checkbox(key="layer_flows").value is False
    script = map_script(at)
    assert "frontera-flow" not in script and "frontera-clash" in script and "frontera-border" in script
    assert not at.warning


@pytest.mark.parametrize(
    "query, fragment",
    [
        ({"layers": "flows,bogus"}, "Unknown layer 'bogus'"),
        ({"start": "2024-13-45"}, "is not a date"),
        ({"start": "2024-08-01", "end": "2024-07-01"}, "before start"),
    ],
)
def test_bad_query_params_warn_and_show_nearest_valid_view(query, fragment):
    at = run(query)
    texts = " ".join(w.value for w in at.warning)
    assert fragment in texts
    assert map_script(at)  # the map is still drawn


def test_click_shows_details_below_map():
    at = run()
    assert any("Click a feature" in c.value for c in at.caption)

    def page():
        from frontera.analysis import enrich
        from frontera.storage.geopackage import load_situation
        from frontera.ui import map_panel

        map_panel.show_details(enrich(load_situation()), map_panel.clicked_id("F1: 400 people, Amatenango → Cuilco"))

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    html = at.get("html")[0].proto.body
    assert "Reports disagree" in html and "F2 gives 600" in html and "km from the Mexico–Guatemala border" in html
    assert "Amatenango de la Frontera: 0.6 km from the border, in Mexico" in html
    assert "Cuilco: 15.1 km from the border, in Guatemala" in html
    assert at.subheader[0].value == "Details: F1"


def test_imported_records_appear_beside_the_bundled_ones():
    from locations import ROOT

    from frontera.cli import main

    assert main(["import", str(ROOT / "tests" / "fixtures" / "acled_current.csv")]) in (0, 1)
    at = run({"layers": "clashes"})
    script = map_script(at)
    assert "MEX90001" in script  # an imported ACLED battle, in its popup and tooltip
    assert int(metric(at, "Clashes").replace(",", "")) > 3


def test_unreadable_store_is_explained_and_bundled_data_still_shown(tmp_path, monkeypatch):
    data_dir = tmp_path / "broken"
    data_dir.mkdir()
    (data_dir / "store.gpkg").write_bytes(b"this is not a geopackage")
    monkeypatch.setenv("FRONTERA_DATA_DIR", str(data_dir))
    at = run()
    assert any("could not be read" in e.value and "store.gpkg" in e.value.replace("\\", "") for e in at.error)
    assert "frontera-flow-F1" in map_script(at)
    assert (data_dir / "store.gpkg").read_bytes() == b"this is not a geopackage"  # left untouched


def component_args(at: AppTest) -> dict:
    return json.loads(at.get("component_instance")[0].proto.json_args)


def test_panning_does_not_rerun_the_app():
    assert component_args(run())["returned_objects"] == ["last_object_clicked_tooltip"]


def _aggregate_mode(monkeypatch) -> None:
    from frontera.layers import events
    from frontera.layers.fast import dispatch

    monkeypatch.setattr(dispatch, "AGGREGATE_THRESHOLD", 2)  # 3 clashes + 1 incident > 2
    monkeypatch.setattr(dispatch, "FAST_THRESHOLD", 1)
    monkeypatch.setattr(events, "FAST_THRESHOLD", 1)


def _reply(at: AppTest, zoom: int, south: float, west: float, north: float, east: float) -> dict:
    """What streamlit-folium hands back when the map shows this view; the page rerun with it."""
    at.session_state["situation_map"] = {
        "zoom": zoom,
        "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
    }
    at.run()
    assert not at.exception
    return component_args(at)


def test_aggregate_mode_asks_for_the_viewport_and_uses_it(monkeypatch):
    """Past the aggregate threshold the map must say where it is looking (zoom, bounds)."""
    _aggregate_mode(monkeypatch)
    at = run()
    args = component_args(at)
    assert args["returned_objects"] == ["last_object_clicked_tooltip", "zoom", "bounds"]
    # zoomed out to the region: H3 hexagons, and the map reopens at that zoom if it is rebuilt
    args = _reply(at, 7, 13.0, -95.0, 18.0, -89.0)
    script = args["script"] + args["feature_group"]
    assert "L.fronteraHexagons(" in script and "L.fronteraFastPoints(" not in script
    assert '"zoom": 7,' in script
    # the map reported a zoomed-in view around Amatenango: the events there are drawn one by one
    args = _reply(at, 12, 15.3, -92.3, 15.5, -91.9)
    script = args["script"] + args["feature_group"]
    assert "L.fronteraFastPoints(" in script and "L.fronteraHexagons(" not in script
    assert '"zoom": 12,' in script and "center: [15.4, -92.1]" in script  # reopened where the person was


def test_the_maps_first_reply_at_its_opening_view_changes_nothing_it_was_sent(monkeypatch):
    """The reply that follows the first drawing (zoom and bounds of the opening view) rebuilds neither the
    base map (which would reload the map's frame) nor the events' layer: nothing new goes to the page."""
    from frontera.layers.fast import Viewport
    from frontera.mapview import HOME_CENTER, HOME_ZOOM

    _aggregate_mode(monkeypatch)
    at = run()
    before = component_args(at)
    opening = Viewport.around(HOME_CENTER, HOME_ZOOM, 1180, 485)  # the frame is sized by CSS, not 640 px
    after = _reply(at, HOME_ZOOM, opening.south, opening.west, opening.north, opening.east)
    assert after["script"] == before["script"] and after["key"] == before["key"]
    assert after["feature_group"] == before["feature_group"]
    # a small pan (a tenth of the view) settles on the same view: still nothing new
    dy = (opening.north - opening.south) / 10
    after_pan = _reply(at, HOME_ZOOM, opening.south + dy, opening.west, opening.north + dy, opening.east)
    assert after_pan["feature_group"] == before["feature_group"] and after_pan["script"] == before["script"]


def test_changing_the_view_keeps_the_base_map():
    """Layers and dates swap feature groups; the base map script (and so the map's position) stays."""
    at = run()
    before = component_args(at)
    at.checkbox(key="layer_flows").uncheck().run()
    at.date_input(key="dates").set_value(
        (__import__("datetime").date(2024, 6, 1), __import__("datetime").date(2024, 7, 31))
    ).run()
    after = component_args(at)
    assert after["script"] == before["script"] and after["key"] == before["key"]
    assert after["feature_group"] != before["feature_group"]
    assert "frontera-flow" not in after["feature_group"]


def test_url_values_in_warnings_are_literal_text():
    at = run({"layers": "![x](http://tracker.example/t.png)"})
    body = at.warning[0].value
    assert "![x]" not in body and "\\!\\[x\\]" in body


@pytest.mark.parametrize(
    "tooltip, expected",
    [
        ("F1: 400 people, Amatenango de la Frontera → Cuilco", "F1"),
        ("20261127-ab12:3: 120 people, Tila → Yajalón", "20261127-ab12:3"),
        ("MEX12345: Armed clash near Motozintla: 3 killed", "MEX12345"),
        ("no id here", None),
        (None, None),
    ],
)
def test_clicked_record_id_from_its_tooltip(tooltip, expected):
    from frontera.ui.map_panel import clicked_id

    assert clicked_id(tooltip) == expected


def test_the_view_is_filtered_once_per_run(monkeypatch):
    """Figures and map share one filtering: at a million events each pass costs a good part of a second."""
    from frontera import filters, mapview

    calls = []
    real = filters.visible_records

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(filters, "visible_records", counting)
    monkeypatch.setattr(mapview, "visible_records", counting)
    run()
    assert len(calls) == 1


SHARED = {"start": "2024-07-01", "end": "2024-08-31", "layers": "flows,clashes,operations", "lang": "en"}
PAGES = ["1_Timeline.py", "2_Data.py", "3_Sources.py", "5_Import.py", "0_Map.py"]


def ticked(at: AppTest) -> set[str]:
    return {c.key.removeprefix("layer_") for c in at.sidebar.checkbox if c.key.startswith("layer_") and c.value}


def test_shared_link_survives_every_page_untouched():
    """A shared link, then every page in turn without touching a control: the view and its URL stay."""
    at = run(SHARED)
    first = {label: metric(at, label) for label in ("People reported displaced", "Clashes", "Operations")}
    assert first == {"People reported displaced": "400 or 600", "Clashes": "1", "Operations": "5"}
    for page in PAGES:
        at.query_params.clear()  # as the browser does on a page change
        at.switch_page(f"app_pages/{page}").run()
        assert not at.exception, (page, at.exception)
        assert dict(at.query_params) == {**SHARED, "layers": "operations,flows,clashes"}, page
        if page != "3_Sources.py" and page != "5_Import.py":
            assert ticked(at) == {"flows", "clashes", "operations"}, page
            assert at.date_input(key="dates").value == (
                __import__("datetime").date(2024, 7, 1),
                __import__("datetime").date(2024, 8, 31),
            ), page
    assert {label: metric(at, label) for label in first} == first
    assert "frontera-flow-F1" in map_script(at) and "frontera-clash" in map_script(at)


def test_a_change_on_one_page_holds_on_the_others_and_after_a_reload():
    at = run(SHARED)
    at.switch_page("app_pages/1_Timeline.py").run()
    at.checkbox(key="layer_flows").uncheck().run()
    assert set(at.dataframe[0].value["layer"]) == {"clashes", "operations"}
    at.query_params.clear()
    at.switch_page("app_pages/2_Data.py").run()
    assert at.query_params["layers"] == "operations,clashes"
    assert "flows" not in set(at.dataframe[0].value["layer"])
    reloaded = run(dict(at.query_params))  # a reload is a new session from the URL
    assert ticked(reloaded) == {"clashes", "operations"} and metric(reloaded, "People reported displaced") == "0"


def test_selected_record_in_the_link_shows_its_details():
    at = run({**SHARED, "selected": "C1"})
    assert at.subheader[0].value == "Details: C1"
    assert at.query_params["selected"] == "C1"


def test_details_go_when_their_record_leaves_the_view():
    at = run({**SHARED, "selected": "C1"})
    at.checkbox(key="layer_clashes").uncheck().run()
    assert not any(s.value.startswith("Details") for s in at.subheader)
    assert "selected" not in at.query_params
    at.checkbox(key="layer_clashes").check().run()  # back in view: the details do not come back by themselves
    assert not any(s.value.startswith("Details") for s in at.subheader)


def test_selected_record_outside_the_view_is_not_shown():
    at = run({"layers": "flows", "selected": "C1"})
    assert not any(s.value.startswith("Details") for s in at.subheader)
    assert "selected" not in at.query_params


def test_a_bad_selected_value_warns_as_text_and_selects_nothing():
    at = run({"selected": "C1<img src=x>"})
    text = " ".join(w.value for w in at.warning)
    assert "is not a record id" in text and "C1\\<img src=x\\>" in text  # markdown-escaped: shown as typed
    assert not any(s.value.startswith("Details") for s in at.subheader)


def test_the_navigation_names_the_map_page_map():
    source = (ROOT / "app.py").read_text()
    assert 'st.Page("app_pages/0_Map.py", title=_("Map")' in source
    at = run()
    assert at.title[0].value == "Frontera: Chiapas – Guatemala border"  # the default page is the map


def test_a_record_picked_on_the_timeline_centres_the_map_once():
    from frontera.storage.geopackage import load_situation

    clashes = load_situation().records["clashes"]
    c2 = clashes[clashes["id"] == "C2"].geometry.iloc[0].representative_point()
    at = run({"start": "2024-06-01", "end": "2024-06-30"})
    at.session_state["_frontera_focus_pending"] = "C2"  # what a click on the timeline's C2 bar leaves
    at.run()
    args = component_args(at)
    assert args["center"] == pytest.approx([c2.y, c2.x]) and args["zoom"] == 12
    at.run()
    assert component_args(at)["center"] is None  # once: the map is not pulled back on later runs


def test_density_in_the_url_reaches_the_map_and_the_sidebar():
    at = run({"density": "heat", "layers": "clashes"})
    assert at.selectbox(key="density").value == "heat"
    script = map_script(at)
    # heat puts even the three bundled clashes on the canvas layer, which is told to draw heat
    assert "L.fronteraFastPoints" in script and '"density": "heat"' in script
    at.selectbox(key="density").set_value("auto").run()
    assert not at.exception
    assert "density" not in at.query_params and "L.fronteraFastPoints" not in map_script(at)


def test_a_density_chosen_with_the_maps_buttons_becomes_the_views_and_the_urls():
    """The event layer reports a pick as a click whose tooltip is ``frontera-density=<mode>#<time>``: the view
    (sidebar, URL, the layer sent next) takes it, once per pick; the sidebar can change it again afterwards."""
    at = run({"layers": "clashes,border"})
    assert at.selectbox(key="density").value == "auto"
    at.session_state["situation_map"] = {"last_object_clicked_tooltip": "frontera-density=hexagons#1764300000000"}
    at.run()
    assert not at.exception
    assert at.query_params["density"] in ("hexagons", ["hexagons"])
    assert at.selectbox(key="density").value == "hexagons"
    assert '"density": "hexagons"' in component_args(at)["feature_group"]
    at.selectbox(key="density").set_value("heat").run()  # the same pick, still reported, is not taken again
    assert at.selectbox(key="density").value == "heat"
    assert '"density": "heat"' in component_args(at)["feature_group"]
    at.session_state["situation_map"] = {"last_object_clicked_tooltip": "frontera-density=blobs#1"}
    at.run()  # not a mode: ignored, and not a record id either
    assert not at.exception and at.selectbox(key="density").value == "heat"
