"""API endpoints of the inbox (mounted under /api/v1 by gongjiang/api.py): the caller's own notifications only."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gongjiang.core.api import ERRORS, Pagination

from .. import notifications

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    verb: str = Field(description="What happened, e.g. competitions.entry.approved.")
    title: str
    body: str
    url: str = Field(description="The page it is about: a path on this site, or empty.")
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    unread: bool


class UnreadOut(Schema):
    unread: int = Field(description="Unread notifications, counted up to 100.")
    label: str = Field(description="What the header's badge shows: \"\", \"3\" or \"99+\".")


class ReadAllOut(Schema):
    marked: int = Field(description="How many notifications were unread and are read now.")


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS}, summary="My notifications")
@paginate(Pagination)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    """Your notifications, newest first; `?unread=true` lists the unread ones only."""
    qs = notifications.inbox(request.auth)  # type: ignore[attr-defined]
    return qs.filter(read_at__isnull=True) if unread else qs


@router.get("/notifications/unread", response={200: UnreadOut, **ERRORS}, summary="How many are unread")
def unread_count(request: HttpRequest) -> Any:
    count = notifications.unread_count(request.auth)  # type: ignore[attr-defined]
    return {"unread": count, "label": notifications.badge(count)}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS},
             summary="Mark one notification read")
def mark_read(request: HttpRequest, notification_id: int) -> Any:
    """Someone else's notification is a 404, like one that does not exist."""
    found = notifications.inbox(request.auth).filter(pk=notification_id).first()  # type: ignore[attr-defined]
    if found is None:
        raise Http404
    return notifications.mark_read(request.auth, found)  # type: ignore[attr-defined]


@router.post("/notifications/read-all", response={200: ReadAllOut, **ERRORS}, summary="Mark all read")
def mark_all_read(request: HttpRequest) -> Any:
    return {"marked": notifications.mark_all_read(request.auth)}  # type: ignore[attr-defined]
