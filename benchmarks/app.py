"""`python -m benchmarks.app`: the served app in headless Chromium (see benchmarks/app_bench.py)."""

import sys

from benchmarks.app_bench import main

if __name__ == "__main__":
    sys.exit(main())
