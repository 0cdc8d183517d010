"""How competitions uses core's shared services: a round's results go on a core public notice (成绩公示) and its
prize certificates are core certificates. `register()` (from the app's ready()) declares both kinds with their
hooks; the rest is what the results and awards services need of them.

The notice's end is an event: core closes the notice after its last day (daily task, or the first read or action
after it) and calls `round_notice_closed`, which records it in the round's timeline. Finalising stays the
organiser's act — it needs every appeal and every objection decided — and asks core to close the notice first, so
a round never waits for the task."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, gettext_noop

from gongjiang.core import audit, certificates, notices

from .choices import AppealState, EntryStatus, Prize, RoundState
from .models import Appeal, Entry, Round

ROUND_NOTICE = "competitions.round_results"
PRIZE_CERTIFICATE = "competitions.prize"


# ---------------------------------------------------------------------------------------------
# The notice


def notice_title(rnd: Round) -> str:
    """The notice's title as published, in the site's language (it is a record of what was published)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(translation.gettext("%(competition)s: results of %(event)s (%(stage)s, %(organiser)s)") % {
            "competition": rnd.event.competition.name, "event": rnd.event, "stage": rnd.stage.name,
            "organiser": rnd.organiser.display_name})


def notice_running(rnd: Round) -> bool:
    """Whether the round's results are on public notice now (appeals and objections accepted). Closes the notice
    first when its last day has passed."""
    if rnd.state != RoundState.PUBLICITY:
        return False
    notice = rnd.notice
    if notice is None:  # a round put in this state by hand (tests, the shell): its own date decides
        return rnd.publicity_until is None or timezone.localdate() <= rnd.publicity_until
    notices.close_if_due(notice)
    return notice.is_running()


def notice_ended(rnd: Round) -> bool:
    """Whether the round's public notice is over (closed by core), so the results may be finalised."""
    notice = rnd.notice
    if notice is None:
        return not (rnd.publicity_until and timezone.localdate() <= rnd.publicity_until)
    notices.close_if_due(notice)
    return notice.closed_at is not None


def open_objections(rnd: Round) -> int:
    notice = rnd.notice
    return notices.open_objections(notice) if notice is not None else 0


def _round_of(notice: Any) -> Round | None:
    return Round.objects.filter(pk=notice.owner_id, notice=notice).select_related(
        "organiser", "event__competition__organiser").first()


def round_notice_closed(notice: Any) -> None:
    """The notice of a round's results ended: recorded in the round's timeline with what is left to decide before
    the organiser can confirm the results."""
    rnd = _round_of(notice)
    if rnd is None:
        return
    appeals = Appeal.objects.filter(entry__round=rnd, state=AppealState.FILED).count()
    audit.record(None, "competitions.round.notice_ended", rnd, after={
        "until": notice.ends_on, "open_appeals": appeals, "open_objections": notices.open_objections(notice)})


def _items(notice: Any) -> list[notices.NoticeItem]:
    rnd = _round_of(notice)
    if rnd is None:
        return []
    rows = (Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN, place__isnull=False)
            .select_related("person", "unit").order_by("place", "contestant_no", "pk"))
    return [notices.NoticeItem(e.person.name, e.unit.name, f"{e.place} {e.get_prize_display()}".strip())
            for e in rows]


def _can_manage_notice(user: Any, notice: Any) -> bool:
    rnd = _round_of(notice)
    return rnd is not None and rnd.can_change(user)


# ---------------------------------------------------------------------------------------------
# The certificates


def prize_msgid(prize: str) -> str:
    """The prize's label as a message id (stored on the certificate, translated when shown)."""
    with translation.override(None):
        return str(Prize(prize).label)


def certificate_statements(rnd: Round, winners: list[Entry]) -> list[certificates.Statement]:
    """What each winner's certificate states: the competition, its organiser, the event and stage, the prize."""
    competition = rnd.event.competition
    with translation.override(settings.LANGUAGE_CODE):
        event = f"{rnd.event} · {rnd.stage.name}"
    lines = (certificates.Line(gettext_noop("Competition"), competition.name),
             certificates.Line(gettext_noop("Organiser"), competition.organiser.name),
             certificates.Line(gettext_noop("Event"), event))
    return [certificates.Statement(owner=e, holder_name=e.person.name, holder_unit=e.unit.name,
                                   title=prize_msgid(e.prize), lines=lines) for e in winners]


def _can_manage_certificate(user: Any, doc: Any) -> bool:
    entry = Entry.objects.filter(pk=doc.owner_id).select_related(
        "round__organiser", "round__event__competition__organiser").first()
    return entry is not None and entry.round.can_change(user)


# ---------------------------------------------------------------------------------------------


def register() -> None:
    notices.register_kind(
        ROUND_NOTICE, title=gettext_lazy("Competition results"), on_closed=round_notice_closed,
        public_url=lambda n: reverse("competitions:public_notice", args=[n.owner_id]),
        manage_url=lambda n: reverse("competitions:round_results", args=[n.owner_id]),
        items=_items, can_manage=_can_manage_notice)
    certificates.register_kind(
        PRIZE_CERTIFICATE, title=gettext_lazy("Certificate of award"), title_label=gettext_lazy("Prize"),
        prefix="JS", pdf_template="competitions/results/certificate_pdf.html", can_manage=_can_manage_certificate)

