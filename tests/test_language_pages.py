"""AppTest: the Map, Timeline, Data, Sources and Import pages render in Spanish and in English, with known labels."""

from __future__ import annotations

import datetime as dt

import pytest
from apptest_helpers import run as run_app
from import_helpers import fixture_bytes
from locations import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
WINDOW = {"start": "2024-07-01", "end": "2024-08-31"}


def run(page: str | None, lang: str, query: dict | None = None) -> AppTest:
    return run_app({"lang": lang, **(query or {})}, timeout=90, page=page)


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


@pytest.mark.parametrize(("lang", "label"), [("es", "Idioma"), ("en", "Language")])
def test_the_map_renders_in_each_language(lang, label):
    at = run(None, lang, WINDOW)
    assert at.selectbox(key="language").label == label and at.query_params["lang"] == lang


def test_the_timeline_in_spanish():
    at = run("1_Timeline.py", "es", WINDOW)
    assert at.title[0].value == "Cronología"
    assert "1 jul 2024 al 31 ago 2024 · las barras van del primer al último día" in captions(at)
    table = at.dataframe[0].value
    shown = ["id", "capa", "título", "fechas", "precisión de la fecha", "nota de fecha", "en el mapa"]
    assert list(table.columns) == shown
    assert any(d.endswith("– en curso") for d in table["fechas"])


def test_the_timeline_in_english():
    at = run("1_Timeline.py", "en", WINDOW)
    assert at.title[0].value == "Timeline"
    assert "1 Jul 2024 to 31 Aug 2024 · bars run from the first to the last day" in captions(at)
    table = at.dataframe[0].value
    assert list(table.columns)[:4] == ["id", "layer", "title", "dates"]
    assert any(d.endswith("– ongoing") for d in table["dates"])


def test_an_empty_timeline_says_so_in_spanish():
    at = run("1_Timeline.py", "es", {"start": "2024-07-01", "end": "2024-08-31", "layers": "nothing"})
    assert not at.dataframe
    assert "Ningún registro fechado coincide" in " ".join(i.value for i in at.info)


def test_the_data_page_in_spanish_keeps_the_downloads_contract():
    at = run("2_Data.py", "es", WINDOW)
    assert at.title[0].value == "Datos"
    assert "elementos · 1 jul 2024 al 31 ago 2024 · capas: " in captions(at)
    table = at.dataframe[0].value
    assert {"capa", "título", "inicio", "fin", "víctimas mortales", "fuentes"} <= set(table.columns)
    assert "layer" not in table.columns and "en curso" in set(table["fin"])
    assert at.checkbox(key="csv_hxl").label == "Agregar una fila de etiquetas HXL al CSV"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["GeoJSON", "CSV", "GeoPackage (una tabla por capa)"]


def test_the_data_page_in_english():
    at = run("2_Data.py", "en", WINDOW)
    assert at.title[0].value == "Data"
    assert " features · 1 Jul 2024 to 31 Aug 2024 · layers: " in captions(at)
    table = at.dataframe[0].value
    assert {"layer", "title", "date_start", "date_end", "fatalities"} <= set(table.columns)
    assert "ongoing" in set(table["date_end"])


def test_the_sources_page_renders_in_both():
    assert run("3_Sources.py", "es").title[0].value == "Fuentes y método"
    assert run("3_Sources.py", "en").title[0].value == "Sources and method"


def _upload_bad_flows(lang: str) -> AppTest:
    at = run("5_Import.py", lang)
    at.file_uploader(key="import_file").upload("flows_bad.csv", fixture_bytes("flows_bad.csv"), "text/csv")
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_import_page_in_spanish_rejects_rows_in_spanish():
    at = _upload_bad_flows("es")
    assert at.title[0].value == "Importe sus datos"
    assert {m.label: m.value for m in at.metric} == {
        "Agregar": "0",
        "Actualizar": "0",
        "Quitar": "0",
        "Filas rechazadas": "9",
    }
    assert [s.value for s in at.subheader][:1] == ["Rechazado (no se importa)"]
    rejected = next(d.value for d in at.dataframe if "se esperaba" in d.value.columns)
    assert list(rejected.columns) == ["fila", "columna", "valor", "se esperaba"]
    row6 = rejected[rejected["fila"] == 6].iloc[0]
    assert (row6["columna"], row6["valor"]) == ("date_end", "2024-07-23")
    assert row6["se esperaba"] == "una fecha igual o posterior a date_start 2024-08-02; intercámbielas o corrija una"
    assert "Todavía no se ha importado ni quitado nada." in captions(at)
    assert "Auditoría: quién importó y quitó qué, y cuándo" in [s.value for s in at.subheader]


def test_the_import_page_in_english_is_unchanged():
    at = _upload_bad_flows("en")
    assert at.title[0].value == "Import your data"
    assert {m.label: m.value for m in at.metric}["Rejected rows"] == "9"
    rejected = next(d.value for d in at.dataframe if "expected" in d.value.columns)
    assert list(rejected.columns) == ["row", "column", "value", "expected"]
    row6 = rejected[rejected["row"] == 6].iloc[0]
    assert row6["expected"] == "a date on or after date_start 2024-08-02; swap them or fix one"


def test_downloads_keep_the_export_contracts_column_names_in_spanish():
    from frontera import export, i18n
    from frontera.model.dates import DateWindow
    from frontera.model.view import View
    from frontera.storage import geopackage as store

    sit = store.load_situation()
    view = View(DateWindow(dt.date(2024, 7, 1), dt.date(2024, 8, 31)), ("clashes",))
    with i18n.language("es"):
        text = export.to_csv(export.export_frame(sit, view))
    header = (text.decode() if isinstance(text, bytes) else text).lstrip("\ufeff").splitlines()[0]
    assert header.startswith(",".join(export.CONTRACT_COLUMNS))


def test_warnings_from_the_url_are_said_in_spanish_quoting_the_value():
    at = run(None, "es", {"end": "ayer<b>", "layers": "flows,nubes", "min_fatalities": "muchas"})
    shown = " ".join(w.value for w in at.warning)
    assert "'ayer\\<b\\>'" in shown  # the value is quoted as literal text
    text = shown.replace("\\", "")
    assert "el parámetro end de la URL 'ayer<b>' no es una fecha; se esperaba AAAA-MM-DD. Se ignoró." in text
    assert "Se ignoró la capa desconocida 'nubes' en el parámetro layers de la URL" in text
    assert "'muchas' no es un número entero >= 0; se ignoró (0)." in text


def test_warnings_from_the_url_in_english_are_unchanged():
    at = run(None, "en", {"end": "yesterday"})
    text = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "URL parameter end 'yesterday' is not a date; expected YYYY-MM-DD. It was ignored." in text
