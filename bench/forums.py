"""The forums' benchmarks, each in a process of its own on a world of its own, for bench/run.py.

- ``bench/agenda.py`` (database ``sg_meetings_bench``): one meeting's agenda built for the coordinator on a
  national set of forum records (250,000 nominals, 50 forums, 10,000 open actions); target 500 ms.
- ``bench/my_work_actions.py`` (database ``sg_actions_bench``, a generated world of 250,000 nominals and
  1,000,000 domestic-abuse incidents, with 50 forums and 10,000 open actions added): an officer's "my work"
  with their open actions; target p95 150 ms.
- ``bench/category3.py`` (the same database, after the previous one): the Category 3 prompt scan over every
  domestic-abuse perpetrator, in the database; target 10 s.

Each world is made on the first run and found again afterwards. Benchmarks are not tests: nothing asserts a time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
MEETINGS_DB = "sg_meetings_bench"
ACTIONS_DB = "sg_actions_bench"


def _url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _run(script: str, url: str, *extra: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "figures.json"
        args = [sys.executable, str(HERE / script), "--database-url", url, *extra]
        if script != "agenda.py":
            args += ["--output", str(output)]
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return {"error": done.stderr.strip().splitlines()[-3:] or ["failed"], "database": url.rsplit("/", 1)[-1]}
        text = output.read_text() if output.exists() else done.stdout
        return json.loads(text)


def measure_forums(url: str) -> dict:
    print("  the agenda of one meeting (sg_meetings_bench)", file=sys.stderr, flush=True)
    agenda = _run("agenda.py", _url(url, MEETINGS_DB))
    print("  my work with open actions (sg_actions_bench)", file=sys.stderr, flush=True)
    my_work = _run("my_work_actions.py", _url(url, ACTIONS_DB))
    print("  the Category 3 prompt scan (sg_actions_bench)", file=sys.stderr, flush=True)
    category3 = _run("category3.py", _url(url, ACTIONS_DB))
    return {"agenda": agenda, "my_work": my_work, "category3": category3}
