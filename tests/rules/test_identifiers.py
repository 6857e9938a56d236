import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import identifiers as ids


@given(year=st.integers(1970, 2099), serial=st.integers(1, 9_999_999))
def test_every_generated_pnc_id_validates_and_any_other_check_letter_fails(year, serial):
    pnc = ids.make_pnc_id(year, serial)
    assert ids.normalise_pnc_id(pnc) == pnc
    for letter in ids.CHECK_LETTERS:
        if letter != pnc[-1]:
            with pytest.raises(ids.IdentifierError, match="check letter"):
                ids.normalise_pnc_id(pnc[:-1] + letter)
            break


def test_short_pnc_form_and_spacing_are_normalised():
    assert ids.normalise_pnc_id(" 04/12345d ") == "04/0012345D"


@pytest.mark.parametrize(
    "bad", ["", "2004-0012345D", "2004/00123456789D", "20040012345D", "2004/0012345", "ABCD/1234567A"]
)
def test_malformed_pnc_ids_are_refused_with_the_format(bad):
    with pytest.raises(ids.IdentifierError, match="format"):
        ids.normalise_pnc_id(bad)


@given(serial=st.integers(1, 999_999), year=st.integers(1950, 2099))
def test_every_generated_cro_number_validates(serial, year):
    cro = ids.make_cro_number(serial, year)
    assert ids.normalise_cro_number(cro) == cro


def test_cro_fingerprint_form():
    check = ids.check_letter("05", "123456")
    assert ids.normalise_cro_number(f"sf05/123456{check.lower()}") == f"SF05/123456{check}"
    wrong = ids.CHECK_LETTERS[(ids.CHECK_LETTERS.index(check) + 1) % 23]
    with pytest.raises(ids.IdentifierError, match="check letter"):
        ids.normalise_cro_number(f"SF05/123456{wrong}")


@pytest.mark.parametrize(("value", "ok"), [("A1234BC", True), ("a1234bc", True), ("A123BC", False), ("11234BC", False)])
def test_nomis_number(value, ok):
    if ok:
        assert ids.normalise_nomis_number(value) == value.upper()
    else:
        with pytest.raises(ids.IdentifierError, match="NOMIS"):
            ids.normalise_nomis_number(value)


@pytest.mark.parametrize(("value", "ok"), [("X123456", True), ("x123456", True), ("X12345", False), ("XX23456", False)])
def test_crn(value, ok):
    if ok:
        assert ids.normalise_crn(value) == value.upper()
    else:
        with pytest.raises(ids.IdentifierError, match="CRN"):
            ids.normalise_crn(value)


def test_visor_reference_checks_only_characters_and_length():
    assert ids.normalise_visor_ref("vr/123-a") == "VR/123-A"
    for bad in ("VR 12;3", "X" * 21):
        with pytest.raises(ids.IdentifierError, match="ViSOR"):
            ids.normalise_visor_ref(bad.replace(" ", ";"))


def test_identify_recognises_the_kind():
    assert ("pnc_id", "2004/0012345D") in ids.identify("2004/0012345D")
    assert ids.identify("A1234BC") == [("nomis_number", "A1234BC")]
    assert ids.identify("nonsense") == []
