"""``python -m frontera.layers.fast [file]``: regenerate ``static/frontera/fast-schema.js`` (or write it to ``file``)."""

from frontera.layers.fast.schema import main

if __name__ == "__main__":
    raise SystemExit(main())
