"""Reads of the chief judge's pages: the board (every entry by 加密号 with its sheets' states, the judges' totals
and the disagreements that block the lock; the panel's calibration), sheets by state, and the changes made to
locked marks after the lock (re-check and appeal). Only what a judge may know: 加密号 and scores, never a person,
a unit or a contestant number."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from ..choices import SheetState
from ..models import Round, Sheet


def sheet_progress(rnd: Round) -> dict[str, int]:
    """Sheets by state, for the chief judge's board (one query)."""
    counts = dict(Sheet.objects.filter(round=rnd).values_list("state").annotate(n=Count("pk")))
    return {s: counts.get(s, 0) for s in SheetState.values}


AMENDED_VERBS = ("competitions.mark.amended_recheck", "competitions.mark.amended_appeal")


def amendments(rnd: Round, limit: int = 200) -> list[Any]:
    """The changes made to locked marks of the round (re-check and appeal), newest first, from the audit log,
    each with the sheet's 加密号 and judge (`code`, `judge_name`). Two queries."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from gongjiang.core.models import AuditEvent

    sheet_keys = Sheet.objects.filter(round=rnd).annotate(key=Cast("pk", CharField())).values("key")
    events = list(AuditEvent.objects.filter(verb__in=AMENDED_VERBS, content_type=ContentType.objects.get_for_model(
        Sheet), object_id__in=sheet_keys).select_related("actor").order_by("-created_at", "-id")[:limit])
    sheets = {str(s["pk"]): s for s in Sheet.objects.filter(pk__in=[int(e.object_id) for e in events]).values(
        "pk", "entry__code", "judge__judge__name")}
    for e in events:
        sheet = sheets.get(e.object_id, {})
        e.code, e.judge_name = sheet.get("entry__code", ""), sheet.get("judge__judge__name", "")
        e.kind = e.verb.rsplit("_", 1)[-1]
    return events
