"""Browser tests: the real app (``streamlit run app.py``) in Debian's headless Chromium, offline.

Every request to a host other than the app's own is blocked and recorded; tests
assert that none was made. Chromium is driven by PyPI ``playwright`` but is
Debian's ``/usr/bin/chromium`` (``scripts/ensure_chromium.sh`` installs it):
Playwright's own browser download is never used.

Without /usr/bin/chromium the tests skip on a developer machine and fail under
CI (``CI=true``), where a skipped browser test would hide a broken map.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS, require_chromium

from benchmarks.streamlit_server import free_port, start_streamlit, stop
from benchmarks.streamlit_server import wait_healthy as _wait_healthy  # the browser tests' name for it

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
#: The streamlit-folium component's frame.
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _start_app(tmp: Path, extra_args: list[str] = ()) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = tmp / "streamlit.log"
    env = {**os.environ, "FRONTERA_DATA_DIR": str(tmp / "data"), "FRONTERA_TILES_URL": "none"}
    return start_streamlit("app.py", port, env, log, extra_args), f"http://127.0.0.1:{port}", log


def _serve(tmp: Path, base_path: str = "") -> Iterator[str]:
    """Run ``streamlit run app.py`` from the repository root on a free port until the caller is done."""
    require_chromium()
    proc, url, log = _start_app(tmp, ["--server.baseUrlPath", base_path] if base_path else [])
    try:
        _wait_healthy(f"{url}/{base_path}".rstrip("/"), proc, log)
        yield f"{url}/{base_path}".rstrip("/")
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    """Base URL of the real app, started once per test session."""
    yield from _serve(tmp_path_factory.mktemp("app"))


@pytest.fixture(scope="session")
def app_url_with_base_path(tmp_path_factory) -> Iterator[str]:
    """The app behind ``--server.baseUrlPath frontera`` (as behind an office reverse proxy)."""
    yield from _serve(tmp_path_factory.mktemp("app-base"), "frontera")


@dataclass
class Offline:
    """A Chromium context where only ``allowed_hosts`` (host:port) are reachable; others are counted."""

    context: object
    allowed_hosts: set[str]
    blocked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)

    def external(self) -> list[str]:
        """Every request made to another host (blocked ones included), in order."""
        return [u for u in self.seen if _is_external(u, self.allowed_hosts)]


def _is_external(url: str, allowed_hosts: set[str]) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "file", "chrome", "chrome-extension", "devtools"):
        return False
    return parts.netloc not in allowed_hosts


@pytest.fixture(scope="module")
def playwright_driver():
    # Module scope: Playwright's sync API allows one driver at a time, and other test modules
    # (tests/test_fastpoints.py) start their own.
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def _offline_context(playwright_driver, tmp_path: Path, allowed_hosts: set[str], **launch) -> Iterator[Offline]:
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "chromium-profile"),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        service_workers="block",
        **{"viewport": {"width": 1400, "height": 950}, **launch},
    )
    state = Offline(context, allowed_hosts)

    def route(r) -> None:
        if _is_external(r.request.url, allowed_hosts):
            state.blocked.append(r.request.url)
            r.abort("internetdisconnected")
        else:
            r.continue_()

    # On the context, not the page: the map's frame makes its own requests.
    context.route("**/*", route)
    context.on("request", lambda req: state.seen.append(req.url))
    try:
        yield state
    finally:
        context.close()


@pytest.fixture
def spanish_browser(playwright_driver, app_url, tmp_path):
    """A Spanish-speaking browser (Accept-Language and navigator.language es-MX) that reaches the app and
    nothing else: its context, and the outside URLs it was kept from."""
    with contextmanager(_offline_context)(
        playwright_driver, tmp_path, {urlsplit(app_url).netloc}, viewport={"width": 1280, "height": 800}, locale="es-MX"
    ) as state:
        yield state.context, state.blocked


@pytest.fixture
def offline(playwright_driver, app_url, tmp_path) -> Iterator[Offline]:
    """A fresh Chromium profile that reaches the app and nothing else."""
    yield from _offline_context(playwright_driver, tmp_path, {urlsplit(app_url).netloc})


@pytest.fixture
def offline_base_path(playwright_driver, app_url_with_base_path, tmp_path) -> Iterator[Offline]:
    """Like ``offline``, for the app served under a base URL path."""
    yield from _offline_context(playwright_driver, tmp_path, {urlsplit(app_url_with_base_path).netloc})


@pytest.fixture
def no_network(playwright_driver, tmp_path) -> Iterator[Offline]:
    """A fresh Chromium profile that reaches no host at all (for files opened from disk)."""
    yield from _offline_context(playwright_driver, tmp_path, set())


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def write_hostile_store(data_dir: Path) -> list[str]:
    """A user store whose records carry the short payload corpus in every text field; returns the payloads used."""
    from payloads import SHORT

    from frontera.storage import geopackage as store

    bundled = store.load_situation(include_user=False)
    records, used = {}, []
    for layer, original in bundled.records.items():
        gdf = original.copy()
        for col in ("title", "summary", "actors", "place_note", "date_note"):
            gdf[col] = [SHORT[(i + len(used)) % len(SHORT)] for i in range(len(gdf))]
            used += list(gdf[col])
        gdf["id"] = [f"H{layer[:2]}{i}" for i in range(len(gdf))]
        gdf["disagrees_with"] = ""
        gdf["dataset"] = "hostile"
        records[layer] = gdf
    store.write_user_records(records, data_dir)
    return sorted(set(used))


@pytest.fixture(scope="session")
def hostile_app_url(tmp_path_factory) -> Iterator[str]:
    """The real app over a user store full of hostile text (issue 8)."""
    tmp = tmp_path_factory.mktemp("app-hostile")
    write_hostile_store(tmp / "data")
    yield from _serve(tmp)


@pytest.fixture
def offline_hostile(playwright_driver, hostile_app_url, tmp_path) -> Iterator[Offline]:
    yield from _offline_context(playwright_driver, tmp_path, {urlsplit(hostile_app_url).netloc})
