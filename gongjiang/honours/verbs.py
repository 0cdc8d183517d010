"""Labels of the honours audit verbs for timelines (履历), and the labels and looks of the keys of their data that
are no field of the event's model; registered when the app is ready."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.verbs import Key

from .choices import Level, Material, NominationState, Subject


def honour_names(codes: Any) -> str:
    """A list of honour type codes (criteria: required, excluding) as their names."""
    from .models import HonourType

    codes = list(codes or [])
    names = dict(HonourType.objects.filter(code__in=codes).values_list("code", "name"))
    return "、".join(names.get(c, "—") for c in codes) or "—"

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
    "import.honour_nominations": _("Nominations imported"),
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
    },
    "import.honour_nominations": {"created": _("Draft nominations"), "campaign": Key(hidden=True)},
}
