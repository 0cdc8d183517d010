"""How innovation uses core's shared services: an achievement call's results go on a core public notice (成果评审结果
公示) and its prize-winners get core certificates. `register()` (from the app's ready()) declares both kinds with
their hooks; the review verbs publish and issue through them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from gongjiang.core import audit, certificates, notices

from .choices import AchievementState, Award
from .models import Achievement, Call

CALL_NOTICE = "innovation.call_results"
AWARD_CERTIFICATE = "innovation.achievement_award"


def notice_title(call: Call) -> str:
    """The notice's title as published, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(translation.gettext("Results of %(call)s") % {"call": call.title})


def _call_of(notice: Any) -> Call | None:
    return Call.objects.filter(pk=notice.owner_id).select_related("org").first()


def _items(notice: Any) -> list[notices.NoticeItem]:
    """What the notice publishes: each prize-winner's title with its authors, its enterprise and its prize."""
    call = _call_of(notice)
    if call is None:
        return []
    rows = (Achievement.objects.filter(call=call, state=AchievementState.SUBMITTED, award__gt=0)
            .select_related("enterprise").prefetch_related("authors__person").order_by("award", "rank", "id"))
    with translation.override(settings.LANGUAGE_CODE):
        return [notices.NoticeItem(
            f"{a.title}（{'、'.join(x.person.name for x in a.authors.all())}）", a.enterprise.name,
            str(Award(a.award).label)) for a in rows]


def _closed(notice: Any) -> None:
    call = _call_of(notice)
    if call is not None:
        audit.record(None, "innovation.call.notice_ended", call, after={
            "until": notice.ends_on, "open_objections": notices.open_objections(notice)})


def _can_manage_notice(user: Any, notice: Any) -> bool:
    call = _call_of(notice)
    return call is not None and call.can_change(user)


def award_msgid(award: int) -> str:
    with translation.override(None):
        return str(Award(award).label)


def statements(call: Call, winners: list[Achievement]) -> list[certificates.Statement]:
    """One certificate per prize-winning achievement: its authors as holders, its enterprise, the prize, the call
    and the achievement's title."""
    return [certificates.Statement(
        owner=a, holder_name="、".join(x.person.name for x in a.authors.all()), holder_unit=a.enterprise.name,
        title=award_msgid(a.award),
        lines=(certificates.Line(gettext_noop("Call"), call.title),
               certificates.Line(gettext_noop("Achievement"), a.title)))
        for a in winners]


def _can_manage_certificate(user: Any, doc: Any) -> bool:
    a = Achievement.objects.filter(pk=doc.owner_id).select_related("call__org").first()
    return a is not None and a.call.can_change(user)


def register() -> None:
    notices.register_kind(
        CALL_NOTICE, title=gettext_lazy("Innovation achievement results"), on_closed=_closed,
        manage_url=lambda n: reverse("innovation:call_results", args=[n.owner_id]), items=_items,
        can_manage=_can_manage_notice)
    certificates.register_kind(
        AWARD_CERTIFICATE, title=gettext_lazy("Certificate of award"), title_label=gettext_lazy("Prize"),
        prefix="CX", can_manage=_can_manage_certificate)
