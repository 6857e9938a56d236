"""The monthly pack's file and the Category 3 scan, started from their pages as background jobs."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from safeguard.actions.models import Prompt
from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.jobs.models import Job
from tests.actions.test_category3 import _today, dash, incident


def test_the_pack_is_prepared_in_the_background_then_downloaded(world, sign_in):
    client = sign_in(world.users.analyst)
    response = client.post(reverse("workforce:pack-export"), {"format": "xlsx"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:job", kwargs={"pk": job.pk})
    assert job.kind == Job.Kind.MONTHLY_PACK and job.status == Job.Status.DONE and (job.done, job.total) == (2, 2)
    page = client.get(response.url).content.decode()
    assert "2 of 2 steps" in page and "is ready to download (XLSX)" in page and job.output_name in page
    download = client.get(reverse("jobs:download", kwargs={"pk": job.pk}))
    assert download.status_code == 200 and bytes(download.content)[:2] == b"PK"  # an XLSX is a zip
    assert job.output_name.endswith("-official-sensitive.xlsx")
    exports = AuditEvent.objects.filter(actor_id=world.users.analyst.pk, operation=Operation.EXPORT)
    assert exports.filter(record_type="workforce.pack", outcome=Outcome.ALLOWED).exists()  # by the job, as them
    assert exports.filter(record_type="jobs.job", record_id=job.pk, outcome=Outcome.ALLOWED).exists()


def test_someone_else_may_not_download_the_file(world, sign_in):
    sign_in(world.users.analyst).post(reverse("workforce:pack-export"), {"format": "csv"})
    job = Job.objects.get()
    other = sign_in(world.users.om)
    assert other.get(reverse("jobs:download", kwargs={"pk": job.pk})).status_code == 404
    assert other.get(reverse("jobs:job", kwargs={"pk": job.pk})).status_code == 404


def test_a_coordinator_runs_the_category3_scan_now(world, sign_in):
    perpetrator = world.people.other_offender
    made = incident(world, perpetrator, world.people.victim, _today() - dt.timedelta(40))
    dash(world, world.people.victim, _today() - dt.timedelta(39), incident_=made)
    client = sign_in(world.users.coordinator)
    page = client.get(reverse("actions:category3")).content.decode()
    assert "Run the scan now" in page
    response = client.post(reverse("actions:category3"))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:job", kwargs={"pk": job.pk})
    assert job.kind == Job.Kind.CATEGORY3_SCAN and job.status == Job.Status.DONE
    assert job.result["prompts_raised"] == 2 and (job.done, job.total) == (4, 4)
    prompts = Prompt.objects.filter(kind=Prompt.Kind.CATEGORY_3, person=perpetrator)
    assert {p.assigned_to for p in prompts} == {world.users.coordinator, world.users.om2}
    assert "prompts raised" in client.get(response.url).content.decode()
    assert "Scans run from this page" in client.get(reverse("actions:category3")).content.decode()
