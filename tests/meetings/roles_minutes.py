"""Role cases for the meetings minutes pages (collected by tests/meetings/url_roles.py)."""

from tests.url_matrix import RoleCase

CASES: list[RoleCase] = []
