"""manage.py demo_sign_ins: who to sign in as in the demo, and how."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from safeguard.demo.factories import DEMO_PASSWORD
from safeguard.demo.signins import SIGN_INS, TOUR_SEARCH
from safeguard.workforce.models import Staff

URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Print the demo sign-ins, their roles and agencies, and the shared password."

    def handle(self, *args, **options):
        users = {u.username: u for u in Staff.objects.filter(username__in=[s.username for s in SIGN_INS])}
        rows = [("Username", "Role", "Rank or grade", "Agency")]
        for spec in SIGN_INS:
            user = users.get(spec.username)
            if user is None:
                continue
            rows.append((user.username, ", ".join(user.role_labels), user.rank_or_grade, str(user.agency or "")))
        if len(rows) == 1:
            self.stdout.write("No demo sign-ins yet: run `manage.py generate_world` first.")
            return
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        self.stdout.write("\n".join(lines))
        self.stdout.write(f"\nPassword for every demo sign-in: {DEMO_PASSWORD}")
        if getattr(settings, "SAFEGUARD_REQUIRE_MFA", True):
            self.stdout.write("A TOTP code is required: set one up at first sign-in.")
        else:
            self.stdout.write("MFA is relaxed in the demo: no TOTP code is asked for (every page says so).")
        self.stdout.write(f"Try searching for '{TOUR_SEARCH}' as om.demo.")
        self.stdout.write(f"Open {URL}")
