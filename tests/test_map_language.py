"""The Map page, its sidebar, legend, popups and details, and the standalone export, in Spanish and English."""

from __future__ import annotations

from apptest_helpers import in_two_languages_at_once, map_script
from apptest_helpers import run as run_app
from locations import ROOT
from streamlit.testing.v1 import AppTest

from frontera import cli

APP = str(ROOT / "app.py")
ES_LEGEND = "Enfrentamientos e incidentes (tamaño: víctimas mortales)"
EN_LEGEND = "Clashes and incidents (size: fatalities)"


def run(query: dict | None = None) -> AppTest:
    return run_app(query, timeout=90)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def sidebar_labels(at: AppTest) -> set[str]:
    return (
        {c.label for c in at.sidebar.checkbox}
        | {w.label for w in at.sidebar.selectbox}
        | {s.value for s in at.sidebar.subheader}
    )


def test_the_map_page_in_spanish():
    at = run({"lang": "es"})
    assert at.title[0].value == "Frontera: frontera Chiapas – Guatemala"
    figures = metrics(at)
    assert figures["Personas desplazadas reportadas"] == "400 o 600 · 4.187"  # Spanish grouping, "o"
    assert figures["Víctimas mortales"] == "31"
    assert {"Enfrentamientos", "Incidentes", "Operativos"} <= set(figures)
    captions = " ".join(c.value.replace("\\", "") for c in at.caption)
    assert "400 (F1) o 600 (F2): los reportes no coinciden; no se suman" in captions
    assert "Se muestra del 1 de octubre de 2023 al 31 de agosto de 2024" in captions
    assert "Haga clic en un elemento del mapa" in captions
    labels = sidebar_labels(at)
    assert {"Capas", "Fechas", "Enfrentamientos", "Cruces fronterizos", "Muchos eventos se muestran como"} <= labels
    assert at.date_input(key="dates").label == "Mostrar registros que se solapan con"
    assert at.selectbox(key="density").options == ["automático", "puntos", "hexágonos", "calor"]
    script = map_script(at)
    assert ES_LEGEND in script and EN_LEGEND not in script
    assert "Cuándo" in script and "Fuentes y detalles completos: debajo del mapa." in script  # short popups
    assert "También aquí (" in script and '"Leyenda"' in script  # the browser's texts, as JSON
    assert "enfrentamiento armado" in script  # a kind in the legend


def test_the_feed_search_and_focus_filters_in_spanish_across_reruns():
    at = run({"lang": "es"})
    at.run()  # a rerun: the options' names stay Spanish (format_func bound to the session's language)
    assert not at.exception, at.exception
    assert at.text_input(key="place_query").label == "Buscar un lugar"
    assert any(e.label == "Filtros de enfoque" for e in at.expander)
    assert at.multiselect(key="focus_kind").label == "Tipo"
    assert "enfrentamiento armado" in at.multiselect(key="focus_kind").options
    assert "día exacto" in at.multiselect(key="focus_date_precision").options
    feed = " ".join(m.value for m in at.markdown)
    assert "**Novedades** · 13 registros, los más recientes primero" in feed
    at.text_input(key="place_query").input("amatenango").run()
    assert not at.exception and at.radio(key="place_pick").label.endswith("coincidencias")


def test_the_map_page_in_english_is_unchanged():
    at = run({"lang": "en"})
    assert at.title[0].value == "Frontera: Chiapas – Guatemala border"
    figures = metrics(at)
    assert figures["People reported displaced"] == "400 or 600 · 4,187" and figures["Fatalities"] == "31"
    assert {"Layers", "Dates", "Clashes", "Border crossings"} <= sidebar_labels(at)
    script = map_script(at)
    assert EN_LEGEND in script and ES_LEGEND not in script
    assert "Sources and full details: below the map." in script and "Cuándo" not in script


def test_details_under_the_map_in_spanish():
    def page():
        from frontera.analysis import enrich
        from frontera.i18n import language
        from frontera.storage.geopackage import load_situation
        from frontera.ui import map_panel

        with language("es"):
            map_panel.show_details(enrich(load_situation()), "F1")

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    html = at.get("html")[0].proto.body
    assert at.subheader[0].value == "Detalles: F1"
    assert "Los reportes no coinciden en esta cifra: F2 da 600" in html
    assert "Amatenango de la Frontera: a 0,6 km de la frontera, en México" in html
    assert "Cuilco: a 15,1 km de la frontera, en Guatemala" in html
    assert "<th>Cuándo</th>" in html and "<th>Dónde</th>" in html and "Fuentes" in html


def test_two_sessions_in_two_languages_each_see_their_own_map_legend():
    """The map's parts are cached across sessions (frontera.ui.folium_cache): the language is in their keys."""
    scripts = in_two_languages_at_once(2, map_script)
    for script in scripts["es"]:
        assert ES_LEGEND in script and EN_LEGEND not in script
    for script in scripts["en"]:
        assert EN_LEGEND in script and ES_LEGEND not in script
    # then each session switches: the other language's parts are drawn, never the ones just cached
    at = run({"lang": "en"})
    assert EN_LEGEND in map_script(at)
    at.selectbox(key="language").select("es").run()
    assert not at.exception and ES_LEGEND in map_script(at) and EN_LEGEND not in map_script(at)


def test_the_standalone_export_in_spanish(tmp_path, capsys):
    out = tmp_path / "mapa.html"
    code = cli.main(["--lang", "es", "export-map", "--layers", "flows,clashes,border", "--out", str(out)])
    assert code == 0
    said = capsys.readouterr().out
    assert "se escribió" in said and "no necesita red" in said and "Flujos de desplazamiento" in said
    page = out.read_text(encoding="utf-8")
    assert '<html lang="es">' in page
    assert "<title>Frontera: 1 de octubre de 2023 al 31 de agosto de 2024 · " in page
    assert "Flujos de desplazamiento (origen → destino)" in page  # legend section
    assert "Cuándo" in page and "Enfrentamientos constantes" in page  # popup label, bundled prose in Spanish
    assert EN_LEGEND not in page


def test_the_standalone_export_in_english(tmp_path):
    out = tmp_path / "map.html"
    assert cli.main(["--lang", "en", "export-map", "--layers", "clashes", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "<title>Frontera: 1 October 2023 to 31 August 2024 · Clashes" in page
    assert EN_LEGEND in page and ES_LEGEND not in page


def test_the_browsers_texts_and_the_fast_layers_options_follow_the_language():
    """What our scripts write in the browser comes from Python, translated, as JSON (never hard-coded English)."""
    from frontera.i18n import language
    from frontera.layers.fast import FastEventLayer
    from frontera.layers.panes import MapUse
    from frontera.storage.geopackage import load_situation

    sit = load_situation(include_user=False)
    with language("es"):
        texts = MapUse().options["text"]
        fast = FastEventLayer(sit.records["clashes"], sit.sources).options
    assert texts["Also here ({n})"] == "También aquí ({n})"
    assert texts["{n} in view, one circle each"] == "{n} a la vista, un círculo cada uno"
    assert texts["When"] == "Cuándo" and texts["Legend"] == "Leyenda"
    assert fast["dateLocale"] == "es" and fast["datePrecisionText"]["day"] == "día exacto"
    with language("en"):
        texts = MapUse().options["text"]
        fast = FastEventLayer(sit.records["clashes"], sit.sources).options
    assert texts["Also here ({n})"] == "Also here ({n})" and fast["datePrecisionText"]["day"] == "exact day"
    assert fast["dateLocale"] == "en-GB"
