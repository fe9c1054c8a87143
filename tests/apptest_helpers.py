"""What the AppTest files share: the app run from a URL, and the map's script as the page holds it."""

from __future__ import annotations

import json

from locations import ROOT
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")


def run(query: dict | None = None, timeout: float = 60, page: str | None = None) -> AppTest:
    """The app opened with ``query`` in its URL, run once, with no exception; then ``page``
    (a file name in ``app_pages/``) when given, as a click in the navigation opens it."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"app_pages/{page}").run()
        assert not at.exception, at.exception
    return at


def map_script(at: AppTest) -> str:
    """The base map's script and the view's layers, as the streamlit-folium component receives them."""
    comps = at.get("component_instance")
    assert comps, "no streamlit-folium component on the page"
    args = json.loads(comps[0].proto.json_args)
    return args["script"] + (args["feature_group"] or "")
