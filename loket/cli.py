"""The `loket` console script: Django's management commands under one name.

loket migrate
loket demo [--no-server]
loket catalog import FILE.yaml | loket catalog export
loket tickets import FILE.jsonl
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["loket", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
