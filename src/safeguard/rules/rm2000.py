"""Risk Matrix 2000 (RM2000): the static actuarial scales /S, /V and /C.

Source: D. Thornton, Risk Matrix 2000 scoring guide (2007 revision), as
summarised in docs/sources/risk-tools.md: structure [C], point values [R].
RM2000 applies to adult men convicted of a sexual offence.

- /S step 1 scores age at commencement of risk, sexual appearances and
  criminal appearances; the total gives a category.
- /S step 2: four aggravating factors (male victim, stranger victim, never in
  a two-year marriage-like relationship, non-contact sexual offence); two or
  three raise the category one level, four raise it two, never above Very
  High.
- /V scores age, violent appearances and any burglary.
- /C sums the category points (Low 1, Medium 2, High 3, Very High 4) of /S
  and /V, and bands the sum.

The point values and bands are the ones commonly cited, not checked against
the scoring guide itself, so :data:`RM2000` is marked unconfirmed and is data:
an area that verifies them (or finds a difference) loads a new edition, and
an assessment keeps showing the edition it was scored with.

Unclear and left to the scorer: the scoring guide's counting rules for
"appearances" (which convictions count, whether the sexual appearances are
also criminal appearances) are not in Safeguard's reference; this module
takes the counts as the assessor gives them and does not cross-check them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from safeguard.rules.instruments import band, band_for, definition, level, points, register, require_code
from safeguard.rules.working import Default, RuleInputError, Status, Step

SOURCE = "Thornton, Risk Matrix 2000 scoring guide (2007)"

LOW, MEDIUM, HIGH, VERY_HIGH = "low", "medium", "high", "very_high"
CATEGORIES = (LOW, MEDIUM, HIGH, VERY_HIGH)  # lowest first
ADULT_AGE = 18
MAX_AGE = 120  # a typing check, not a rule of the tool

MALE_VICTIM = "male_victim"
STRANGER_VICTIM = "stranger_victim"
NEVER_MARRIED = "never_married"
NON_CONTACT = "non_contact"
AGGRAVATING_FACTORS = (MALE_VICTIM, STRANGER_VICTIM, NEVER_MARRIED, NON_CONTACT)

RM2000 = register(
    definition(
        code="rm2000",
        edition="2007",
        name="Risk Matrix 2000",
        source=SOURCE,
        status=Status.UNCONFIRMED,
        notes=(
            "Point values and bands are those commonly cited: verify against the scoring guide. For adult men "
            "convicted of a sexual offence. Probation now uses OSP/C and OSP/I, recorded as imported results."
        ),
        categories=[level(LOW, "Low"), level(MEDIUM, "Medium"), level(HIGH, "High"), level(VERY_HIGH, "Very High")],
        scales={
            "s": {
                "label": "/S (sexual)",
                "items": [
                    {
                        "key": "age_at_commencement",
                        "label": "Age at commencement of risk",
                        "points": [points(18, 24, 2), points(25, 34, 1), points(35, None, 0)],
                    },
                    {
                        "key": "sexual_appearances",
                        "label": "Sexual appearances",
                        "points": [points(1, 1, 0), points(2, 2, 1), points(3, 4, 2), points(5, None, 3)],
                    },
                    {
                        "key": "criminal_appearances",
                        "label": "Criminal appearances",
                        "points": [points(0, 4, 0), points(5, None, 1)],
                    },
                ],
                "bands": [band(LOW, 0, 0), band(MEDIUM, 1, 2), band(HIGH, 3, 4), band(VERY_HIGH, 5, 6)],
                "aggravating_factors": [
                    {"key": MALE_VICTIM, "topic": "Any male victim"},
                    {"key": STRANGER_VICTIM, "topic": "Any stranger victim"},
                    {"key": NEVER_MARRIED, "topic": "Never in a two-year marriage-like relationship"},
                    {"key": NON_CONTACT, "topic": "Any non-contact sexual offence"},
                ],
                "aggravation": [{"min_factors": 2, "raise": 1}, {"min_factors": 4, "raise": 2}],
            },
            "v": {
                "label": "/V (non-sexual violence)",
                "items": [
                    {
                        "key": "age_at_commencement",
                        "label": "Age at commencement of risk",
                        "points": [points(18, 24, 3), points(25, 34, 2), points(35, 44, 1), points(45, None, 0)],
                    },
                    {
                        "key": "violent_appearances",
                        "label": "Violent appearances",
                        "points": [points(0, 0, 0), points(1, 1, 1), points(2, 3, 2), points(4, None, 3)],
                    },
                    {"key": "any_burglary", "label": "Any conviction for burglary", "yes_points": 2},
                ],
                "bands": [band(LOW, 0, 1), band(MEDIUM, 2, 3), band(HIGH, 4, 5), band(VERY_HIGH, 6, None)],
            },
            "c": {
                "label": "/C (combined)",
                "category_points": {LOW: 1, MEDIUM: 2, HIGH: 3, VERY_HIGH: 4},
                "bands": [band(LOW, 2, 3), band(MEDIUM, 4, 5), band(HIGH, 6, 7), band(VERY_HIGH, 8, 8)],
            },
        },
    )
)

DEFAULTS = (
    Default(
        name="rm2000 definition",
        value="rm2000/2007",
        source=SOURCE,
        status=Status.UNCONFIRMED,
        note="Point values and bands as commonly cited: verify against the scoring guide, then load a new edition.",
    ),
)


@dataclass(frozen=True)
class Rm2000Result:
    s_points: int
    s_step1_category: str
    s_category: str
    v_points: int
    v_category: str
    c_points: int
    c_category: str
    working: tuple[Step, ...]


def _count(field: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleInputError(field, "Enter a whole number")
    if value < minimum:
        raise RuleInputError(field, f"Enter a whole number of {minimum} or more")
    return value


def _item_points(item: Mapping[str, Any], value: int | bool, where: str) -> tuple[int, Step]:
    if "yes_points" in item:
        scored = item["yes_points"] if value else 0
        return scored, Step(f"{item['label']}: {'yes' if value else 'no'}, {scored} points", where)
    row = band_for(int(value), item["points"])
    if row is None:
        raise RuleInputError("definition", f"{item['label']} {value} is outside the scoring table of this definition")
    return row["points"], Step(f"{item['label']} {value}: {row['points']} points", where)


def _category(total: int, scale: Mapping[str, Any]) -> str:
    found = band_for(total, scale["bands"])
    if found is None:
        raise RuleInputError("definition", f"{scale['label']} total {total} is outside the bands of this definition")
    return str(found["grade"])


def _label(category: str, defn: Mapping[str, Any]) -> str:
    return str(next(c["label"] for c in defn["categories"] if c["key"] == category))


def score_rm2000(
    *,
    age_at_commencement: int,
    sexual_appearances: int,
    criminal_appearances: int,
    violent_appearances: int,
    any_burglary: bool,
    aggravating_factors: Iterable[str],
    definition: Mapping[str, Any] = RM2000,
) -> Rm2000Result:
    """Score /S (steps 1 and 2), /V and /C."""
    require_code(definition, ("rm2000",))
    age = _count("age_at_commencement", age_at_commencement)
    if age < ADULT_AGE:
        raise RuleInputError(
            "age_at_commencement", "Risk Matrix 2000 is for adults: it does not apply under 18 (use a youth tool)"
        )
    if age > MAX_AGE:
        raise RuleInputError("age_at_commencement", f"Enter the age in years, {MAX_AGE} or under")
    if not isinstance(any_burglary, bool):
        raise RuleInputError("any_burglary", "Answer yes or no: any conviction for burglary")
    inputs = {
        "age_at_commencement": age,
        "sexual_appearances": _count("sexual_appearances", sexual_appearances),
        "criminal_appearances": _count("criminal_appearances", criminal_appearances),
        "violent_appearances": _count("violent_appearances", violent_appearances),
        "any_burglary": any_burglary,
    }
    if inputs["sexual_appearances"] < 1:
        raise RuleInputError(
            "sexual_appearances",
            "Risk Matrix 2000 is for men convicted of a sexual offence: enter at least 1 sexual appearance",
        )
    if isinstance(aggravating_factors, str) or not isinstance(aggravating_factors, Iterable):
        raise RuleInputError("aggravating_factors", "Give the aggravating factors as a set of factor keys")
    scales = definition["scales"]
    s_scale, v_scale, c_scale = scales["s"], scales["v"], scales["c"]
    known = {f["key"] for f in s_scale["aggravating_factors"]}
    factors = set(aggravating_factors)
    if factors - known:
        raise RuleInputError("aggravating_factors", f"Choose aggravating factors only from: {', '.join(sorted(known))}")
    edition = f"{SOURCE}, edition {definition['edition']}"
    order = [c["key"] for c in definition["categories"]]
    steps: list[Step] = []

    s_points = 0
    for item in s_scale["items"]:
        scored, step = _item_points(item, inputs[item["key"]], f"{edition}, /S step 1")
        s_points += scored
        steps.append(step)
    s_step1 = _category(s_points, s_scale)
    steps.append(Step(f"/S step 1 total {s_points}: {_label(s_step1, definition)}", f"{edition}, /S step 1 bands"))

    raise_by = max((a["raise"] for a in s_scale["aggravation"] if len(factors) >= a["min_factors"]), default=0)
    s_category = order[min(order.index(s_step1) + raise_by, len(order) - 1)]
    factor_text = ", ".join(f["topic"].lower() for f in s_scale["aggravating_factors"] if f["key"] in factors)
    steps.append(
        Step(
            f"/S step 2: {len(factors)} aggravating factor{'' if len(factors) == 1 else 's'}"
            + (f" ({factor_text})" if factor_text else "")
            + (f" raise the category {raise_by} level{'s' if raise_by > 1 else ''}" if raise_by else ", no change")
            + f": /S {_label(s_category, definition)}",
            f"{edition}, /S step 2 (never above Very High)",
        )
    )

    v_points = 0
    for item in v_scale["items"]:
        scored, step = _item_points(item, inputs[item["key"]], f"{edition}, /V")
        v_points += scored
        steps.append(step)
    v_category = _category(v_points, v_scale)
    steps.append(Step(f"/V total {v_points}: {_label(v_category, definition)}", f"{edition}, /V bands"))

    c_points = c_scale["category_points"][s_category] + c_scale["category_points"][v_category]
    c_category = _category(c_points, c_scale)
    steps.append(
        Step(
            f"/C: /S {_label(s_category, definition)} {c_scale['category_points'][s_category]} + /V "
            f"{_label(v_category, definition)} {c_scale['category_points'][v_category]} = {c_points}: "
            f"{_label(c_category, definition)}",
            f"{edition}, /C",
        )
    )
    if definition["status"] != Status.CONFIRMED:
        steps.append(Step(f"This definition is unconfirmed: {definition['notes']}", edition))
    return Rm2000Result(
        s_points=s_points,
        s_step1_category=s_step1,
        s_category=s_category,
        v_points=v_points,
        v_category=v_category,
        c_points=c_points,
        c_category=c_category,
        working=tuple(steps),
    )
