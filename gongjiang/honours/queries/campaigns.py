"""Read models of campaigns and quotas: the campaigns a user deals with, the allocation a page is about and the
quota table of its children (one query: the counters are on the rows)."""

from __future__ import annotations

from django.db.models import QuerySet

from gongjiang.core.scoping import scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org

from ..models import Allocation, Campaign


def campaigns_for(user: Actor) -> QuerySet[Campaign]:
    """The campaigns a user sees (organised inside their scope or above it), newest first."""
    return (Campaign.objects.for_user(user, "view").select_related("honour_type", "org")
            .order_by("-year", "-opens_on", "-id"))


def allocation_for(user: Actor, campaign: Campaign, org: Org | None = None) -> Allocation | None:
    """The allocation the campaign's page is about: `org`'s (when the user sees it), otherwise the highest one in
    the user's scope (the province's total for its cadres, a city's share for the city)."""
    seen = Allocation.objects.for_user(user, "view").filter(campaign=campaign).select_related("org", "parent__org")
    if org is not None:
        return seen.filter(org=org).first()
    return seen.order_by("org__depth", "org__path").first()


def quota_table(allocation: Allocation) -> list[Allocation]:
    """The shares given out of `allocation`, in tree order, with their counters (one query)."""
    return list(allocation.children.select_related("org").order_by("org__path"))


def lower_unions(org: Org) -> list[Org]:
    """The unions a share may be given to: those right below `org` (cities and industry unions under a province;
    counties, towns and enterprises under a city), never a workshop or a team."""
    return list(Org.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
                .exclude(kind__in=[OrgKind.DEPARTMENT, OrgKind.TEAM]).order_by("path")[:300])


def can_create_campaigns(user: Actor, org: Org | None) -> bool:
    return bool(org is not None and org.kind in (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY)
                and scope_for(user, "change").covers(org.path))
