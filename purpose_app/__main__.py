"""`python -m purpose_app` runs the command line."""

from purpose_app.cli import main

raise SystemExit(main())
