"""``python -m axion_lab`` runs the CLI."""

from __future__ import annotations

import sys

from axion_lab.cli import main

if __name__ == "__main__":
    sys.exit(main())
