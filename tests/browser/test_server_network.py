"""The server stays home: during a browser session it looks up and connects to no host but this machine.

``make run``'s server (``streamlit run app.py`` with ``.streamlit/config.toml``, nothing else on the
command line but the port) is started with ``netlog/sitecustomize.py`` first on ``PYTHONPATH``: every
name lookup and connection the server process makes is appended to a file. Chromium then opens the
map, the Timeline, the Data and the Sources pages. Every host in the file must be this machine.

Without ``server.address`` in the config, a headless Streamlit 1.67 asks checkip.amazonaws.com for the
external IP at start and opens a socket towards 8.8.8.8 (``streamlit/web/bootstrap.py``, ``_print_url``):
this test fails then (checked by hand when it was written: the file named both).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS, require_chromium
from conftest import _wait_healthy, free_port

from benchmarks.streamlit_server import stop, streamlit_executable

ROOT = Path(__file__).resolve().parents[2]
NETLOG_DIR = Path(__file__).resolve().parent / "netlog"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: This machine; "unix:…" sockets never leave it either. (With the config as it is, the server makes
#: no lookup or connection at all during the session; without server.address it makes three.)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def _start_recorded_server(tmp: Path) -> tuple[subprocess.Popen, int, Path, Path]:
    """``streamlit run app.py --server.port N`` from the repository root, as ``make run`` starts it."""
    port, netlog, out = free_port(), tmp / "netlog.jsonl", tmp / "streamlit.log"
    env = {
        **os.environ,
        "FRONTERA_DATA_DIR": str(tmp / "data"),
        "FRONTERA_TILES_URL": "none",
        "FRONTERA_NETLOG": str(netlog),
        "PYTHONPATH": os.pathsep.join(p for p in (str(NETLOG_DIR), os.environ.get("PYTHONPATH", "")) if p),
    }
    with open(out, "wb") as fh:
        proc = subprocess.Popen(
            [str(streamlit_executable()), "run", "app.py", "--server.port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", proc, out)
    except RuntimeError:
        proc.kill()
        raise
    return proc, port, netlog, out


def _browse_every_page(url: str, tmp: Path, screenshots: Path) -> list[str]:
    """Open the map, then Timeline, Data and Sources through the navigation; return the page errors."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 720},
            service_workers="block",
        )
        # The browser's own requests are another test's subject (test_offline.py): block any outside one.
        context.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith(("http://localhost", "data:", "blob:", "about:"))
                else r.abort()
            ),
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url)
            page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=60_000)
            page.get_by_test_id("stMainMenu").wait_for(timeout=20_000)
            assert page.get_by_test_id("stAppDeployButton").count() == 0  # client.toolbarMode = "viewer"
            page.screenshot(path=str(screenshots / "server_stays_home_map.png"))
            for name, title in (("Timeline", "Timeline"), ("Data", "Data"), ("Sources", "Sources and method")):
                page.get_by_test_id("stSidebarNavLink").filter(has_text=name).first.click()
                page.wait_for_url(f"**/{name}*", timeout=30_000)
                page.get_by_role("heading", name=title, exact=True).wait_for(timeout=60_000)
            page.get_by_test_id("stDataFrame").first.wait_for(timeout=60_000)  # the Sources table
            page.screenshot(path=str(screenshots / "server_stays_home_sources.png"))
        finally:
            context.close()
    return errors


def test_recorder_hears_lookups_and_connections(tmp_path):
    """The check itself: in a child process the recorder logs a lookup and a connection."""
    log = tmp_path / "netlog.jsonl"
    code = (
        "import socket\ntry:\n    socket.getaddrinfo('example.invalid', 80)\nexcept OSError:\n    pass\n"
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.connect(('8.8.8.8', 1))\ns.close()\n"
    )
    env = {**os.environ, "FRONTERA_NETLOG": str(log), "PYTHONPATH": str(NETLOG_DIR)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(c["call"], c["host"]) for c in calls] == [("getaddrinfo", "example.invalid"), ("connect", "8.8.8.8")]


def test_the_server_contacts_no_host_but_this_machine(tmp_path, screenshots):
    require_chromium()
    proc, port, netlog, out = _start_recorded_server(tmp_path)
    try:
        errors = _browse_every_page(f"http://localhost:{port}", tmp_path, screenshots)
    finally:
        stop(proc, timeout=15)
    printed = out.read_text(errors="replace")
    calls = [json.loads(line) for line in netlog.read_text().splitlines()] if netlog.exists() else []
    outside = [c for c in calls if str(c["host"]) not in LOCAL_HOSTS and not str(c["host"]).startswith("unix:")]
    assert outside == [], f"the server reached out: {outside}\n{printed[-2000:]}"
    # It names where it listens, and only that: no "External URL" (looked up on the internet).
    assert f"URL: http://localhost:{port}" in printed and "External URL" not in printed, printed
    assert "Network URL" not in printed
    assert "will be removed after" not in printed, printed  # no deprecated call during the session
    assert errors == []
