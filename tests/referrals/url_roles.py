"""Role cases for the referrals pages."""

from tests.url_matrix import RoleCase

CASES: list[RoleCase] = []
