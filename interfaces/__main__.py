"""`python -m interfaces` runs the `cluster-assess` command line."""

from interfaces.cli import main

raise SystemExit(main())
