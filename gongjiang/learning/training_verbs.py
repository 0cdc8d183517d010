"""Labels of the training part's audit verbs and of the keys of their data (registered from training_plugins)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.verbs import Key
from gongjiang.orgs.choices import SkillGrade

VERBS: dict[str, Any] = {
    "learning.session.recorded": _("Training session recorded"),
    "learning.session.changed": _("Training session corrected"),
    "learning.session.file_added": _("Training material attached"),
    "learning.session.attendees_added": _("Attendees added to a training session"),
    "learning.session.attendee_removed": _("Attendee taken off a training session"),
    "learning.pair.started": _("Mentor pair recorded"),
    "learning.pair.finished": _("Mentor pair finished"),
    "learning.pair.ended": _("Mentor pair ended early"),
    "learning.material.added": _("Learning material added"),
    "learning.material.completed": _("Learning material completed"),
    "import.training_attendees": _("Training attendees imported"),
}

KEYS: dict[str, dict[str, Any]] = {
    "learning": {
        "topic": _("Topic"),
        "trade": _("Trade"),
        "starts_on": _("Starts on"),
        "ends_on": _("Ends on"),
        "place": _("Venue"),
        "trainer": _("Trainer"),
        "hours": _("Hours"),
        "notes": _("Notes"),
        "file_name": _("File"),
        "attendees": _("Attendees"),
        "count": _("Number of attendees"),
        "person_hours": _("Person-hours"),
        "mentor": _("Mentor"),
        "apprentice": _("Apprentice"),
        "grade_before": Key(_("Grade at the start"), choices=SkillGrade),
        "grade_after": Key(_("Grade at the end"), choices=SkillGrade),
        "closed_on": _("Closed on"),
        "result": _("Result"),
        "reason": _("Reason"),
        "title": _("Title"),
        "kind": Key(_("Kind"), choices={"document": _("Document"), "link": _("Link"), "video": _("Video")}),
        "shared": _("Shared with the unions below"),
    },
    "import.training_attendees": {"added": _("Attendees added"), "session": Key(hidden=True)},
}
