"""``python -m frontera.layers.fast [static-folder]``: regenerate ``static/frontera/fast-schema.js``."""

from frontera.layers.fast.schema import main

raise SystemExit(main())
