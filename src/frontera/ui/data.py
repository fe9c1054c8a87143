"""Loading the situation once per change of the store, cached at the Streamlit edge."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from frontera import i18n
from frontera.model.dates import DateWindow, data_span
from frontera.model.translations import translate_records
from frontera.storage import geopackage as store
from frontera.storage.geopackage import Situation
from frontera.ui.text import plain


@st.cache_resource(max_entries=4, show_spinner="Reading the situation…")
def _load(geodata_dir: str, user_dir: str, user_mtime: float) -> tuple[Situation, str | None]:
    # Keyed by plain values: the folders and the store's modification time. Cached as a
    # resource (shared, not copied): nothing downstream mutates a Situation.
    try:
        return store.load_situation(Path(geodata_dir), Path(user_dir)), None
    except Exception as exc:  # noqa: BLE001 - an unreadable store must not hide the bundled situation
        problem = (
            f"Your imported data in {store.store_path(Path(user_dir))} could not be read "
            f"({type(exc).__name__}: {exc}); the map shows the bundled situation only. "
            "Move that file aside (it is left untouched) and import your files again, "
            "or point FRONTERA_DATA_DIR at another folder."
        )
        return store.load_situation(Path(geodata_dir), include_user=False), problem


@st.cache_resource(max_entries=4, show_spinner=False)
def _in_language(geodata_dir: str, user_dir: str, user_mtime: float, lang: str) -> Situation:
    # The bundled records' prose in the session's language (imported records keep their source's words).
    sit, _problem = _load(geodata_dir, user_dir, user_mtime)
    texts = store.read_record_texts(lang, Path(geodata_dir))
    return replace(sit, records=translate_records(sit.records, texts))


def situation_key() -> tuple[str, str, float]:
    """Plain values that name the situation loaded: its folders and the store's modification time."""
    user_dir = store.data_dir()
    return str(store.geodata_dir()), str(user_dir), store.store_mtime(user_dir)


def situation(report: bool = True) -> Situation:
    """The situation; ``report=False`` leaves a problem with the store unsaid (the entrypoint says it once)."""
    key = situation_key()
    sit, problem = _load(*key)
    if i18n.current() != i18n.DEFAULT_LANGUAGE:
        sit = _in_language(*key, i18n.current())
    if problem and report:
        st.error(plain(problem), icon="🚫")
    return sit


def span(sit: Situation) -> DateWindow:
    return data_span(list(sit.records.values()))
