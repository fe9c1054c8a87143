"""Sources and method: every source, what cites it, and how dates and places are coded."""

import streamlit as st

from frontera.citations import sources_with_citations
from frontera.i18n import _
from frontera.model.records import DATE_PRECISION_TEXT, GEO_PRECISION_TEXT
from frontera.ui import data

sit = data.situation(report=False)

st.title(_("Sources and method"))
st.dataframe(
    sources_with_citations(sit),
    hide_index=True,
    width="stretch",
    column_order=["source_id", "cited_by", "publisher", "title", "published", "url", "records"],
    column_config={
        "source_id": st.column_config.TextColumn(_("source")),
        "cited_by": st.column_config.TextColumn(_("cited by (records)")),
        "publisher": st.column_config.TextColumn(_("publisher")),
        "title": st.column_config.TextColumn(_("title")),
        "published": st.column_config.TextColumn(_("published")),
        "url": st.column_config.LinkColumn(_("link")),
        "records": st.column_config.TextColumn(_("records")),
    },
)
for row in sit.context.itertuples():
    st.text(_("Context ({source}): {fact}").format(source=row.source_id, fact=row.fact))

st.header(_("How dates are coded"))
st.markdown(
    _(
        "Every dated record has `date_start` and `date_end` (inclusive; an empty end means *still going on*) "
        "and a `date_precision`; the words of the report are kept in `date_note`. A record is shown when its "
        "dates overlap the chosen range, both ends included."
    )
)
st.table({"date_precision": list(DATE_PRECISION_TEXT), _("meaning"): [_(t) for t in DATE_PRECISION_TEXT.values()]})
st.header(_("How places are coded"))
st.markdown(
    _(
        "Every located record has a `geo_precision`; an approximate place is drawn with a dashed ring of its "
        "uncertainty (`uncertainty_km`). Towns are GeoNames points; the border is OpenStreetMap's. Distances "
        "to the border and to the nearest official crossing are geodesic (WGS84)."
    )
)
st.table({"geo_precision": list(GEO_PRECISION_TEXT), _("meaning"): [_(t) for t in GEO_PRECISION_TEXT.values()]})
