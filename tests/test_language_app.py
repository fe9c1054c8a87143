"""AppTest: the session's language from the URL, the switch and the browser; two sessions at once."""

from __future__ import annotations

from apptest_helpers import in_two_languages_at_once, run
from streamlit.testing.v1 import AppTest


def switch(at: AppTest):
    return at.selectbox(key="language")


def test_without_a_language_in_the_url_english_is_spoken_and_written_to_the_url():
    at = run()
    assert switch(at).label == "Language" and switch(at).value == "en"
    assert at.query_params["lang"] == "en"


def test_lang_es_in_the_url_speaks_spanish_and_stays_in_the_url():
    at = run({"lang": "es"})
    assert switch(at).label == "Idioma" and switch(at).value == "es"
    assert at.query_params["lang"] == "es"
    at.run()  # a rerun keeps it
    assert switch(at).label == "Idioma" and at.query_params["lang"] == "es"


def test_switching_the_language_writes_it_to_the_url():
    at = run()
    switch(at).select("es").run()
    assert not at.exception
    assert switch(at).label == "Idioma" and at.query_params["lang"] == "es"
    switch(at).select("en").run()
    assert switch(at).label == "Language" and at.query_params["lang"] == "en"


def test_an_unknown_language_in_the_url_warns_as_text_and_falls_back():
    at = run({"lang": "xx<b>"})
    text = " ".join(w.value for w in at.warning)
    assert "xx\\<b\\>" in text and "not a language Frontera speaks" in text
    assert at.query_params["lang"] == "en"


def test_two_sessions_in_two_languages_at_once_each_see_their_own():
    labels = in_two_languages_at_once(3, lambda at: switch(at).label, timeout=90)
    assert labels == {"es": ["Idioma"] * 3, "en": ["Language"] * 3}


def test_the_sources_page_in_spanish_and_in_english():
    es = run({"lang": "es"}, page="3_Sources.py")
    assert es.title[0].value == "Fuentes y método"
    assert [h.value for h in es.header] == ["Cómo se codifican las fechas", "Cómo se codifican los lugares"]
    assert "día exacto" in str(es.table[0].value.to_dict())
    en = run({"lang": "en"}, page="3_Sources.py")
    assert en.title[0].value == "Sources and method" and "exact day" in str(en.table[0].value.to_dict())
