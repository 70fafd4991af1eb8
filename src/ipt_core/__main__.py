"""``python -m ipt_core``: the ``ipt-core`` command."""

from ipt_core.cli import main

raise SystemExit(main())
