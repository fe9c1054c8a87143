"""AppTest: the focus filters through the sidebar and the URL, a shared link with filters, and the feed's choice.

The bundled records: C1 (armed clash, Sinaloa and CJNG, day, municipality), C2 (armed clash, Sinaloa,
19 dead, range, municipality), C3 (attack, 2 dead, SIPAZ, near-town), I1 (road accident, 10 dead, day),
F1–F4 (flows: no kind, no deaths; F4 cites SIPAZ), O1–O5 (operations).
"""

from __future__ import annotations

import json
import re

import pytest
from apptest_helpers import run
from locations import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
TIME_BOUND = {"C1", "C2", "C3", "I1", "F1", "F2", "F3", "F4", "O1", "O2", "O3", "O4", "O5"}


def component_args(at: AppTest) -> dict:
    return json.loads(at.get("component_instance")[0].proto.json_args)


def drawn_ids(at: AppTest) -> set[str]:
    """Record ids the map draws: every time-bound record's popup names its layer and id."""
    args = component_args(at)
    script = args["script"] + (args["feature_group"] or "")
    return set(re.findall(r"(?:flows|clashes|incidents|operations) · ([\w.:-]+)\\u003c/p", script))


def feed_ids(at: AppTest) -> set[str]:
    return {b.key.removeprefix("feed_") for b in at.button if (b.key or "").startswith("feed_")}


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def shown(at: AppTest) -> set[str]:
    """The records shown, asserting the map and the feed agree on them (O2, a meeting, has no place on the map)."""
    assert drawn_ids(at) == feed_ids(at) - {"O2"}, (drawn_ids(at), feed_ids(at))
    return feed_ids(at)


def test_without_focus_the_map_and_the_feed_show_every_record():
    assert shown(run()) == TIME_BOUND


def _set_kind(at):
    at.multiselect(key="focus_kind").select("attack")


def _set_actor(at):
    at.text_input(key="focus_actor").input("SINALOA")


def _set_deaths(at):
    at.number_input(key="focus_min_fatalities").set_value(10)


def _set_source(at):
    at.multiselect(key="focus_source").select("sipaz-2024-06-11")


def _set_date_precision(at):
    at.multiselect(key="focus_date_precision").select("day")


def _set_place_precision(at):
    at.multiselect(key="focus_place_precision").select("near-town")


FILTERS = [
    # (set through the widget, URL parameters, records kept, fatalities figure)
    (_set_kind, {"kind": "attack"}, {"C3"}, "2"),
    (_set_actor, {"actor": "SINALOA"}, {"C1", "C2"}, "19"),
    (_set_deaths, {"min_fatalities": "10"}, {"C2", "I1"}, "29"),
    (_set_source, {"source": "sipaz-2024-06-11"}, {"C3", "F4"}, "2"),
    (_set_date_precision, {"date_precision": "day"}, {"C1", "I1", "O1"}, "10"),
    (_set_place_precision, {"place_precision": "near-town"}, {"C3"}, "2"),
]


@pytest.mark.parametrize("set_widget, query, kept, fatalities", FILTERS, ids=[next(iter(q)) for _, q, _, _ in FILTERS])
def test_each_filter_through_its_widget(set_widget, query, kept, fatalities):
    at = run()
    set_widget(at)
    at.run()
    assert not at.exception, at.exception
    assert shown(at) == kept
    assert metric(at, "Fatalities") == fatalities
    assert metric(at, "Clashes") == str(len({k for k in kept if k.startswith("C")}))
    for key, value in query.items():  # the URL follows the widget
        assert at.query_params[key] == value.lower() if key != "actor" else at.query_params[key] == value


@pytest.mark.parametrize("set_widget, query, kept, fatalities", FILTERS, ids=[next(iter(q)) for _, q, _, _ in FILTERS])
def test_each_filter_through_the_url(set_widget, query, kept, fatalities):
    at = run(query)
    assert shown(at) == kept
    assert metric(at, "Fatalities") == fatalities
    assert not at.warning


def test_a_shared_link_with_filters_restores_them_in_the_sidebar_and_on_every_page():
    query = {"kind": "armed clash", "actor": "cartel", "min_fatalities": "1", "source": "trt-2024-08-03"}
    at = run(query)
    assert at.multiselect(key="focus_kind").value == ["armed clash"]
    assert at.text_input(key="focus_actor").value == "cartel"
    assert at.number_input(key="focus_min_fatalities").value == 1
    assert at.multiselect(key="focus_source").value == ["trt-2024-08-03"]
    assert shown(at) == {"C2"}
    assert any("focus: kind: armed clash" in c.value.replace("\\", "") for c in at.caption)
    at.switch_page("app_pages/2_Data.py").run()
    assert not at.exception, at.exception
    assert any("focus: kind: armed clash" in c.value.replace("\\", "") for c in at.caption)
    table = at.dataframe[0].value
    assert set(table.loc[table["layer"].isin(["clashes", "incidents", "flows", "operations"]), "id"]) == {"C2"}
    for key, value in query.items():  # the link is kept on the other page
        assert at.query_params[key] == value
    assert at.multiselect(key="focus_kind").value == ["armed clash"]


def test_clearing_a_filter_removes_it_from_the_url():
    at = run({"kind": "attack"})
    at.multiselect(key="focus_kind").set_value([]).run()
    assert "kind" not in at.query_params
    assert shown(at) == TIME_BOUND


@pytest.mark.parametrize(
    "query, fragment",
    [
        ({"min_fatalities": "-3"}, "URL parameter min_fatalities '-3' is not a whole number"),
        ({"date_precision": "hourly"}, "URL parameter date_precision 'hourly' is not one of day"),
        ({"place_precision": "street"}, "URL parameter place_precision 'street' is not one of town"),
        ({"source": "a b"}, "URL parameter source 'a b' is not a source id"),
    ],
)
def test_bad_filter_values_in_the_url_warn_quoting_them(query, fragment):
    at = run(query)
    assert fragment in " ".join(w.value.replace("\\", "") for w in at.warning)
    assert shown(at) == TIME_BOUND  # the bad filter is left off, the rest of the view stands


def test_a_kind_the_data_does_not_hold_keeps_nothing_and_is_listed():
    at = run({"kind": "looting"})
    assert at.multiselect(key="focus_kind").value == ["looting"]
    assert shown(at) == set()
    assert any("No record in these dates" in c.value for c in at.caption)


def test_actor_text_is_plain_text_not_a_pattern():
    at = run({"actor": ".*"})
    assert shown(at) == set()  # no actor contains the two characters ".*"
    at = run({"actor": '"Cartel Chiapas'})
    assert shown(at) == {"C2"}


def test_choosing_in_the_feed_selects_the_record_and_centres_the_map():
    from frontera.storage.geopackage import load_situation

    clashes = load_situation(include_user=False).records["clashes"]
    c2 = clashes[clashes["id"] == "C2"].geometry.iloc[0].representative_point()
    at = run()
    at.button(key="feed_C2").click().run()
    assert not at.exception, at.exception
    assert at.query_params["selected"] == "C2"
    assert any(s.value == "Details: C2" for s in at.subheader)
    args = component_args(at)
    assert args["center"] == pytest.approx([c2.y, c2.x]) and args["zoom"] == 12
    assert at.button(key="feed_C2").proto.type == "secondary"  # the chosen entry is marked
    at.run()
    assert component_args(at)["center"] is None  # centred once; a later pan is not pulled back


def test_the_feed_is_newest_first_and_counts_the_rest(monkeypatch):
    import frontera.feed

    monkeypatch.setattr(frontera.feed, "FEED_SIZE", 3)
    at = run()
    keys = [b.key for b in at.button if (b.key or "").startswith("feed_")]
    assert keys == ["feed_O1", "feed_O3", "feed_O2"]
    assert any("and 10 older records" in c.value for c in at.caption)


def test_typing_an_actor_names_the_actors_it_matches():
    at = run()
    at.text_input(key="focus_actor").input("cartel").run()
    hint = next(c.value for c in at.caption if c.value.startswith("Matches"))
    assert hint.replace("\\", "").replace("\u2060", "") == (
        'Matches: Sinaloa cartel; "Cartel Chiapas y Guatemala"; Jalisco New Generation cartel (named by Meganoticias)'
    )
    at.text_input(key="focus_actor").input("nobody at all").run()
    assert any(c.value == "No actor in the data matches." for c in at.caption)
    assert shown(at) == set()
