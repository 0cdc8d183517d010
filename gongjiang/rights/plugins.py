"""What the rights app contributes through core's registries (called from RightsConfig.ready): the 民主管理与集体合同
menu, the county union's to-do (enterprises without a congress this year, contracts expiring within 90 days), the
demo and its county rights-officer persona."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import NavItem, NavSection
from gongjiang.orgs.plugins import is_cadre


def _gaps(user: Any) -> list[registry.TodoItem]:
    from . import queries

    if not is_cadre(user):
        return []
    year = queries.today().year
    return [registry.TodoItem(
        _("%(n)d enterprises of %(org)s have no workers' congress for %(year)d.") % {
            "n": n, "org": org.display_name, "year": year}, n,
        f"{reverse('rights:lacking')}?org={org.pk}&year={year}&item=congress", "rights", 60)
        for org, n in queries.county_gaps(user, year) if n]


def _expiring(user: Any) -> list[registry.TodoItem]:
    from . import queries

    if not is_cadre(user):
        return []
    n = queries.expiring(user).count()
    return [registry.TodoItem(_("%(n)d collective contracts end within 90 days without a renewal.") % {"n": n}, n,
                              reverse("rights:expiring"), "rights", 61)] if n else []


def _cases(user: Any) -> list[registry.TodoItem]:
    from .queries import cases

    if not is_cadre(user):
        return []
    waiting, overdue = cases.waiting(user)
    url = reverse("rights:case_list")
    out = []
    if waiting:
        out.append(registry.TodoItem(_("%(n)d rights cases wait for acceptance.") % {"n": waiting}, waiting,
                                     f"{url}?step=filed", "rights", 55))
    if overdue:
        out.append(registry.TodoItem(_("%(n)d rights cases are past the deadline of their step.") % {"n": overdue},
                                     overdue, f"{url}?overdue=1", "rights", 56))
    return out


def _files_cases(user: Any) -> bool:
    return bool(user.is_authenticated) and not is_cadre(user)


def _overdue_hazards(user: Any) -> list[registry.TodoItem]:
    from .queries import protection

    if not is_cadre(user):
        return []
    n = protection.overdue(user).count()
    return [registry.TodoItem(_("%(n)d hazards found in labour protection checks are past their follow-up "
                                "deadline.") % {"n": n}, n, reverse("rights:overdue"), "rights", 62)] if n else []


def _load_demo(scale: str, log: Callable[[str], None], reset: bool) -> str:
    from . import demo, demo_cases

    f = demo.load(log=log)
    cases = demo_cases.load(scale, log)
    return (f"Loaded democratic management and collective contracts: {f['congresses']} congresses, "
            f"{f['contracts']} contracts, {f['offers']} offers, {f['checks']} labour protection checks, "
            f"{f['ankang_entries']} Ankang Cup entries; {cases} rights cases.")


def _wipe_demo() -> None:
    from . import demo, demo_cases

    demo_cases.wipe()
    demo.wipe()


def _loaded() -> bool:
    from .models import Congress

    return Congress.objects.exists()


def register() -> None:
    registry.register_nav(
        NavSection("rights", gettext_lazy("Democratic management and collective contracts"), 44),
        NavItem("rights", gettext_lazy("Establishment and coverage rates"), "rights:rates", 10, visible=is_cadre,
                active=("rights:rates", "rights:lacking", "rights:enterprise", "rights:congress_*",
                        "rights:session_*", "rights:motion_*", "rights:matter_*", "rights:openness_new",
                        "rights:seat_new", "rights:delegates_add")),
        NavItem("rights", gettext_lazy("Bargaining campaigns"), "rights:campaign_list", 20, visible=is_cadre,
                active=("rights:campaign_*", "rights:offer*")),
        NavItem("rights", gettext_lazy("Contracts expiring"), "rights:expiring", 30, visible=is_cadre,
                active=("rights:expiring", "rights:contract_*")),
        NavItem("rights", gettext_lazy("Labour protection checks"), "rights:checks", 40, visible=is_cadre,
                active=("rights:check*", "rights:hazard*", "rights:overdue")),
        NavItem("rights", gettext_lazy("Ankang Cup"), "rights:ankang_list", 50, visible=is_cadre,
                active=("rights:ankang_*", "rights:entry_indicators")),
    )
    registry.register_nav(
        NavItem("rights", gettext_lazy("Rights cases"), "rights:case_list", 60, visible=is_cadre,
                active=("rights:case_list", "rights:case_new", "rights:case_detail", "rights:case_action")),
        NavItem("rights", gettext_lazy("My rights cases"), "rights:my_cases", 5, visible=_files_cases,
                active=("rights:my_cases", "rights:case_file", "rights:my_case")),
    )
    registry.register_todo(_gaps, _expiring, _cases, _overdue_hazards)
    registry.register_demo(registry.DemoLoader("rights", _load_demo, after=("orgs",), wipe=_wipe_demo,
                                               loaded=_loaded))
    from gongjiang.orgs.demo import DEMO_PASSWORD

    from .demo import OFFICER

    registry.register_personas(registry.Persona(
        OFFICER, gettext_lazy("County rights officer"),
        gettext_lazy("历下区总工会's democratic management and collective contracts: rates, enterprises to follow "
                     "up, congresses, contracts, the bargaining campaign"), DEMO_PASSWORD, 47))
