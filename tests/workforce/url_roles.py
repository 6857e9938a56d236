"""Every workforce page, as roles that may use it and roles that may not (one module per part)."""

from tests.workforce import roles_allocation, roles_caseloads, roles_pack, roles_training

CASES = [*roles_caseloads.CASES, *roles_training.CASES, *roles_allocation.CASES, *roles_pack.CASES]
