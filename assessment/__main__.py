"""`python -m assessment` runs the `cluster-assess` command line."""

from assessment.cli import main

raise SystemExit(main())
