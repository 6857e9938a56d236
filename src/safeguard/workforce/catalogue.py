"""The training catalogue, from the seeds' training table (docs/sources/workforce.md).

Course codes and names are the rules' (``rules.competence.COURSES``); who takes
each course and who delivers it are the seeds' words. Loaded on every migrate,
so a new course in the rules appears in the catalogue; an area may change the
audience and provider text in the admin, which a later load leaves alone.
"""

from safeguard.rules import competence as c

SEED_CATALOGUE = {
    c.MOSOVO: ("Every offender manager", "College of Policing approved; places also offered by other forces"),
    c.ARMS: ("Offender managers doing ARMS assessments", "Force trainers"),
    c.VISOR: ("Every ViSOR user", "Force trainer"),
    c.MAPPA_CHAIR: ("MAPPA chairs", "Force; peer review pairs a Detective Inspector with a Senior Probation Officer"),
    c.STANDING_PANEL_CPD: ("Standing MAPPA panel members", "Being developed"),
    c.DA_CPD: ("Domestic abuse offender managers", "Mandated by the force"),
    c.DIGITAL_INVESTIGATION: ("Offender managers", "Digital investigation unit"),
    c.MARAC_TO_MAPPA_REFERRAL: (
        "MARAC coordinators and domestic abuse detective inspectors",
        "Awareness of Category 3 referral",
    ),
}


def sync_courses(using: str = "default") -> None:
    from .models import Course

    for code, name in c.COURSES.items():
        audience, provider = SEED_CATALOGUE.get(code, ("", ""))
        Course.objects.using(using).get_or_create(
            code=code, defaults={"name": name, "audience": audience, "provider": provider}
        )
