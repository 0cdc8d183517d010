"""`manage.py load_demo [--scale tiny|demo|province] [--reset]`: the demo province (see orgs/demo/)."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import translation

from gongjiang.orgs import demo
from gongjiang.orgs.models import Org


class Command(BaseCommand):
    help = ("Load the demo province 山东省 (real cities and counties, synthetic unions, enterprises and people) "
            "and one account per persona. Does nothing if the demo is already loaded; --reset replaces it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(demo.SCALES), default="demo",
                            help="tiny: 2 cities, 300 people (tests); demo: 16 cities, 20,000 enterprises, "
                                 "50,000 people (make demo); province: 2,000,000 people (benchmarks)")
        parser.add_argument("--reset", action="store_true",
                            help="delete every organisation, person, account (except superusers), audit event "
                                 "and import first")
        parser.add_argument("--json", action="store_true", help="print the figures and timings as JSON")
        parser.add_argument("--competitions", action=argparse.BooleanOptionalAction, default=None,
                            help="load the demo competitions too (default: only at the demo scale)")

    def handle(self, *args: Any, scale: str, reset: bool, json: bool = False, competitions: bool | None = None,
               **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        if not reset:
            if demo.demo_loaded():
                self.stdout.write("The demo province is already loaded; nothing to do (use --reset to rebuild it).")
                return
            if Org.objects.exists():
                raise CommandError("The database already has organisations that are not the demo; refusing to "
                                   "load the demo over them. Use --reset to delete them and load the demo.")
        self.stdout.write(f"Loading the demo province at scale '{scale}' into {connection.vendor} …")
        from gongjiang.competitions import demo as competitions_demo

        if reset:
            competitions_demo.wipe()
        result = demo.load(scale, log=self.stdout.write, reset=reset)
        if competitions if competitions is not None else scale == "demo":
            t = time.perf_counter()
            figures = competitions_demo.load(log=self.stdout.write, events=3 if scale == "tiny" else 10)
            self.stdout.write(f"Loaded the competitions: {figures['rounds']} rounds run, "
                              f"{figures['entries']:,} entries, {figures['marks']:,} marks, "
                              f"{figures['judges']} judges in {time.perf_counter() - t:.1f} s.")
        stats, timings = result["stats"], result["timings"]
        self.stdout.write(
            f"Loaded {stats['orgs']:,} organisations, {stats['people']:,} people, {stats['memberships']:,} "
            f"memberships, {stats['grade_records']:,} skill-grade records, {stats['audit_events']:,} audit events, "
            f"{stats['accounts']} accounts, {stats['transfers']} pending transfers in {timings['total']:.1f} s.")
        if json:
            self.stdout.write(_json(result))


def _json(result: dict[str, Any]) -> str:
    return json.dumps({"stats": result["stats"], "timings": {k: round(v, 2) for k, v in result["timings"].items()}},
                      ensure_ascii=False)
