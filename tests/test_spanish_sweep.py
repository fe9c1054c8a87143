"""A Spanish-speaking analyst sees no English: every page in ``lang=es`` (the Map with a record's details, the
Timeline, Data, Sources and Import pages, the Import page also with rejected rows and after an import) is
rendered with AppTest, every text a person reads on it is collected (labels, help, captions, markdown, metrics,
table headers, buttons, options, alerts), and none may hold an English message of the catalogue whose Spanish
differs. Generic: a message added later and shown untranslated fails here, naming the page and the text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from apptest_helpers import map_script, run
from babel.messages.pofile import read_po
from google.protobuf.json_format import MessageToDict
from import_helpers import fixture_bytes
from locations import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
PO = ROOT / "src" / "frontera" / "locale" / "es" / "LC_MESSAGES" / "frontera.po"
WINDOW = {"start": "2024-07-01", "end": "2024-08-31"}
#: Shorter English fragments are too often words Spanish shares (or a name).
MIN_CHARS = 10
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\(\w+\))?[sdif]")
#: Proto fields that are not read by a person (ids, keys, data, code, URLs).
_NOT_TEXT = {"id", "formId", "key", "jsonArgs", "componentName", "url", "src", "data", "type", "format", "icon",
             "spec", "selectionMode", "dataframeSelectionMode", "useContainerWidth", "vegaLiteChart", "arrowData",
             "styles", "columns", "pageScriptHash", "mainScriptHash", "urlPathname", "scriptRunId"}  # fmt: skip
#: English that a Spanish page shows on purpose: the language switch's own name.
_ALLOWED = ("English",)
#: Table columns whose cells are the file's own words: a rejected row names the file's column as written there.
_VERBATIM_COLUMNS = ("columna", "valor", "id", "fuentes", "source_urls", "archivo", "quién")
#: What is not read as prose: links, HTML tags (their attributes), and the sources' own titles (data, shown as
#: the source wrote them).
_URL = re.compile(r"https?://[^\s\"'<>]+")
_TAG = re.compile(r"<[^>]*>")


def _source_titles() -> list[str]:
    import csv

    with (ROOT / "geodata" / "sources.csv").open(encoding="utf-8") as fp:
        return sorted((row["title"] for row in csv.DictReader(fp) if row["title"]), key=len, reverse=True)


_SOURCE_TITLES = _source_titles()


def _prose(text: str) -> str:
    text = _TAG.sub(" ", _URL.sub(" ", text))
    for title in _SOURCE_TITLES:
        text = text.replace(title, " ")
    return text


def _fragments(msgid: str) -> list[str]:
    """The literal parts of ``msgid`` between its placeholders that are long enough to mean English."""
    parts = [p.strip(" .,:;·()–-") for p in _PLACEHOLDER.split(msgid)]
    return [p for p in parts if len(p) >= MIN_CHARS and re.search(r"[a-z]{3,} [a-z]{2,}|[a-z]{6,}", p)]


def english_needles() -> dict[str, str]:
    """English fragment -> its msgid, for every message whose Spanish is not the same text."""
    with PO.open("rb") as fp:
        catalogue = read_po(fp, locale="es")
    spanish = []
    messages = []
    for m in catalogue:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        spanish += [s for s in strings if s]
        messages += [(i, strings) for i in ids]
    spanish_text = "\n".join(spanish)
    needles = {}
    for msgid, strings in messages:
        if msgid in strings:  # the same in both languages (a name)
            continue
        for fragment in _fragments(msgid):
            if fragment not in spanish_text:
                needles.setdefault(fragment, msgid)
    return needles


def _strings(value: object, field: str = "") -> Iterator[str]:
    if field in _NOT_TEXT:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, field)


def _nodes(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def shown_texts(at: AppTest) -> list[str]:
    """Every text a person reads on the page: each element's strings (labels, help, bodies, options, values
    of metrics), the headers of tables and dataframes, and their cells' text."""
    texts: list[str] = []
    for root in (at.main, at.sidebar):
        for node in _nodes(root):
            proto = getattr(node, "proto", None)
            kind = getattr(node, "type", "")
            if proto is None or kind in ("component_instance", "arrow_vega_lite_chart"):
                continue
            if kind in ("arrow_data_frame", "arrow_table", "dataframe", "table"):
                frame = node.value
                texts += [str(c) for c in frame.columns]
                shown = frame.drop(columns=[c for c in frame.columns if c in _VERBATIM_COLUMNS])
                texts += [v for v in shown.astype(str).to_numpy().ravel().tolist() if isinstance(v, str)]
                continue
            texts += list(_strings(MessageToDict(proto)))
    return [p for p in (_prose(t) for t in texts) if p.strip()]


#: The map's texts for its browser code, keyed by their English (static/frontera/mapuse.js looks them up).
_BROWSER_TEXTS = re.compile(r"L\.fronteraMapUse\([^,]+, \{.*?\}\);", re.S)
_CANVAS_LAYERS = re.compile(r"L\.fronteraFastPoints\(.*?\)\.addTo\(", re.S)


def map_texts(at: AppTest) -> list[str]:
    """What the map draws from Python (legend, popups, tooltips, notes, credit), as prose: the map's script
    without the browser code's lookup table of texts."""
    script = map_script(at)
    assert _BROWSER_TEXTS.search(script), "the map's texts for mapuse.js were not found"
    # The canvas layers' payload and options are keyed by the stored words (kinds, columns); what they show is
    # looked up from them in the browser (tests/browser/test_fast_spanish.py).
    script = _CANVAS_LAYERS.sub(" ", _BROWSER_TEXTS.sub(" ", script))
    return [_prose(script)]


def english_in(texts: list[str], needles: dict[str, str]) -> list[str]:
    found = []
    for text in texts:
        for fragment, msgid in needles.items():
            if fragment not in text or any(a in fragment for a in _ALLOWED):
                continue
            if re.search(r"(?<![\w-])" + re.escape(fragment) + r"(?![\w-])", text):
                found.append(f"{text[:160]!r} holds {fragment!r} (msgid {msgid[:80]!r})")
    return found


@pytest.fixture(scope="module")
def needles() -> dict[str, str]:
    found = english_needles()
    assert len(found) > 200, "the catalogue should give hundreds of English fragments"
    return found


def _run(query: dict, page: str | None = None) -> AppTest:
    return run({"lang": "es", **query}, timeout=120, page=page)


def _check(at: AppTest, page: str, needles: dict[str, str]) -> None:
    texts = shown_texts(at)
    assert len(texts) > 10, f"{page}: too few texts collected ({texts})"
    found = english_in(texts, needles)
    assert not found, f"{page} in Spanish shows English:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("page", "query"),
    [
        (None, {**WINDOW, "selected": "F1"}),
        (None, {**WINDOW, "selected": "C1", "density": "hexagons"}),
        ("1_Timeline.py", WINDOW),
        ("2_Data.py", WINDOW),
        ("3_Sources.py", {}),
        ("5_Import.py", {}),
    ],
    ids=["map-details-F1", "map-C1-hexagons", "timeline", "data", "sources", "import"],
)
def test_every_page_in_spanish_shows_no_english_message(page, query, needles):
    at = _run(query, page)
    if page is None:
        assert at.subheader and at.subheader[0].value.startswith("Detalles: ")
        found = english_in(map_texts(at), needles)
        assert not found, "the map in Spanish shows English:\n" + "\n".join(found)
    _check(at, page or "0_Map.py", needles)


def test_the_import_page_with_rejected_rows_then_after_an_import_and_a_removal(needles):
    at = _run({}, "5_Import.py")
    data = fixture_bytes("acled_current.csv").replace(b"19,,1722902400", b"-1,,1722902400")
    at.file_uploader(key="import_file").upload("acled_one_bad.csv", data, "text/csv")
    at.run()
    assert at.button(key="import_confirm").disabled and at.warning
    _check(at, "5_Import.py with a rejected row", needles)
    at.checkbox(key="import_valid_rows_only").check().run()
    at.button(key="import_confirm").click().run()
    assert at.success, "the import did not say it was done"
    _check(at, "5_Import.py after an import", needles)
    (remove,) = [b for b in at.button if b.key and b.key.startswith("remove_") and "yes" not in b.key]
    remove.click().run()
    _check(at, "5_Import.py asking to remove", needles)
    next(b for b in at.button if b.key and b.key.startswith("remove_yes_")).click().run()
    assert not at.exception, at.exception
    _check(at, "5_Import.py after a removal", needles)
    at.file_uploader(key="import_file").upload("again.csv", fixture_bytes("acled_current.csv"), "text/csv")
    at.run()
    _check(at, "5_Import.py with a file to import again", needles)


def test_the_sweep_finds_english_where_it_is_shown(needles):
    """The sweep is not blind: the same pages in English show catalogue messages, and it names them."""
    at = _run({"lang": "en"}, "5_Import.py")
    data = fixture_bytes("acled_current.csv").replace(b"19,,1722902400", b"-1,,1722902400")
    at.file_uploader(key="import_file").upload("acled_one_bad.csv", data, "text/csv")
    at.run()
    found = english_in(shown_texts(at), needles)
    assert any("valid rows only" in f for f in found), found
    assert any("Audit: who imported and removed what" in f for f in found), found
    on_map = english_in(map_texts(_run({**WINDOW, "lang": "en"})), needles)
    assert any("place uncertain: anywhere in the ring" in f for f in on_map), on_map


def test_bad_flows_rejections_in_spanish(needles):
    at = _run({}, "5_Import.py")
    at.file_uploader(key="import_file").upload("flows_bad.csv", fixture_bytes("flows_bad.csv"), "text/csv")
    at.run()
    assert not at.exception, at.exception
    _check(at, "5_Import.py with flows_bad.csv", needles)


def test_the_needles_skip_short_and_identical_messages():
    assert _fragments("Add") == []
    assert _fragments("{n} events in the week of {day}") == ["events in the week of"]
    assert Path(PO).is_file()
