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
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["loket", *(sys.argv[1:] if argv is None else argv)])
    except ImproperlyConfigured as error:  # a wrong setting: say which, without a traceback
        sys.stderr.write(f"loket: configuration error: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
