"""Streamlit adapter: the only part of Frontera that imports streamlit. Pages call these and draw."""
