"""The states and choices of the assessments."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignState(models.TextChoices):
    OPEN = "open", _("Self-assessment and review")
    RANKED = "ranked", _("Ranked, not yet published")
    PUBLISHED = "published", _("Published")


class SheetState(models.TextChoices):
    DRAFT = "draft", _("Self-assessment")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for correction")
    CONFIRMED = "confirmed", _("Confirmed")


class Review(models.TextChoices):
    PENDING = "pending", _("Not reviewed")
    ACCEPTED = "accepted", pgettext_lazy("review", "Accepted")  # 已认可, not the transfers' 已接收
    ADJUSTED = "adjusted", _("Adjusted")
    RETURNED = "returned", _("Returned")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Not decided")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


GRADE_LABELS = {"excellent": _("Excellent"), "good": _("Good"), "pass": _("Pass"), "fail": _("Fail")}
