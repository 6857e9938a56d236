"""Who sees the triage: the forum's member agencies (partners only the people on its open cases), the area's
case workers, and nobody else."""

from django.urls import reverse

from safeguard.demo import factories as f
from safeguard.triage import services
from safeguard.triage.models import TriageCase
from safeguard.workforce.models import Agency, Role


def test_a_housing_partner_on_the_triage_sees_the_board_and_its_people(world, triage, sign_in):
    client = sign_in(world.users.partner)
    board = client.get(reverse("triage:board", kwargs={"pk": triage.meeting.pk}))
    assert board.status_code == 200
    assert triage.incident.reference in board.content.decode() and "Tanya Example" in board.content.decode()
    page = client.get(reverse("triage:case", kwargs={"pk": triage.case.pk})).content.decode()
    assert "Mia Example" in page and "Record the notice" in page  # the partner may triage


def test_an_agency_not_on_the_triage_sees_nothing(world, triage, sign_in):
    other_housing = f.agency(world.home["mappa"], Agency.Kind.HOUSING, "Southvale Homes")
    outsider = f.staff("southvale", other_housing, [Role.PARTNER])
    for user in (world.users.idva, outsider, world.users.away_om, world.users.analyst):
        client = sign_in(user)
        for url in (
            reverse("triage:index"),
            reverse("triage:board", kwargs={"pk": triage.meeting.pk}),
            reverse("triage:case", kwargs={"pk": triage.case.pk}),
            reverse("triage:meetings", kwargs={"forum_pk": triage.forum.pk}),
        ):
            assert client.get(url).status_code == 404, (user.username, url)


def test_once_the_triage_is_done_partners_see_the_board_but_not_the_people(world, triage, sign_in):
    ctx = triage.ctx
    case = triage.case
    services.grade_case(ctx, case, grade="green", reason="", expected_version=1)
    services.record_no_further_action(
        ctx, TriageCase.objects.get(pk=case.pk), reason="Both safe; advice given.", expected_version=2
    )
    services.close_meeting(ctx, triage.meeting, expected_version=triage.meeting.version)
    client = sign_in(world.users.partner)
    board = client.get(reverse("triage:board", kwargs={"pk": triage.meeting.pk})).content.decode()
    assert "Tanya Example" not in board and triage.incident.reference not in board
    assert "An incident outside your access" in board
    page = client.get(reverse("triage:case", kwargs={"pk": case.pk})).content.decode()
    assert "Mia Example" not in page and "The incident is outside your access" in page
    # The area's case workers still see it all.
    om = sign_in(world.users.om).get(reverse("triage:board", kwargs={"pk": triage.meeting.pk})).content.decode()
    assert "Tanya Example" in om


def test_the_chair_sees_but_may_not_triage(world, triage, sign_in):
    client = sign_in(world.users.chair)
    page = client.get(reverse("triage:case", kwargs={"pk": triage.case.pk}))
    assert (
        page.status_code == 200
        and "Regrade" not in page.content.decode()
        and 'name="grade-grade"' not in (page.content.decode())
    )
    refused = client.post(reverse("triage:grade", kwargs={"pk": triage.case.pk}), {"grade-grade": "red"})
    assert refused.status_code == 404
    assert TriageCase.objects.get(pk=triage.case.pk).grade == ""
