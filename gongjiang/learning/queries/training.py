"""Read models of training and mentorship, shared by the pages and the API: the sessions, pairs and materials a
cadre may see with their filters and totals, the person picker of a session or a pair (people of a union's reach),
the materials a learner may study, and a person's training record (the person page's panel)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongjiang.core.crypto import lookup_hash
from gongjiang.core.ids import IdentifierError, parse_id_card
from gongjiang.core.scoping import Scope, ancestors, path_step, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person, SkillGradeRecord

from ..models import Attendance, Material, MaterialCompletion, MentorPair, TrainingSession

PICKER_LIMIT = 20


def _in_org(qs: QuerySet[Any], org: Org | None, prefix: str = "org__") -> QuerySet[Any]:
    """Rows of `org`'s reach (its subtree; an industry union's affiliates), when a union is chosen."""
    return Scope.of([org.path]).apply(qs, prefix) if org is not None else qs


# ---------------------------------------------------------------------------------------------
# Sessions


def sessions_for(user: Actor, filters: dict[str, Any] | None = None) -> QuerySet[TrainingSession]:
    """The sessions held in the user's scope, newest first, filtered by year (of the first day), trade, union
    (its reach) and topic."""
    f = filters or {}
    qs = TrainingSession.objects.for_user(user, "view").select_related("org", "trade")
    if f.get("year"):
        qs = qs.filter(starts_on__year=f["year"])
    if f.get("trade"):
        qs = qs.filter(trade=f["trade"])
    if f.get("q"):
        qs = qs.filter(topic__contains=f["q"])
    return _in_org(qs, f.get("org")).order_by("-starts_on", "-id")


def totals(qs: QuerySet[TrainingSession]) -> dict[str, Any]:
    """Sessions, attendances and person-hours of a list (one aggregate over the kept counts)."""
    found = qs.order_by().aggregate(sessions=Count("id"), attendees=Sum("attendee_count"),
                                    person_hours=Sum("person_hours"))
    return {"sessions": found["sessions"] or 0, "attendees": found["attendees"] or 0,
            "person_hours": found["person_hours"] or Decimal(0)}


def session_detail(user: Actor, pk: int) -> TrainingSession | None:
    return sessions_for(user).filter(pk=pk).first()


def attendees(session: TrainingSession) -> QuerySet[Attendance]:
    return session.attendances.select_related("person__employer").order_by("person__employer__path", "person__name")


def years(user: Actor) -> list[int]:
    """The years to filter by: this year and the four before it."""
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))


def pick_people(user: Actor, org: Org, text: str, *, exclude: QuerySet[Any] | None = None) -> list[Person]:
    """The person picker: people of `org`'s reach the user may see whose name contains `text`, or whose ID number
    or mobile is `text` (at most PICKER_LIMIT, by name)."""
    text = (text or "").strip()
    if not text:
        return []
    qs = _in_org(Person.objects.for_user(user, "view"), org, "employer__").select_related("employer", "trade")
    try:
        info = parse_id_card(text.upper())
    except IdentifierError:
        cond = Q(name__contains=text) | (Q(mobile=text) if text.isdigit() and len(text) == 11 else Q(pk__in=[]))
    else:
        cond = Q(id_hash=lookup_hash(info.number))
    qs = qs.filter(cond)
    if exclude is not None:
        qs = qs.exclude(pk__in=exclude)
    return list(qs.order_by("name", "id")[:PICKER_LIMIT])


# ---------------------------------------------------------------------------------------------
# Mentor pairs


def pairs_for(user: Actor, filters: dict[str, Any] | None = None) -> QuerySet[MentorPair]:
    """The pairs recorded in the user's scope, filtered by state, year of the start, trade, union and a name."""
    f = filters or {}
    qs = MentorPair.objects.for_user(user, "view").select_related("org", "trade", "mentor__employer",
                                                                  "apprentice__employer")
    if f.get("state"):
        qs = qs.filter(state=f["state"])
    if f.get("year"):
        qs = qs.filter(starts_on__year=f["year"])
    if f.get("trade"):
        qs = qs.filter(trade=f["trade"])
    if f.get("q"):
        qs = qs.filter(Q(mentor__name__contains=f["q"]) | Q(apprentice__name__contains=f["q"]))
    return _in_org(qs, f.get("org")).order_by("-starts_on", "-id")


def pair_detail(user: Actor, pk: int) -> MentorPair | None:
    return pairs_for(user).filter(pk=pk).first()


def grades_during(pair: MentorPair) -> list[SkillGradeRecord]:
    """The apprentice's skill grades certified (or, without a date, recorded) from the pairing's start to its close
    (or today), oldest first — promotions through a competition among them, named by the competition (the
    competitions app records them on the person's record, which is where this reads them)."""
    last = pair.closed_on or timezone.localdate()
    dated = Q(certified_on__range=(pair.starts_on, last))
    undated = Q(certified_on__isnull=True, created_at__date__range=(pair.starts_on, last))
    return list(SkillGradeRecord.objects.filter(dated | undated, person_id=pair.apprentice_id)
                .select_related("trade").order_by("certified_on", "id"))


# ---------------------------------------------------------------------------------------------
# Materials


def _above(org: Org) -> set[str]:
    found = set(ancestors(org.path, path_step(), include_self=False))
    if org.industry_path:
        found |= set(ancestors(org.industry_path, path_step()))
    return found


def available(person: Person) -> QuerySet[Material]:
    """The materials a person may study: their employer's own, and those shared by the unions above it (along the
    regional tree and the industry union's)."""
    employer = person.employer
    return Material.objects.filter(Q(org=employer) | Q(org__path__in=_above(employer), shared=True))


def materials_for(user: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Material]:
    """A cadre's materials: those of the unions in their scope, and those shared down to it from above."""
    f = filters or {}
    scope = scope_for(user, "view")
    above: set[str] = set()
    for root in Org.objects.filter(path__in=scope.paths) if scope.paths else []:
        above |= _above(root)
    qs = Material.objects.for_user(user, "view") | Material.objects.filter(org__path__in=above, shared=True)
    qs = qs.select_related("org", "trade")
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("trade"):
        qs = qs.filter(trade=f["trade"])
    if f.get("q"):
        qs = qs.filter(Q(title__contains=f["q"]) | Q(tags__icontains=f["q"]))
    return qs.order_by("-created_at", "-id")


def completions_in_scope(user: Actor, materials: list[Material]) -> dict[int, int]:
    """How many learners of the user's scope completed each of `materials` (one grouped count over the page's
    materials: a scope covering everything reads the kept totals instead)."""
    if scope_for(user, "view").everything:
        return {m.pk: m.completions for m in materials}
    rows = (MaterialCompletion.objects.for_user(user, "view").filter(material__in=materials).order_by()
            .values("material_id").annotate(n=Count("id")))
    return {r["material_id"]: r["n"] for r in rows}


def material_visible(user: Actor, pk: int) -> Material | None:
    """A material the user may open: a cadre's (`materials_for`), or one a worker may study."""
    found = materials_for(user).filter(pk=pk).first()
    if found is None and getattr(user, "person_id", None):
        person = Person.objects.select_related("employer").filter(pk=user.person_id).first()  # type: ignore[union-attr]
        found = available(person).filter(pk=pk).first() if person else None
    return found


@dataclass
class LearnerMaterials:
    rows: list[Material]
    done: dict[int, datetime.datetime]


def learner_materials(person: Person, filters: dict[str, Any] | None = None) -> LearnerMaterials:
    f = filters or {}
    qs = available(person).select_related("org", "trade")
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("q"):
        qs = qs.filter(title__contains=f["q"])
    rows = list(qs.order_by("-created_at", "-id")[:200])
    done = dict(MaterialCompletion.objects.filter(person=person, material__in=[m.pk for m in rows])
                .values_list("material_id", "completed_at"))
    return LearnerMaterials(rows, done)


# ---------------------------------------------------------------------------------------------
# A person's training record


@dataclass
class TrainingRecord:
    attendances: list[Attendance] = field(default_factory=list)
    year: int = 0
    year_hours: Decimal = Decimal(0)
    total_hours: Decimal = Decimal(0)
    pairs: list[MentorPair] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.attendances or self.pairs)


def person_record(person: Person, year: int | None = None, limit: int = 50) -> TrainingRecord:
    """The sessions a person attended (newest first, with the hours), the hours of the year and in all, and the
    pairs in which they are the mentor or the apprentice: four queries. The caller has found the person through
    the viewer's scope (the person page)."""
    year = year or timezone.localdate().year
    mine = Attendance.objects.filter(person=person)
    sums = mine.order_by().aggregate(total=Sum("hours"),
                                     year=Sum("hours", filter=Q(session__starts_on__year=year)))
    rows = list(mine.select_related("session__org", "session__trade").order_by("-session__starts_on", "-id")[:limit])
    pairs = list(MentorPair.objects.filter(Q(mentor=person) | Q(apprentice=person))
                 .select_related("org", "trade", "mentor", "apprentice").order_by("-starts_on", "-id")[:limit])
    return TrainingRecord(rows, year, sums["year"] or Decimal(0), sums["total"] or Decimal(0), pairs)
