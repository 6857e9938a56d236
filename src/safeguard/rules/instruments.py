"""Versioned risk-instrument definitions: the registry and the helpers that build them.

Source: docs/sources/risk-tools.md ("every instrument is a versioned
definition: questions, scoring, bands, source, edition; an assessment stores
the version it was made with ... a later definition is a new version").

A definition is plain, JSON-serialisable data (dicts, lists, strings, numbers,
booleans, None), so the assessments app can store it beside an assessment
and show that assessment against its own version years later. Every
definition carries:

- ``code``: the instrument ("dash", "dash-yp", "dara", "rm2000", "arms");
- ``edition``: the version, a string ("2009", "2014", ...);
- ``name``, ``source`` (document, author, edition), ``notes``;
- ``status``: a :class:`~safeguard.rules.working.Status` value saying whether
  the content was confirmed from the published source;

and its own content (questions with a ``key`` and a short paraphrased
``topic``, never the publisher's wording; bands; factors; rating scales;
point tables).

The registry :data:`DEFINITIONS` maps ``(code, edition)`` to a definition.
The built-in instrument modules register theirs when imported, and this
module imports them at its end, so importing either side gives a complete
registry. An area may :func:`register` a later version (for example ARMS with
the licensed factor names); :func:`latest` is the one registered last for a
code, since editions are labels, not numbers that sort.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from safeguard.rules.working import RuleInputError, Status

# A topic is a paraphrase naming what a question is about; anything longer is
# probably a publisher's question copied in, which the licences do not allow.
MAX_TOPIC_LENGTH = 80

REQUIRED_TEXT_KEYS = ("code", "edition", "name", "source")

# Content each known instrument must carry, beyond the common keys.
CONTENT_KEYS: dict[str, tuple[str, ...]] = {
    "dash": ("questions", "answers", "counts", "bands"),
    "dash-yp": ("questions", "answers", "counts", "bands", "ages"),
    "dara": ("grades", "themes"),
    "rm2000": ("categories", "scales"),
    "arms": ("factors", "rating_scales"),
}

DEFINITIONS: dict[tuple[str, str], dict[str, Any]] = {}


def question(key: str, topic: str) -> dict[str, Any]:
    """One question of a checklist: a stable key and a short paraphrase of its topic."""
    return {"key": key, "topic": topic}


def band(grade: str, low: int, high: int | None) -> dict[str, Any]:
    """A band of scores from ``low`` to ``high`` inclusive; ``high`` None means no upper limit."""
    return {"grade": grade, "min": low, "max": high}


def points(low: int, high: int | None, value: int) -> dict[str, Any]:
    """One row of a point table: counts from ``low`` to ``high`` inclusive score ``value``."""
    return {"min": low, "max": high, "points": value}


def level(key: str, label: str) -> dict[str, str]:
    """One level of a rating scale or one grade."""
    return {"key": key, "label": label}


def factor(key: str, label: str, kind: str, status: Status) -> dict[str, str]:
    """A named factor of a structured assessment, with whether its name is confirmed."""
    return {"key": key, "label": label, "kind": kind, "status": str(status)}


def definition(
    *, code: str, edition: str, name: str, source: str, status: Status, notes: str, **content: Any
) -> dict[str, Any]:
    """A validated definition dict with the common keys first, then the instrument's content."""
    defn: dict[str, Any] = {
        "code": code,
        "edition": edition,
        "name": name,
        "source": source,
        "status": str(status),
        "notes": notes,
        **content,
    }
    return validate_definition(defn)


def register(defn: dict[str, Any]) -> dict[str, Any]:
    """Add a definition to :data:`DEFINITIONS`; a (code, edition) already there must not change."""
    validate_definition(defn)
    key = (defn["code"], defn["edition"])
    if key in DEFINITIONS and DEFINITIONS[key] != defn:
        raise RuleInputError(
            "definition",
            f"A different {key[0]} definition with edition {key[1]!r} is already loaded: "
            "give the new version its own edition",
        )
    DEFINITIONS[key] = defn
    return defn


def get(code: str, edition: str) -> dict[str, Any]:
    """The definition of one edition of an instrument."""
    try:
        return DEFINITIONS[(code, edition)]
    except KeyError:
        raise RuleInputError("edition", f"No {code} definition with edition {edition!r} is loaded") from None


def latest(code: str) -> dict[str, Any]:
    """The current definition of an instrument: the one registered last for its code."""
    found = [d for (c, _), d in DEFINITIONS.items() if c == code]
    if not found:
        known = ", ".join(sorted({c for c, _ in DEFINITIONS}))
        raise RuleInputError("code", f"No instrument definition is loaded for code {code!r}; known codes: {known}")
    return found[-1]


def require_code(defn: Mapping[str, Any], codes: Iterable[str]) -> None:
    """Refuse a definition of another instrument (a scorer given the wrong definition)."""
    allowed = tuple(codes)
    if defn.get("code") not in allowed:
        raise RuleInputError(
            "definition", f"This needs a {' or '.join(allowed)} definition, not {str(defn.get('code'))!r}"
        )


def band_for(value: int, bands: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The band holding ``value``, or None when no band does."""
    for b in bands:
        if value >= b["min"] and (b["max"] is None or value <= b["max"]):
            return b
    return None


def validate_definition(defn: Mapping[str, Any]) -> dict[str, Any]:
    """Check a definition's shape; return it, or raise RuleInputError('definition') listing every problem."""
    problems = _problems(defn)
    if problems:
        raise RuleInputError("definition", "The instrument definition is not valid: " + "; ".join(problems))
    return dict(defn)


def _problems(defn: Mapping[str, Any]) -> list[str]:
    if not isinstance(defn, Mapping):
        return ["it must be a dict"]
    problems: list[str] = []
    for key in REQUIRED_TEXT_KEYS:
        if not isinstance(defn.get(key), str) or not defn.get(key, "").strip():
            problems.append(f"'{key}' must be non-blank text")
    if not isinstance(defn.get("notes"), str):
        problems.append("'notes' must be text")
    if defn.get("status") not in {s.value for s in Status}:
        problems.append(f"'status' must be one of {', '.join(s.value for s in Status)}")
    try:
        if json.loads(json.dumps(defn)) != defn:
            problems.append("it must be plain JSON data (lists, not tuples; text keys)")
    except (TypeError, ValueError):
        problems.append("it must be plain JSON data (dicts, lists, text, numbers, booleans, null)")
        return problems
    for key in CONTENT_KEYS.get(defn.get("code", ""), ()):
        if key not in defn:
            problems.append(f"a {defn['code']} definition needs '{key}'")
    if "questions" in defn:
        problems += _question_problems(defn["questions"])
    if "factors" in defn:
        problems += _factor_problems(defn["factors"], defn.get("rating_scales", {}))
    if "rating_scales" in defn:
        problems += _scale_problems(defn["rating_scales"])
    problems += _range_problems(defn, "")
    return problems


def _question_problems(questions: Any) -> list[str]:
    if not isinstance(questions, list) or not questions:
        return ["'questions' must be a non-empty list"]
    problems = []
    keys = [q.get("key") for q in questions if isinstance(q, dict)]
    if len(keys) != len(questions) or len(set(keys)) != len(keys):
        problems.append("each question must be a dict with its own unique 'key'")
    for number, q in enumerate(questions, start=1):
        topic = q.get("topic") if isinstance(q, dict) else None
        if not isinstance(topic, str) or not topic.strip():
            problems.append(f"question {number} needs a 'topic'")
        elif len(topic) > MAX_TOPIC_LENGTH:
            problems.append(
                f"question {number}'s topic is over {MAX_TOPIC_LENGTH} characters: paraphrase it, "
                "do not copy the publisher's wording"
            )
    return problems


def _factor_problems(factors: Any, scales: Any) -> list[str]:
    if not isinstance(factors, list) or not factors:
        return ["'factors' must be a non-empty list"]
    problems = []
    keys = [f.get("key") for f in factors if isinstance(f, dict)]
    if len(keys) != len(factors) or len(set(keys)) != len(keys):
        problems.append("each factor must be a dict with its own unique 'key'")
    for f in factors:
        if not isinstance(f, dict):
            continue
        if not isinstance(f.get("label"), str) or not f["label"].strip():
            problems.append(f"factor {f.get('key')!r} needs a 'label'")
        if isinstance(scales, dict) and f.get("kind") not in scales:
            problems.append(f"factor {f.get('key')!r} has a kind with no rating scale")
        if f.get("status") not in {s.value for s in Status}:
            problems.append(f"factor {f.get('key')!r} needs a valid 'status'")
    return problems


def _scale_problems(scales: Any) -> list[str]:
    if not isinstance(scales, dict) or not scales:
        return ["'rating_scales' must be a non-empty dict of scale per factor kind"]
    problems = []
    for kind, scale in scales.items():
        levels = scale.get("levels") if isinstance(scale, dict) else None
        if not isinstance(levels, list) or not levels:
            problems.append(f"rating scale {kind!r} needs 'levels'")
            continue
        keys = [lv.get("key") for lv in levels if isinstance(lv, dict)]
        if len(keys) != len(levels) or len(set(keys)) != len(keys):
            problems.append(f"rating scale {kind!r} levels need unique keys")
        if not set(scale.get("evidence_required_for", [])) <= set(keys):
            problems.append(f"rating scale {kind!r}: 'evidence_required_for' names a level it does not have")
    return problems


def _range_problems(node: Any, where: str) -> list[str]:
    """Check every list under a 'bands' or 'points' key: contiguous, ascending, inclusive ranges."""
    problems: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{where}.{key}" if where else key
            if key in ("bands", "points") and isinstance(value, list):
                problems += _ranges_ok(value, path)
            else:
                problems += _range_problems(value, path)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            problems += _range_problems(item, f"{where}[{i}]")
    return problems


def _ranges_ok(rows: list[Any], path: str) -> list[str]:
    if not rows:
        return [f"'{path}' is empty"]
    previous_max: int | None = None
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("min"), int) or "max" not in row:
            return [f"'{path}' row {i + 1} needs whole-number 'min' and 'max'"]
        low, high = row["min"], row["max"]
        if high is not None and (not isinstance(high, int) or high < low):
            return [f"'{path}' row {i + 1} has 'max' below 'min'"]
        if i > 0 and (previous_max is None or low != previous_max + 1):
            return [f"'{path}' rows must run on without gaps or overlaps (row {i + 1})"]
        previous_max = high
    return []


# The built-in instruments register themselves with the helpers above.
from safeguard.rules import arms, dara, dash, rm2000  # noqa: E402, F401, I001
