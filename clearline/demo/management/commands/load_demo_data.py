from typing import Any

from django.core.management.base import BaseCommand

from clearline.demo.loader import ADMIN_PASSWORD, ADMIN_USERNAME, load_demo_data


class Command(BaseCommand):
    help = "Create the demo site (pages, helplines, fictional providers, an admin login). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result['articles_created']} new articles, {result['facilities']} demo "
                f"facilities, disclosure version {result['disclosure_version']}. "
                f"Admin login: {ADMIN_USERNAME} / {ADMIN_PASSWORD}"
            )
        )
