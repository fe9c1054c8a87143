"""Running the command line as a person does: ``python -m frontera.cli …`` in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys

from locations import ROOT


def frontera(*args: str, env: dict[str, str] | None = None, check: bool = False, timeout: float = 300):
    """``frontera ARGS`` from the checkout, its output captured as text; ``env`` is added to this
    process's environment. ``check=True`` fails with the command's stderr when it exits non-zero."""
    proc = subprocess.run(
        [sys.executable, "-m", "frontera.cli", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"frontera {' '.join(args)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return proc


def imports_at_once(files: list, env: dict[str, str] | None = None, timeout: float = 900) -> list[tuple[str, str]]:
    """``frontera import FILE`` for every file, all started together; each one's (stdout, stderr). Fails
    unless every one exited 0."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "frontera.cli", "import", str(f)],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    results = [p.communicate(timeout=timeout) for p in procs]
    assert [p.returncode for p in procs] == [0] * len(files), [err[-800:] for _, err in results]
    return results
