"""What the innovation verbs tell the proposers (through `core.notifications`, from inside the verb's transaction:
a refused or rolled-back change notifies nobody). Every step of a proposal reaches the proposer and the
co-proposers who have an active account, with a link to the proposal:

| step (verb)                          | the message says                                  |
|--------------------------------------|---------------------------------------------------|
| submitted                            | received, with its number (the inbox only)         |
| accepted / not accepted              | accepted (and the responsible department) / why    |
| valuators assigned                   | under evaluation                                   |
| adopted / not adopted                | adopted / why not                                  |
| implementation started               | being implemented                                  |
| benefit signed off                   | the net benefit accounted (万元)                    |
| reward paid                          | the grade and the recipient's own part             |
| archived                             | archived                                           |

A valuator hears of a new assignment; a project's members hear of each decision on its stage. A text names the
proposal and what its recipients already know; never another worker's reward, never an ID number."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongjiang.core import notifications
from gongjiang.orgs.models import User

from .models import Project, Proposal

if TYPE_CHECKING:
    from gongjiang.core.models import Notification

STEPS: dict[str, tuple[Promise, Promise]] = {
    "submitted": (_("Proposal received: %(title)s"),
                  _("Your proposal %(number)s has been received by %(union)s and waits for acceptance.")),
    "accepted": (_("Proposal accepted: %(title)s"),
                 _("Your proposal %(number)s has been accepted and passed to %(department)s for valuation.")),
    "declined": (_("Proposal not accepted: %(title)s"),
                 _("Your proposal %(number)s was not accepted. Reason: %(reason)s")),
    "evaluating": (_("Proposal under evaluation: %(title)s"),
                   _("Valuators have been assigned to your proposal %(number)s.")),
    "adopted": (_("Proposal adopted: %(title)s"),
                _("Your proposal %(number)s has been adopted and will be implemented.")),
    "rejected": (_("Proposal not adopted: %(title)s"),
                 _("Your proposal %(number)s was not adopted. Reason: %(reason)s")),
    "implementing": (_("Proposal being implemented: %(title)s"),
                     _("Implementation of your proposal %(number)s has started.")),
    "accounted": (_("Benefit accounted: %(title)s"),
                  _("The benefit of your proposal %(number)s has been accounted: %(benefit)s 10,000 yuan net.")),
    "rewarded": (_("Reward for your proposal: %(title)s"),
                 _("Your proposal %(number)s earned a reward (%(grade)s). Your part: %(amount)s yuan.")),
    "archived": (_("Proposal archived: %(title)s"), _("Your proposal %(number)s has been archived.")),
}


def proposers(proposal: Proposal) -> dict[int, int]:
    """{person id: account id} of the proposal's proposers with an active account."""
    person_ids = list(proposal.contributors.values_list("person_id", flat=True))
    return dict(User.objects.filter(person_id__in=person_ids, is_active=True).values_list("person_id", "pk"))


def step(proposal: Proposal, name: str, **params: Any) -> None:
    """Tell the proposers that `proposal` reached step `name` (a key of STEPS)."""
    title, body = STEPS[name]
    shared = {"title": proposal.title, "number": proposal.number, **params}
    notifications.notify(list(proposers(proposal).values()), f"innovation.proposal.{name}", proposal,
                         title=title, body=body, url=reverse("innovation:proposal_detail", args=[proposal.pk]),
                         params=shared)


def receipt(proposal: Proposal, accounts: list[int], languages: dict[int, str] | None = None) -> list[Notification]:
    """The proposers' receipt of a submission (the "submitted" step), unsaved and for the inbox only: the
    submission writes it with the proposal in one statement (services.proposals)."""
    title, body = STEPS["submitted"]
    return notifications.prepare("innovation.proposal.submitted", [
        notifications.Message(uid, proposal, reverse("innovation:proposal_detail", args=[proposal.pk]),
                              {"title": proposal.title, "number": proposal.number, "union": proposal.enterprise.name})
        for uid in accounts],
        title=title, body=body, languages=languages)


NUMBER = "\x00"
"""Where `receipt_parts` leaves the proposal's number out (no field of a submission holds it: services refuse it)."""


def receipt_parts(title: str, union: str, language: str = "") -> tuple[list[str], list[str]]:
    """The receipt's title and body (as `receipt` renders them, in the proposer's `language`) cut where the
    proposal's number goes: for the phone form's path, which writes the receipt in the statement that takes the
    proposal's id, joining them there around the number."""
    lang = language or settings.LANGUAGE_CODE
    text_title, text_body = _translated("submitted", lang)
    params = {"title": title, "number": NUMBER, "union": union}
    return (text_title % params).split(NUMBER), (text_body % params).split(NUMBER)


@functools.lru_cache(maxsize=64)
def _translated(name: str, lang: str) -> tuple[str, str]:
    """A step's title and body msgids in `lang` (the catalogues do not change while the process runs)."""
    title, body = STEPS[name]
    with translation.override(lang):
        return str(title), str(body)


def rewarded(proposal: Proposal, parts: Mapping[int, Decimal], grade: Any) -> None:
    """Each proposer hears of their own part of the reward (not the others')."""
    title, body = STEPS["rewarded"]
    url = reverse("innovation:proposal_detail", args=[proposal.pk])
    accounts = proposers(proposal)
    notifications.send("innovation.proposal.rewarded", [
        notifications.Message(accounts[pid], proposal, url,
                              {"title": proposal.title, "number": proposal.number, "grade": grade,
                               "amount": f"{amount:,.2f}"})
        for pid, amount in parts.items() if pid in accounts], title=title, body=body)


def assigned(proposals: Iterable[Proposal], valuator_ids: Iterable[int]) -> None:
    """The valuators hear of the proposals waiting for their valuation (one message each)."""
    found = list(proposals)
    if not found:
        return
    notifications.notify(list(valuator_ids), "innovation.assignment.created", found[0] if len(found) == 1 else None,
                         title=_("%(n)s proposals wait for your valuation"), body=_(
                             "You have been assigned to value %(n)s proposals: open 'Proposals to value'."),
                         url=reverse("innovation:valuations"), params={"n": len(found)})


def project_stage(project: Project, stage: Any, reason: str) -> None:
    """The members of a project with an active account hear of each stage decision, with its reason."""
    person_ids = list(project.members.values_list("person_id", flat=True))
    accounts = list(User.objects.filter(person_id__in=person_ids, is_active=True).values_list("pk", flat=True))
    notifications.notify(accounts, "innovation.project.stage", project,
                         title=_("Project %(number)s: %(stage)s"),
                         body=_("The project %(title)s is now at the stage %(stage)s. Reason: %(reason)s"),
                         url=reverse("innovation:project_detail", args=[project.pk]),
                         params={"number": project.number, "title": project.title, "stage": stage, "reason": reason})


def reviews_assigned(call: Any, expert_ids: Iterable[int], experts: Mapping[int, Any]) -> None:
    """The experts hear that achievements of a call wait for their review (one message each, no titles)."""
    from .models import Expert

    ids = set(expert_ids)
    if not ids:
        return
    missing = ids - set(experts)
    accounts = {e.user_id for pk, e in experts.items() if pk in ids}
    accounts |= set(Expert.objects.filter(pk__in=missing).values_list("user_id", flat=True))
    notifications.notify(sorted(accounts), "innovation.review.assigned", call,
                         title=_("Achievements wait for your review: %(call)s"),
                         body=_("You have been assigned achievements of %(call)s to review by %(date)s: open "
                                "'My reviews'."),
                         url=reverse("innovation:my_reviews"), params={"call": call.title,
                                                                      "date": call.review_until.isoformat()})


def results_final(call: Any, winners: Iterable[Any]) -> None:
    """The authors of each prize-winning achievement hear of its prize."""
    by_person: dict[int, Any] = {}
    for a in winners:
        for author in a.authors.all():
            by_person.setdefault(author.person_id, a)
    accounts = dict(User.objects.filter(person_id__in=list(by_person), is_active=True).values_list("person_id",
                                                                                                  "pk"))
    notifications.send("innovation.achievement.awarded", [
        notifications.Message(accounts[pid], a, reverse("innovation:call_results", args=[call.pk]),
                              {"call": call.title, "title": a.title, "award": str(a.get_award_display())})
        for pid, a in by_person.items() if pid in accounts],
        title=_("Your achievement won a prize: %(title)s"),
        body=_("%(title)s won the %(award)s of %(call)s."))


# ---------------------------------------------------------------------------------------------
# The 6·18 exhibition: both unions of a match hear of every step of it (their cadres with a staff or admin role on
# the enterprise's union itself); the text names the two entries and the step, never a contact's phone.

MATCH_STEPS: dict[str, tuple[Promise, Promise]] = {
    "matched": (_("New match %(number)s: %(offer)s × %(need)s"),
                _("%(offer)s (offered by %(offer_org)s) and %(need)s (needed by %(need_org)s) have been matched at "
                  "%(exhibition)s. Request a meeting in a free slot.")),
    "meeting_requested": (_("Meeting requested for match %(number)s"),
                          _("%(by)s asks for a meeting on %(slot)s at table %(table)s about %(offer)s × %(need)s.")),
    "meeting_accepted": (_("Meeting accepted for match %(number)s"),
                         _("The meeting on %(slot)s at table %(table)s about %(offer)s × %(need)s is confirmed.")),
    "meeting_declined": (_("Meeting declined for match %(number)s"),
                         _("The meeting on %(slot)s about %(offer)s × %(need)s was declined. Reason: %(reason)s")),
    "meeting_cancelled": (_("Meeting cancelled for match %(number)s"),
                          _("%(by)s cancelled the meeting on %(slot)s at table %(table)s about %(offer)s × %(need)s. "
                            "Reason: %(reason)s")),
    "met": (_("Match %(number)s: met"), _("The two sides of %(offer)s × %(need)s have met (对接).")),
    "signed": (_("Match %(number)s: contract signed"),
               _("%(offer)s × %(need)s: a contract of %(value)s yuan was signed on %(day)s.")),
    "implemented": (_("Match %(number)s: implemented"),
                    _("%(offer)s × %(need)s has been implemented (落地): %(note)s")),
    "closed": (_("Match %(number)s closed without agreement"),
               _("%(offer)s × %(need)s was closed without agreement. Reason: %(reason)s")),
}


def union_accounts(*orgs: Any) -> list[int]:
    """The active accounts with a staff or admin role on these unions themselves."""
    return list(User.objects.filter(is_active=True, grants__org__in=orgs, grants__role__in=("admin", "staff"))
                .values_list("pk", flat=True).distinct())


def match_step(match: Any, name: str, *, to: Any = None, **params: Any) -> None:
    """Both unions of `match` (or only the unions `to`) hear that it reached step `name` (a key of MATCH_STEPS)."""
    title, body = MATCH_STEPS[name]
    shared = {"number": match.number, "offer": match.offer.title, "need": match.need.title,
              "offer_org": match.offer.org.name, "need_org": match.need.org.name,
              "exhibition": match.exhibition.name, **params}
    notifications.notify(union_accounts(*(to or (match.offer.org, match.need.org))), f"innovation.match.{name}", match,
                         title=title, body=body, url=reverse("innovation:match_detail", args=[match.pk]),
                         params=shared)


def entry_resubmitted(entry: Any, kind: str) -> None:
    """The organiser's cadres hear that a returned offer or need was corrected and waits for the check again."""
    exhibition = entry.exhibition
    title = (_("Offer submitted again: %(title)s") if kind == "offer" else _("Need submitted again: %(title)s"))
    notifications.notify(
        union_accounts(exhibition.organiser), f"innovation.{kind}.resubmitted", entry, title=title,
        body=_("%(org)s corrected %(number)s %(title)s, which was returned, and submitted it again for %(exhibition)s: "
               "it waits for your check."),
        url=entry.get_absolute_url(),
        params={"title": entry.title, "org": entry.org.name, "number": entry.number, "exhibition": exhibition.name})
