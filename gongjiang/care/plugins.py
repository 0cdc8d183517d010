"""What the care app contributes through core's registries (called from CareConfig.ready): the 困难职工帮扶 menu,
the work waiting (requests to check or approve, files due for review), the fact store's metrics and source, the
demo's archive and the caseworker persona."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import NavItem, NavSection, Persona
from gongjiang.orgs import facts
from gongjiang.orgs.plugins import is_cadre

from . import figures


def _queue(user: Any) -> list[registry.TodoItem]:
    from .queries import queue_for

    if not is_cadre(user):
        return []
    n = queue_for(user).count()
    return [registry.TodoItem(_("%(n)d needy-worker archive requests wait for your check or approval.") % {"n": n},
                              n, reverse("care:queue"), "care", 45)]


def _due(user: Any) -> list[registry.TodoItem]:
    from .queries import due_for_review

    if not is_cadre(user):
        return []
    n = due_for_review(user).count()
    return [registry.TodoItem(_("%(n)d household files are due for their yearly review.") % {"n": n}, n,
                              reverse("care:file_list") + "?due=1", "care", 46)]


def _cycles(user: Any) -> list[registry.TodoItem]:
    from .queries.aid import turn_for

    if not is_cadre(user):
        return []
    found = turn_for(user)
    if not found:
        return []
    first = found[0][0]
    return [registry.TodoItem(_("%(n)d aid cycles wait on your level (build, confirm, approve or pay).")
                              % {"n": len(found)}, len(found),
                              reverse("care:cycle_board", args=[first.pk]) if len(found) == 1
                              else reverse("care:programme_list"), "care", 47)]


def _load_demo(scale: str, log: Callable[[str], None], reset: bool) -> str:
    from . import demo

    found = demo.load(scale, log=log)
    return (f"Loaded the needy-worker archive: {found['files']} household files, {found['members']} members, "
            f"{found['exited']} exited, {found['open']} open requests.")


def _wipe_demo() -> None:
    from . import demo

    demo.wipe()


def _loaded() -> bool:
    from .models import HouseholdFile

    return HouseholdFile.objects.exists()


def register() -> None:
    registry.register_nav(
        NavSection("care", gettext_lazy("Needy-worker assistance"), 44),
        NavItem("care", gettext_lazy("Needy-worker archive"), "care:file_list", 10, visible=is_cadre,
                active=("care:file_*",)),
        NavItem("care", gettext_lazy("Archive requests to decide"), "care:queue", 20, visible=is_cadre,
                active=("care:queue",)),
        NavItem("care", gettext_lazy("Local threshold"), "care:threshold", 30, visible=is_cadre,
                active=("care:threshold",)),
        NavItem("care", gettext_lazy("Aid programmes"), "care:programme_list", 40, visible=is_cadre,
                active=("care:programme_*", "care:cycle_*", "care:batch_*")),
        NavItem("care", gettext_lazy("Job help"), "care:job_list", 50, visible=is_cadre, active=("care:job_*",)),
    )
    registry.register_todo(_queue, _due, _cycles)
    facts.register_metric(*figures.METRICS)
    facts.register_source(figures.SOURCE)
    registry.register_demo(registry.DemoLoader("care", _load_demo, after=("orgs",), wipe=_wipe_demo,
                                               loaded=_loaded))
    from .demo import AID_OFFICER, CASEWORKER, DEMO_PASSWORD

    registry.register_personas(Persona(
        CASEWORKER, gettext_lazy("Caseworker of an enterprise union (needy-worker archive)"),
        gettext_lazy("Files needy workers' households, asks for changes and exits, sees the full ID numbers of "
                     "her union's files"), DEMO_PASSWORD, 60), Persona(
        AID_OFFICER, gettext_lazy("Officer of the province's aid centre (aid cycles)"),
        gettext_lazy("Approves the aid cycles the province administrator has confirmed: the second pair of eyes "
                     "before any money is paid"), DEMO_PASSWORD, 61))
