"""Import: bring your own ACLED exports, flow tables, GeoJSON, GeoPackage or Excel into the map."""

import streamlit as st

from frontera.i18n import _
from frontera.importers import MAX_BYTES
from frontera.ui import import_page, signin

st.set_page_config(page_title=_("Frontera — import"), page_icon="🗺️", layout="wide")
st.title(_("Import your data"))
st.caption(
    _(
        "ACLED CSV exports (old and current layouts) and ACLED deletion files; displacement-flow tables "
        "(origin, destination, people, dates, source; HXL hashtags welcome); GeoJSON or GeoPackage in Frontera's "
        "schema; Excel sheets. Up to {mb} MB. Nothing is written until you confirm; "
        "your data is kept apart from the bundled situation and can be removed again."
    ).format(mb=MAX_BYTES // (1024 * 1024))
)

identity = signin.current()
if import_page.may_import(identity):
    upload = st.file_uploader(
        _("File"), type=["csv", "txt", "tsv", "xlsx", "xls", "geojson", "json", "gpkg"], key="import_file"
    )
    plan, data = import_page.preview(upload)
    if plan is not None:
        st.text(plan.text(max_lines=0).splitlines()[0])
        import_page.show_plan(plan)
        import_page.confirm(plan, data, identity)

st.divider()
import_page.past_imports(identity)
import_page.audit()
