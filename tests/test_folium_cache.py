"""The cached map call sends the browser exactly what st_folium sends, and renders each half once."""

import json

from streamlit.testing.v1 import AppTest


def _page():
    import datetime as dt

    from streamlit_folium import st_folium

    from frontera.mapview import MapOptions, build_base_map, build_layer_groups
    from frontera.model.dates import DateWindow
    from frontera.model.view import View
    from frontera.storage.geopackage import load_situation
    from frontera.ui import folium_cache

    sit = load_situation()
    view = View(DateWindow(dt.date(2024, 6, 1), dt.date(2024, 8, 31)), ("border", "operations", "flows", "clashes"))
    returned = ["last_object_clicked_tooltip", "zoom", "bounds"]
    st_folium(
        build_base_map(sit, MapOptions()),
        key="plain",
        height=640,
        use_container_width=True,
        feature_group_to_add=build_layer_groups(sit, view),
        returned_objects=returned,
    )
    builds = []

    def base():
        builds.append("base")
        return build_base_map(sit, MapOptions())

    def layers():
        builds.append("layers")
        return build_layer_groups(sit, view)

    for key in ("cached", "again"):  # the second call is served from the caches
        parts = [folium_cache.LayerPart(("test", "all"), 0, layers)]
        folium_cache.st_folium_cached(
            ("test", MapOptions()), base, parts, key=key, height=640, returned_objects=returned
        )
    import streamlit as st

    st.text(",".join(builds))


def test_same_arguments_as_st_folium_and_each_half_rendered_once():
    at = AppTest.from_function(_page, default_timeout=90).run()
    assert not at.exception, at.exception
    plain, cached, again = (json.loads(c.proto.json_args) for c in at.get("component_instance"))
    assert again["script"] == cached["script"] and again["feature_group"] == cached["feature_group"]
    for name in (
        "script",
        "header",
        "html",
        "id",
        "height",
        "width",
        "returned_objects",
        "default",
        "zoom",
        "center",
        "feature_group",
        "css_links",
        "js_links",
    ):
        assert cached[name] == plain[name], name
    assert "frontera-flow" in cached["feature_group"] and "frontera-border" in cached["feature_group"]
    assert at.text[0].value == "base,layers"  # the second call built nothing
