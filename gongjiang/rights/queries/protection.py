"""Read models of labour protection: the checks and the overdue hazards a user may see, the 安康杯 competitions a user
may see (those organised in the user's reach, and those the user's units are entered in) and a year's board."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from gongjiang.core.types import Actor

from ..models import AnkangCampaign, AnkangEntry, Hazard, SafetyCheck
from ..models.protection import AwardKind
from ..rules import ankang as rules


def checks_for(user: Actor, today: datetime.date | None = None) -> QuerySet[SafetyCheck]:
    today = today or timezone.localdate()
    return (SafetyCheck.objects.for_user(user).select_related("org", "enterprise")
            .annotate(open_hazards=Count("hazards", filter=Q(hazards__closed_on=None)),
                      overdue_hazards=Count("hazards", filter=Q(hazards__closed_on=None,
                                                                hazards__deadline__lt=today)))
            .order_by("-checked_on", "-pk"))


def overdue(user: Actor, today: datetime.date | None = None) -> QuerySet[Hazard]:
    """The open hazards past their follow-up deadline, oldest deadline first."""
    today = today or timezone.localdate()
    return (Hazard.objects.for_user(user).filter(closed_on=None, deadline__lt=today)
            .select_related("safety_check__enterprise", "safety_check__org").order_by("deadline", "pk"))


def campaigns_for(user: Actor) -> QuerySet[AnkangCampaign]:
    mine = AnkangCampaign.objects.for_user(user).values("pk")
    entered = AnkangEntry.objects.for_user(user).values("campaign_id")
    return (AnkangCampaign.objects.filter(Q(pk__in=mine) | Q(pk__in=entered)).select_related("org")
            .annotate(n_entries=Count("entries", distinct=True), n_awards=Count("awards", distinct=True))
            .order_by("-year", "pk"))


def board(campaign: AnkangCampaign, user: Actor) -> dict[str, Any]:
    """The entries the user may see (enterprises, then teams, by place), the awards, and what the quotas would give
    by the ranking (`proposal`, for the organiser)."""
    entries = list(AnkangEntry.objects.for_user(user).filter(campaign=campaign).select_related("unit")
                   .order_by("is_team", F("place").asc(nulls_last=True), "unit__path"))
    awards = list(campaign.awards.select_related("org").order_by("kind", "pk"))
    awarded = {(a.kind, a.org_id) for a in awards}
    proposal: list[tuple[str, list[AnkangEntry]]] = []
    if campaign.evaluated_on:
        for kind, team in ((AwardKind.ENTERPRISE, False), (AwardKind.TEAM, True)):
            mine = {e.pk: e for e in entries if e.is_team == team}
            keys = rules.proposal({k: e.place for k, e in mine.items()}, campaign.quota(kind))
            chosen = [mine[k] for k in keys if (kind.value, mine[k].unit_id) not in awarded]
            if chosen:
                proposal.append((str(kind.label), chosen))
    return {"enterprises": [e for e in entries if not e.is_team], "teams": [e for e in entries if e.is_team],
            "awards": awards, "proposal": proposal,
            "missing": sum(1 for e in entries if not e.recorded)}
