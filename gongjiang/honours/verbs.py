"""Labels of the honours audit verbs for timelines (履历), and the labels and looks of the keys of their data that
are no field of the event's model; registered when the app is ready."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.verbs import Key

from .choices import HolderStatus, Level, Material, NominationState, Subject
from .studio_verbs import STUDIO_KEYS, STUDIO_VERBS


def honour_names(codes: Any) -> str:
    """A list of honour type codes (criteria: required, excluding) as their names."""
    from .models import HonourType

    codes = list(codes or [])
    names = dict(HonourType.objects.filter(code__in=codes).values_list("code", "name"))
    return "、".join(names.get(c, "—") for c in codes) or "—"

def criteria_text(value: Any) -> str:
    """A review panel's criteria as words: 先进事迹（权重 40，满分 40）；…"""
    from django.utils.translation import gettext

    return "；".join(f"{c.get('name')}（{gettext('weight')} {c.get('weight')}，{gettext('maximum points')} "
                    f"{c.get('max')}）" for c in value or [] if isinstance(c, dict)) or "—"


def points_text(value: Any) -> str:
    """A member's points as words: 先进事迹 38；创新成果 45；…"""
    return "；".join(f"{pair[0]} {pair[1]}" for pair in value or [] if isinstance(pair, list | tuple)) or "—"


VERBS: dict[str, Any] = {
    "honours.type.defined": _("Honour type defined"),
    "honours.type.changed": _("Honour type changed"),
    "honours.campaign.created": _("Honours campaign opened"),
    "honours.quotas.allocated": _("Quotas shared out"),
    "honours.nomination.created": _("Nomination started"),
    "honours.nomination.updated": _("Nomination completed or corrected"),
    "honours.nomination.file_added": _("Nomination material attached"),
    "honours.nomination.submitted": _("Nomination submitted"),
    "honours.nomination.withdrawn": _("Nomination withdrawn"),
    "honours.nomination.forwarded": _("Nomination forwarded to the level above"),
    "honours.nomination.returned": _("Nomination returned"),
    "honours.nomination.rejected": _("Nomination not recommended"),
    "honours.nomination.shortlisted": _("Nomination shortlisted"),
    "honours.nomination.not_conferred": _("Honour not conferred (objection upheld)"),
    "honours.nomination.conferred": _("Honour conferred"),
    "honours.campaign.published": _("Shortlist put on public notice"),
    "honours.campaign.notice_ended": _("Public notice of the shortlist ended"),
    "honours.campaign.conferred": _("Honours conferred"),
    # review panels
    "honours.panel.created": _("Review panel set up"),
    "honours.panel.member_added": _("Panel member added"),
    "honours.panel.member_removed": _("Panel member taken off"),
    "honours.panel.conflict_declared": _("Conflict of interest declared"),
    "honours.panel.scored": _("Nomination scored"),
    "honours.panel.voted": _("Vote cast"),
    "honours.panel.closed": _("Review panel closed"),
    "honours.holder.status": _("Honour holder's status recorded"),
    "honours.holder.revoked": _("Honour title revoked"),
    "honours.holder.exported": _("Roster of honour holders exported"),
    **STUDIO_VERBS,
    "import.honour_nominations": _("Nominations imported"),
    "import.honour_studios": _("Studios imported"),
}

KEYS: dict[str, dict[str, Any]] = {
    "honours": {
        "state": Key(_("State"), choices=NominationState),
        "level": Key(_("Level"), choices=Level),
        "total": _("Total quota"),
        "reserve_non_public": _("Reserved for non-public enterprises"),
        "reserve_front_line": _("Reserved for front-line workers"),
        "reserve_women": _("Reserved for women"),
        "allocating_union": _("Shared out by"),
        "quotas": _("Quotas"),
        "subject": Key(_("Conferred on"), choices=Subject),
        "requires_any": Key(_("Requires one of"), show=honour_names),
        "excludes": Key(_("Excluded by"), show=honour_names),
        "campaign": _("Campaign"),
        "nominee": _("Nominee"),
        "file_name": _("File"),
        "material": Key(_("Material"), choices=Material),
        "deciding_union": _("Deciding union"),
        "working_days": _("Working days"),
        "until": _("Until"),
        "open_objections": _("Objections not decided"),
        "conferred": _("Honours conferred"),
        # review panels
        "name": _("Name"),
        "mode": Key(_("Review mode"), choices={"score": _("Scoring"), "vote": _("Voting")}),
        "criteria": Key(_("Criteria"), show=criteria_text),
        "member": _("Member"),
        "chair": _("Chair"),
        "scores": _("Scores dropped"),
        "votes": _("Votes dropped"),
        "withdrawn": _("Marks withdrawn"),
        "points": Key(_("Points"), show=points_text),
        "score_total": _("Weighted total"),
        "vote": Key(_("Vote"), choices={"yes": _("In favour"), "no": _("Against"), "abstain": _("Abstain")}),
        "open": _("Open"),
        "status": Key(_("Status"), choices=HolderStatus),
        "on": _("Date of the change"),
        "reason": _("Reason"),
        "document": _("Decision's document number"),
        "body": _("Deciding body"),
        "rows": _("Rows"),
        **STUDIO_KEYS,
    },
    "import.honour_nominations": {"created": _("Draft nominations"), "campaign": Key(hidden=True)},
    "import.honour_studios": {"created": _("Studios registered")},
}
