"""A contest's published results: the prize winners, written once when the organiser publishes the results (the
ranking itself is read from the standings, kept by the fold); each award owns its certificate."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org, Person

from .papers import Contest


class ContestAward(models.Model):
    """A prize of a contest (一等奖…): the winner, their unit, place, prize, best score and its time, as published."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="awards")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("winner"))
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    place = models.PositiveIntegerField(_("place"))
    prize = models.CharField(_("prize"), max_length=20)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=1, default=Decimal(0))
    seconds = models.PositiveIntegerField(_("time taken (s)"), default=0)

    scope_via = "unit"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("contest prize")
        verbose_name_plural = _("contest prizes")
        ordering = ["contest", "place", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "person"], name="learning_award_once")]

    def __str__(self) -> str:
        return f"{self.contest_id} · {self.prize} · {self.person_id}"

    @property
    def audit_org(self) -> Org:
        return self.unit
