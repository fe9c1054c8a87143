"""Every page runs without a Streamlit deprecation warning (issue 9: the server log held 66 of them,
``use_container_width`` among them, whose removal was announced for after 2025-12-31).

Streamlit logs each deprecation through ``streamlit.deprecation_util`` (and shows it in the page only
when ``client.showErrorDetails = "full"``): a handler on that logger hears every one.
"""

from __future__ import annotations

import logging

import pytest
from locations import ROOT
from streamlit.testing.v1 import AppTest

PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app_pages").glob("*.py"))


def open_page(page: str, query: dict | None = None) -> AppTest:
    """The app through its entrypoint (which draws the sidebar and owns the view), switched to ``page``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update(query or {})
    at.run()
    at.switch_page(page).run()
    return at


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def deprecations():
    """Deprecation messages logged while the test runs."""
    from streamlit import deprecation_util

    deprecation_util._shown_warnings.clear()  # some are logged once per process: hear them in every test
    logger = logging.getLogger("streamlit.deprecation_util")
    recorder, level = _Recorder(), logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.DEBUG)
    try:
        yield recorder.messages
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(level)


def test_the_recorder_hears_a_deprecation(deprecations):
    """The check itself: a deprecated call is heard (so an empty list below means none was made)."""

    def deprecated_page():
        import streamlit as st

        st.dataframe({"a": [1]}, use_container_width=True)

    at = AppTest.from_function(deprecated_page)
    at.run()
    assert any("use_container_width" in m for m in deprecations), deprecations


@pytest.mark.parametrize("page", PAGES)
def test_page_makes_no_deprecated_call(page, deprecations):
    at = open_page(
        page,
        {
            "start": "2023-09-01",
            "end": "2024-08-31",
            "layers": "border,crossings,places,flows,clashes,incidents,operations",
        },
    )
    assert not at.exception, at.exception
    assert deprecations == []


def test_import_page_makes_no_deprecated_call_through_upload_confirm_and_remove(deprecations):
    from import_helpers import fixture_bytes

    from frontera.storage import geopackage as store

    at = open_page("app_pages/5_Import.py")
    at.file_uploader(key="import_file").upload("acled_current.csv", fixture_bytes("acled_current.csv"), "text/csv")
    at.run()
    at.button(key="import_confirm").click()
    at.run()
    (entry,) = store.list_imports()
    at.file_uploader(key="import_file").set_value(None)
    at.run()
    for key in (
        f"remove_{entry['import_id']}",
        f"remove_no_{entry['import_id']}",
        f"remove_{entry['import_id']}",
        f"remove_yes_{entry['import_id']}",
    ):
        at.button(key=key).click()
        at.run()
        assert not at.exception, at.exception
    assert store.list_imports() == []
    assert deprecations == []
