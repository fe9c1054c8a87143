"""The layer registry (frontera.model.layers): each layer declared once, and every reader follows it."""

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from frontera import details, filters, popups
from frontera.analysis import enrich
from frontera.features import Feature
from frontera.features.events import event_features
from frontera.features.flows import flow_features
from frontera.features.operations import operation_features
from frontera.features.places import STATIC_FORMATS
from frontera.layers.legend import DATED_ROWS, STATIC_ROWS
from frontera.mapview import DRAW
from frontera.model import layers as registry
from frontera.model import records
from frontera.model.dates import DateWindow
from frontera.model.view import View
from frontera.storage.geopackage import load_situation, normalize_records
from frontera.timeline import LAYER_COLOURS
from frontera.ui.map_panel import clicked_id

SRC = Path(__file__).resolve().parents[1] / "src" / "frontera"
WIDE = View(DateWindow(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), registry.LAYERS)


@pytest.fixture(scope="module")
def sit():
    return enrich(load_situation(include_user=False))


def kept(names: tuple[str, ...], order: tuple[str, ...]) -> list[str]:
    """``names`` that are among ``order``, in their order (a layer added later does not break the check)."""
    return [n for n in names if n in order]


def test_the_record_model_keeps_its_names_and_takes_them_from_the_registry():
    drawing = ("border", "operations", "flows", "clashes", "incidents", "crossings", "places")
    assert kept(records.LAYERS, drawing) == list(drawing)
    assert kept(records.TIME_LAYERS, drawing) == ["flows", "clashes", "incidents", "operations"]
    assert kept(records.STATIC_LAYERS, drawing) == ["places", "crossings", "border"]
    assert set(records.DEFAULT_LAYERS) == set(records.LAYERS)
    assert records.LAYER_GEOMETRY_TYPES["operations"] == ("Polygon", "MultiPolygon", "Point")
    assert records.LAYERS is registry.LAYERS and records.TIME_LAYERS is registry.TIME_LAYERS
    assert set(registry.LAYER_GEOMETRY_TYPES) == set(registry.TIME_LAYERS)


def test_every_layer_is_declared_once_and_each_reader_knows_its_kind():
    names = [spec.name for spec in registry.REGISTRY]
    assert len(names) == len(set(names)) and set(names) == set(registry.LAYERS)
    assert sorted(spec.z for spec in registry.REGISTRY) == list(range(len(names)))
    for spec in registry.REGISTRY:
        assert dataclasses.is_dataclass(spec) and spec.title and spec.short_title
        assert spec.draw in DRAW, spec
        assert spec.legend.rows in (DATED_ROWS if spec.dated else STATIC_ROWS), spec
        formats = popups.FORMATS if spec.dated else STATIC_FORMATS
        assert all(f.fmt in formats for f in (*spec.key_fields, *spec.detail_fields)), spec
        assert spec.dated or spec.frame, "an undated layer names the situation's frame it comes from"
    with pytest.raises(dataclasses.FrozenInstanceError):
        registry.layer("clashes").title = "x"  # type: ignore[misc]
    with pytest.raises(KeyError, match="is not one of the layers"):
        registry.layer("nowhere")


def test_the_timeline_and_the_figures_follow_the_registry(sit):
    assert {spec.name: spec.colour for spec in registry.REGISTRY if spec.dated} == LAYER_COLOURS
    assert len(set(LAYER_COLOURS.values())) == len(LAYER_COLOURS)
    visible = filters.visible_records(sit, WIDE)
    m = filters.metrics(visible)
    assert [name for name, _ in m.counts] == [spec.name for spec in registry.feeding("count")]
    assert {"clashes", "incidents", "operations"} <= dict(m.counts).keys()
    assert all(m.count(name) == len(visible[name]) for name, _ in m.counts)
    assert m.count("flows") == 0, "flows feed the people reported, not a count"
    expected = sum(int(visible[s.name]["fatalities"].fillna(0).sum()) for s in registry.feeding("fatalities"))
    assert m.fatalities == expected > 0
    assert {r.record_id for r in m.displaced_reports} <= set(visible["flows"]["id"])


def test_the_sidebar_gets_its_titles_without_folium():
    tree = ast.parse((SRC / "ui" / "controls.py").read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {m for m in imported if m and (m.startswith(("frontera.mapview", "frontera.layers", "folium")))}
    assert registry.titles() == {name: registry.layer(name).title for name in registry.LAYERS}


def _layer_name_branches(path: Path) -> list[str]:
    """``if``/``elif``/``match`` tests and dict literals in ``path`` that compare with or key on a layer name."""
    names = set(registry.LAYERS)
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        tests = []
        if isinstance(node, (ast.If, ast.IfExp)):
            tests = [node.test]
        elif isinstance(node, ast.Match):
            tests = [node.subject]
        elif isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            if sum(k in names for k in keys) >= 2:
                found.append(f"{path.name}:{node.lineno} dict keyed by layer names")
            continue
        for test in tests:
            for sub in ast.walk(test):
                if isinstance(sub, ast.Compare):
                    consts = [c.value for c in ast.walk(sub) if isinstance(c, ast.Constant)]
                    if any(c in names for c in consts):
                        found.append(f"{path.name}:{node.lineno}")
    return found


@pytest.mark.parametrize(
    "module",
    [
        "mapview.py",
        "popups.py",
        "filters.py",
        "timeline.py",
        "export.py",
        "details.py",
        "layers/legend.py",
        "layers/events.py",
        "layers/render.py",
        "features/events.py",
        "features/flows.py",
        "features/operations.py",
        "features/places.py",
        "ui/map_panel.py",
        "ui/controls.py",
        "ui/search.py",
    ],
)
def test_no_reader_of_the_registry_branches_on_a_layer_name(module):
    assert _layer_name_branches(SRC / module) == []


def test_the_branch_check_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('if layer == "flows":\n    pass\nx = {"clashes": 1, "incidents": 2}\n')
    assert len(_layer_name_branches(bad)) == 2


# Ids hold no white space (a record id is one word: the search and the URL take it so).
HOSTILE_IDS = ["C1", "imp-3:12", "acled:MEX:1{{7*7}}", "<b>&x", "ends-with-colon:"]


@pytest.mark.parametrize("record_id", HOSTILE_IDS)
def test_the_clicked_id_comes_back_from_every_layers_tooltip(sit, record_id):
    """What streamlit-folium hands back is the tooltip's text (its HTML, read as text)."""
    import html

    features: list[Feature] = []
    for layer, build in (
        ("clashes", lambda f: event_features(f, "clashes", sit.sources)),
        ("incidents", lambda f: event_features(f, "incidents", sit.sources)),
        ("flows", lambda f: flow_features(f, {}, sit.sources)),
        ("operations", lambda f: operation_features(f, sit.sources)),
    ):
        frame = sit.records[layer].dropna(subset=["geometry"]).iloc[[0]].copy()
        frame["id"] = record_id
        features += build(normalize_records(frame))
    clickable = [f for f in features if f.interactive]
    assert len(clickable) >= 4
    for f in clickable:
        text = html.unescape(f.tooltip.html)
        assert f.record_id == record_id and registry.record_id_from_tip(text) == record_id, text
        assert clicked_id(text) == record_id


def test_record_tip_and_its_parse_are_one_pair():
    for rid in HOSTILE_IDS:
        assert registry.record_id_from_tip(registry.record_tip(rid, "400 people, A → B")) == rid
    assert registry.record_id_from_tip("Amatenango de la Frontera") is None
    assert registry.record_id_from_tip("Mexico–Guatemala border (OpenStreetMap)") is None
    assert registry.record_id_from_tip(None) is None
    assert registry.record_id_from_tip("x" * 121 + ": long") is None


def test_the_import_tag_is_built_in_one_place():
    assert registry.dataset_tag("20240801-acled") == "import:20240801-acled"
    hits = [
        f"{p.relative_to(SRC)}"
        for p in SRC.rglob("*.py")
        if p.name != "layers.py" and ('"import:' in p.read_text() or 'f"import:' in p.read_text())
    ]
    assert hits == []


def test_details_of_a_clicked_flow_carry_its_ends_sources_and_disagreement(sit):
    d = details.record_details(sit, "F1")
    assert d is not None and d.record_id == "F1" and d.layer == "flows"
    assert "km from the border, in Mexico" in d.html and "F2 gives 600" in d.html
    assert 'href="https://www.trtworld.com/article/18191151"' in d.html
    clash = details.record_details(sit, "C2")
    assert clash is not None and "nearest official crossing" in clash.html and clash.layer == "clashes"
    assert details.record_details(sit, "nope") is None and details.record_details(sit, None) is None
    lat, lon = details.record_point(sit, "C2")
    assert 13 < lat < 20 and -96 < lon < -87
    assert details.record_point(sit, "O2") is None, "a meeting has no place"


def test_details_escape_every_value(sit):
    hostile = sit.records["clashes"].iloc[[0]].copy()
    hostile["id"], hostile["title"], hostile["actors"] = "X1", "<img src=x onerror=alert(1)>", "<script>"
    recs = {**sit.records, "clashes": normalize_records(pd.concat([sit.records["clashes"], hostile]))}
    d = details.record_details(dataclasses.replace(sit, records=recs), "X1")
    assert d is not None and "<img" not in d.html and "<script" not in d.html and "&lt;img" in d.html
