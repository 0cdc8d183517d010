"""`manage.py demo_logins`: the demo accounts, one per persona (core.registry.Persona, registered by every app),
with what each of them sees."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from gongjiang.core import registry


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = "Print the demo log-ins (one per persona) and what each persona sees."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        personas = registry.personas()
        users = {u.username: u for u in get_user_model().objects.filter(username__in=[p.username for p in personas])}
        if not users:
            self.stdout.write(_("No demo accounts yet: run `manage.py load_demo` first."))
            return
        header = [_("Role"), _("User name"), _("Mobile (log-in)"), _("Password"), _("Sees")]
        rows = []
        for p in personas:
            user = users.get(p.username)
            if user is None:
                continue
            rows.append([str(p.title), p.username, getattr(user, "phone", None) or "", p.password, str(p.does)])
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(_("Demo log-ins (a demo: every persona has the same password)"))
        line = "  ".join(_pad(h, w) for h, w in zip(header[:4], widths, strict=True)) + "  " + header[4]
        self.stdout.write(line)
        self.stdout.write("-" * min(150, _width(line) + 40))
        for r in rows:
            self.stdout.write("  ".join(_pad(c, w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4])
        self.stdout.write(_("Log in with the user name or the mobile number."))
        self.stdout.write("")
