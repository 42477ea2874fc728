"""``python -m explorer`` is the same as ``ae-explorer``."""

from explorer.app import main

raise SystemExit(main())
