"""What the competition services tell workers (through `core.notifications`, from inside their transaction: a
refused or rolled-back change notifies nobody).

| event (verb)                                   | who                                      | link                  |
|------------------------------------------------|------------------------------------------|-----------------------|
| registration approved / refused                | the worker's account                     | their registrations   |
| a place freed on the waiting list (promoted)   | the worker's account                     | their registrations   |
| contestant numbers drawn (ticket available)    | each registered worker: their own 参赛号   | their admission ticket|
| registration closed, still waiting (not admitted) | each waiting worker                   | their registrations   |
| appeal decided                                 | whoever filed it and the contestant       | the appeal page       |
| results on public notice                       | the round's contestants                   | the public notice     |

Only workers with an active account are notified (`person.account`). A text names the event, the stage and the
organiser, and what the recipient already knows (their own 参赛号, the refusal's reason); never a 加密号 (the
anonymous codes are drawn after the tickets and no text here reads `Entry.code`), never an ID number."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongjiang.core import notifications
from gongjiang.orgs.models import User

from .choices import AppealState, EntryStatus
from .models import Appeal, Entry, Round


def _accounts(person_ids: Iterable[int]) -> dict[int, int]:
    """{person id: account id} of the workers with an active account."""
    return dict(User.objects.filter(person_id__in=list(person_ids), is_active=True)
                .values_list("person_id", "pk"))


class RoundLabel:
    """"山东省第十届职工职业技能大赛 · 车工 (市级选拔赛, 济南市总工会)" in the language active when it is rendered (the
    notification service renders each text in its recipient's language)."""

    def __init__(self, rnd: Round) -> None:
        self.parts = {"competition": rnd.event.competition.name, "event": rnd.event.name, "stage": rnd.stage.name,
                      "organiser": rnd.organiser.display_name}

    def __str__(self) -> str:
        return gettext("%(competition)s · %(event)s (%(stage)s, %(organiser)s)") % self.parts


def _about(rnd: Round) -> dict[str, Any]:
    return {"event": rnd.event.name, "round": RoundLabel(rnd)}


def _my_entry(entry: Entry) -> str:
    return reverse("competitions:my_competitions") + f"#entry-{entry.pk}"


def entry_decided(entry: Entry, *, approved: bool, reason: str = "") -> None:
    """The organiser approved or refused a registration awaiting approval (or waiting for a place)."""
    account = _accounts([entry.person_id]).get(entry.person_id)
    if account is None:
        return
    params = {**_about(entry.round), "reason": reason.strip()}
    if approved:
        notifications.notify(
            [account], "competitions.entry.approved", entry, url=_my_entry(entry), params=params,
            title=_("Registration approved: %(event)s"),
            body=_("Your registration for %(round)s has been approved. Your contestant number and admission ticket "
                   "follow when registration closes."))
    else:
        notifications.notify(
            [account], "competitions.entry.refused", entry, url=_my_entry(entry), params=params,
            title=_("Registration not approved: %(event)s"),
            body=_("Your registration for %(round)s was not approved. Reason: %(reason)s"))


def entry_promoted(entry: Entry) -> None:
    """A place freed by a withdrawal or a refusal went to this entry from the waiting list."""
    account = _accounts([entry.person_id]).get(entry.person_id)
    if account is None:
        return
    if entry.status == EntryStatus.PENDING:
        body = _("A place in %(round)s has become free and goes to you from the waiting list; your registration "
                 "now awaits the organiser's approval.")
    else:
        body = _("A place in %(round)s has become free and goes to you from the waiting list: you are registered.")
    notifications.notify([account], "competitions.entry.promoted", entry, url=_my_entry(entry),
                         params=_about(entry.round), title=_("A place for you: %(event)s"), body=body)


def numbers_drawn(rnd: Round, entries: Iterable[Entry], not_admitted: Iterable[Entry]) -> None:
    """The 参赛号 are drawn: each registered worker gets their own number and the link to their admission ticket;
    those still on the waiting list learn that registration closed without a place for them."""
    entries, not_admitted = list(entries), list(not_admitted)
    accounts = _accounts([e.person_id for e in entries + not_admitted])
    about = _about(rnd)
    when = " ".join(x for x in (rnd.starts_on.isoformat() if rnd.starts_on else "", rnd.venue) if x)
    body = (_("Your contestant number for %(round)s is %(number)s. Your admission ticket is ready: print it and "
              "bring it with your ID card to the check-in. Date and venue: %(when)s.") if when else
            _("Your contestant number for %(round)s is %(number)s. Your admission ticket is ready: print it and "
              "bring it with your ID card to the check-in. The organiser will announce the date and venue."))
    notifications.send(
        "competitions.entry.ticket_available",
        [notifications.Message(accounts[e.person_id], e, reverse("competitions:entry_ticket", args=[e.pk]),
                               {**about, "number": e.contestant_no, "when": when})
         for e in entries if e.person_id in accounts],
        title=_("Contestant number drawn: %(event)s"), body=body)
    notifications.send(
        "competitions.entry.not_admitted",
        [notifications.Message(accounts[e.person_id], e, _my_entry(e), about)
         for e in not_admitted if e.person_id in accounts],
        title=_("No place: %(event)s"),
        body=_("Registration for %(round)s has closed without a place becoming free for you on the waiting list."))


def appeal_decided(appeal: Appeal) -> None:
    """The arbitration decision, to the contestant and, when someone else filed it (their unit), to them too."""
    entry = appeal.entry
    params = _about(entry.round)
    url = reverse("competitions:appeal_file", args=[entry.pk])
    upheld = appeal.state == AppealState.UPHELD
    contestant = _accounts([entry.person_id]).get(entry.person_id)
    if contestant is not None:
        notifications.notify(
            [contestant], "competitions.appeal.decided", appeal, url=url, params=params,
            title=_("Appeal decided: %(event)s"),
            body=(_("The appeal against your result in %(round)s was upheld; the result has been corrected. The "
                    "decision is on the appeal page.") if upheld else
                  _("The appeal against your result in %(round)s was dismissed; the result stands. The decision is on "
                    "the appeal page.")))
    filer = appeal.filed_by
    if filer is not None and filer.pk != contestant and filer.is_active:
        # The unit that filed it: the contestant's name tells which of its appeals this is (no code is named).
        notifications.notify(
            [filer], "competitions.appeal.decided", appeal, url=url, params={**params, "name": entry.person.name},
            title=_("Appeal decided: %(event)s"),
            body=(_("The appeal you filed for %(name)s in %(round)s was upheld; the result has been corrected. The "
                    "decision is on the appeal page.") if upheld else
                  _("The appeal you filed for %(name)s in %(round)s was dismissed; the result stands. The decision is "
                    "on the appeal page.")))


def results_on_notice(rnd: Round) -> None:
    """成绩公示: every contestant of the round (those who took part) gets the link to the public notice."""
    contestants = User.objects.filter(
        is_active=True, person__competition_entries__round=rnd,
        person__competition_entries__status=EntryStatus.CHECKED_IN).values_list("pk", flat=True)
    notifications.notify(
        contestants, "competitions.round.published", rnd, url=reverse("competitions:public_notice", args=[rnd.pk]),
        params={**_about(rnd), "date": rnd.publicity_until.isoformat() if rnd.publicity_until else "—"},
        title=_("Results on public notice: %(event)s"),
        body=_("The results of %(round)s are on public notice until %(date)s. Until then an appeal may be filed "
               "from your registration."))
