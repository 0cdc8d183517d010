"""Audit: every service records what it changed, by whom, before and after."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .types import account_id

if TYPE_CHECKING:
    from .models import AuditEvent
    from .types import Actor


class Placed(Protocol):
    """What an event is placed in the tree by: an org (orgs.Org) or a `PathRef`, anything with a path."""

    @property
    def path(self) -> str: ...


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of `obj` as JSON-able data (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        data[name] = _jsonable(getattr(obj, attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value changed, for compact before/after records."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(actor: Actor | None, verb: str, obj: models.Model, *, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None, org: Placed | None = None, org_path: str | None = None,
           note: str = "") -> AuditEvent:
    """Write one AuditEvent. `org` (an Org), or its path `org_path`, places the event in the tree for scoped
    timelines; by default the object's `audit_org`."""
    found = event(actor, verb, obj, before=before, after=after, org=org, org_path=org_path, note=note)
    found.save(force_insert=True)
    return found


def event(actor: Actor | None, verb: str, obj: models.Model, *, before: dict[str, Any] | None = None,
          after: dict[str, Any] | None = None, org: Placed | None = None, org_path: str | None = None,
          note: str = "") -> AuditEvent:
    """The AuditEvent `record` would write, unsaved: for a verb that writes it in one statement with its rows
    (`core.bulk.insert_together`)."""
    from gongjiang.core.models import AuditEvent

    if org is None and org_path is None:
        org = getattr(obj, "audit_org", None)
    return AuditEvent(
        actor_id=account_id(actor),
        verb=verb,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        org_path=org_path if org_path is not None else getattr(org, "path", "") or "",
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        note=note,
    )


def timeline(obj: models.Model, limit: int = 100) -> models.QuerySet[AuditEvent]:
    """The audit events of one object, newest first (its 履历)."""
    from gongjiang.core.models import AuditEvent

    return (
        AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


class Ref:
    """What `record_bulk` needs of a row written without a model instance: its id, str() and the org it
    belongs to (`audit_org`, for scoping the event)."""

    __slots__ = ("audit_org", "label", "pk")

    def __init__(self, pk: int, label: str, audit_org: Placed | None = None) -> None:
        self.pk, self.label, self.audit_org = pk, label, audit_org

    def __str__(self) -> str:
        return self.label


def record_bulk(actor: Actor | None, verb: str, objs: Sequence[models.Model | Ref], *, org_path: str = "",
                note: str = "", model: type[models.Model] | None = None) -> None:
    """One event per object for large imports, written in bulk (each object's timeline shows it). `objs` may
    be `Ref`s (a `pk`, a str() and optionally an `audit_org`) for rows written without instances; then `model`
    names their model."""
    from django.utils import timezone

    from gongjiang.core.bulk import insert_rows
    from gongjiang.core.models import AuditEvent

    if not objs:
        return
    kind = model or type(objs[0])
    if not issubclass(kind, models.Model):
        raise TypeError("record_bulk: Refs need their `model`")
    ct = ContentType.objects.get_for_model(kind)
    actor_id = account_id(actor)
    now = timezone.now()
    # Plain rows rather than model instances: an import may write 100,000 of them.
    rows = [(actor_id, verb, ct.pk, str(o.pk), str(o)[:200],
             getattr(getattr(o, "audit_org", None), "path", "") or org_path, "{}", "{}", note, now) for o in objs]
    insert_rows(AuditEvent, ["actor", "verb", "content_type", "object_id", "object_repr", "org_path", "before",
                             "after", "note", "created_at"], rows)
