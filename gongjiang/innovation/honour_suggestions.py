"""What the innovation app suggests to the honours (core's registry of honour suggestions), in the campaign's year
and the year before, within the nominating union's subtree and what the asking user sees:

- the first three authors of achievements awarded a prize in a call whose results are confirmed, for the honours of
  persons of the call's level (a provincial call for the provincial honours and the national ones the province
  recommends to: 省创新能手, 省五一劳动奖章…); the enterprises of those achievements for the honours of organisations
  (省职工技术创新竞赛示范企业, 五一劳动奖状);
- the leaders and core members of innovation projects that reached appraisal or transfer (鉴定评价, 推广转化), for the
  honours of persons below the national level; the teams and workshops holding them, for the honours of
  collectives (省创新型班组, 工人先锋号)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from gongjiang.core.registry import Suggestion, SuggestionQuery
from gongjiang.orgs.choices import OrgKind

from .choices import AchievementState, Award, CallLevel, CallState, ProjectRole, Stage
from .models import Achievement, AchievementAuthor, Project, ProjectMember

AUTHORS = 3  # the authors of an awarded achievement suggested (主要完成人)
CALL_LEVELS = {"national": CallLevel.PROVINCE, "province": CallLevel.PROVINCE, "city": CallLevel.CITY}
RESULTS = (Stage.APPRAISED, Stage.TRANSFERRED)


def suggest(user: Any, query: SuggestionQuery) -> Sequence[Suggestion]:
    years = [query.year - 1, query.year]
    level = CALL_LEVELS.get(query.level)
    achievements = (Achievement.objects.for_user(user, "view")
                    .filter(call__state=CallState.FINAL, call__year__in=years, call__level=level,
                            state=AchievementState.SUBMITTED, award__gt=Award.NONE)
                    if level is not None else Achievement.objects.none())
    projects = (Project.objects.for_user(user, "view").filter(stage__in=RESULTS, year__in=years)
                if query.level != "national" else Project.objects.none())
    if query.subject == "person":
        return _authors(achievements, query) + _members(projects, query)
    if query.subject == "collective":
        return _teams(projects, query)
    return _enterprises(achievements, query)


def _achievement_reason(a: Achievement) -> str:
    return _("%(award)s of %(call)s: %(title)s") % {"award": a.get_award_display(), "call": a.call.title,
                                                    "title": a.title}


def _authors(achievements: Any, query: SuggestionQuery) -> list[Suggestion]:
    authors = (AchievementAuthor.objects
               .filter(achievement__in=achievements.values("pk"), order__lte=AUTHORS,
                       person__employer__path__startswith=query.org_path)
               .select_related("person", "achievement__call").order_by("achievement__award", "order", "id")
               [: query.limit])
    source = _("Innovation achievement")
    return [Suggestion(name=a.person.name, source=source, person_id=a.person_id,
                       reason=_achievement_reason(a.achievement) + _(" (author no. %(n)s)") % {"n": a.order},
                       url=reverse("innovation:achievement_detail", args=[a.achievement_id]))
            for a in authors]


def _members(projects: Any, query: SuggestionQuery) -> list[Suggestion]:
    members = (ProjectMember.objects
               .filter(project__in=projects.values("pk"), role__in=[ProjectRole.LEADER, ProjectRole.CORE],
                       person__employer__path__startswith=query.org_path)
               .select_related("person", "project").order_by("role", "-project__year", "id")[: query.limit])
    source = _("Innovation project")
    return [Suggestion(name=m.person.name, source=source, person_id=m.person_id,
                       reason=_("%(role)s of the project %(title)s (%(stage)s)") % {
                           "role": m.get_role_display(), "title": m.project.title,
                           "stage": m.project.get_stage_display()},
                       url=reverse("innovation:project_detail", args=[m.project_id]))
            for m in members]


def _teams(projects: Any, query: SuggestionQuery) -> list[Suggestion]:
    held = (projects.filter(org__kind__in=[OrgKind.TEAM, OrgKind.DEPARTMENT], org__path__startswith=query.org_path)
            .select_related("org").order_by("-year", "id")[: query.limit])
    source = _("Innovation project")
    return [Suggestion(name=p.org.name, source=source, org_id=p.org_id,
                       reason=_("Holds the project %(title)s (%(stage)s)") % {"title": p.title,
                                                                            "stage": p.get_stage_display()},
                       url=reverse("innovation:project_detail", args=[p.pk]))
            for p in held]


def _enterprises(achievements: Any, query: SuggestionQuery) -> list[Suggestion]:
    found = (achievements.filter(enterprise__path__startswith=query.org_path)
             .select_related("enterprise", "call").order_by("award", "id")[: query.limit])
    source = _("Innovation achievement")
    return [Suggestion(name=a.enterprise.name, source=source, org_id=a.enterprise_id,
                       reason=_achievement_reason(a), url=reverse("innovation:achievement_detail", args=[a.pk]))
            for a in found]
