"""The subject and the provider's MFA, read from a verified ID token's claims."""

import pytest

from safeguard.oidc.claims import MissingSubjectClaim, provider_mfa, subject_key

ISS = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0"


def test_subject_is_canonical_whatever_the_order_of_the_names():
    claims = {"iss": ISS, "sub": "abc", "email": "o.mercer@police.example"}
    assert subject_key(claims, ["iss", "sub"]) == subject_key(claims, ["sub", "iss"])
    assert subject_key(claims, ["iss", "sub"]) == '{"iss":"' + ISS + '","sub":"abc"}'


def test_entra_object_and_tenant_ids_as_the_subject():
    claims = {"oid": "11111111-2222", "tid": "00000000-0001", "sub": "pairwise"}
    assert subject_key(claims, ["tid", "oid"]) == '{"oid":"11111111-2222","tid":"00000000-0001"}'


def test_email_never_stands_in_for_a_missing_subject_claim():
    with pytest.raises(MissingSubjectClaim, match="oid"):
        subject_key({"tid": "t", "email": "o.mercer@police.example"}, ["tid", "oid"])


@pytest.mark.parametrize("value", ["", "   ", None, 42, ["a"]])
def test_a_subject_claim_must_be_a_non_empty_string(value):
    with pytest.raises(MissingSubjectClaim):
        subject_key({"iss": ISS, "sub": value}, ["iss", "sub"])


def test_no_configured_claims_is_refused():
    with pytest.raises(MissingSubjectClaim):
        subject_key({"iss": ISS, "sub": "abc"}, [])


@pytest.mark.parametrize(
    ("claims", "asserted"),
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": ["mfa"]}, True),
        ({"amr": ["pwd"]}, False),
        ({"amr": ["pwd", "otp"]}, False),  # "otp" is not accepted unless configured
        ({"amr": []}, False),
        ({"amr": "mfa"}, False),  # amr is a JSON array (RFC 8176 s.1); a bare string is malformed
        ({}, False),
        ({"acr": "urn:example:mfa"}, True),
        ({"acr": "urn:example:single"}, False),
        ({"acr": ["urn:example:mfa"]}, False),  # acr is a string
    ],
)
def test_provider_mfa_only_where_amr_or_acr_says_so(claims, asserted):
    finding = provider_mfa(claims, accepted_amr=["mfa"], accepted_acr=["urn:example:mfa"])
    assert finding.asserted is asserted
    assert finding.working


def test_the_accepted_methods_are_configuration():
    claims = {"amr": ["pwd", "hwk"]}
    assert not provider_mfa(claims, ["mfa"], []).asserted
    finding = provider_mfa(claims, ["mfa", "otp", "hwk"], [])
    assert finding.asserted and finding.working == "amr contains hwk"
