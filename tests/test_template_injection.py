"""Issue 8: text from data is never template source, on any path that renders a map.

Every payload of the corpus (``tests/payloads.py``) goes into every free-text field of
every record, and into place, crossing and source names; the standalone export and the
app's map then carry each one as the literal text it was, nothing runs, nothing fails.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import html.parser
import json
import re
from pathlib import Path

import branca
import folium
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from locations import ROOT
from payloads import ALL, PWNED_ENV, PWNED_NAME, SHORT

from frontera import popups, standalone
from frontera.layers import literal
from frontera.layers.common import SafePopup, SafeTooltip
from frontera.mapview import MapOptions, build_base_map, build_layer_groups
from frontera.model.dates import DateWindow
from frontera.model.records import LAYERS
from frontera.model.view import View
from frontera.settings import TileSetting
from frontera.storage import geopackage as store

#: Record fields that hold free text (structure fields such as layer, dates and precisions stay valid).
TEXT_FIELDS = (
    "id",
    "title",
    "summary",
    "actors",
    "kind",
    "status",
    "domain",
    "place_note",
    "date_note",
    "people_wording",
    "extent_note",
    "dataset",
    "source_ids",
)
WHOLE_SPAN = DateWindow(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
_LITERAL_CALL = re.compile(r"\.bind(?:Popup|Tooltip)\((\"(?:[^\"\\]|\\.)*\")")


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown_texts(page: str) -> list[str]:
    """The text a person reads in every popup and tooltip of a rendered map (script or page)."""
    out = []
    for literal_js in _LITERAL_CALL.findall(page):
        parser = _Text()
        parser.feed(json.loads(literal_js))
        out.append("".join(parser.parts))
    return out


@pytest.fixture
def pwned_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "pwn"
    folder.mkdir()
    monkeypatch.setenv(PWNED_ENV, str(folder))
    return folder


def hostile(situation: store.Situation, payloads: list[str]) -> tuple[store.Situation, list[str]]:
    """The situation with payloads (cycled) in every text field of every record, place, crossing and source."""
    used: list[str] = []

    def next_payload() -> str:
        value = payloads[len(used) % len(payloads)]
        used.append(value)
        return value

    records = {}
    for layer, original in situation.records.items():
        gdf = original.copy()
        for col in TEXT_FIELDS:
            if col in gdf:
                gdf[col] = [
                    next_payload() if col != "id" else f"{layer[:2]}{i}{next_payload()}" for i in range(len(gdf))
                ]
        records[layer] = gdf
    places = situation.places.copy()
    places["name"] = [next_payload() for _ in range(len(places))]
    crossings = situation.crossings.copy()
    for col in ("name", "mx_town", "note"):
        crossings[col] = [next_payload() for _ in range(len(crossings))]
    sources = situation.sources.copy()
    for col in ("publisher", "title"):
        sources[col] = [next_payload() for _ in range(len(sources))]
    return dataclasses.replace(situation, records=records, places=places, crossings=crossings, sources=sources), used


@pytest.fixture(scope="module")
def bundled() -> store.Situation:
    return store.load_situation(include_user=False)


def test_the_second_template_pass_is_switched_off_for_every_element():
    assert literal.installed()
    m = folium.Map(tiles=None)
    folium.Marker((15, -92), icon=folium.DivIcon(html="{% if true %}IFTRUE{% endif %} {#")).add_to(m)
    folium.PolyLine([(15, -92), (16, -91)], class_name="{{ 7*191 }}").add_to(m)
    page = m.get_root().render()
    assert "{% if true %}IFTRUE{% endif %} {#" in page and "{{ 7*191 }}" in page and "1337" not in page


def test_branca_is_the_version_whose_render_the_guard_replaces():
    # frontera.layers.literal re-implements MacroElement.render of this branca; a new branca must be reviewed.
    pinned = re.search(r'"branca==([^"]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert branca.__version__ == pinned
    assert "Element(script(self, kwargs))" in __import__("inspect").getsource(literal._ORIGINAL_RENDER)


def test_no_folium_element_that_renders_text_twice_is_used():
    """folium.Popup/Tooltip (and popup=/tooltip= arguments) render their text as a template again: never used."""
    offenders = []
    for path in (ROOT / "src" / "frontera").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "folium" not in source:  # Altair's tooltip= is another matter (tests of the timeline)
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute) and node.attr in (
                "Popup",
                "Tooltip",
                "Html",
                "IFrame",
                "Vega",
                "VegaLite",
            ):
                offenders.append(f"{path.name}:{node.lineno} {node.attr}")
            if isinstance(node, ast.Call):
                offenders += [
                    f"{path.name}:{node.lineno} {k.arg}=" for k in node.keywords if k.arg in ("popup", "tooltip")
                ]
    assert offenders == []


def test_every_payload_in_every_field_shows_literally_in_the_standalone_map(bundled, pwned_dir):
    situation, used = hostile(bundled, ALL)
    assert set(ALL) <= set(used)
    page = standalone.standalone_html(situation, View(WHOLE_SPAN, LAYERS))
    texts = "\n".join(shown_texts(page))
    missing = [p for p in set(used) if p not in texts]
    assert missing == []
    assert not (pwned_dir / PWNED_NAME).exists() and list(pwned_dir.iterdir()) == []
    assert "IFTRUE" not in texts.replace("{% if true %}IFTRUE{% endif %}", "")


def test_tile_attribution_from_a_setting_is_text(bundled, pwned_dir):
    tiles = TileSetting(url="http://tiles.lan/{z}/{x}/{y}.png", attribution=SHORT[3] + " {#", max_zoom=18)
    m = build_base_map(bundled, MapOptions(tiles=tiles))
    page = m.get_root().render()
    assert json.dumps(SHORT[3] + " {#")[1:-1] in page.replace("\\u0027", "'")
    assert list(pwned_dir.iterdir()) == []


def test_app_map_page_draws_hostile_imported_records(bundled, pwned_dir):
    from streamlit.testing.v1 import AppTest

    situation, used = hostile(bundled, SHORT)
    store.write_user_records(situation.records)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["start"], at.query_params["end"] = "2023-01-01", "2025-12-31"
    at.run()
    assert not at.exception, at.exception
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    texts = "\n".join(shown_texts(args["script"] + (args["feature_group"] or "")))
    assert [p for p in set(used) if p not in texts] == []
    assert list(pwned_dir.iterdir()) == []


def _one_clash(bundled: store.Situation, **text: str) -> store.Situation:
    clash = bundled.records["clashes"].iloc[[0]].copy()
    for key, value in text.items():
        clash[key] = value
    records = {layer: (clash if layer == "clashes" else gdf.iloc[0:0]) for layer, gdf in bundled.records.items()}
    return dataclasses.replace(bundled, records=records)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=60), summary=st.text(max_size=200), actors=st.text(max_size=60))
def test_any_text_renders_back_verbatim_through_a_full_map_render(bundled, title, summary, actors):
    situation = _one_clash(bundled, title=title, summary=summary, actors=actors)
    m = build_base_map(situation, MapOptions(asset_mode="inline"))
    for group in build_layer_groups(situation, View(WHOLE_SPAN, ("clashes",))):
        group.add_to(m)
    texts = shown_texts(m.get_root().render())
    popup = next(t for t in texts if "Sources" in t)
    assert title in popup and summary in popup and actors in popup


@settings(max_examples=300, deadline=None)
@given(value=st.text(max_size=120))
def test_any_text_survives_the_popup_and_detail_builders(value):
    rec = {
        "layer": "clashes",
        "id": "X1",
        "title": value,
        "summary": value,
        "actors": value,
        "kind": value,
        "place_note": value,
        "date_note": value,
        "date_start": dt.date(2024, 7, 1),
        "date_end": None,
        "date_precision": "day",
        "geo_precision": "town",
        "source_ids": value,
        "fatalities": None,
    }
    sources = pd.DataFrame(columns=["source_id", "publisher", "title", "published", "url"])
    for built in (
        popups.record_popup(rec, sources, popups.event_rows(rec)),
        popups.detail_html(rec, sources, {}),
    ):
        for element in (SafePopup(built), SafeTooltip(built)):
            parser = _Text()
            parser.feed(json.loads(element.html_js))
            assert value in "".join(parser.parts)
            assert not any(c in element.html_js for c in "{}%#<>&")


def test_imported_acled_text_and_file_name_reach_the_export_as_text(tmp_path, pwned_dir, capsys):
    """The attack of issue 8 end to end: an ACLED file with template text in every text column, imported, exported."""
    from frontera import cli

    header = (
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
        "assoc_actor_1,actor2,assoc_actor_2,country,admin1,admin2,admin3,location,latitude,longitude,"
        "geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
    )
    rows = []
    for i, payload in enumerate(p for p in ALL if "\n" not in p and "\r" not in p and len(p) < 500):
        cell = '"' + payload.replace('"', '""') + '"'
        rows.append(
            ",".join(
                [
                    f"MEX{9000 + i}",
                    "2024-07-10",
                    "2024",
                    "1",
                    "Political violence",
                    "Battles",
                    "Armed clash",
                    cell,
                    cell,
                    cell,
                    "",
                    "Mexico",
                    cell,
                    cell,
                    "",
                    cell,
                    "15.43",
                    "-92.11",
                    "1",
                    cell,
                    "National",
                    cell,
                    "2",
                    "",
                    "1720000000",
                ]
            )
        )
    name = "{{ 7*191 }} {#.csv"
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code = cli.main(["import", str(path)])
    out = capsys.readouterr()
    assert code == 0, out.err + out.out
    page_path = tmp_path / "map.html"
    assert (
        cli.main(
            [
                "export-map",
                "--start",
                "2024-07-01",
                "--end",
                "2024-07-31",
                "--layers",
                "clashes",
                "--out",
                str(page_path),
            ]
        )
        == 0
    )
    texts = "\n".join(shown_texts(page_path.read_text(encoding="utf-8")))
    for payload in (
        "{{ 7*191 }} and {% if true %}IFTRUE{% endif %}",
        "Attack on {#3 checkpoint reported",
        "Curly notes: {{ and a lone {% in a sentence",
        "<img src=x onerror=alert(1)>",
    ):
        assert payload in texts
    assert list(pwned_dir.iterdir()) == []
