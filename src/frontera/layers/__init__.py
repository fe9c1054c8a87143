"""folium layer builders, one map layer per module. Each takes prepared data, never paths."""
