"""A non-editable install (``pip install .`` into a fresh venv) runs the CLI, the app and the tests.

The wheel is built from this checkout; the new venv gets the already-installed dependencies
through a ``.pth`` line (so nothing is downloaded but the build backend) and Frontera itself
only from the wheel: the checkout's ``src`` is never on its path.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["FRONTERA_TESTS_INSTALLED"] = "1"
    return env


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("install")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "wheel"), str(ROOT)],
        check=True,
        cwd=tmp,
    )
    (wheel,) = (tmp / "wheel").glob("frontera-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(tmp / "venv")], check=True)
    py = tmp / "venv" / "bin" / "python"
    purelib = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Frontera first, alone (pip must not see the checkout's editable install), then the dependencies:
    # a directory named in a .pth is on sys.path, but its own .pth files (the editable-install hook
    # among them) are not run.
    subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True, env=_env())
    Path(purelib, "_frontera_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return tmp / "venv" / "bin"


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_dir / args[0]), *args[1:]], check=False, capture_output=True, text=True, cwd=cwd, env=_env()
    )


def test_the_package_and_its_data_come_from_the_install(venv, tmp_path):
    out = _run(
        venv, "python", "-c", "import frontera.paths as p; print(p.bundle_root()); print(p.geodata_dir())", cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    bundle, geodata = out.stdout.split()
    assert "site-packages" in bundle and not bundle.startswith(str(ROOT / "src"))
    assert (Path(geodata) / "clashes.geojson").is_file()
    assert (Path(bundle) / "static" / "vendor" / "leaflet" / "leaflet.js").is_file()


def test_the_installed_cli_exports_what_the_checkout_exports(venv, tmp_path):
    args = ("export-data", "--format", "geojson", "--start", "2024-01-01", "--end", "2024-08-31")
    out = _run(venv, "frontera", *args, "--out", str(tmp_path / "installed.geojson"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    checkout = subprocess.run(
        [sys.executable, "-m", "frontera.cli", *args, "--out", str(tmp_path / "checkout.geojson")],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert checkout.returncode == 0, checkout.stderr
    installed = json.loads((tmp_path / "installed.geojson").read_text())
    assert installed["features"], "the installed CLI exported nothing"
    assert (tmp_path / "installed.geojson").read_bytes() == (tmp_path / "checkout.geojson").read_bytes()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_the_installed_app_starts_and_serves_its_assets(venv, tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [str(venv / "frontera"), "serve", "--port", str(port), "--address", "127.0.0.1"],
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/_stcore/health")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.stdout.read().decode()
            assert time.monotonic() < deadline, "the installed app did not start in 60 s"
            time.sleep(0.5)
        status, body = _get(f"{base}/app/static/vendor/leaflet/leaflet.js")
        assert status == 200 and b"Leaflet" in body[:2000]
        status, body = _get(f"{base}/app/static/frontera/mapuse.js")
        assert status == 200 and body
    finally:
        server.terminate()
        server.wait(timeout=20)
    with pytest.raises(OSError):  # stopping `frontera serve` stopped the server itself (no orphan left running)
        _get(f"{base}/_stcore/health")


def test_the_tests_run_against_the_installed_package(venv):
    out = subprocess.run(
        [str(venv / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "pythonpath=tests",
         "tests/test_bundled_data.py", "tests/test_settings.py", "tests/test_install_target.py"],
        check=False, capture_output=True, text=True, cwd=ROOT, env=_env(),
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert " passed" in out.stdout and "failed" not in out.stdout
