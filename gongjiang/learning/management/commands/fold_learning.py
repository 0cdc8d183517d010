"""Submit the attempts left open past their deadline and count the attempts submitted since the last run into the
learners, the leaderboards and the daily figures (`counters.fold`). Run every minute from a timer (docs/deploy.md
§4); a worker's own result is read from the attempt at once, only the leaderboards wait for it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjiang.learning.counters import fold


class Command(BaseCommand):
    help = "Close the timed-out attempts and count the submitted ones in the leaderboards and figures."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while n := fold():
            total += n
        self.stdout.write(f"{total} attempt(s) folded")
