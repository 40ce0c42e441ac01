"""gunicorn settings read automatically when gunicorn starts in this folder (see README, production).

Override any of them on the command line (`gunicorn loket.wsgi -w 4 -b 0.0.0.0:8000`).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Long search filters in the API's query string: accept request lines up to gunicorn's maximum.
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
