"""How the honours use core's shared services: a campaign's shortlist goes on a core public notice (拟表彰名单公示)
and each honour conferred gets a core certificate with the QR code of its public verification page.
`register()` (from plugins.register) declares both kinds with their hooks; the review verbs publish and issue
through them. A notice publishes names, units, the honour and a few words of the deeds: never an ID number, a birth
date or a phone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from gongjiang.core import audit, certificates, notices

from .choices import NominationState
from .models import Campaign, Nomination

SHORTLIST_NOTICE = "honours.shortlist"
HONOUR_CERTIFICATE = "honours.honour"
DEEDS_SHOWN = 60  # the notice's short account of deeds


def notice_title(campaign: Campaign) -> str:
    """The notice's title as published, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(translation.gettext("Shortlist of %(campaign)s") % {"campaign": campaign.title})


def _campaign_of(notice: Any) -> Campaign | None:
    return Campaign.objects.filter(pk=notice.owner_id).select_related("org", "honour_type").first()


def short_deeds(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DEEDS_SHOWN else text[:DEEDS_SHOWN] + "…"


def _items(notice: Any) -> list[notices.NoticeItem]:
    """What the notice publishes: each shortlisted nominee's name, its unit, the honour and a few words of its
    deeds (read live: a nomination whose objection is upheld leaves the list)."""
    campaign = _campaign_of(notice)
    if campaign is None:
        return []
    rows = (Nomination.objects.filter(campaign=campaign, state__in=[NominationState.SHORTLISTED,
                                                                    NominationState.CONFERRED])
            .select_related("unit").order_by("unit__path", "id"))
    return [notices.NoticeItem(n.name, n.unit.display_name,
                               f"{campaign.honour_type.name}：{short_deeds(n.deeds)}") for n in rows]


def _closed(notice: Any) -> None:
    campaign = _campaign_of(notice)
    if campaign is not None:
        audit.record(None, "honours.campaign.notice_ended", campaign, after={
            "until": notice.ends_on, "open_objections": notices.open_objections(notice)})


def _can_manage_notice(user: Any, notice: Any) -> bool:
    campaign = _campaign_of(notice)
    return campaign is not None and campaign.can_change(user)


def statements(campaign: Campaign, winners: list[Nomination]) -> list[certificates.Statement]:
    """One certificate per honour conferred: the holder, their unit, the honour, the campaign and the year."""
    return [certificates.Statement(
        owner=n, holder_name=n.name, holder_unit=n.unit.display_name, title=campaign.honour_type.name,
        lines=(certificates.Line(gettext_noop("Campaign"), campaign.title),
               certificates.Line(gettext_noop("Year"), str(campaign.year))))
        for n in winners]


def _can_manage_certificate(user: Any, doc: Any) -> bool:
    n = Nomination.objects.filter(pk=doc.owner_id).select_related("campaign__org").first()
    return n is not None and n.campaign.can_change(user)


def register() -> None:
    notices.register_kind(
        SHORTLIST_NOTICE, title=gettext_lazy("Honours shortlist"), on_closed=_closed,
        manage_url=lambda n: reverse("honours:campaign_shortlist", args=[n.owner_id]), items=_items,
        can_manage=_can_manage_notice)
    certificates.register_kind(
        HONOUR_CERTIFICATE, title=gettext_lazy("Certificate of honour"), title_label=gettext_lazy("Honour"),
        prefix="RY", can_manage=_can_manage_certificate)
