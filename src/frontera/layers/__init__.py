"""folium layer builders, one map layer per module. Each takes prepared data, never paths.

Importing this package switches off branca's second template pass for every map
element (:mod:`frontera.layers.literal`): text from data is never template source.
"""

from frontera.layers import literal

literal.install()
