"""The nominal page's prepared queries (safeguard.prepared) are kept, not refused: its findings' convictions and
notifications, its history and the person's latest assessments. The check mode (on in the tests) compares each
cached call with the ORM's."""

from __future__ import annotations

from safeguard import record_history
from safeguard.assessments import services as assessment_services
from safeguard.offenders import findings
from safeguard.offenders.models import Nominal


def test_the_nominal_pages_queries_are_kept(world, sign_in):
    client = sign_in(world.users.om)
    nominal = world.nominals.mine
    Nominal.objects.filter(pk=nominal.pk).update(registered_sex_offender=True)
    for _ in range(2):  # the second view runs the kept SQL (and, in check mode, compares it with the ORM's)
        assert client.get(f"/nominals/{nominal.pk}/").status_code == 200
    history = record_history._HISTORIES[(Nominal, "id", 6)]
    for query in (findings.CONVICTIONS, findings.NOTIFICATIONS, history, assessment_services.LATEST_ASSESSMENTS):
        kept = [shape for shape in query._shapes.values() if not isinstance(shape, str)]
        assert kept, query
        assert not query.refused(), query.refused()
