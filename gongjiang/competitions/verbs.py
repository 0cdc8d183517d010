"""Labels of the competitions' audit verbs for timelines (履历); registered when the app is ready."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

VERBS = {
    "competitions.appeal.decided": _("Appeal decided"),
    "competitions.appeal.filed": _("Appeal filed"),
    "competitions.certificate.revoked": _("Certificate revoked"),
    "competitions.draw.made": _("Draw made"),
    "competitions.entry.approved": _("Registration approved"),
    "competitions.entry.checked_in": _("Checked in"),
    "competitions.entry.locked": _("Mark sheets locked"),
    "competitions.entry.promoted": _("Moved up from the waiting list"),
    "competitions.entry.refused": _("Registration refused"),
    "competitions.entry.registered": _("Registered"),
    "competitions.entry.withdrawn": _("Registration withdrawn"),
    "competitions.judge.added": _("Judge added to the pool"),
    "competitions.judge.assigned": _("Judge assigned"),
    "competitions.judge.conflict_declared": _("Conflict of interest declared"),
    "competitions.mark.amended_appeal": _("Mark changed on appeal"),
    "competitions.mark.amended_recheck": _("Mark changed on re-check"),
    "competitions.promotion.decided": _("Grade promotion decided"),
    "competitions.round.checkin_opened": _("Contestant numbers drawn, check-in opened"),
    "competitions.round.codes_drawn": _("Anonymous codes drawn"),
    "competitions.round.decrypted": _("Results decrypted"),
    "competitions.round.finalised": _("Results confirmed"),
    "competitions.round.locked": _("All mark sheets locked"),
    "competitions.round.marking_opened": _("Marking opened"),
    "competitions.round.published": _("Results put on public notice"),
    "competitions.round.recheck_drawn": _("Re-check selection drawn"),
    "competitions.round.stations_drawn": _("Stations drawn"),
    "competitions.round.theory_entered": _("Theory scores entered"),
    "competitions.round.updated": _("Round details edited"),
    "competitions.sheet.returned": _("Mark sheet returned to the judge"),
    "competitions.sheet.signed": _("Mark sheet signed"),
    "competitions.stage.advanced": _("Contestants advanced to the next stage"),
    "competitions.team.formed": _("Team entered"),
    "competitions.team.members_drawn": _("Team members drawn"),
    "import.competition_registrations": _("Registrations imported"),
    "import.theory": _("Theory scores imported"),
}
