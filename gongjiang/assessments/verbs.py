"""Labels of the assessments' audit verbs for timelines (履历), and of the keys of their data; registered when the
app is ready."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.verbs import Key

from .choices import CampaignState, Outcome, Review, SheetState

VERBS: dict[str, Any] = {
    "assessments.rubric.defined": _("Assessment rubric defined"),
    "assessments.rubric.revised": _("Assessment rubric revised"),
    "assessments.rubric.versioned": _("New version of an assessment rubric"),
    "assessments.campaign.opened": _("Assessment opened"),
    "assessments.campaign.figures_read": _("Assessment figures read from the platform"),
    "assessments.campaign.ranked": _("Assessment ranked and graded"),
    "assessments.campaign.published": _("Assessment results published"),
    "assessments.sheet.answered": _("Self-assessment filled in"),
    "assessments.sheet.evidence_added": _("Assessment evidence attached"),
    "assessments.sheet.submitted": _("Self-assessment submitted"),
    "assessments.item.reviewed": _("Assessment item reviewed"),
    "assessments.sheet.returned": _("Self-assessment returned for correction"),
    "assessments.sheet.confirmed": _("Assessment sheet confirmed"),
    "assessments.appeal.filed": _("Assessment appeal filed"),
    "assessments.appeal.decided": _("Assessment appeal decided"),
}

KEYS: dict[str, dict[str, Any]] = {
    "assessments": {
        "state": Key(_("State"), choices={**dict(CampaignState.choices), **dict(SheetState.choices)}),
        "review": Key(_("Review"), choices=Review),
        "outcome": Key(_("Outcome"), choices=Outcome),
        "title": _("Title"),
        "maximum": _("Maximum"),
        "version": _("Version"),
        "year": _("Year"),
        "rubric": _("Rubric"),
        "assessed": _("Unions assessed"),
        "answers": _("Answers"),
        "item": _("Item"),
        "file_name": _("File"),
        "total": _("Total"),
        "vetoed": _("Vetoed"),
        "reviewed": _("Value after review"),
        "reason": _("Reason"),
        "reply": _("Reply"),
        "total_before": _("Total before"),
        "total_after": _("Total after"),
    },
}
