"""A person's competitions, for the panel on the person page and the worker's own record (`plugins.person_panel`):
every entry of the person the viewer may see, with its competition, event, stage and round, status, and — once the
round's results are published — place, prize, certificate and grade promotion. Never a 加密号: before decryption it
would link the code to the person, and after it the code tells a reader nothing more."""

from __future__ import annotations

from dataclasses import dataclass

from gongjiang.core.types import Actor
from gongjiang.orgs.choices import SkillGrade
from gongjiang.orgs.models import Person

from ..choices import EntryStatus, RoundState
from ..models import Competition, Entry

PUBLISHED = {RoundState.PUBLICITY, RoundState.FINAL}


def _grade(value: int | None) -> str:
    return str(SkillGrade(value).label) if value in SkillGrade.values else ""


@dataclass
class PersonEntry:
    """One entry of the person as the panel shows it (the entry itself for its ids and labels)."""

    entry: Entry
    competition_visible: bool  # the viewer may open the competition's page
    published: bool            # the round's results are public: place, prize, certificate, promotion shown
    place: int | None = None
    prize: str = ""
    certificate_id: int | None = None
    certificate_number: str = ""
    certificate_revoked: bool = False
    promotion: str = ""        # "三级/高级工 → 二级/技师"
    promotion_state: str = ""  # its state's label
    promotion_state_code: str = ""
    # The links the page may offer (set by the page that shows the row: plugins.person_panel).
    competition_url: str = ""
    certificate_url: str = ""
    entry_url: str = ""


def person_competitions(user: Actor, person: Person) -> list[PersonEntry]:
    """The person's entries that `user` may see (`Entry.objects.for_user`: the rounds and units in the viewer's
    reach, and the worker's own), newest competition first. Two queries whatever the number of entries."""
    entries = list(Entry.objects.for_user(user, "view").filter(person=person)
                   .select_related("round__event__competition", "round__stage", "round__organiser", "team",
                                   "certificate__document", "promotion")
                   .order_by("-round__event__competition__year", "-round__event__competition_id",
                             "round__stage__order", "round__event__order", "pk"))
    competition_ids = {e.round.event.competition_id for e in entries}
    visible = set(Competition.objects.for_user(user, "view").filter(pk__in=competition_ids)
                  .values_list("pk", flat=True)) if competition_ids else set()
    found = []
    for e in entries:
        published = e.round.state in PUBLISHED and e.status == EntryStatus.CHECKED_IN
        row = PersonEntry(e, e.round.event.competition_id in visible, published)
        if published:
            row.place, row.prize = e.place, e.get_prize_display() if e.prize else ""
            cert = getattr(e, "certificate", None)
            if cert is not None:
                row.certificate_id, row.certificate_number = cert.pk, cert.document.number
                row.certificate_revoked = cert.document.revoked_at is not None
            promotion = getattr(e, "promotion", None)
            if promotion is not None:
                row.promotion = f"{_grade(promotion.current_grade) or '—'} → {_grade(promotion.proposed_grade)}"
                row.promotion_state = str(promotion.get_state_display())
                row.promotion_state_code = promotion.state
        found.append(row)
    return found
