"""Streamlit on a free local port, for the benchmarks and the browser tests: start it, wait until it answers, stop it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_executable() -> Path:
    """The ``streamlit`` beside this Python (the venv's), else the one on PATH."""
    streamlit = Path(sys.executable).with_name("streamlit")
    return streamlit if streamlit.exists() else Path(shutil.which("streamlit") or "streamlit")


def start_streamlit(
    script: str, port: int, env: Mapping[str, str], log: Path, extra_args: Sequence[str] = ()
) -> subprocess.Popen:
    """``streamlit run <script>`` from the repository root, headless on 127.0.0.1:``port`` without a file
    watcher, its output in ``log``. Call :func:`wait_healthy` before using it and :func:`stop` after."""
    args = [str(streamlit_executable()), "run", script, "--server.port", str(port), "--server.headless", "true"]
    args += ["--server.address", "127.0.0.1", "--server.fileWatcherType", "none", *extra_args]
    with open(log, "wb") as out:
        return subprocess.Popen(args, cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90.0) -> None:
    """Return once ``url``'s health check answers 200; raise with the log's tail when the server exits or is late."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer {url}/_stcore/health in {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Terminate the server; kill it if it has not exited after ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
