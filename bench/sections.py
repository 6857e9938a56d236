"""Sections of docs/benchmarks.md that a benchmark writes on its own (between ``<!-- name:start -->`` and
``<!-- name:end -->``): each run replaces only its own, and bench/report.py keeps them all when it rewrites
the rest of the file."""

from __future__ import annotations

import re
from pathlib import Path

SECTION = re.compile(r"<!-- (?P<name>[a-z0-9-]+):start -->.*?<!-- (?P=name):end -->", re.S)


def write(name: str, body: str, path: Path) -> None:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    new = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _m: new, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + new + "\n"
    path.write_text(text)


def keep(old_text: str) -> str:
    """Every section of the file as it was."""
    return "\n\n".join(found.group(0) for found in SECTION.finditer(old_text))
