#!/usr/bin/env python
"""Same as the `loket` console script, for those who expect manage.py."""

from loket.cli import main

if __name__ == "__main__":
    main()
