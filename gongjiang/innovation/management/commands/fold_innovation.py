"""Settle the proposals workers submitted since the last run: count them in the fact store (their units' reach, on the
day of submission) and index their titles (`counters.fold`). Run every minute from a timer (docs/deploy.md §4); the
pages read the proposals not folded yet, so a late run delays nothing a user sees."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjiang.innovation.counters import fold


class Command(BaseCommand):
    help = "Count the newly submitted proposals in the figures and index their titles."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while n := fold():
            total += n
        self.stdout.write(f"{total} proposal(s) folded")
