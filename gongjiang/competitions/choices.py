"""Closed vocabularies of competitions (codes in English, labels in Chinese via gettext)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CompetitionKind(models.TextChoices):
    SKILLS = "skills", _("Vocational skills competition")
    LABOUR = "labour", _("Labour competition")


class Level(models.TextChoices):
    """Who runs a competition or a stage of it: decides the orgs that organise its rounds."""

    PROVINCE = "province", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    ENTERPRISE = "enterprise", _("Enterprise")


class CompetitionClass(models.IntegerChoices):
    """一类/二类: decides the titles and grade promotions the results bring."""

    CLASS1 = 1, _("Class I")
    CLASS2 = 2, _("Class II")


class CompetitionState(models.TextChoices):
    PREPARING = "preparing", _("In preparation")
    REGISTRATION = "registration", _("Registration open")
    CLOSED = "closed", _("Registration closed")
    RUNNING = "running", _("In progress")
    PUBLICITY = "publicity", _("Results on public notice")
    FINISHED = "finished", _("Finished")


# The guarded transitions of a competition (services.structure.change_state refuses any other).
COMPETITION_TRANSITIONS: dict[str, set[str]] = {
    CompetitionState.PREPARING: {CompetitionState.REGISTRATION},
    CompetitionState.REGISTRATION: {CompetitionState.CLOSED},
    CompetitionState.CLOSED: {CompetitionState.REGISTRATION, CompetitionState.RUNNING},
    CompetitionState.RUNNING: {CompetitionState.PUBLICITY},
    CompetitionState.PUBLICITY: {CompetitionState.FINISHED},
    CompetitionState.FINISHED: set(),
}


class ContestGroup(models.TextChoices):
    WORKERS = "workers", _("Workers' group")
    STUDENTS = "students", _("Students' group")
    TEACHERS = "teachers", _("Teachers' group")
    OPEN = "open", pgettext_lazy("contest group", "Open")


class RoundState(models.TextChoices):
    """One event, one stage, one organising org (a 赛区): from registration to final results."""

    REGISTRATION = "registration", pgettext_lazy("round state", "Registration")
    CHECKIN = "checkin", _("Check-in")
    MARKING = "marking", _("Marking")
    LOCKED = "locked", _("All sheets locked")
    DECRYPTED = "decrypted", _("Decrypted")
    PUBLICITY = "publicity", _("Results on public notice")
    FINAL = "final", _("Results final")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CHECKED_IN = "checked_in", _("Checked in")
    ABSENT = "absent", _("Absent")
    DISQUALIFIED = "disqualified", _("Disqualified")


# Entries that take part (count for quotas, are drawn, marked and ranked).
TAKING_PART = {EntryStatus.REGISTERED, EntryStatus.CHECKED_IN}
HOLDING_A_PLACE = {EntryStatus.PENDING, EntryStatus.REGISTERED, EntryStatus.CHECKED_IN}


class EntrySource(models.TextChoices):
    SELF = "self", _("Registered by the worker")
    UNIT = "unit", _("Registered by the unit")
    IMPORT = "import", _("Imported by the unit")
    ADVANCED = "advanced", _("Advanced from the previous stage")
    DRAWN = "drawn", _("Drawn for the team")


class JudgeRole(models.TextChoices):
    JUDGE = "judge", _("Judge")
    CHIEF = "chief", _("Chief judge")
    SUPERVISOR = "supervisor", _("Supervisor")


class SheetState(models.TextChoices):
    OPEN = "open", _("Being marked")
    SIGNED = "signed", _("Signed by the judge")
    LOCKED = "locked", _("Locked by the chief judge")


class AspectKind(models.TextChoices):
    """Mirrors rules.marking (the values are the rules' kind names)."""

    BINARY = "binary", _("Measurement: full mark or zero")
    TOLERANCE = "tolerance", _("Measurement: tolerance bands")
    DEDUCTION = "deduction", _("Measurement: deductions")
    JUDGEMENT = "judgement", _("Judgement by several judges")
    DIRECT = "direct", _("Mark entered directly")


class Prize(models.TextChoices):
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")
    MERIT = "merit", _("Honourable mention")


class AppealState(models.TextChoices):
    FILED = "filed", _("Filed")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class PromotionState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AmendmentKind(models.TextChoices):
    RECHECK = "recheck", _("Re-check")
    APPEAL = "appeal", _("Appeal")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class PeriodState(models.TextChoices):
    OPEN = "open", _("Open for evaluation")
    CLOSED = "closed", _("Closed")
