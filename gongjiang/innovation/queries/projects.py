"""Reads of innovation projects shared by the pages, the API and the to-do: the list of the user's scope with its
filters, a project with everything its page shows (a constant number of queries), the projects started from a
proposal, the overdue milestones, and the people of an enterprise a cadre names as members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..choices import ProjectRole, Stage
from ..models import Milestone, Project, ProjectMember, Proposal, StageDecision

LIST_RELATED = ("org", "enterprise", "proposal")


@dataclass(frozen=True)
class ProjectFilters:
    """The filters of the project list (all optional)."""

    q: str = ""
    stage: str = ""
    year: int | None = None
    org: Org | None = None
    overdue: bool = False


def project_list(user: Actor, f: ProjectFilters) -> QuerySet[Project]:
    """The projects of the user's scope matching the filters, with their leader (`leaders`) and the count of overdue
    milestones (`overdue`); not ordered."""
    today = timezone.localdate()
    leaders = Prefetch("members", queryset=ProjectMember.objects.filter(role=ProjectRole.LEADER)
                       .select_related("person"), to_attr="leaders")
    qs = (Project.objects.for_user(user, "view").select_related(*LIST_RELATED).prefetch_related(leaders)
          .annotate(overdue=Count("milestones", filter=Q(milestones__done_on__isnull=True,
                                                         milestones__due__lt=today))))
    if f.org is not None:
        qs = qs.filter(Q(org__path__startswith=f.org.path) | Q(org__industry_path__startswith=f.org.path))
    if f.q:
        text = f.q.strip()
        qs = qs.filter(Q(title__contains=text) | Q(pk__in=ProjectMember.objects.filter(
            person__name=text).values("project_id")))
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.overdue:
        qs = qs.filter(overdue__gt=0)
    return qs


def project_detail(user: Actor, pk: int) -> Project | None:
    """One project the user may see, with its members, milestones, stage decisions, spending and files (a constant
    number of queries), or None."""
    return (Project.objects.for_user(user, "view")
            .select_related("org", "enterprise", "proposal", "created_by")
            .prefetch_related(Prefetch("members", queryset=ProjectMember.objects.select_related("person__employer")
                                       .order_by("role", "id")))
            .prefetch_related(Prefetch("decisions", queryset=StageDecision.objects.select_related("decided_by")))
            .prefetch_related("milestones", "spendings", "files")
            .filter(pk=pk).first())


def projects_of_proposal(user: Actor, proposal: Proposal) -> list[Project]:
    """The projects started from a proposal that the user may see (one query)."""
    return list(Project.objects.for_user(user, "view").filter(proposal=proposal).order_by("created_at", "id"))


def overdue_milestones(user: Actor) -> QuerySet[Milestone]:
    """The open milestones past their due date in the user's change scope (the to-do counts them)."""
    projects = Project.objects.for_user(user, "change").exclude(stage=Stage.STOPPED)
    return Milestone.objects.filter(project__in=projects.values("pk"), done_on__isnull=True,
                                    due__lt=timezone.localdate())


def count_many(*querysets: QuerySet[Any]) -> list[int]:
    """How many rows each queryset has, in one round trip (the to-do's counts of different tables)."""
    from django.db import connections

    if not querysets:
        return []
    from django.core.exceptions import EmptyResultSet

    parts: list[str] = []
    params: list[Any] = []
    for qs in querysets:
        try:
            sql, p = qs.values("pk").order_by().query.sql_with_params()
        except EmptyResultSet:  # a condition that matches nothing (an empty scope): no statement to nest
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS q{len(parts)})")
        params.extend(p)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(n) for n in row]


def people_named(enterprise: Org, name: str, mobile_tail: str = "") -> list[Person]:
    """The people of `enterprise`'s subtree called `name` (and whose mobile ends with `mobile_tail`): at most two,
    enough to tell none, one and several apart."""
    people = Person.objects.filter(name=name.strip(), employer__path__startswith=enterprise.path)
    if mobile_tail:
        people = people.filter(mobile__endswith=mobile_tail)
    return list(people.select_related("employer").order_by("pk")[:2])


def project_orgs(user: Actor, within: Org, limit: int = 300) -> QuerySet[Org]:
    """The orgs under `within` that may hold a project (enterprises' unions, departments, teams) in the user's
    change scope, in tree order."""
    ids = list(Org.objects.for_user(user, "change").filter(path__startswith=within.path, is_active=True,
                                                            kind__in=["grassroots", "department", "team"])
               .order_by("path").values_list("pk", flat=True)[:limit])
    return Org.objects.filter(pk__in=ids).order_by("path")  # not sliced: a form field looks its choice up in it
