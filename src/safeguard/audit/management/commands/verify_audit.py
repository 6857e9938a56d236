"""Recompute the audit seals and report the first batch that no longer matches (exit status 1 if one does)."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.audit import sealing


class Command(BaseCommand):
    help = "Check every sealed batch of audit rows against its seal; name the first that no longer matches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-seal", type=int, default=1, help="Start at this seal number (the seals before it are trusted)."
        )

    def handle(self, *args, from_seal=1, **options):
        if from_seal < 1:
            raise CommandError("--from-seal: seal numbers start at 1")
        result = sealing.verify(from_seal)
        if result.mismatch:
            m = result.mismatch
            raise CommandError(
                f"Seal {m.number} (audit ids {m.after_id + 1:,} to {m.last_id:,}, sealed "
                f"{m.sealed_at:%Y-%m-%d %H:%M:%S %Z}) no longer matches: {m.problem}. "
                f"{result.seals_checked:,} seals before it matched.",
                returncode=1,
            )
        if not result.seals_checked:
            self.stdout.write(f"No seals to check. {result.unsealed_rows:,} audit rows not sealed yet.")
            return
        self.stdout.write(
            f"All {result.seals_checked:,} seals match ({result.rows_checked:,} audit rows up to id "
            f"{result.last_sealed_id:,}). {result.unsealed_rows:,} rows after the last seal not sealed yet."
        )
