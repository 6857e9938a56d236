"""The Splink model of "is this the same person?": what is compared, how pairs are found, how it is trained.

Two comparison sets, so that the evaluation can put them side by side on the same records:

- ``safeguard_settings()``: Safeguard's own. Names compared with Jaro-Winkler and with the sound of the
  name (the Soundex keys that person search already uses, ``rules.names``), with term frequencies so that
  agreeing on "Smith" counts for less than agreeing on "Featherstonehaugh"; a woman's birth or previous
  family name agreeing with the other record's name; the date of birth compared exactly, with day and month
  swapped, and with the 1 January placeholder for an unknown date (same year only) kept apart from a true
  match; postcode by unit, sector, district and area; gender; and the identifiers (PNC ID, CRO, NOMIS, CRN)
  as one comparison: one agreeing (and none disagreeing) is strong evidence, a disagreement strong evidence
  against.
- ``splink_default_settings()``: Splink's "out of the box" comparisons for the same columns
  (``NameComparison``, ``DateOfBirthComparison``, ``PostcodeComparison``, ``ExactMatch``), no term
  frequencies, nothing of Safeguard's.

Both use the same blocking (the candidate pairs) and the same training, by expectation maximisation on the
force's own records: nothing is labelled by hand. The SQL is plain (``=``, ``year()``, ``month()``, ``day()``)
so that the same settings run on DuckDB here and on Spark for a national index.
"""

from __future__ import annotations

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

IDENTIFIERS = ("pnc_id", "cro_number", "nomis_number", "crn")
UNIQUE_ID = "person_id"

# Candidate pairs: a pair is scored only when it shares one of these. Each rule catches what the others miss:
# a date of birth with a first letter (typing slips, married names), the sound of both names (a wrong or
# swapped date of birth), a first letter, the sound of the family name and the year of birth (slips in the
# first name and the date together), first name and postcode (a married name and a wrong date), and each
# identifier.
BLOCKING = (
    ("date_of_birth", "substr(given_name, 1, 1)"),
    ("date_of_birth", "substr(family_name, 1, 1)"),
    ("given_sdx", "family_sdx"),
    ("substr(given_name, 1, 1)", "family_sdx", "year(date_of_birth)"),
    ("given_name", "postcode"),
    *((name,) for name in IDENTIFIERS),
)

# Training by expectation maximisation: each session blocks on something so that the others can be learnt.
# Neither session blocks on the date of birth alone: that block holds every pair of twins (same family name,
# date of birth and address, another first name), and expectation maximisation takes them for one person, so it
# learnt that one person's records often disagree on gender and on an identifier (m 0.9% and 1.7% on a 200,000
# record labelled set), which made twins look like duplicates. Blocking on the first name with the date of
# birth keeps twins out. How often one person's first names differ is learnt from the pairs that share an
# identifier (below).
TRAINING_BLOCKS = (("given_name", "date_of_birth"), ("given_name", "family_name"))
# Then how one person's details vary between records, learnt from the pairs that share an identifier (a PNC
# ID is one person's): expectation maximisation alone mistakes a household, or twins, for one person, since
# they share a family name, an address and (twins) a date of birth. The identifiers' own comparison keeps
# what expectation maximisation learnt: pairs chosen because an identifier agrees cannot say how often
# identifiers disagree.
LABEL_COLUMNS = IDENTIFIERS
IDENTIFIERS_COMPARISON = "identifiers"
# Pairs that are surely the same person, for the prior (the share of random pairs that match).
DETERMINISTIC = (("given_name", "family_name", "date_of_birth"), *((name,) for name in IDENTIFIERS))
DETERMINISTIC_RECALL = 0.7
U_SAMPLE_PAIRS = 2_000_000


def _identifier_sql(template: str, joiner: str) -> str:
    return f" {joiner} ".join(template.format(c=c) for c in IDENTIFIERS)


def identifiers_comparison() -> cl.CustomComparison:
    held_by_both = _identifier_sql("({c}_l IS NOT NULL AND {c}_r IS NOT NULL)", "OR")
    disagree = _identifier_sql("COALESCE({c}_l <> {c}_r, FALSE)", "OR")
    agree = _identifier_sql("COALESCE({c}_l = {c}_r, FALSE)", "OR")
    return cl.CustomComparison(
        output_column_name="identifiers",
        comparison_description="PNC ID, CRO number, NOMIS number and CRN",
        comparison_levels=[
            cll.CustomLevel(f"NOT ({held_by_both})", "No identifier held on both records").configure(
                is_null_level=True
            ),
            cll.CustomLevel(f"({agree}) AND NOT ({disagree})", "An identifier agrees, none disagrees"),
            cll.CustomLevel(f"({agree}) AND ({disagree})", "One identifier agrees, another disagrees"),
            cll.ElseLevel().configure(label_for_charts="An identifier disagrees"),
        ],
    )


def name_comparison(column: str, sdx: str, *, other_names: str | None = None) -> cl.CustomComparison:
    levels = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column, term_frequency_adjustments=True).configure(label_for_charts="The same"),
        cll.JaroWinklerLevel(column, 0.92).configure(label_for_charts="Nearly the same (Jaro-Winkler 0.92)"),
        cll.JaroWinklerLevel(column, 0.88).configure(label_for_charts="Close (Jaro-Winkler 0.88)"),
    ]
    if other_names:
        levels.append(
            cll.ArrayIntersectLevel(other_names, min_intersection=1).configure(
                label_for_charts="A birth or previous name agrees"
            )
        )
    levels += [
        cll.CustomLevel(f"{sdx}_l = {sdx}_r", "Sounds the same (Soundex)"),
        cll.JaroWinklerLevel(column, 0.7).configure(label_for_charts="Somewhat alike (Jaro-Winkler 0.7)"),
        cll.ElseLevel().configure(label_for_charts="Different"),
    ]
    return cl.CustomComparison(output_column_name=column, comparison_levels=levels)


def date_of_birth_comparison() -> cl.CustomComparison:
    placeholder_l = "(month(date_of_birth_l) = 1 AND day(date_of_birth_l) = 1)"
    placeholder_r = "(month(date_of_birth_r) = 1 AND day(date_of_birth_r) = 1)"
    same_year = "year(date_of_birth_l) = year(date_of_birth_r)"
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("date_of_birth"),
            cll.CustomLevel(f"date_of_birth_l = date_of_birth_r AND NOT {placeholder_l}", "The same"),
            cll.CustomLevel(
                f"{same_year} AND month(date_of_birth_l) = day(date_of_birth_r) "
                "AND day(date_of_birth_l) = month(date_of_birth_r)",
                "Day and month swapped",
            ),
            cll.CustomLevel(
                f"{same_year} AND ({placeholder_l} OR {placeholder_r})",
                "Same year, one a 1 January placeholder",
            ),
            cll.CustomLevel(f"{same_year} AND month(date_of_birth_l) = month(date_of_birth_r)", "Same month and year"),
            cll.AbsoluteDateDifferenceLevel(
                "date_of_birth", input_is_string=False, threshold=1, metric="year"
            ).configure(label_for_charts="Within a year"),
            cll.ElseLevel().configure(label_for_charts="Different"),
        ],
    )


def blocking_rules() -> list:
    return [block_on(*rule) for rule in BLOCKING]


def safeguard_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        blocking_rules_to_generate_predictions=blocking_rules(),
        comparisons=[
            name_comparison("given_name", "given_sdx"),
            name_comparison("family_name", "family_sdx", other_names="family_names"),
            date_of_birth_comparison(),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("gender"),
            identifiers_comparison(),
        ],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


def splink_default_settings() -> SettingsCreator:
    """Splink's out-of-the-box comparisons for the same columns: the baseline."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        blocking_rules_to_generate_predictions=blocking_rules(),
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=False),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("gender"),
            *(cl.ExactMatch(name) for name in IDENTIFIERS),
        ],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )
