"""`manage.py load_demo [--scale tiny|demo|province] [--reset] [--with APP] [--without APP]`: the demo province,
built by every app's demo loader (core.registry.DemoLoader) in dependency order."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import translation

from gongjiang.core import registry

SCALES = ("tiny", "demo", "province")


class Command(BaseCommand):
    help = ("Load the demo province 山东省 (real cities and counties, synthetic unions, enterprises and people, one "
            "account per persona) and each app's demo data. Does nothing if the demo is already loaded; --reset "
            "replaces it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALES, default="demo",
                            help="tiny: 2 cities, 300 people (tests); demo: 16 cities, 20,000 enterprises, "
                                 "50,000 people (make demo); province: 2,000,000 people (benchmarks)")
        parser.add_argument("--reset", action="store_true",
                            help="delete every app's demo data (and every organisation, person and account but the "
                                 "superusers) first")
        parser.add_argument("--with", dest="include", action="append", default=[], metavar="APP",
                            help="also load this app's demo where the scale would skip it (e.g. --with competitions)")
        parser.add_argument("--without", dest="exclude", action="append", default=[], metavar="APP",
                            help="leave this app's demo out")

    def handle(self, *args: Any, scale: str, reset: bool, include: list[str], exclude: list[str],
               **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        every = registry.demo_loaders()
        keys = {loader.key for loader in every}
        unknown = sorted((set(include) | set(exclude)) - keys)
        if unknown:
            raise CommandError(f"Unknown demo part(s): {', '.join(unknown)} (known: {', '.join(sorted(keys))}).")
        chosen = [loader for loader in every if loader.key not in exclude and (
            loader.key in include or loader.scales is None or scale in loader.scales)]
        if not reset:
            if any(loader.loaded and loader.loaded() for loader in chosen):
                self.stdout.write("The demo province is already loaded; nothing to do (use --reset to rebuild it).")
                return
            for loader in chosen:
                refusal = loader.refusal() if loader.refusal else ""
                if refusal:
                    raise CommandError(refusal)
        self.stdout.write(f"Loading the demo province at scale '{scale}' into {connection.vendor} …")
        if reset:
            for loader in reversed(every):  # later parts point at earlier ones: delete them first
                if loader.wipe:
                    loader.wipe()
        for loader in chosen:
            self.stdout.write(loader.load(scale, self.stdout.write, reset))
