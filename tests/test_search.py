"""AppTest of "Find a place" in the sidebar: towns by the names analysts use, crossings, record ids,
and a marker on the picked place."""

import json
import re

from locations import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")


def run(at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def component_args(at: AppTest) -> dict:
    return json.loads(at.get("component_instance")[0].proto.json_args)


def find(at: AppTest, query: str) -> list[str]:
    at.text_input(key="place_query").set_value(query)
    run(at)
    return list(at.radio(key="place_pick").options)


def test_picking_la_mesilla_centres_the_map_and_marks_it():
    at = run()
    assert "frontera-picked" not in component_args(at)["feature_group"]
    options = find(at, "La Mesilla")
    mesilla = next(o for o in options if o.startswith("La Mesilla — Huehuetenango, Guatemala"))
    at.radio(key="place_pick").set_value(mesilla)
    run(at)
    args = component_args(at)
    assert args["center"] == [15.652072, -91.98046] and args["zoom"] == 12
    groups = args["feature_group"]
    assert "frontera-picked" in groups
    # At the crossing, and not interactive: it never takes a click meant for what lies beneath.
    assert re.search(r'L\.marker\(\s*\[15\.652072, -91\.98046\],\s*\{\s*"interactive": false', groups)
    assert '.bindTooltip("La Mesilla", ' in groups  # its name labels the marker


def test_crossings_and_record_ids_can_be_searched():
    at = run()
    options = find(at, "Talisman")
    assert any(o.startswith("Talismán – El Carmen — official border crossing") for o in options), options
    options = find(at, "c1")
    assert options[0].startswith("C1\\: Constant confrontations"), options  # shown literally, not as markdown
    at.radio(key="place_pick").set_value(options[0])
    run(at)
    assert component_args(at)["center"] == [15.43466, -92.11711]


def test_frontera_comalapa_and_ciudad_de_guatemala_are_found():
    at = run()
    assert find(at, "Frontera Comalapa")[0].startswith("Frontera Comalapa \\(Comalapa\\) — Chiapas, México")
    assert find(at, "Ciudad de Guatemala")[0].startswith("Ciudad de Guatemala \\(Guatemala City\\)")
    at.text_input(key="place_query").set_value("Atlantis")
    run(at)
    assert any("No place or record matches" in c.value for c in at.caption)


def test_picking_a_record_id_selects_the_record_and_shows_its_details():
    """Found by its id, a record is centred, marked and selected: the details under the map are its own."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["selected"] = "F2"
    at.run()  # not run(at): an AppTest that has not run yet is falsy
    assert not at.exception, at.exception
    assert any(h.value == "Details: F2" for h in at.subheader)
    (c1,) = [o for o in find(at, "C1") if o.startswith("C1")]
    at.radio(key="place_pick").set_value(c1)
    run(at)
    assert at.query_params["selected"] == "C1"
    assert any(h.value == "Details: C1" for h in at.subheader), [h.value for h in at.subheader]
    assert component_args(at)["zoom"] == 12
    run(at)  # a later run keeps it, and does not pick it again over a newer choice
    assert at.query_params["selected"] == "C1"
