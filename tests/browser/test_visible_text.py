"""The detector the tour uses on every page: ISO dates and raw codes in what a person reads."""

from .visible_text import problems, raw_codes


def test_iso_dates_are_found_and_other_numbers_are_not():
    assert problems("Review due 2026-12-10, next 2027-01-07.") == ["ISO date 2026-12-10", "ISO date 2027-01-07"]
    assert problems("Review due 10 Dec 2026. FS-0000001, FS/00001501, 020-7946-0000, 2026-13-01") == []


def test_code_shaped_choice_values_are_gathered_with_their_labels():
    codes = raw_codes()
    assert codes["approved_premises"] == "Approved premises" and codes["in_progress"] == "In progress"
    assert codes["dash-yp"] == "DASH young people's version" and codes["rm2000"] == "Risk Matrix 2000"
    assert "community" not in codes and "red" not in codes  # plain words: a page may use the word itself


def test_raw_codes_are_found_as_whole_tokens_only():
    found = problems("Location: approved_premises. Relationship intimate_partner; see non_intimate_partner_x.")
    assert found == [
        f"raw code 'approved_premises' (label: {raw_codes()['approved_premises']!r})",
        f"raw code 'intimate_partner' (label: {raw_codes()['intimate_partner']!r})",
    ]
    assert problems("Approved Premises, intimate partner, Community, red") == []
