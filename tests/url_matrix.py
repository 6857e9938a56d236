"""The role-by-URL matrix: every page and endpoint, tried as roles that may and may not use it.

Each test package registers its URLs in a module named `url_roles.py` that
defines `CASES`, a list of RoleCase. tests/access/test_url_matrix.py collects
them all, runs every case, and fails when a named URL has no case with at
least one allowed and one refused role.

A RoleCase names the URL, how to build its kwargs from the `world` fixture
(tests/conftest.py), the users (attribute names of world.users) who may use
it and who may not, and what counts as success.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RoleCase:
    url_name: str  # "namespace:name", as reverse() takes it
    allowed: tuple[str, ...]
    refused: tuple[str, ...]
    kwargs: Callable[[object], dict] = field(default=lambda world: {})
    method: str = "get"  # "get" or "post"
    data: Callable[[object], dict] | None = None  # POST body (form-encoded) for method="post"
    json: bool = False  # send data as JSON (API)
    ok_status: tuple[int, ...] = (200,)  # what "allowed" answers (a successful POST may redirect: 302)
    refused_status: tuple[int, ...] = (404,)  # refusals never say the record exists
    record: Callable[[object], tuple[str, int | None]] | None = None
    # When set: (record_type, record_id) whose allowed/refused audit events the case checks.
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.url_name}{'[' + self.label + ']' if self.label else ''}"


# URLs that touch no personal record and need no role, with the reason.
PUBLIC_URLS = {
    "web:sign-in": "the sign-in page itself",
    "web:sign-in-code": "the second sign-in step (needs a pending password check, not a role)",
    "web:sign-out": "signing out needs no role and shows no record",
    "oidc:start": "sign-in with the organisation's account: sends the browser to the identity provider",
    "oidc:callback": "the identity provider's answer to a sign-in (tested end to end in tests/oidc)",
}
