"""Frontera: the entrypoint. Names the pages and owns the view every page shares (layers, dates, selection).

``streamlit run app.py``. The sidebar's view controls are drawn here, once, for the
pages that use the view; every page keeps the view in the URL, so a page change, a
reload or a shared link never loses a part of it.
"""

import streamlit as st

from frontera.ui import controls, data, focus

MAP = st.Page("app_pages/0_Map.py", title="Map", default=True)
VIEW_PAGES = [MAP, st.Page("app_pages/1_Timeline.py", title="Timeline"), st.Page("app_pages/2_Data.py", title="Data")]
OTHER_PAGES = [st.Page("app_pages/3_Sources.py", title="Sources"), st.Page("app_pages/5_Import.py", title="Import")]

page = st.navigation(VIEW_PAGES + OTHER_PAGES)
st.set_page_config(page_title=f"Frontera — {page.title}", page_icon="🗺️", layout="wide")
sit = data.situation()
span = data.span(sit)
if page in VIEW_PAGES:
    focus.sidebar_focus(sit, controls.sidebar_view(span))
else:
    controls.keep_view(span)
page.run()
