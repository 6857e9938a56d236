"""deploy/gunicorn.conf.py as it is, plus a count of the CPU time spent inside Django (``run_load.py --app-cpu``).

Each worker wraps the application: every request's thread CPU time inside it (the middleware, the view,
the templates, psycopg) is kept with the time it ended, and written
to ``SAFEGUARD_APP_CPU_DIR``/<pid>.json when the worker exits. run_load.py sets it against the workers'
whole CPU time over the same window (bench/load/cpu_share.py): the difference is gunicorn's own work
(accepting, parsing HTTP, writing the response, the access log) and the interpreter's between requests.
For measurement only: never deploy with it.
"""

import json
import os
import re
import time
from pathlib import Path

_deploy = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
exec(compile(_deploy.read_text(), str(_deploy), "exec"))  # noqa: S102 (our own config file)

_records: list[tuple[float, float, str]] = []
_DIGITS = re.compile(r"[0-9]+")


def _measured(app):
    def measured_app(environ, start_response):
        t0 = time.thread_time()
        try:
            # Django renders the whole page inside the call (its response is bytes already; its close(), which
            # ends the request and its database work, runs after this and is not counted).
            return app(environ, start_response)
        finally:
            path = environ.get("PATH_INFO", "")
            if not path.startswith("/sign-in"):
                # The page as "GET /nominals/N/": record numbers left out.
                page = f"{environ.get('REQUEST_METHOD')} {_DIGITS.sub('N', path)}"
                _records.append((time.time(), (time.thread_time() - t0) * 1000, page))

    return measured_app


def post_worker_init(worker):
    worker.wsgi = _measured(worker.wsgi)


def worker_exit(server, worker):
    out = os.environ.get("SAFEGUARD_APP_CPU_DIR")
    if out:
        Path(out, f"{os.getpid()}.json").write_text(json.dumps(_records))
