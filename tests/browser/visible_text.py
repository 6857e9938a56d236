"""What a person must never read on a page: a date written as YYYY-MM-DD, or a raw code where its label belongs.

``problems(text)`` scans a page's visible text (``document.body.innerText``). The raw codes are gathered from the
choices of Safeguard's models: every value that differs from its label and cannot be an ordinary word (a
snake_case or kebab-case value such as ``visible_high_risk`` or ``dash-yp``, or letters run into digits such as
``rm2000``). Values that are plain words (``community``, ``red``) are left out: the page may use the word itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

ISO_DATE = re.compile(r"(?<![\w-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\w-])")
CODE_SHAPE = re.compile(r"^(?:[a-z0-9]+(?:[_-][a-z0-9]+)+|[a-z]+\d+)$")


@lru_cache(maxsize=1)
def raw_codes() -> dict[str, str]:
    """Each code-shaped choice value of Safeguard's models, with the label a page should show instead."""
    from django.apps import apps

    codes: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("safeguard."):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value != str(label) and CODE_SHAPE.match(value):
                    codes.setdefault(value, str(label))
    return codes


@lru_cache(maxsize=1)
def _code_pattern() -> re.Pattern:
    alternatives = "|".join(re.escape(code) for code in sorted(raw_codes(), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def problems(text: str) -> list[str]:
    """What the text shows that a person should not read, each once, in the order found."""
    found = [f"ISO date {m.group()}" for m in ISO_DATE.finditer(text)]
    codes = raw_codes()
    found += [f"raw code {m.group()!r} (label: {codes[m.group()]!r})" for m in _code_pattern().finditer(text)]
    return list(dict.fromkeys(found))
