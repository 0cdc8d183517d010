"""Labour competitions (劳动竞赛/立功竞赛): the competing units, the weighted indicators, the evaluation
periods, the evaluators' values, the stored period results and the appointed evaluators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org

from ..choices import PeriodKind, PeriodState
from .structure import Competition


class CompetingUnit(models.Model):
    """A unit competing in a labour competition (项目部, enterprise, 班组)."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="units")
    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=80)

    scope_via = "competition"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("competing unit")
        verbose_name_plural = _("competing units")
        constraints = [models.UniqueConstraint(fields=["competition", "name"], name="competing_unit_uniq")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A weighted indicator of a labour competition (进度, 质量, 安全, 创新, 节能减排); weights add up to 100."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=40)
    weight = models.PositiveSmallIntegerField(_("weight"))
    is_safety = models.BooleanField(_("safety (veto)"), default=False)

    scope_via = "competition"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["competition", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "code"], name="indicator_code_uniq")]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """An evaluation period (month or quarter) of a labour competition."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("kind"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.MONTH)
    label = models.CharField(_("period"), max_length=20)
    starts_on = models.DateField()
    ends_on = models.DateField()
    state = models.CharField(_("state"), max_length=8, choices=PeriodState.choices, default=PeriodState.OPEN)

    scope_via = "competition"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["competition", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["competition", "starts_on"], name="period_start_uniq")]

    def __str__(self) -> str:
        return self.label


class Evaluation(models.Model):
    """One evaluator's value (0–100) for one indicator of one unit in one period."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="evaluations")
    unit = models.ForeignKey(CompetingUnit, on_delete=models.CASCADE, related_name="evaluations")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=5, decimal_places=2)
    veto = models.BooleanField(_("serious safety accident"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "period"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["period", "unit", "indicator", "evaluator"],
                                               name="evaluation_uniq")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator} = {self.value}"


class PeriodResult(models.Model):
    """A unit's weighted score and place in a closed period (kept so the year's table reads rows, not marks)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(CompetingUnit, on_delete=models.CASCADE, related_name="results")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    place = models.PositiveIntegerField()
    vetoed = models.BooleanField(default=False)

    scope_via = "period"
    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="period_result_uniq")]

    def __str__(self) -> str:
        return f"{self.period} · {self.unit}: {self.score}"


class Evaluator(models.Model):
    """An account appointed by the organiser to evaluate the units of a labour competition (考评员): only
    appointed evaluators enter evaluations, each under their own name."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("account"))
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    appointed_at = models.DateTimeField(auto_now_add=True)

    scope_via = "competition"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        constraints = [models.UniqueConstraint(fields=["competition", "user"], name="evaluator_uniq")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def audit_org(self) -> Org:
        return self.competition.organiser
