"""The archive's read models, shared by the pages and the API: the filtered list, the approvers' queue, the files
due for review, a file's detail with its timeline, the threshold that applies."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongjiang.core.scoping import scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org

from ..choices import Cause, FileStatus, Grade, RequestState
from ..models import CareRequest, HouseholdFile


@dataclass(frozen=True)
class Filters:
    grade: str = ""
    cause: str = ""
    status: str = ""
    union: int | None = None
    due: bool = False

    @classmethod
    def parse(cls, data: Any) -> Filters:
        def pick(key: str, allowed: list[str]) -> str:
            value = str(data.get(key) or "")
            return value if value in allowed else ""

        union = str(data.get("union") or "")
        return cls(grade=pick("grade", [*Grade.values, "none"]), cause=pick("cause", Cause.values),
                   status=pick("status", FileStatus.values), union=int(union) if union.isdigit() else None,
                   due=str(data.get("due") or "") in ("1", "true", "on"))


def files_for(user: Actor, filters: Filters, org: Org | None = None) -> QuerySet[HouseholdFile]:
    """The files the user sees (the file's union or a union above it), inside `org`'s subtree, filtered."""
    qs = HouseholdFile.objects.for_user(user, "view").select_related("person", "union", "approver")
    if org is not None:
        qs = qs.filter(union__path__startswith=org.path)
    if filters.grade:
        qs = qs.filter(grade="" if filters.grade == "none" else filters.grade)
    if filters.cause:
        qs = qs.filter(causes_text__contains=f",{filters.cause},")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.union is not None:
        qs = qs.filter(union_id=filters.union)
    if filters.due:
        qs = qs.filter(status=FileStatus.ACTIVE, next_review__lte=timezone.localdate())
    return qs.order_by("-id")


def queue_for(user: Actor) -> QuerySet[CareRequest]:
    """The open requests whose turn is the user's: to check (the enterprise union's side, below the approver) and to
    approve (the approving union or above)."""
    change = scope_for(user, "change")
    qs = CareRequest.objects.select_related("file__union", "file__approver", "file__person")
    if change.is_empty:
        return qs.none()
    if change.roots is None:
        return qs.filter(state__in=(RequestState.SUBMITTED, RequestState.CHECKED))
    to_approve = Q(state=RequestState.CHECKED) & change.q("file__approver__", industry=False)
    below = Q(state=RequestState.SUBMITTED) & change.q("file__union__", industry=False)
    if not change.everything:
        below &= ~change.q("file__approver__", industry=False)
    else:
        below = Q(pk__in=[])
    return qs.filter(to_approve | below).order_by("submitted_at", "id")


def due_for_review(user: Actor, day: datetime.date | None = None) -> QuerySet[HouseholdFile]:
    """Files in the archive whose yearly review is due, that the user may review (change scope)."""
    day = day or timezone.localdate()
    return HouseholdFile.objects.for_user(user, "change").filter(status=FileStatus.ACTIVE, next_review__lte=day)


def timeline(file: HouseholdFile) -> list[CareRequest]:
    return list(file.requests.select_related("submitted_by", "checked_by", "decided_by").order_by("submitted_at",
                                                                                                    "id"))
