"""The fact store's one table (gongjiang/orgs/facts.py says how it is written and read)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager


class Period(models.TextChoices):
    DAY = "D", _("day")
    MONTH = "M", _("month")
    YEAR = "Y", _("year")


class Fact(models.Model):
    """One figure of one org for one period: `value` of `metric` (e.g. "learning.attempts") over the org's whole
    reach — itself, its regional subtree and, for an industry union, its affiliated units — in the day, month or
    year beginning on `start`. Written only by `facts.add` (the apps' verbs) and `facts.rebuild`; a dashboard reads
    a few of these rows, never the raw rows they count."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation"))
    metric = models.CharField(_("metric"), max_length=48)
    period = models.CharField(_("period"), max_length=1, choices=Period.choices)
    start = models.DateField(_("period start"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2, default=Decimal(0))

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        # the one index every reader uses: an org's metrics of a period (tiles), an org's metrics over periods
        # (trends), a list of orgs' metrics for a period (the breakdown by child) — one index descent per org, its
        # metrics of the period being adjacent; on PostgreSQL it holds the value too (INCLUDE, made by migration
        # 0008: index-only reads), which Django's constraint cannot say without dropping the index on SQLite
        constraints = [models.UniqueConstraint(fields=["org", "period", "start", "metric"], name="orgs_fact_once")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.metric} {self.period}{self.start:%Y-%m-%d} = {self.value}"
