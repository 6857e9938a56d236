"""The fixed demo sign-ins: one per kind of user, all with the shared demo password.

They are the same in every generated world so that the README's tour can name
them. Their names are fixed and fictional (not drawn from Faker) so that they
never change with the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguard.workforce.models import Role


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    roles: tuple[str, ...]
    rank: str
    agency: str  # a key of Organisation.agencies
    team: str = ""  # a key of Organisation.teams, or none
    first: str = "Demo"
    last: str = "User"
    superuser: bool = False


SIGN_INS = (
    DemoSignIn(
        "om.demo",
        (Role.OFFENDER_MANAGER,),
        "Detective Constable",
        "police",
        "ppu-north",
        "Olivia",
        "Mercer",
    ),
    DemoSignIn("coordinator.demo", (Role.MAPPA_COORDINATOR,), "Police staff", "police", "mappa-unit", "Colin", "Hart"),
    DemoSignIn(
        "supervisor.demo",
        (Role.SUPERVISOR,),
        "Detective Sergeant",
        "police",
        "ppu-north",
        "Sunita",
        "Vale",
    ),
    DemoSignIn("chair.demo", (Role.CHAIR,), "Chief Inspector", "police", "", "Charles", "Brook"),
    DemoSignIn("marac.demo", (Role.MARAC_COORDINATOR,), "Police staff", "police", "da-unit", "Maria", "Quest"),
    DemoSignIn("idva.demo", (Role.IDVA,), "IDVA", "idva", "", "Imogen", "Dale"),
    DemoSignIn("housing.demo", (Role.PARTNER,), "Housing officer", "housing-0", "", "Harry", "Holt"),
    DemoSignIn("analyst.demo", (Role.ANALYST,), "Police staff", "police", "", "Anna", "Lyst"),
    DemoSignIn(
        "admin.demo",
        (Role.ADMINISTRATOR,),
        "Police staff",
        "police",
        "",
        "Adam",
        "Minter",
        superuser=True,
    ),
)

OFFENDER_MANAGER = "om.demo"
CASELOAD = 30

# The tour nominal: found by searching "Jonathon Smith" (both names misspelt by one letter).
TOUR_GIVEN_NAME = "Jonathan"
TOUR_FAMILY_NAME = "Smyth"
TOUR_SEARCH = "Jonathon Smith"
# Generated people never carry these family names, so the tour search finds him alone.
TOUR_AVOIDED_FAMILY_NAMES = frozenset({"Smith", "Smyth"})
