"""Data: the records of the current view as a table, with downloads."""

import streamlit as st

from frontera import export
from frontera.i18n import _, format_number, ngettext
from frontera.ui import controls, data
from frontera.ui.display import headed, layer_words, readable_table, window_text
from frontera.ui.text import plain

sit = data.situation(report=False)
view = controls.current_view(data.span(sit))

st.title(_("Data"))
frame = export.export_frame(sit, view)
focus = " · " + _("focus: {focus}").format(focus=plain(view.focus.describe())) if view.focus.active else ""
features = ngettext("{n} feature", "{n} features", len(frame)).format(n=format_number(len(frame)))
st.caption(
    _(
        "{features} · {window} · layers: {layers}{focus}. "
        "Downloads hold exactly these rows, in the export contract described in the README."
    ).format(
        features=features, window=window_text(view.window), layers=layer_words(view.layers) or _("none"), focus=focus
    )
)
st.dataframe(headed(readable_table(frame)), hide_index=True, width="stretch")

stem = f"frontera_{view.window.start}_{view.window.end}"
hxl = st.checkbox(
    _("Add an HXL hashtag row to the CSV"),
    key="csv_hxl",
    help=_("A second header row of HXL tags (#adm2+name+origin, #affected+displaced, …) for HDX tools."),
)
cols = st.columns(3)
cols[0].download_button(
    "GeoJSON", export.to_geojson(frame), f"{stem}.geojson", "application/geo+json", key="download_geojson"
)
cols[1].download_button("CSV", export.to_csv(frame, hxl=hxl), f"{stem}.csv", "text/csv", key="download_csv")
cols[2].download_button(
    _("GeoPackage (one table per layer)"),
    export.to_gpkg_bytes(frame),
    f"{stem}.gpkg",
    "application/geopackage+sqlite3",
    key="download_gpkg",
)
