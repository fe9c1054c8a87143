"""Loading the situation once per change of the store, cached at the Streamlit edge."""

from __future__ import annotations

import streamlit as st

from frontera import store
from frontera.analysis import enrich
from frontera.dates import DateWindow, data_span
from frontera.store import Situation


@st.cache_resource(max_entries=4, show_spinner="Reading the situation…")
def _load(geodata_dir: str, user_dir: str, user_mtime: float) -> Situation:
    # Keyed by plain values: the folders and the store's modification time. Cached as a
    # resource (shared, not copied): nothing downstream mutates a Situation.
    from pathlib import Path  # noqa: PLC0415

    return enrich(store.load_situation(Path(geodata_dir), Path(user_dir)))


def situation() -> Situation:
    user_dir = store.data_dir()
    return _load(str(store.geodata_dir()), str(user_dir), store.store_mtime(user_dir))


def span(sit: Situation) -> DateWindow:
    return data_span(list(sit.records.values()))
