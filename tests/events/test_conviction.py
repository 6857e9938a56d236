from safeguard.audit.models import AuditEvent
from safeguard.events.models import Conviction
from tests.events.url_roles import conviction_data, offence
from tests.helpers import error_page


def _post(client, world, **changes):
    return client.post(f"/people/{world.people.offender.pk}/convictions/new/", conviction_data(world, **changes))


def test_form_offers_the_offence_list_and_the_kind_as_radios(world, sign_in):
    offence()
    page = sign_in(world.users.om).get(f"/people/{world.people.offender.pk}/convictions/new/").content.decode()
    assert "Assault occasioning actual bodily harm" in page
    assert 'type="radio"' in page and "<legend" in page


def test_record_a_conviction(world, sign_in):
    rape = offence("SOA2003-s1")
    rape.soa_schedule_3 = rape.cja_schedule_15 = True
    rape.save()
    client = sign_in(world.users.om)
    response = _post(client, world, offence=str(rape.pk))
    assert response.status_code == 302 and response["Location"] == f"/people/{world.people.offender.pk}/"
    saved = Conviction.objects.get(person=world.people.offender)
    assert saved.term_months == 30 and saved.soa_schedule_3 and saved.cja_schedule_15, "flags from the offence list"
    assert AuditEvent.objects.filter(
        actor_id=world.users.om.pk, record_type="events.conviction", record_id=saved.pk, operation="create"
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert "The conviction has been recorded" in page and "30 months" in page


def test_conviction_before_birth_is_refused(world, sign_in):
    response = _post(sign_in(world.users.om), world, relevant_date_2="1979")
    page = error_page(response, "cannot be before the date of birth")
    assert 'href="#id_relevant_date_0"' in page
    assert not Conviction.objects.exists()


def test_unknown_offence_is_refused(world, sign_in):
    response = _post(sign_in(world.users.om), world, offence="999999")
    page = error_page(response, "Choose an offence from the list")
    assert 'href="#id_offence"' in page
    assert not Conviction.objects.exists()


def test_imprisonment_needs_a_term(world, sign_in):
    error_page(_post(sign_in(world.users.om), world, term_months=""), "Enter the custodial term in months")
    assert not Conviction.objects.exists()


def test_a_caution_must_have_a_caution_disposal(world, sign_in):
    error_page(_post(sign_in(world.users.om), world, kind="caution"), "A caution&#x27;s disposal is a caution")
    assert not Conviction.objects.exists()
