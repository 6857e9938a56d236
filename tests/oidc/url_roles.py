from safeguard.oidc.models import LinkedIdentity
from tests.url_matrix import RoleCase

NOT_ADMINISTRATORS = ("om", "coordinator", "supervisor", "chair", "marac", "idva", "partner", "analyst", "norole")


def _link(world) -> LinkedIdentity:
    """One link per test's world (kept on it, so the audit check finds the record the request removed)."""
    if not hasattr(world, "oidc_link"):
        world.oidc_link = LinkedIdentity.objects.create(
            staff=world.users.om, subject='{"iss":"https://idp.example","sub":"om"}', linked_by_username="test"
        )
    return world.oidc_link


CASES = [
    # Only administrators link organisation accounts to staff (and see the links); anyone else: 404.
    RoleCase("oidc:links", allowed=("admin",), refused=NOT_ADMINISTRATORS),
    RoleCase(
        "oidc:links",
        label="post",
        method="post",
        data=lambda w: {"username": "om2", "iss": "https://idp.example", "sub": "someone"},
        allowed=("admin",),
        refused=NOT_ADMINISTRATORS,
        ok_status=(302,),
    ),
    RoleCase(
        "oidc:unlink",
        method="post",
        kwargs=lambda w: {"pk": _link(w).pk},
        allowed=("admin",),
        refused=NOT_ADMINISTRATORS,
        ok_status=(302,),
        record=lambda w: ("oidc.linkedidentity", _link(w).pk),
    ),
]
