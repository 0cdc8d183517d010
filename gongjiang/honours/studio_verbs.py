"""Labels of the studios' audit verbs and of the keys of their data (merged into `honours.verbs`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.verbs import Key

from .studio_choices import Result, StudioKind, StudioLevel, StudioStatus

STUDIO_VERBS: dict[str, Any] = {
    "honours.studio.registered": _("Studio registered"),
    "honours.studio.members_changed": _("Studio's lead or members changed"),
    "honours.studio.funded": _("Studio funding recorded"),
    "honours.assessment.self_assessed": _("Self-assessment filled"),
    "honours.assessment.file_added": _("Assessment evidence attached"),
    "honours.assessment.confirmed": _("Assessment confirmed"),
    "honours.studio.suspended": _("Studio suspended"),
    "honours.studio.reinstated": _("Studio reinstated"),
    "honours.studio.revoked": _("Studio's recognition revoked"),
    "honours.studio.updated": _("Studio's registry entry corrected"),
}

STUDIO_KEYS: dict[str, Any] = {
    "kind": Key(_("Studio kind"), choices=StudioKind),
    "studio_status": Key(_("Status"), choices=StudioStatus),
    "result": Key(_("Assessment result"), choices=Result),
    "year": _("Year"),
    "lead": _("Lead"),
    "members": _("Studio members"),
    "recognised_by": _("Recognising union"),
    "amount": _("Amount (10,000 yuan)"),
    "source": _("Source of funding"),
    "self_total": _("Self-assessed total"),
    "score": _("Total points"),
    "counted": _("Counted evidence"),
    "adjusted": _("Adjusted items"),
    "vetoes": _("Vetoes that happened"),
    "decision": _("Decision document"),
    "decided_by": _("Deciding body"),
    "item": _("Assessment item"),
    "host": _("Host enterprise"),
    "specialty": _("Field of work"),
    "studio_level": Key(_("Level"), choices=StudioLevel),
}
