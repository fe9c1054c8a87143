"""Issue 8 in the browser: hostile text shows as the literal text it was, runs nothing, loads nothing.

The app over a store full of payloads, the standalone export of the same records, a hostile
upload name on the Import page and Markdown typed into "Find a place".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import frontera
from conftest import MAP_FRAME, write_hostile_store
from payloads import PWNED_ENV, SHORT

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
TIMEOUT_MS = 60_000

#: Opens each record layer's popup in turn (Leaflet API inside the page) and returns the text shown.
_POPUP_TEXTS = """
(map) => {
    const out = [];
    map.eachLayer(layer => {
        const popup = layer.getPopup && layer.getPopup();
        if (!popup || !layer.getLatLng) return;
        layer.openPopup();
        const node = popup.getElement() && popup.getElement().querySelector('.leaflet-popup-content');
        if (node) out.push(node.innerText);
        layer.closePopup();
    });
    return out;
}
"""
_FIND_MAP = "() => Object.values(window).find(v => v instanceof L.Map) || window.map_div"


def watch_dialogs(page) -> list[str]:
    dialogs: list[str] = []

    def seen(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)
    return dialogs


def popup_texts(frame_or_page) -> list[str]:
    handle = frame_or_page.evaluate_handle(_FIND_MAP)
    return frame_or_page.evaluate(_POPUP_TEXTS, handle)


def test_app_shows_hostile_records_as_text(offline_hostile, hostile_app_url, screenshots):
    page = offline_hostile.context.new_page()
    dialogs = watch_dialogs(page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(hostile_app_url + "/?start=2023-01-01&end=2025-12-31")
    page.frame_locator(MAP_FRAME).locator("path.frontera-border").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    map_frame = next(f for f in page.frames if f != page.main_frame and f.evaluate("() => !!window.L"))
    texts = "\n".join(popup_texts(map_frame))
    for payload in SHORT:
        assert payload in texts, payload
    page.screenshot(path=str(screenshots / "hostile_app.png"))
    assert dialogs == [] and errors == []
    assert offline_hostile.external() == [], offline_hostile.external()


def test_standalone_export_shows_hostile_records_as_text(no_network, tmp_path, monkeypatch, screenshots):
    data = tmp_path / "data"
    write_hostile_store(data)
    out = tmp_path / "hostile.html"
    pwn = tmp_path / "pwn"
    pwn.mkdir()
    env = {"FRONTERA_DATA_DIR": str(data), PWNED_ENV: str(pwn)}
    frontera("export-map", "--start", "2023-01-01", "--end", "2025-12-31", "--out", str(out), env=env, check=True)
    assert list(pwn.iterdir()) == []
    page = no_network.context.new_page()
    dialogs = watch_dialogs(page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(out.as_uri())
    page.locator("path.frontera-border").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    texts = "\n".join(popup_texts(page))
    for payload in SHORT:
        assert payload in texts, payload
    page.screenshot(path=str(screenshots / "hostile_standalone.png"))
    assert dialogs == [] and errors == []
    assert [u for u in no_network.seen if not u.startswith(("file:", "data:"))] == []


def test_hostile_upload_name_and_search_text_stay_text(offline, app_url, tmp_path):
    page = offline.context.new_page()
    dialogs = watch_dialogs(page)
    page.goto(app_url + "/Import")
    name = "![x](http://127.0.0.1:9/fn.png).csv"
    upload = tmp_path / "upload.csv"
    upload.write_text("not,an,acled\n1,2,3\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": upload.read_bytes()}]
    )
    page.get_by_text(name, exact=False).first.wait_for(timeout=TIMEOUT_MS)
    page.goto(app_url)
    query = "![y](http://127.0.0.1:9/search.png)"
    box = page.locator(".st-key-place_query input")
    box.fill(query)
    box.press("Enter")
    page.get_by_text(query, exact=False).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)
    assert page.locator('[data-testid="stSidebar"] img, [data-testid="stMain"] img[src*="127.0.0.1:9"]').count() == 0
    assert dialogs == []
    assert offline.external() == [] and offline.blocked == [], offline.blocked
