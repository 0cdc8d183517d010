"""The yearly innovation figures of every org, kept by the services (never counted per request)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org


class YearFigure(models.Model):
    """One org's figures for one year over its whole reach (itself, its subtree and, for an industry union, its
    affiliated units): proposals submitted and adopted, net hard benefit accounted and rewards paid (yuan), and the
    innovation projects reaching each stage. The verbs add their differences to the row of every union above the
    proposal's unit or the project's org (`innovation.counters`)."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    submitted = models.PositiveIntegerField(_("proposals submitted"), default=0)
    adopted = models.PositiveIntegerField(_("proposals adopted"), default=0)
    accounted = models.PositiveIntegerField(_("benefits accounted"), default=0)
    benefit = models.DecimalField(_("net benefit accounted (yuan)"), max_digits=16, decimal_places=2,
                                  default=Decimal(0))
    rewarded = models.PositiveIntegerField(_("proposals rewarded"), default=0)
    rewards = models.DecimalField(_("rewards paid (yuan)"), max_digits=14, decimal_places=2, default=Decimal(0))
    # Innovation projects reaching each stage in the year (registered: 问题查找; stopped: 中止), kept by the project
    # verbs from their stage decisions (a project moving twice in a year counts in both stages).
    projects_finding = models.PositiveIntegerField(_("projects registered"), default=0)
    projects_approved = models.PositiveIntegerField(_("projects approved"), default=0)
    projects_tackling = models.PositiveIntegerField(_("projects entering tackling"), default=0)
    projects_trial = models.PositiveIntegerField(_("projects entering application trial"), default=0)
    projects_improving = models.PositiveIntegerField(_("projects entering improvement"), default=0)
    projects_appraised = models.PositiveIntegerField(_("projects entering appraisal"), default=0)
    projects_transferred = models.PositiveIntegerField(_("projects promoted and transferred"), default=0)
    projects_stopped = models.PositiveIntegerField(_("projects stopped"), default=0)
    # Achievements submitted to calls of the year (each call counts its own: one recommended upward counts again in
    # the upper call), and those awarded a prize when the call's results became final.
    achievements = models.PositiveIntegerField(_("achievements submitted"), default=0)
    awards_first = models.PositiveIntegerField(_("first prizes"), default=0)
    awards_second = models.PositiveIntegerField(_("second prizes"), default=0)
    awards_third = models.PositiveIntegerField(_("third prizes"), default=0)
    # The 6·18 exhibition's matches signed in the year and their contract value (yuan), kept by its verbs (a match
    # counts once in the reach of both its unions: counters.add_pair).
    matches_signed = models.PositiveIntegerField(_("matches signed"), default=0)
    signed_value = models.DecimalField(_("contract value signed (yuan)"), max_digits=16, decimal_places=2,
                                       default=Decimal(0))

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("innovation figures")
        verbose_name_plural = _("innovation figures")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="innovation_figure_uniq")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}"

    @property
    def adoption_rate(self) -> Decimal | None:
        """Adopted per submitted, in percent (None before anything was submitted)."""
        if not self.submitted:
            return None
        return (Decimal(self.adopted) * 100 / self.submitted).quantize(Decimal("0.1"))

    @property
    def benefit_wan(self) -> Decimal:
        return (self.benefit / 10000).quantize(Decimal("0.01"))

    @property
    def rewards_wan(self) -> Decimal:
        return (self.rewards / 10000).quantize(Decimal("0.01"))
