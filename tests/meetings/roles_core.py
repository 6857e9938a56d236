"""Role cases for the meetings core pages (collected by tests/meetings/url_roles.py)."""

from tests.url_matrix import RoleCase

CASES: list[RoleCase] = []
