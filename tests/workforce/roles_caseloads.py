"""Role cases for the workforce caseloads pages (collected by tests/workforce/url_roles.py)."""

from tests.url_matrix import RoleCase

CASES: list[RoleCase] = []
