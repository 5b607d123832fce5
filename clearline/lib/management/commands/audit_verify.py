from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clearline.lib.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain and name the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.first_broken_id is not None:
            raise CommandError(f"Audit log broken at entry #{report.first_broken_id}: {report.reason}.")
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {report.entries} entries."))
