"""A team on one database under load (issue 11), small: three headless Chromium sessions open the map of ONE
app process (``streamlit run app.py`` with ``FRONTERA_DATABASE_URL``, after ``frontera db upgrade``) while
two ``frontera import`` processes write into the same PostGIS database. Every session draws the map, no
request leaves the machine, every imported record is in the database afterwards and each import's message
is true. ``benchmarks/team_load_bench.py`` is the same with eight sessions, and measures.
"""

from __future__ import annotations

import pytest
from chromium import require_chromium

from benchmarks.team_load_bench import run_load
from frontera.storage.postgis import PostgisStore

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

SESSIONS, IMPORTS, RECORDS = 3, 2, 40


def test_three_sessions_draw_the_map_while_two_imports_run(pg_url, tmp_path, screenshots):
    require_chromium()
    res = run_load(pg_url, tmp_path, sessions=SESSIONS, imports=IMPORTS, records=RECORDS, shots=screenshots)

    label = PostgisStore(pg_url).label
    for imp in res.imports:
        assert imp.returncode == 0, imp.out[-1500:]
        assert f"into {label}: {RECORDS} added, 0 updated" in imp.out, imp.out[-800:]
    assert len(res.sessions) == SESSIONS
    for s in res.sessions:  # open_map waits for this; a session that never drew fails with TimeoutError
        assert s.layers > 1 and s.shapes > 0, s
        assert s.external == [], s.external
    assert len(res.expected_ids) == IMPORTS * RECORDS
    assert res.expected_ids <= res.stored_ids, sorted(res.expected_ids - res.stored_ids)[:10]
    assert res.peak_rss_mb > 0
