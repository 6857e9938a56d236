from tests.url_matrix import RoleCase

EVERY_SIGNED_IN = ("om", "coordinator", "supervisor", "chair", "marac", "idva", "partner", "analyst", "admin", "norole")

CASES = [
    # "My work" is open to every signed-in user; what it lists is scoped by the gate
    # (tests/web/test_home.py). Refused: a user whose account is deactivated.
    RoleCase("web:home", allowed=EVERY_SIGNED_IN, refused=("inactive",), refused_status=(302,)),
    RoleCase("web:search", allowed=EVERY_SIGNED_IN, refused=("inactive",), refused_status=(302,)),
    RoleCase(
        "web:search",
        label="post",
        method="post",
        data=lambda w: {"name": "Jonathon Smith"},
        allowed=("om", "coordinator", "marac"),
        refused=("inactive",),
        refused_status=(302,),
        record=lambda w: ("people.person", None),
    ),
    RoleCase("web:purpose", allowed=EVERY_SIGNED_IN, refused=("inactive",), refused_status=(302,)),
    # Changing one's own password: every signed-in user (tests/web/test_password_change.py).
    RoleCase("web:change-password", allowed=EVERY_SIGNED_IN, refused=("inactive",), refused_status=(302,)),
]
