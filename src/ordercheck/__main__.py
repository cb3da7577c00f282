"""``python -m ordercheck``: the same program as the ``ordercheck`` console script, for where
the script is not on PATH (a virtual environment not activated, a CI step that only knows
its interpreter)."""

from ordercheck.cli import main

if __name__ == "__main__":
    main()
