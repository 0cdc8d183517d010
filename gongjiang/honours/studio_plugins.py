"""What the studios contribute through core's registries (called from honours/plugins.py): their menu entries, the
work waiting (self-assessments to confirm for the assessing union, self-assessments of the year still to fill for
the host union: one query) and the search of studios by name."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import NavItem, SearchHit, SearchProvider
from gongjiang.orgs.plugins import is_cadre


def _work(user: Any) -> list[registry.TodoItem]:
    from .queries import studios

    if not is_cadre(user):
        return []
    waiting, due = studios.todo_counts(user, timezone.localdate().year)
    url = reverse("honours:studio_todo")
    return [registry.TodoItem(_("%(n)d studio self-assessments wait for your confirmation.") % {"n": waiting},
                              waiting, url, "honours", 44),
            registry.TodoItem(_("%(n)d studios still have to fill this year's self-assessment.") % {"n": due},
                              due, url, "honours", 46)]


def _search(user: Any, q: str, limit: int) -> list[SearchHit]:
    from .models import Studio

    found = (Studio.objects.for_user(user, "view").filter(name__contains=q).select_related("host")
             .order_by("-year", "id")[: limit + 1])
    return [SearchHit(s.name, f"{s.get_kind_display()} · {s.host.display_name} · {s.get_status_display()}",
                      s.get_absolute_url()) for s in found]


def register() -> None:
    registry.register_nav(
        NavItem("honours", gettext_lazy("Innovation studios"), "honours:studio_list", 32, visible=is_cadre,
                active=("honours:studio_list", "honours:studio_create", "honours:studio_detail",
                        "honours:assessment_*", "honours:studio_todo")),
        NavItem("honours", gettext_lazy("Studio figures"), "honours:studio_figures", 35, visible=is_cadre),
    )
    registry.register_todo(_work)
    registry.register_search(SearchProvider("honours_studios", gettext_lazy("Innovation studios"), _search, 39,
                                            visible=is_cadre))
