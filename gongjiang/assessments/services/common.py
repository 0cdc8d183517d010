"""What the assessments' verbs share: permission checks, locking, scoring a sheet from its answers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.rubrics import scoring
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, User

from ..models import Answer, Campaign, Sheet


def _metric_keys() -> dict[str, str]:
    """{key: label} of the fact store's metrics (an item names one by either)."""
    return {m.key: str(m.label) for m in facts.metrics()}


def _require_change(actor: User, org: Org) -> None:
    if not org.in_scope(actor, "change"):
        raise PermissionDeniedError(_("You may not do this for %(org)s.") % {"org": org.display_name})


def _locked_sheet(sheet: Sheet) -> Sheet:
    return Sheet.objects.select_for_update().select_related("campaign__rubric", "campaign__org", "org").get(
        pk=sheet.pk)


def _locked_campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("rubric", "org").get(pk=campaign.pk)


def _require_assessing(actor: User, campaign: Campaign) -> None:
    """Only the assessing union (or a union above it) reviews, confirms, ranks and publishes."""
    if not campaign.assesses(actor):
        raise PermissionDeniedError(_("Only the assessing union, %(org)s, reviews this assessment.")
                                    % {"org": campaign.org.display_name}, code="not_assessing")


def _require_assessed(actor: User, sheet: Sheet) -> None:
    """Only the assessed union's own cadres fill in its self-assessment (not the assessing union)."""
    if not sheet.org.in_scope(actor, "change") or sheet.campaign.assesses(actor):
        raise PermissionDeniedError(_("Only %(org)s fills in its own self-assessment.")
                                    % {"org": sheet.org.display_name}, code="not_assessed")


def _rescore(sheet: Sheet) -> scoring.Score:
    """Score the sheet from its answers' effective values and keep the result on the sheet and the answers."""
    rubric = sheet.campaign.rubric.rules
    answers = {a.item: a for a in sheet.answers.all()}
    values = {i.key: scoring.decode(i, answers[i.key].effective) for i in rubric.leaves() if i.key in answers}
    result = scoring.score(rubric, values)
    changed = [a for key, a in answers.items() if a.points != result.items.get(key, a.points)]
    for a in changed:
        a.points = result.items[a.item]
    Answer.objects.bulk_update(changed, ["points"])
    sheet.total, sheet.regular, sheet.deducted = result.total, result.regular, result.deducted
    sheet.bonus, sheet.vetoed = result.bonus, result.vetoed
    sheet.save(update_fields=["total", "regular", "deducted", "bonus", "vetoed"])
    return result


def _read(item: Any, raw: Any, field: str) -> Any:
    value, message = scoring.read_answer(item, raw)
    if message:
        raise DomainError(f"{item.key} {item.title}：{message}", field=field)
    return value
