"""Every meetings page, as roles that may use it and roles that may not (one module per part)."""

from tests.meetings import roles_core, roles_minutes

CASES = [*roles_core.CASES, *roles_minutes.CASES]
