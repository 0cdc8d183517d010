"""Close the public notices whose last day has passed, calling each owner's handler (run daily, after midnight)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjiang.core.notices import close_due


class Command(BaseCommand):
    help = "Close the public notices whose period has ended and let the owning apps react."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_due()
        self.stdout.write(f"{closed} notice(s) closed")
