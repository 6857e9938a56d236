"""Role cases for the triage pages."""

from tests.url_matrix import RoleCase

CASES: list[RoleCase] = []
