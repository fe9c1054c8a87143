"""The bundled records in Spanish: every text translated, only bundled rows, and shown in a Spanish session."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from locations import ROOT
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from frontera.model.translations import TRANSLATABLE, check_texts, translate_records
from frontera.storage.geopackage import load_situation, read_record_texts


def test_every_bundled_record_has_its_prose_in_spanish():
    sit = load_situation(include_user=False)
    texts = read_record_texts("es")
    assert not check_texts(texts, "geodata/records.es.csv")
    have = set(zip(texts["id"], texts["field"]))
    ids = set()
    for frame in sit.records.values():
        for rec in frame.to_dict("records"):
            ids.add(rec["id"])
            for fieldname in TRANSLATABLE:
                if str(rec.get(fieldname) or "").strip():
                    assert (rec["id"], fieldname) in have, f"{rec['id']} {fieldname} has no Spanish text"
    # The crossings' notes, the places' roles and the sources' context facts are this project's prose too.
    context = sit.context.rename(columns={"source_id": "id"})
    for frame, fieldname in ((sit.crossings, "note"), (sit.places, "role"), (context, "fact")):
        for rec in frame.to_dict("records"):
            ids.add(rec["id"])
            if str(rec.get(fieldname) or "").strip():
                assert (rec["id"], fieldname) in have, f"{rec['id']} {fieldname} has no Spanish text"
    assert set(texts["id"]) <= ids, f"translations for records that do not exist: {set(texts['id']) - ids}"


def test_only_bundled_rows_are_translated_and_untouched_frames_are_the_same_objects():
    frame = gpd.GeoDataFrame(
        {"id": ["F1", "F1"], "dataset": ["bundled", "import:x"], "title": ["English", "Source words"]},
        geometry=[Point(0, 0), Point(1, 1)],
        crs="EPSG:4326",
    )
    other = frame.iloc[0:0]
    texts = pd.DataFrame({"id": ["F1"], "field": ["title"], "text": ["Español"]})
    out = translate_records({"flows": frame, "clashes": other}, texts)
    assert list(out["flows"]["title"]) == ["Español", "Source words"]
    assert list(frame["title"]) == ["English", "Source words"]  # the original is not changed
    assert out["clashes"] is other


def test_a_bad_translation_table_is_named_row_by_row():
    texts = pd.DataFrame({"id": ["F1", "F1", "C1"], "field": ["title", "title", "id"], "text": ["a", "b", " "]})
    problems = check_texts(texts, "records.es.csv")
    assert any("row 3" in p and "translated twice" in p for p in problems)
    assert any("row 4" in p and "'id' cannot be translated" in p for p in problems)
    assert any("row 4" in p and "empty" in p for p in problems)


def test_a_spanish_session_reads_the_record_in_spanish_an_english_one_in_english():
    def details(lang: str) -> str:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update({"lang": lang, "selected": "F1"})
        at.run()
        assert not at.exception
        return " ".join(h.proto.body for h in at.get("html"))

    assert "Unas 400 personas huyen de Amatenango de la Frontera a Cuilco" in details("es")
    english = details("en")
    assert "About 400 people flee Amatenango de la Frontera to Cuilco" in english and "Unas 400" not in english


def test_the_sources_context_fact_is_in_the_sessions_language():
    def context(lang: str) -> str:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page("app_pages/3_Sources.py").run()
        assert not at.exception, at.exception
        return " ".join(t.value for t in at.text)

    assert "Más de 450.000 personas han sido asesinadas en México desde 2006." in context("es")
    english = context("en")
    assert "More than 450,000 people have been murdered in Mexico since 2006." in english and "Más de" not in english
