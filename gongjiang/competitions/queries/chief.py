"""Reads of the chief judge's pages: the board (every entry by 加密号 with its sheets' states, the judges' totals
and the disagreements that block the lock; the panel's calibration), sheets by state, and the changes made to
locked marks after the lock (re-check and appeal). Only what a judge may know: 加密号 and scores, never a person,
a unit or a contestant number."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Q, QuerySet

from ..choices import AspectKind, JudgeRole, SheetState
from ..models import Aspect, Entry, Mark, Round, RoundJudge, Scheme, Sheet
from ..rules import aspect_marks, marking
from .judging import calibration


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
    events: list[Any] = list(AuditEvent.objects.filter(  # given `code`, `judge_name` and `kind` below
        verb__in=AMENDED_VERBS, content_type=ContentType.objects.get_for_model(Sheet), object_id__in=sheet_keys)
        .select_related("actor").order_by("-created_at", "-id")[:limit])
    sheets: dict[str, Mapping[str, Any]] = {str(s["pk"]): s for s in Sheet.objects.filter(
        pk__in=[int(e.object_id) for e in events]).values("pk", "entry__code", "judge__judge__name")}
    for e in events:
        sheet = sheets.get(e.object_id, {})
        e.code, e.judge_name = sheet.get("entry__code", ""), sheet.get("judge__judge__name", "")
        e.kind = e.verb.rsplit("_", 1)[-1]
    return events


# ---------------------------------------------------------------------------------------------
# The board


BOARD_SHOWS = ("", "open", "signed", "locked")  # every entry, those being marked, ready to lock, locked


def board_entries(rnd: Round, show: str = "") -> QuerySet[Entry, Mapping[str, Any]]:
    """The round's entries that have sheets, by 加密号, with their sheets counted by state (`n_sheets`, `n_open`,
    `n_signed`, `n_locked`), narrowed by `show` (BOARD_SHOWS). Only what a judge may know: the 加密号 and the
    practical score (no person, unit or contestant number). One query, to paginate."""
    qs = (Entry.objects.filter(round=rnd)
          .annotate(n_sheets=Count("sheets"),
                    n_open=Count("sheets", filter=Q(sheets__state=SheetState.OPEN)),
                    n_signed=Count("sheets", filter=Q(sheets__state=SheetState.SIGNED)),
                    n_locked=Count("sheets", filter=Q(sheets__state=SheetState.LOCKED)))
          .filter(n_sheets__gt=0))
    if show == "open":
        qs = qs.filter(n_open__gt=0)
    elif show == "signed":
        qs = qs.filter(n_open=0, n_signed__gt=0)
    elif show == "locked":
        qs = qs.filter(n_open=0, n_signed=0)
    return qs.order_by("code", "pk").values("pk", "code", "practical", "n_sheets", "n_open", "n_signed", "n_locked")


def _disagreements(aspects: list[Aspect], worldskills: bool, values: dict[int, list[int]]) -> list[dict[str, Any]]:
    """Measurements on which the judges recorded different results, and WorldSkills scores more than 1 apart
    (需重新评分): the entry cannot be locked until they agree."""
    found = []
    for a in aspects:
        got = values.get(a.pk, [])
        if len(got) < 2:
            continue
        if a.kind in marking.MEASUREMENT_KINDS and len(set(got)) > 1:
            found.append({"aspect": a, "rescore": False, "values": sorted(set(got))})
        elif (worldskills and a.kind == AspectKind.JUDGEMENT
              and max(got) - min(got) > 100 * marking.WORLDSKILLS_SPREAD):
            found.append({"aspect": a, "rescore": True, "values": got})
    return found


def board_rows(rnd: Round, entries: list[dict[str, Any]]) -> bool:
    """Complete the entries of a board page (dicts of `board_entries`) in four queries: each one's `sheets` in judge
    order (`pk`, `state`, `judge_id`, `judge__judge__name`, the judge's `total` in points and how many aspects are
    `marked`), its `flags` — what keeps it from being locked (`_disagreements`: `values` in hundredths, a WorldSkills
    score as score × 100) — and whether it is `lockable` now. Returns whether the scheme uses WorldSkills judgement."""
    scheme = Scheme.objects.filter(event=rnd.event_id).first()
    aspects = list(scheme.aspects.all()) if scheme else []
    worldskills = bool(scheme and scheme.judgement_method == marking.WORLDSKILLS)
    ids = [e["pk"] for e in entries]
    sheets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_sheet: dict[int, dict[str, Any]] = {}
    for row in (Sheet.objects.filter(entry_id__in=ids).order_by("judge_id")
                .values("pk", "entry_id", "state", "judge_id", "judge__judge__name")):
        s: dict[str, Any] = {**row, "total": Decimal(0), "marked": 0}
        sheets[s["entry_id"]].append(s)
        by_sheet[s["pk"]] = s
    max_marks = {a.pk: a.max_mark for a in aspects}
    kinds = {a.pk: a.kind for a in aspects}
    values: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for sheet_id, entry_id, aspect_id, value in Mark.objects.filter(
            sheet__entry_id__in=ids, value__isnull=False).values_list("sheet_id", "sheet__entry_id", "aspect_id",
                                                                      "value"):
        value = cast(int, value)  # value__isnull=False
        s = by_sheet[sheet_id]
        ws = worldskills and kinds.get(aspect_id) == AspectKind.JUDGEMENT
        s["total"] += aspect_marks.judge_points(value, max_marks.get(aspect_id, 0), ws)
        s["marked"] += 1
        values[entry_id][aspect_id].append(value)
    for e in entries:
        e["sheets"] = sheets.get(e["pk"], [])
        e["flags"] = _disagreements(aspects, worldskills, values.get(e["pk"], {}))
        e["lockable"] = e["n_open"] == 0 and e["n_signed"] > 0
    return worldskills


def panel_calibration(rnd: Round) -> list[dict[str, Any]]:
    """Each judge of the round's panel, in order of assignment: `name`, their sheets by state (`counts`, `sheets` in
    all) and their deviation from the panel (`deviation`: `judging.calibration`, None before any shared item). Two
    queries and the calibration's one."""
    judges = list(RoundJudge.objects.filter(round=rnd, role=JudgeRole.JUDGE).select_related("judge").order_by("pk"))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SheetState.values, 0))
    for judge_id, state, n in Sheet.objects.filter(round=rnd).values_list("judge_id", "state").annotate(
            n=Count("pk")).order_by():
        counts[judge_id][state] = n
    deviations = calibration(rnd)
    return [{"name": rj.judge.name, "counts": counts[rj.pk], "sheets": sum(counts[rj.pk].values()),
             "deviation": deviations.get(rj.pk)} for rj in judges]
