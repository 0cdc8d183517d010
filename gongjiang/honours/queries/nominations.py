"""Read models of nominations: a union's nominations in a campaign, one nomination with its materials, what a
nominating union may open."""

from __future__ import annotations

from django.db.models import QuerySet

from gongjiang.core.types import Actor

from ..models import Campaign, Nomination


def nominations_for(user: Actor, campaign: Campaign | None = None) -> QuerySet[Nomination]:
    """The nominations a user sees (their unions' and those below), newest first."""
    qs = Nomination.objects.for_user(user, "view").select_related("campaign__honour_type", "unit", "allocation__org")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("-id")


def detail(user: Actor, pk: int) -> Nomination | None:
    return (Nomination.objects.for_user(user, "view")
            .select_related("campaign__honour_type", "campaign__org", "unit", "person__employer", "nominee_org",
                            "allocation__org").filter(pk=pk).first())
