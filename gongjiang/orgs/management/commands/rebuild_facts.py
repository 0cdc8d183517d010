"""Recompute the fact store (orgs/facts.py) from every app's rows, or with --check only say where it is wrong.

A repair tool (after restoring a backup of one app's tables, or a bug fixed in a verb) and the demo loader's last
step; --check exits with status 1 when the kept figures and the rows disagree (a monitoring probe)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from gongjiang.orgs import facts


class Command(BaseCommand):
    help = "Recompute the figures of the fact store from the apps' rows (--check: only report differences)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="report the differences, change nothing")
        parser.add_argument("--app", action="append", dest="apps", help="only this app's metrics (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        apps = options["apps"]
        if options["check"]:
            diff = facts.differences(apps)
            for (org_id, key, period, start), (have, want) in sorted(diff.items())[:50]:
                self.stdout.write(f"org {org_id} {key} {period}{start}: kept {have}, rows say {want}")
            if diff:
                raise CommandError(f"{len(diff)} figure(s) differ from the rows")
            self.stdout.write("the fact store agrees with the rows")
            return
        with transaction.atomic():
            changed = facts.rebuild(apps)
        self.stdout.write(f"{changed} figure(s) rewritten")
