"""The states of a data request (报表任务) and of a lower union's return (填报)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestState(models.TextChoices):
    OPEN = "open", _("Open for returns")
    CLOSED = "closed", _("Closed")


class ReturnState(models.TextChoices):
    PENDING = "pending", _("Not reported")
    DRAFT = "draft", _("Saved, not reported")
    SUBMITTED = "submitted", _("Reported")
    RETURNED = "returned", _("Returned for correction")

