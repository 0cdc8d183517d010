"""Read models shared by the assessments' pages and API: the work waiting, a campaign's completeness and ranking,
a sheet's items as a tree with their answers, and the check that a sheet's kept result is what its record gives."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from gongjiang.core.rubrics import rubric as rules
from gongjiang.core.rubrics import scoring
from gongjiang.core.scoping import scope_for
from gongjiang.core.types import Actor

from ..choices import CampaignState, SheetState
from ..models import Answer, Campaign, Sheet

FILLABLE = (SheetState.DRAFT, SheetState.RETURNED)


def sheets_to_fill(user: Actor) -> QuerySet[Sheet]:
    """Sheets of the user's own unions waiting for their self-assessment (not those the user assesses)."""
    scope = scope_for(user, "change")
    if scope.is_empty or scope.everything:
        return Sheet.objects.none()
    return Sheet.objects.filter(scope.q("org__"), ~scope.q("campaign__org__"), state__in=FILLABLE,
                                campaign__state=CampaignState.OPEN)


def sheets_to_review(user: Actor) -> QuerySet[Sheet]:
    """Submitted sheets of campaigns the user's unions run."""
    scope = scope_for(user, "change")
    if scope.is_empty:
        return Sheet.objects.none()
    return Sheet.objects.filter(scope.q("campaign__org__"), state=SheetState.SUBMITTED)


def campaigns_for(user: Actor) -> QuerySet[Campaign]:
    return Campaign.objects.for_user(user, "view").select_related("org", "rubric")


@dataclass
class Overview:
    """A campaign as its page shows it: how many sheets are in each state (completeness) and the sheets the viewer
    may see, ranked when the results are out (or to the assessing union)."""

    campaign: Campaign
    counts: dict[str, int]
    total: int
    sheets: list[Sheet] = field(default_factory=list)
    assessing: bool = False
    openable: set[int] = field(default_factory=set)  # the sheets whose page the viewer may open

    @property
    def states(self) -> list[tuple[str, int]]:
        """(state label, sheets in it) for every state of a sheet."""
        return [(str(label), self.counts.get(value, 0)) for value, label in SheetState.choices]

    @property
    def confirmed_percent(self) -> int:
        return round(100 * self.counts.get(SheetState.CONFIRMED, 0) / self.total) if self.total else 0

    @property
    def submitted_percent(self) -> int:
        done = self.total - self.counts.get(SheetState.DRAFT, 0) - self.counts.get(SheetState.RETURNED, 0)
        return round(100 * done / self.total) if self.total else 0

    @property
    def show_results(self) -> bool:
        return self.campaign.state == CampaignState.PUBLISHED or (
            self.assessing and self.campaign.state == CampaignState.RANKED)


def overview(campaign: Campaign, user: Actor) -> Overview:
    assessing = campaign.assesses(user, "view")
    counts = Counter(campaign.sheets.values_list("state", flat=True))
    published = campaign.state == CampaignState.PUBLISHED
    visible = campaign.sheets.select_related("org") if assessing or published else Sheet.objects.for_user(
        user, "view").filter(campaign=campaign).select_related("org")
    order = ["rank", "org__path"] if campaign.state != CampaignState.OPEN else ["org__path"]
    openable = set(Sheet.objects.for_user(user, "view").filter(campaign=campaign).values_list("pk", flat=True))
    return Overview(campaign, dict(counts), sum(counts.values()), list(visible.order_by(*order)), assessing,
                    openable)


@dataclass
class Row:
    """One item of a sheet's page: the rubric item, its depth, its answer (leaves) or its points (sections)."""

    item: rules.Item
    depth: int
    answer: Answer | None = None
    points: Decimal | None = None
    maximum: str = ""


def rows(sheet: Sheet) -> list[Row]:
    """The sheet's items in the rubric's order, with their answers and evidence (two queries)."""
    rubric = sheet.campaign.rubric.rules
    answers = {a.item: a for a in sheet.answers.prefetch_related("evidence")}
    result = scoring.score(rubric, {i.key: scoring.decode(i, answers[i.key].effective)
                                    for i in rubric.leaves() if i.key in answers})
    out: list[Row] = []

    def walk(items: tuple[rules.Item, ...], depth: int) -> None:
        for i in items:
            if i.is_leaf:
                out.append(Row(i, depth, answers.get(i.key), result.items.get(i.key), _maximum(i)))
            else:
                out.append(Row(i, depth, None, result.sections.get(i.key), _maximum(i)))
                walk(i.children, depth + 1)

    walk(rubric.items, 0)
    return out


def _maximum(i: rules.Item) -> str:
    if i.mode in (rules.DEDUCTION, rules.BONUS):
        return f"{'-' if i.mode == rules.DEDUCTION else '+'}{i.cap.normalize():f}"
    if i.mode == rules.VETO:
        return ""
    return f"{i.points.normalize():f}"


def recomputed(sheet: Sheet) -> scoring.Score:
    """The sheet's result computed again from its record (the answers as stored and the rubric version)."""
    rubric = sheet.campaign.rubric.rules
    answers = {a.item: a.effective for a in sheet.answers.all()}
    return scoring.score(rubric, {i.key: scoring.decode(i, answers.get(i.key)) for i in rubric.leaves()})


def agrees(sheet: Sheet) -> bool:
    """Whether the kept result is what the record gives."""
    r = recomputed(sheet)
    return (r.total, r.bonus, r.deducted, r.vetoed) == (sheet.total, sheet.bonus, sheet.deducted, sheet.vetoed)


def my_sheets(user: Actor) -> QuerySet[Sheet]:
    """The sheets of the user's own unions (their self-assessments), newest first."""
    scope = scope_for(user, "view")
    if scope.is_empty:
        return Sheet.objects.none()
    q = scope.q("org__") & ~scope.q("campaign__org__") if not scope.everything else Q(pk__in=[])
    return Sheet.objects.filter(q).select_related("campaign", "org").order_by("-campaign__year", "-campaign_id")


def item_payload(row: Row) -> dict[str, Any]:
    a = row.answer
    return {"key": row.item.key, "title": row.item.title, "mode": row.item.mode, "depth": row.depth,
            "maximum": row.maximum, "points": row.points, "metric": row.item.metric or None,
            "value": a.value if a else None, "note": a.note if a else "", "provenance": a.provenance if a else {},
            "review": a.review if a else None, "reviewed": a.reviewed if a else None,
            "review_reason": a.review_reason if a else "",
            "evidence": [e.name for e in a.evidence.all()] if a else []}
