"""Reads of the judging pages: each judge's deviation from the panel (calibration) and a judge's own marks against
the panel's, as % of the aspects' maximum."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from ..choices import AspectKind, SheetState
from ..models import Judge, Mark, Round, Sheet
from ..rules import aspect_marks, marking

# Calibration compares the judges' own judgement: measurements must agree anyway (a disagreement is flagged
# and blocks the lock), so counting them would only dilute a judge's deviation.
CALIBRATED_KINDS = (AspectKind.JUDGEMENT, AspectKind.DIRECT)


BINS = 10


def _is_worldskills_score(kind: str, method: str) -> bool:
    """Whether a stored value is a WorldSkills score 0–3 (×100) rather than a mark in hundredths."""
    return kind == AspectKind.JUDGEMENT and method == marking.WORLDSKILLS


def _percent_of_max(value: int, max_mark: int, worldskills: bool) -> Decimal:
    """A judge's stored value as % of the aspect's max (a WorldSkills score as % of the top score 3)."""
    if worldskills:
        return aspect_marks.percent_of_max(value, marking.WORLDSKILLS_TOP_SCORE * 100)
    return aspect_marks.percent_of_max(value, max_mark)


def _calibration_marks(qs: Any) -> Any:
    """Marks that calibration counts: judgement and direct marks on signed or locked sheets (a sheet still being
    marked is the judge's own business)."""
    return (qs.filter(value__isnull=False, aspect__kind__in=CALIBRATED_KINDS)
            .exclude(sheet__state=SheetState.OPEN))


def calibration(rnd: Round) -> dict[int, aspect_marks.JudgeDeviation]:
    """Each judge's (RoundJudge id) deviation from the panel on the items they share with another judge, in
    percentage points of the aspects' max (rules.aspect_marks.judge_deviation). One query."""
    rows = _calibration_marks(Mark.objects.filter(sheet__round=rnd)).values_list(
        "sheet__judge_id", "sheet__entry_id", "aspect_id", "value", "aspect__max_mark", "aspect__kind",
        "aspect__scheme__judgement_method")
    by_judge: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    for judge_id, entry_id, aspect_id, value, max_mark, kind, method in rows:
        by_judge[judge_id][(entry_id, aspect_id)] = _percent_of_max(value, max_mark,
                                                                    _is_worldskills_score(kind, method))
    return aspect_marks.judge_deviation(by_judge)


def judge_distribution(judge: Judge, round_ids: list[int]) -> dict[int, dict[str, Any]]:
    """For each round, the judge's own marks against the whole panel's: counts per 10 % band of the max
    (`mine`, `panel`; counted in the database, whatever the size of the round) and the judge's deviation from
    the panel on the entries they marked. Two queries for any number of rounds."""
    out: dict[int, dict[str, Any]] = {pk: {"mine": [0] * BINS, "panel": [0] * BINS, "deviation": None}
                                      for pk in round_ids}
    if not round_ids:
        return out
    worldskills = Q(aspect__kind=AspectKind.JUDGEMENT, aspect__scheme__judgement_method=marking.WORLDSKILLS)
    band = Case(When(worldskills, then=F("value") * BINS / (marking.WORLDSKILLS_TOP_SCORE * 100)),
                default=F("value") * BINS / F("aspect__max_mark"), output_field=IntegerField())
    mine = Case(When(sheet__judge__judge=judge, then=Value(1)), default=Value(0), output_field=IntegerField())
    counted = (_calibration_marks(Mark.objects.filter(sheet__round_id__in=round_ids))
               .annotate(band=band, mine=mine).values("sheet__round_id", "mine", "band")
               .annotate(n=Count("pk")).order_by())
    for row in counted:
        hist = out[row["sheet__round_id"]]
        index = min(max(row["band"] or 0, 0), BINS - 1)  # the full mark joins the top band
        hist["panel"][index] += row["n"]
        if row["mine"]:
            hist["mine"][index] += row["n"]
    marked = Sheet.objects.filter(judge__judge=judge, round_id__in=round_ids).exclude(
        state=SheetState.OPEN).values("entry_id")
    rows = _calibration_marks(Mark.objects.filter(sheet__entry_id__in=marked)).values_list(
        "sheet__round_id", "sheet__judge__judge_id", "sheet__entry_id", "aspect_id", "value", "aspect__max_mark",
        "aspect__kind", "aspect__scheme__judgement_method")
    by_round: dict[int, dict[int, dict[tuple[int, int], Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for round_id, judge_id, entry_id, aspect_id, value, max_mark, kind, method in rows:
        by_round[round_id][judge_id][(entry_id, aspect_id)] = _percent_of_max(
            value, max_mark, _is_worldskills_score(kind, method))
    for round_id, marks in by_round.items():
        out[round_id]["deviation"] = aspect_marks.judge_deviation(marks).get(judge.pk)
    return out
