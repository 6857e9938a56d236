"""gunicorn for Safeguard: `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be changed from the environment (docs/deploy.md lists them). The defaults suit a
small machine (this project's is 2 cores): threaded workers, because a Safeguard page spends much of
its time waiting on PostgreSQL (the gate's scope, the audit insert), and a thread waiting on the
database releases the interpreter lock to the next request.
"""

import multiprocessing
import os
from pathlib import Path

_cores = multiprocessing.cpu_count()

# Safeguard's code, when it runs from a checkout rather than an installed package.
pythonpath = str(Path(__file__).resolve().parent.parent / "src")
wsgi_app = "safeguard.wsgi:application"

bind = os.environ.get("SAFEGUARD_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("SAFEGUARD_WORKER_CLASS", "gthread")
# Two processes a core (one runs Python while the other's threads wait on the database), four threads each.
# Measured under `make load` on 2 cores (docs/deploy.md): the CPU a page view costs was the same with gthread
# 4 x 4, 4 x 2 and sync workers (3, 4, 5), and gunicorn's own share about 1 ms of some 32 ms a view: Django's
# work, not the server's, takes the cores. `sync` (SAFEGUARD_WORKER_CLASS=sync, SAFEGUARD_WORKERS=5 on 2 cores)
# runs one request a process, no threads waiting on one interpreter lock; it needs the buffering reverse
# proxy of docs/deploy.md in front, and a request that waits (a lock, a slow query) holds a whole process.
workers = int(os.environ.get("SAFEGUARD_WORKERS", 2 * _cores))
threads = int(os.environ.get("SAFEGUARD_THREADS", 4))
# A request still running after 30 s is stopped and logged (the slowest page measured is far below
# that; long work goes to the db_worker). Workers finish their requests for 30 s on a restart.
timeout = int(os.environ.get("SAFEGUARD_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Workers are replaced after a few thousand requests (with jitter, not all at once), so that no
# slow growth of memory lasts.
max_requests = 5000
max_requests_jitter = 500
# The application is imported once, before the workers fork: less memory, faster restarts.
# (Django opens its database connections lazily, in each worker, after the fork.)
preload_app = True
# The workers' heartbeat files in memory, not on a disk that may stall (gunicorn's advice).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Only the reverse proxy on this machine may say the request came over HTTPS (X-Forwarded-Proto);
# a copy sent by anyone else is ignored. The proxy strips any copy the client sent (docs/deploy.md).
forwarded_allow_ips = os.environ.get("SAFEGUARD_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The access log holds no personal data: the method, the path without its query string (%(U)s; a
# query string can carry search words, so neither %(r)s nor %(q)s is logged), the status, the size
# and the time taken. No client address, user name, referrer (a full URL) or user agent: who looked
# at what is the audit store's business, not the log's. Paths hold record numbers, never names
# (searches are POSTs).
accesslog = os.environ.get("SAFEGUARD_ACCESS_LOG", "-")
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = os.environ.get("SAFEGUARD_ERROR_LOG", "-")
loglevel = os.environ.get("SAFEGUARD_LOG_LEVEL", "info")
# Request lines longer than this are refused (Safeguard's URLs are short).
limit_request_line = 4094
proc_name = "safeguard"
# No control socket (gunicorn 27's gunicornc interface): systemd starts, stops and restarts the service,
# and two servers on one machine (a test beside a running service) would fight over its one path.
control_socket_disable = True
