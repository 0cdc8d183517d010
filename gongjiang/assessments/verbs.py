"""Labels of the assessments' audit verbs for timelines (履历), and of the keys of their data; registered when the
app is ready."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.verbs import Key

from .choices import CampaignState, Outcome, Review, SheetState


def answers_text(value: Any) -> str:
    """A sheet's answers as words: A1：优；A2：是；B1：12."""
    from django.utils.translation import gettext

    def one(v: Any) -> str:
        if v is None:
            return "—"
        if isinstance(v, bool):
            return gettext("yes") if v else gettext("no")
        return str(v)

    if not isinstance(value, dict):
        return one(value)
    return "；".join(f"{k}：{one(v)}" for k, v in value.items()) or "—"


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
        "values": Key(_("Answers"), show=answers_text),
        "figures": _("Figures read"),
        "item": _("Item"),
        "file_name": _("File"),
        "total": _("Total"),
        "vetoed": _("Vetoed"),
        "reviewed": Key(_("Value after review"), show=answers_text),
        "reason": _("Reason"),
        "reply": _("Reply"),
        "total_before": _("Total before"),
        "total_after": _("Total after"),
    },
}
