"""The closed vocabularies of the needy-worker archive (困难职工档案): codes in English, labels through gettext."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Cause(models.TextChoices):
    """The causes of hardship (致困原因), several per file."""

    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    DISASTER = "disaster", _("Disaster or accident")
    SCHOOLING = "schooling", _("Children's schooling")
    SINGLE_PARENT = "single_parent", _("Single parent")
    UNEMPLOYMENT = "unemployment", _("Unemployment")
    OTHER = "other", _("Other cause")


class Housing(models.TextChoices):
    OWNED = "owned", _("Own home")
    RENTED = "rented", _("Rented home")
    PUBLIC = "public", _("Public rental housing")
    DORMITORY = "dormitory", _("Employer's dormitory")
    NONE = "none", _("No stable home")


class FileStatus(models.TextChoices):
    FILING = "filing", _("Being filed")
    ACTIVE = "active", _("In the archive")
    EXITED = "exited", _("Exited")


class Grade(models.TextChoices):
    """The hardship grade (困难类别) computed by rules.grading; "" while the household is not in hardship."""

    DEEP = "deep", _("Deep hardship")
    RELATIVE = "relative", _("Relative hardship")
    SUDDEN = "sudden", _("Hardship from a sudden event")


class Relation(models.TextChoices):
    SELF = "self", _("The worker")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Other relative")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    CHRONIC = "chronic", _("Chronic illness")
    SERIOUS = "serious", _("Serious illness")
    DISABLED = "disabled", pgettext_lazy("health", "Disabled")
    SEVERELY_DISABLED = "severely_disabled", _("Severely disabled")


class Schooling(models.TextChoices):
    NONE = "none", _("Not in school")
    PRESCHOOL = "preschool", _("Pre-school")
    COMPULSORY = "compulsory", _("Primary or junior secondary school")
    HIGH = "high", _("Senior secondary or vocational school")
    UNIVERSITY = "university", _("University or college")


class Work(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    UNEMPLOYED = "unemployed", _("Unemployed")
    RETIRED = "retired", _("Retired")
    STUDENT = "student", _("Student")
    UNABLE = "unable", _("Unable to work")


class RequestKind(models.TextChoices):
    FILING = "filing", _("Filing application")
    CHANGE = "change", _("Change")
    EXIT = "exit", _("Exit from hardship")


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting the enterprise union's check")
    CHECKED = "checked", _("Checked, awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
