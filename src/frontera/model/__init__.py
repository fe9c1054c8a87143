"""The model: records, their schema, the situation, date windows and the view. Pure: no I/O, nothing
of Frontera's outside this package."""
