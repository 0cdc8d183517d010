"""Remind the unions that have not reported a data request due within three days or overdue (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjiang.stats.reminders import remind_due


class Command(BaseCommand):
    help = "Remind the unions that have not yet reported the data requests due within three days (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = remind_due()
        self.stdout.write(f"{count} data request(s) reminded")
