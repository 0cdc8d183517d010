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


class ProgrammeKind(models.TextChoices):
    """The aid programmes of a union's aid centre (帮扶项目)."""

    WARMTH = "warmth", _("Spring Festival warmth (送温暖)")
    SCHOOLING = "schooling", _("Autumn schooling aid (金秋助学)")
    MEDICAL = "medical", _("Medical aid (医疗救助)")
    LIVING = "living", _("Living aid (生活救助)")
    JOBS = "jobs", _("Employment aid (就业援助)")
    SCREENING = "screening", _("Two-cancer screening (两癌筛查)")
    OTHER = "other", _("Other aid programme")


class AmountKind(models.TextChoices):
    FIXED = "fixed", _("A fixed amount per household")
    BY_GRADE = "by_grade", _("An amount by hardship grade")
    BY_COST = "by_cost", _("A share of the cost, up to a cap")


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Draft (草拟)")
    LISTED = "listed", _("List confirmed (名单确认)")
    APPROVED = "approved", _("Approved (已批准)")
    PAYING = "paying", _("Paying (发放中)")
    RECONCILED = "reconciled", _("Reconciled (已对账)")


class EntitlementState(models.TextChoices):
    LISTED = "listed", _("On the list")
    REMOVED = "removed", _("Removed from the list")


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    CASH = "cash", _("Cash with signature")
    IN_KIND = "in_kind", _("In kind with signature")


class PaymentState(models.TextChoices):
    SENT = "sent", _("Sent to the bank")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")


class JobKind(models.TextChoices):
    JOB = "job", _("Job offer")
    TRAINING = "training", _("Training place")


class JobOutcome(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    EMPLOYED = "employed", _("Employed")
    TRAINED = "trained", _("Trained")
    DECLINED = "declined", _("Declined")
