"""Role cases for the actions pages."""

from tests.url_matrix import RoleCase

CASES: list[RoleCase] = []
