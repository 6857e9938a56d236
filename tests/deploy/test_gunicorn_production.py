"""The production stack over real HTTP: gunicorn with production settings on PostgreSQL.

The test makes a PostgreSQL database of its own (under pytest-xdist a copy of the run's migrated template,
as every worker's test database is; otherwise empty) and migrates it with ``manage.py`` left to its default
settings (production: on the copy it finds nothing left to apply). It starts gunicorn from
deploy/gunicorn.conf.py on 127.0.0.1 and, as a browser behind the reverse proxy would
(X-Forwarded-Proto: https), signs in with a password and a TOTP code, opens a nominal and finds the audit
row of that look. It also checks what the proxy relies on: without the header the answer is a redirect to
HTTPS, and the access log holds paths without query strings.

PostgreSQL only: it is skipped, saying why, when no PostgreSQL server answers.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django_otp.oath import totp

from tests.conftest import migrated_template

# No test database: a PostgreSQL database of its own. Marked so that the PostgreSQL run, which leaves out the
# tests that use no database, keeps it (scripts/run-tests.sh runs it there only).
pytestmark = pytest.mark.own_database

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 90


def _server_url() -> str:
    """A PostgreSQL server: the one DATABASE_URL names, or the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return "postgres://postgres@127.0.0.1:5432/safeguard"


def _answers(url: str) -> bool:
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:
        psycopg.connect(make_conninfo(url, dbname="postgres"), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


@pytest.fixture(scope="module")
def production_database(request, django_db_setup):
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    url = _server_url()
    if not _answers(url):
        pytest.skip("No PostgreSQL server answers (DATABASE_URL or 127.0.0.1:5432): the gunicorn test needs one")
    base = conninfo_to_dict(url).get("dbname") or "safeguard"
    name = f"{base}_gunicorn_{os.getpid()}"
    admin = make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        # A copy of the run's migrated template, on the server of the test database (the migrations then have
        # nothing left to do); without one, an empty database, migrated in full.
        with migrated_template(request.config) as template:
            copy = sql.SQL(" WITH TEMPLATE {}").format(sql.Identifier(template)) if template else sql.SQL("")
            conn.execute(sql.SQL("CREATE DATABASE {}{}").format(sql.Identifier(name), copy))
    try:
        yield make_conninfo(url, dbname=name), url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SETUP = """
import json
from django_otp.plugins.otp_totp.models import TOTPDevice
from safeguard.demo import factories as f
from safeguard.workforce.models import Agency, Role
home = f.area_tree("Gunicorn Shire", ("Northtown",))
police = f.agency(home["mappa"], Agency.Kind.POLICE, "Gunicorn Shire Police")
om = f.staff("om.gunicorn", police, [Role.OFFENDER_MANAGER], team_=f.team(police, "PPU", home["local"][0]))
om.set_password(PASSWORD)
om.save()
device = TOTPDevice.objects.create(user=om, name="app", confirmed=True, key=KEY)
person = f.person(home["mappa"], "Gideon", "Fairweather", None)
nominal = f.nominal(person, home["local"][0], police, om)
print(json.dumps({"nominal": nominal.pk, "reference": nominal.reference}))
"""


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


class Browser:
    """An HTTP client behind the proxy: keeps its cookies and says the request came over HTTPS."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None, https: bool = True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response, text

    def csrf(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.fixture(scope="module")
def migrated(production_database, tmp_path_factory):
    """The database migrated by manage.py with its default (production) settings, with one officer and nominal."""
    conninfo, url = production_database
    logs = tmp_path_factory.mktemp("gunicorn")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST")}
    env.update(
        {
            "DATABASE_URL": url,
            "SAFEGUARD_SECRET_KEY": secrets.token_urlsafe(48),
            "SAFEGUARD_ALLOWED_HOSTS": "127.0.0.1",
            "SAFEGUARD_ACCESS_LOG": str(logs / "access.log"),
            "SAFEGUARD_ERROR_LOG": str(logs / "error.log"),
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    password, key = secrets.token_urlsafe(16), secrets.token_hex(20)
    setup = f"PASSWORD = {password!r}\nKEY = {key!r}\n" + SETUP
    created = json.loads(_manage(env, "shell", "--no-imports", "-c", setup))
    return {"env": env, "conninfo": conninfo, "url": url, "password": password, "key": key, "log": logs, **created}


@pytest.fixture
def gunicorn(migrated):
    env = migrated["env"]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert server.poll() is None, (migrated["log"] / "error.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        yield {"port": port, **migrated}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_production_sign_in_over_http_opens_a_nominal_and_audits_it(gunicorn):
    import psycopg

    from safeguard.audit.models import AuditEvent

    browser = Browser(gunicorn["port"])

    # Without the proxy's header, production sends the browser to HTTPS.
    response, _ = browser.request("GET", "/sign-in/", https=False)
    assert response.status == 301
    assert response.getheader("Location").startswith("https://")

    response, page = browser.request("GET", "/sign-in/")
    assert response.status == 200
    assert "Secure" in ";".join(v for k, v in response.getheaders() if k.lower() == "set-cookie")
    form = {"csrfmiddlewaretoken": browser.csrf(page), "username": "om.gunicorn", "password": gunicorn["password"]}
    response, _ = browser.request("POST", "/sign-in/", form)
    assert response.status == 302 and response.getheader("Location") == "/sign-in/code/"

    response, page = browser.request("GET", "/sign-in/code/")
    assert response.status == 200
    code = f"{totp(bytes.fromhex(gunicorn['key'])):06d}"
    response, _ = browser.request("POST", "/sign-in/code/", {"csrfmiddlewaretoken": browser.csrf(page), "code": code})
    assert response.status == 302 and response.getheader("Location") == "/"

    response, page = browser.request("GET", f"/nominals/{gunicorn['nominal']}/?looking-for=Fairweather")
    assert response.status == 200, page[:500]
    assert gunicorn["reference"] in page and "Fairweather" in page

    with psycopg.connect(gunicorn["conninfo"]) as conn:
        rows = conn.execute(
            f"SELECT actor_username, outcome FROM {AuditEvent._meta.db_table} "  # noqa: S608 (a model's table name)
            "WHERE record_type = 'offenders.nominal' AND record_id = %s AND operation = 'view'",
            (gunicorn["nominal"],),
        ).fetchall()
    assert rows == [("om.gunicorn", "allowed")]

    # The access log has the path, never the query string or a name.
    log = (gunicorn["log"] / "access.log").read_text()
    assert f"GET /nominals/{gunicorn['nominal']}/" in log
    assert "looking-for" not in log and "Fairweather" not in log and "om.gunicorn" not in log


def test_backup_and_restore_give_back_every_row_and_the_append_only_audit_store(migrated, tmp_path):
    """deploy/backup.sh then deploy/restore.sh into a new database, checked by deploy/check_restore.py."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    env = dict(migrated["env"], PYTHON=sys.executable)
    with psycopg.connect(migrated["conninfo"], autocommit=True) as conn:  # an audit row to bring back
        conn.execute(
            "INSERT INTO audit_auditevent (at, actor_username, operation, record_type, purpose, outcome, reason, "
            "request_id, detail) VALUES (now(), 'backup.test', 'view', 'offenders.nominal', 'system', 'allowed', "
            "'', '', '{}')"
        )
    backup = subprocess.run(
        [str(ROOT / "deploy" / "backup.sh"), str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.exists() and dump.parent == tmp_path and dump.suffix == ".dump"
    assert oct(dump.stat().st_mode & 0o777) == "0o600"

    target = migrated["url"] + "_restored"
    name = target.rsplit("/", 1)[1]
    admin = make_conninfo(migrated["conninfo"], dbname="postgres")
    try:
        restore = subprocess.run(
            [str(ROOT / "deploy" / "restore.sh"), str(dump), target],
            env=dict(env, SOURCE_URL=migrated["url"]),
            capture_output=True,
            text=True,
        )
        assert restore.returncode == 0, restore.stdout + restore.stderr
        assert "the audit store is append-only" in restore.stdout
        with psycopg.connect(make_conninfo(migrated["conninfo"], dbname=name)) as conn:
            audited = "SELECT count(*) FROM audit_auditevent WHERE actor_username = 'backup.test'"
            assert conn.execute(audited).fetchone() == (1,)
            assert conn.execute("SELECT reference FROM offenders_nominal").fetchone()[0] == migrated["reference"]

        # Restoring over a database that has tables is refused.
        again = subprocess.run(
            [str(ROOT / "deploy" / "restore.sh"), str(dump), target], env=env, capture_output=True, text=True
        )
        assert again.returncode == 1 and "restore into a new, empty database" in again.stderr
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
