"""``kill -9`` of an import at random moments, shared by the embedded store's and PostGIS's fault tests.

The child process (``python -c <script>``) defines how one commit runs in a forked child and calls
:func:`run_rounds`: it times two whole commits (tags ``CAL`` and ``CAL2``), then per round forks a child
that commits and SIGKILLs it after a random delay (0.2 .. 1.5 x a whole commit, adapted to the machine's
load), printing one JSON line per round and waiting for the test's ``next``. The test drives it with
:func:`drive_rounds`, checking the store after each round.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable


def run_rounds(commit_in_child: Callable[[str], int], rounds: int, rng: random.Random) -> None:
    """In the child process: calibrate, then ``rounds`` commits each killed at a random moment."""
    full, status = 0.0, 0
    for tag in ("CAL", "CAL2"):  # how long a whole commit takes here, now (the slower of two)
        t = time.perf_counter()
        _, st = os.waitpid(commit_in_child(tag), 0)
        full, status = max(full, time.perf_counter() - t), status or st
    print(json.dumps({"calibration_s": full, "status": status}), flush=True)
    scale, streak = 1.5, []
    for r in range(rounds):
        tag = f"K{r}"
        delay = rng.uniform(0.2 * full, scale * full)
        pid = commit_in_child(tag)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status)
        # a busy machine stretches commits: widen the window after three kills in a row, narrow it
        # after three finished commits, so both sides of the commit keep being hit
        streak = [*streak[-2:], killed]
        if len(streak) == 3 and len(set(streak)) == 1:
            scale, streak = (min(scale * 1.5, 4.0) if killed else max(scale / 1.5, 1.0)), []
        print(json.dumps({"round": r, "tag": tag, "delay": delay, "killed": killed}), flush=True)
        if input() != "next":  # the test checks the store, then lets the next round start
            break


def drive_rounds(
    script: str, args: list[str], rounds: int, calibrated: Callable[[], None], check: Callable[[dict], str]
) -> tuple[list[str], dict]:
    """In the test: start ``script`` with ``args``; once the calibration commits are done call
    ``calibrated()``, and after each round ``check(line)``, which asserts on the store and says ``"old"``
    or ``"new"``. Returns the outcomes and the calibration line;
    fails unless both outcomes were seen (both sides of the commit were hit)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=os.environ.copy(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    outcomes: list[str] = []
    try:
        assert proc.stdout is not None and proc.stdin is not None
        cal = json.loads(proc.stdout.readline() or "{}")
        if cal.get("status") != 0:
            raise AssertionError(proc.stderr.read()[-2000:] if proc.stderr else cal)
        calibrated()
        for _ in range(rounds):
            outcomes.append(check(json.loads(proc.stdout.readline())))
            proc.stdin.write("next\n")
            proc.stdin.flush()
    finally:
        proc.kill()
        proc.wait()
    print("kill -9 outcomes", outcomes, "calibration", cal)
    assert "old" in outcomes and "new" in outcomes, outcomes
    return outcomes, cal
