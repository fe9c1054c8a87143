"""Property tests: random and broken CSV / GeoJSON never crash the parsers; only clean rejections."""

import json
import os

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_helpers import situation

from frontera.importers import parse_file
from frontera.model.records import LAYER_GEOMETRY_TYPES, Problem
from frontera.model.validate import check_records

SETTINGS = settings(
    max_examples=int(os.environ.get("FRONTERA_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ACLED_HEADER = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "notes",
]
FLOW_HEADER = ["id", "origin", "destination", "people", "date_start", "date_end", "source", "status"]
NATIVE_KEYS = [
    "layer",
    "id",
    "title",
    "date_start",
    "date_end",
    "date_precision",
    "geo_precision",
    "source_ids",
    "people",
    "status",
    "origin_ids",
    "destination_id",
    "uncertainty_km",
]

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "1",
            "2",
            "3",
            "-4",
            "1.5",
            "nan",
            "inf",
            "15.4",
            "-92.1",
            "999",
            "2024-07-16",
            "28 June 2024",
            "28-Jun-24",
            "2024-02-30",
            "Battles",
            "Protests",
            "Strategic developments",
            "Agreement",
            "Cuilco",
            "Tila",
            "Amatenango",
            "displaced",
            "=1+1",
            "<b>x</b>",
            '"',
            ";",
            ",",
            "\n",
            "clashes",
            "flows",
            "day",
            "town",
            "MEX1",
            "1e30",
            "-0",
            "1,000",
            "inf",
        ]
    ),
)


def check(parsed) -> None:
    """The contract: a Parsed with problems as Problem objects; every kept record obeys every rule."""
    assert all(isinstance(p, Problem) and str(p) for p in parsed.rejected + parsed.warnings)
    assert check_records(parsed.records, file="kept").problems == []
    assert parsed.records.geometry.notna().sum() + (parsed.records["layer"] == "operations").sum() >= len(
        parsed.records
    )
    for layer, geom in zip(parsed.records["layer"], parsed.records.geometry):  # every kept record can be drawn
        assert geom is None or geom.is_empty or geom.geom_type in LAYER_GEOMETRY_TYPES[layer], (layer, geom)


def parse(name: str, data: bytes):
    s = situation()
    return parse_file(
        name, data, import_id="P", places=s.places, towns=s.towns, admin1=s.admin1, bundled_ids={"F1", "C1"}
    )


def to_csv(header, rows, sep=",") -> bytes:
    return pd.DataFrame(rows, columns=header).to_csv(index=False, sep=sep).encode("utf-8")


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["x.csv", "x.geojson", "x.gpkg", "x.xlsx", "x"]))
def test_random_bytes(data, name):
    check(parse(name, data))


@SETTINGS
@given(
    st.lists(st.lists(cell, min_size=len(ACLED_HEADER), max_size=len(ACLED_HEADER)), min_size=1, max_size=8),
    st.sampled_from([",", ";"]),
)
def test_random_acled_rows(rows, sep):
    check(parse("acled.csv", to_csv(ACLED_HEADER, rows, sep)))


@SETTINGS
@given(
    st.lists(st.lists(cell, min_size=len(FLOW_HEADER), max_size=len(FLOW_HEADER)), min_size=1, max_size=6),
    st.booleans(),
)
def test_random_flow_rows(rows, hxl):
    header_rows = (
        [
            [
                "#id",
                "#adm2+name+origin",
                "#adm2+name+dest",
                "#affected+displaced",
                "#date+start",
                "#date+end",
                "#meta+source",
                "#status",
            ]
        ]
        if hxl
        else []
    )
    check(parse("flows.csv", to_csv(FLOW_HEADER, header_rows + rows)))


@SETTINGS
@given(st.text(max_size=300))
def test_random_text_as_csv(text):
    check(
        parse("t.csv", text.encode("utf-8", "surrogatepass") if text.isprintable() else text.encode("utf-8", "replace"))
    )


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
geometry = st.one_of(
    json_value,
    st.fixed_dictionaries(
        {"type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPoint", "Nope"]), "coordinates": json_value}
    ),
    st.fixed_dictionaries(
        {"type": st.just("Point"), "coordinates": st.lists(st.floats(-200, 200), min_size=0, max_size=3)}
    ),
    st.fixed_dictionaries(
        {"type": st.just("Polygon"), "coordinates": st.just([[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]])}
    ),
)
properties = st.one_of(json_value, st.fixed_dictionaries(dict.fromkeys(NATIVE_KEYS, cell)))


@SETTINGS
@given(
    st.lists(
        st.one_of(
            json_value,
            st.fixed_dictionaries({"type": st.just("Feature"), "geometry": geometry, "properties": properties}),
        ),
        max_size=5,
    ),
    st.booleans(),
)
def test_random_geojson(features, wrap):
    doc = {"type": "FeatureCollection", "features": features} if wrap else features
    check(parse("x.geojson", json.dumps(doc, allow_nan=True).encode()))
