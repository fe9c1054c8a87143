"""A team on one database (issue 11): N headless Chromium sessions open the map of ONE app process
while two ``frontera import`` processes write into the same PostgreSQL + PostGIS database.

    bash scripts/test_postgres.sh run -- .venv/bin/python benchmarks/team_load_bench.py
    bash scripts/test_postgres.sh run -- .venv/bin/python benchmarks/team_load_bench.py --sessions 8 --imports 2

The database is ``FRONTERA_TEST_DATABASE_URL`` (the throwaway cluster of ``scripts/test_postgres.sh``):
for each run a fresh database is created in it, ``frontera db upgrade`` creates the schema, and
``streamlit run app.py`` is started with ``FRONTERA_DATABASE_URL`` set (no sign-in: served to this
machine only). One warm-up session opens the map first (the script's cold start is not counted), then
the sessions open the map all at once while the imports run. Measured: each session's time to map
(navigation to the map's frame holding the drawn Leaflet layers and the legend), the server's peak
RSS (``VmHWM`` of its process), each import's wall time. Checked: every session drew the map, no
request left 127.0.0.1, every imported record is in the database afterwards, each import's message.
``tests/browser/test_team_load.py`` runs the same with three sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "src"))

from benchmarks.browser import ARGS, CHROMIUM  # noqa: E402
from benchmarks.streamlit_server import wait_healthy  # noqa: E402
from benchmarks.synth import native_clashes_geojson  # noqa: E402

MAP_FRAME_URL = "st_folium"
#: In the map's frame: how many Leaflet layers are on the map and how many SVG paths / canvases they drew.
DRAWN = """() => {
  const map = window.fronteraMap;
  if (!map || !document.querySelector('.frontera-legend')) return null;
  let layers = 0; map.eachLayer(() => { layers++; });
  const c = map.getContainer();
  const shapes = c.querySelectorAll('path.leaflet-interactive, canvas, .leaflet-marker-icon').length;
  return {layers, shapes};
}"""


@dataclass
class Session:
    seconds: float
    layers: int
    shapes: int
    external: list[str] = field(default_factory=list)


@dataclass
class Import:
    file: str
    seconds: float
    returncode: int
    out: str


def features(tag: str, n: int) -> bytes:
    """``n`` clashes with ids ``<tag>-<k>`` in Frontera's own GeoJSON."""
    return native_clashes_geojson(tag, n, dataset="team", spread=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db_url: str, tmp: Path) -> dict[str, str]:
    env = {**os.environ, "FRONTERA_DATABASE_URL": db_url, "FRONTERA_TILES_URL": "none"}
    env["FRONTERA_DATA_DIR"] = str(tmp / "data")
    env["FRONTERA_SECRETS"] = str(tmp / "no-secrets.toml")  # no [auth]: the local-only mode
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def db_upgrade(db_url: str, tmp: Path) -> str:
    """``frontera db upgrade`` against ``db_url``; its output."""
    proc = subprocess.run(
        [sys.executable, "-m", "frontera.cli", "db", "upgrade"],
        env=_env(db_url, tmp),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"frontera db upgrade exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def start_app(db_url: str, tmp: Path) -> tuple[subprocess.Popen, str]:
    """``streamlit run app.py`` on 127.0.0.1 against ``db_url``; returns the process and its URL once healthy."""
    streamlit = Path(sys.executable).with_name("streamlit")
    port = _free_port()
    args = ["run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"]
    args += ["--server.headless", "true", "--server.fileWatcherType", "none"]
    log = tmp / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(streamlit), *args], cwd=ROOT, env=_env(db_url, tmp), stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log, timeout=120)
    except RuntimeError:
        proc.kill()
        raise
    return proc, url


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size so far (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


async def _map_drawn(page, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if MAP_FRAME_URL not in frame.url:
                continue
            try:
                drawn = await frame.evaluate(DRAWN)
            except Exception:  # noqa: BLE001 - a frame that is being replaced
                continue
            if drawn and drawn["layers"] > 1 and drawn["shapes"] > 0:
                return drawn
        await asyncio.sleep(0.1)
    raise TimeoutError(f"the map was not drawn within {timeout:.0f} s")


async def open_map(browser, url: str, timeout: float = 300.0, screenshot: Path | None = None) -> Session:
    """A fresh context (its own Streamlit session) opens the map; seconds from navigation to drawn."""
    host = urlsplit(url).netloc
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    seen: list[str] = []
    context.on("request", lambda req: seen.append(req.url))

    async def route(r) -> None:
        parts = urlsplit(r.request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != host:
            await r.abort("internetdisconnected")
        else:
            await r.continue_()

    await context.route("**/*", route)
    try:
        page = await context.new_page()
        t0 = time.monotonic()
        await page.goto(url, wait_until="commit", timeout=timeout * 1000)
        drawn = await _map_drawn(page, timeout)
        seconds = time.monotonic() - t0
        if screenshot is not None:
            await page.screenshot(path=str(screenshot))
        external = [
            u for u in seen if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != host
        ]
        return Session(seconds, drawn["layers"], drawn["shapes"], external)
    finally:
        await context.close()


def run_import(db_url: str, tmp: Path, path: Path) -> Import:
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "frontera.cli", "import", str(path)],
        env=_env(db_url, tmp),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return Import(path.name, time.monotonic() - t0, proc.returncode, proc.stdout + proc.stderr)


@dataclass
class LoadResult:
    sessions: list[Session]
    imports: list[Import]
    warmup_seconds: float
    peak_rss_mb: float
    stored_ids: set[str]
    expected_ids: set[str]

    def summary(self) -> dict:
        times = [s.seconds for s in self.sessions]
        return {
            "sessions": len(times),
            "time_to_map_median_s": round(statistics.median(times), 2),
            "time_to_map_worst_s": round(max(times), 2),
            "warmup_s": round(self.warmup_seconds, 2),
            "server_peak_rss_mb": round(self.peak_rss_mb, 1),
            "import_s": [round(i.seconds, 2) for i in self.imports],
            "records_expected": len(self.expected_ids),
            "records_missing": len(self.expected_ids - self.stored_ids),
            "external_requests": sum(len(s.external) for s in self.sessions),
        }


async def _sessions_and_imports(url, db_url, tmp, files, n_sessions, shots) -> tuple[list, list]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            t0 = time.monotonic()
            await open_map(browser, url)  # the script's cold start (imports, bundled data) is not counted
            warmup = time.monotonic() - t0
            opening = [
                open_map(browser, url, screenshot=shots / f"team_load_session_{i}.png" if shots else None)
                for i in range(n_sessions)
            ]
            importing = [asyncio.to_thread(run_import, db_url, tmp, f) for f in files]
            done = await asyncio.gather(*opening, *importing)
        finally:
            await browser.close()
    return [warmup, *done[:n_sessions]], list(done[n_sessions:])


def run_load(db_url: str, tmp: Path, *, sessions: int, imports: int, records: int, shots: Path | None = None):
    """One app process against ``db_url`` (schema upgraded first): ``sessions`` open the map during ``imports``."""
    from frontera.storage.postgis import PostgisStore, dispose

    db_upgrade(db_url, tmp)
    files = []
    for i in range(imports):
        f = tmp / f"team{i}.geojson"
        f.write_bytes(features(f"T{i}", records))
        files.append(f)
    proc, url = start_app(db_url, tmp)
    try:
        opened, done = asyncio.run(_sessions_and_imports(url, db_url, tmp, files, sessions, shots))
        rss = peak_rss_mb(proc.pid)
    finally:
        stop_app(proc)
    stored = {i for f in PostgisStore(db_url).read_records().values() for i in f["id"]}
    dispose(db_url)
    expected = {f"T{i}-{k}" for i in range(imports) for k in range(records)}
    return LoadResult(opened[1:], done, opened[0], rss, stored, expected)


def fresh_database(admin_url: str) -> str:
    """A new database with PostGIS on the server of ``admin_url``; its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(admin_url)
    name = f"load_{secrets.token_hex(4)}"
    kw = {"host": u.host, "port": u.port, "user": u.username, "password": u.password}
    with psycopg.connect(**kw, dbname=u.database, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    with psycopg.connect(**kw, dbname=name, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return u.set(database=name).render_as_string(hide_password=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--imports", type=int, default=2)
    ap.add_argument("--records", type=int, default=500, help="records per import file")
    args = ap.parse_args()
    admin = os.environ.get("FRONTERA_TEST_DATABASE_URL")
    if not admin:
        print(
            "run me under: bash scripts/test_postgres.sh run -- python benchmarks/team_load_bench.py", file=sys.stderr
        )
        return 2
    print(f"load average before: {os.getloadavg()}, cpus: {os.cpu_count()}", file=sys.stderr)
    rows = {}
    for n in (1, args.sessions):
        tmp = Path(tempfile.mkdtemp(prefix="frontera-load-"))
        try:
            res = run_load(fresh_database(admin), tmp, sessions=n, imports=args.imports, records=args.records)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        rows[n] = {**res.summary(), "load_average_after": [round(x, 2) for x in os.getloadavg()]}
        bad = [i for i in res.imports if i.returncode != 0]
        print(json.dumps(rows[n]), flush=True)
        if bad or rows[n]["records_missing"] or rows[n]["external_requests"]:
            print(f"FAILED: {bad[:1]} {rows[n]}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
