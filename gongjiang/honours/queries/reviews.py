"""Read models of the review: the levels a user decides at in a campaign, a level's review list (with its filters)
and the count of the to-do; the shortlist of a campaign with its notice, objections and certificates."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from gongjiang.core import notices
from gongjiang.core.scoping import scope_for
from gongjiang.core.types import Actor

from .. import publicity
from ..choices import NominationState
from ..models import Allocation, Campaign, Nomination

# The review list's filters: what waits for the level, what it has passed up (and what became of it), what it
# returned or did not recommend, and everything of its reach.
FILTERS = ("waiting", "forwarded", "returned", "rejected", "all")


def levels_for(user: Actor, campaign: Campaign) -> list[Allocation]:
    """The shares of the campaign whose union the user decides for (a cadre with a changing role on it), highest
    first (one query)."""
    scope = scope_for(user, "change")
    qs = Allocation.objects.filter(campaign=campaign).select_related("org", "parent__org")
    if scope.roots is not None:
        if not scope.paths:
            return []
        qs = qs.filter(org__path__in=scope.paths)
    return list(qs.order_by("org__depth", "org__path"))


def review_list(level: Allocation, which: str = "waiting", child: Allocation | None = None) -> QuerySet[Nomination]:
    """The submitted nominations of the level's reach in its campaign by `which` (FILTERS), optionally only those
    from the reach of one share right below it (`child`)."""
    reach = child or level
    qs = (Nomination.objects.filter(campaign_id=level.campaign_id, allocation__org__path__startswith=reach.org.path)
          .exclude(state=NominationState.DRAFT)
          .select_related("unit", "at__org", "allocation__org"))
    if which == "waiting":
        qs = qs.filter(state=NominationState.SUBMITTED, at=level)
    elif which == "forwarded":
        # passed up by this level: waiting above it, or decided above it
        qs = qs.filter(Q(state=NominationState.SUBMITTED, at__org__depth__lt=level.org.depth)
                       | Q(state__in=[NominationState.SHORTLISTED, NominationState.CONFERRED,
                                      NominationState.NOT_CONFERRED]))
    elif which == "returned":
        qs = qs.filter(state=NominationState.RETURNED)
    elif which == "rejected":
        qs = qs.filter(state=NominationState.REJECTED)
    return qs.order_by("unit__path", "id")


def waiting_count(user: Actor) -> int:
    """How many submitted nominations wait for a decision at one of the user's own unions (one count)."""
    scope = scope_for(user, "change")
    qs = Nomination.objects.filter(state=NominationState.SUBMITTED)
    if scope.roots is not None:
        if not scope.paths:
            return 0
        qs = qs.filter(at__org__path__in=scope.paths)
    return qs.count()


def waiting_by_campaign(user: Actor) -> list[Campaign]:
    """The campaigns with nominations waiting at one of the user's unions, each with `waiting` (one query)."""
    scope = scope_for(user, "change")
    where = Q(allocations__waiting__state=NominationState.SUBMITTED)
    if scope.roots is not None:
        if not scope.paths:
            return []
        where &= Q(allocations__org__path__in=scope.paths)
    return list(Campaign.objects.filter(where).select_related("org", "honour_type")
                .annotate(waiting=Count("allocations__waiting")).order_by("-year", "-id")[:100])


def shortlist(campaign: Campaign) -> list[Nomination]:
    """The nominations shortlisted by the organiser, and what became of them (one query)."""
    return list(Nomination.objects.filter(campaign=campaign, state__in=[
        NominationState.SHORTLISTED, NominationState.CONFERRED, NominationState.NOT_CONFERRED])
        .select_related("unit").order_by("unit__path", "id"))


def notice(campaign: Campaign) -> Any:
    """The public notice of the campaign's shortlist (closed when its last day has passed), or None."""
    found = notices.notice_of(publicity.SHORTLIST_NOTICE, campaign)
    if found is not None:
        notices.close_if_due(found)
    return found


def certificates_of(nominations: list[Nomination]) -> dict[int, Any]:
    """{nomination id: its certificate} of these nominations (one query)."""
    from django.contrib.contenttypes.models import ContentType

    from gongjiang.core.models import IssuedCertificate

    docs = IssuedCertificate.objects.filter(
        kind=publicity.HONOUR_CERTIFICATE, owner_type=ContentType.objects.get_for_model(Nomination),
        owner_id__in=[n.pk for n in nominations], revoked_at__isnull=True)
    return {d.owner_id: d for d in docs}


def unlinked_upheld(campaign: Campaign, notice: Any) -> bool:
    """Whether more objections were upheld than nominations taken off (one upheld on core's own objection page,
    which knows no nomination)."""
    upheld: int = notice.objections.filter(outcome="upheld").count()
    return upheld > Nomination.objects.filter(campaign=campaign, state=NominationState.NOT_CONFERRED).count()
