"""Reminders of data requests (报表): who a request's messages go to (the cadres of a union), the reminder of the unions
that have not reported (催报: `services.remind`, the requesting union's verb, calls it) and the daily reminder of the
requests due within three days or overdue (`remind_due`, run by `manage.py remind_data_requests`: the platform's own
timer, no one's act, so it records no audit event — each reminded union's inbox keeps the message)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Final

from django.utils import timezone
from django.utils.translation import gettext_lazy

from gongjiang.core import notifications
from gongjiang.orgs.choices import Role
from gongjiang.orgs.models import RoleGrant

from .choices import RequestState, ReturnState
from .models import DataRequest

REMIND_DAYS: Final = 3  # the daily reminder starts this many days before the due day


def cadres(org_ids: Iterable[int]) -> list[int]:
    """The accounts holding a cadre's role (administrator, staff) on these unions."""
    return list(RoleGrant.objects.filter(org_id__in=list(org_ids), role__in=[Role.ADMIN, Role.STAFF])
                .values_list("user_id", flat=True).distinct())


def remind_waiting(request: DataRequest) -> int:
    """Notify the cadres of every union that has not reported; returns how many unions."""
    waiting = list(request.returns.exclude(state=ReturnState.SUBMITTED).values_list("org_id", flat=True))
    if not waiting:
        return 0
    notifications.notify(cadres(waiting), "stats.request.reminded", request,
                         title=gettext_lazy("Reminder: report “%(title)s” by %(due)s"),
                         body=gettext_lazy("%(org)s has not received your figures yet."),
                         params={"title": request.title, "due": request.due.isoformat(),
                                 "org": request.org.display_name}, url=request.get_absolute_url())
    request.reminded_at = timezone.now()
    request.save(update_fields=["reminded_at"])
    return len(waiting)


def remind_due(today: datetime.date | None = None) -> int:
    """Every collecting request due within three days or overdue, not yet reminded today, reminds the unions that
    have not reported. Returns the requests reminded."""
    today = today or timezone.localdate()
    due = DataRequest.objects.filter(state=RequestState.OPEN, due__lte=today + datetime.timedelta(days=REMIND_DAYS))
    count = 0
    for request in due.select_related("org"):
        if request.reminded_at and timezone.localdate(request.reminded_at) >= today:
            continue
        if remind_waiting(request):
            count += 1
    return count
