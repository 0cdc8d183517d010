"""Judging: the judge pool, judges assigned to rounds, declared conflicts of interest, the marking scheme of
an event with its aspects, and the mark sheets and marks (a judge knows an entry only by its 加密号)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager, ScopedQuerySet
from gongjiang.orgs.models import Occupation, Org, Person

from ..choices import AspectKind, JudgeRole, SheetState
from .common import hundredths
from .registration import Entry
from .structure import Event, Round


class Judge(models.Model):
    """A judge of the pool kept by an org: an account, the unit they work in (conflicts of interest), the
    trades they may judge and their qualification (e.g. 国家职业技能鉴定考评员)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judge")
    pool = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="judges", verbose_name=_("judge pool of"))
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("works at"))
    name = models.CharField(_("name"), max_length=40)
    trades = models.ManyToManyField(Occupation, blank=True, related_name="+", verbose_name=_("trades"))
    qualification = models.CharField(_("qualification"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    scope_via = "pool"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Org:
        return self.pool


class RoundJudge(models.Model):
    """A judge assigned to a round, with a role (judge, chief judge, supervisor)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="judges")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=12, choices=JudgeRole.choices, default=JudgeRole.JUDGE)

    scope_via = "round"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        constraints = [models.UniqueConstraint(fields=["round", "judge"], name="round_judge_uniq")]

    def __str__(self) -> str:
        return f"{self.judge} · {self.get_role_display()}"

    @property
    def audit_org(self) -> Org:
        return self.round.organiser


class Conflict(models.Model):
    """A conflict of interest declared by hand (a relative, a former colleague): the judge never marks
    the person, or anyone of the unit."""

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=120)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    scope_via = "judge"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")

    def __str__(self) -> str:
        return self.reason

    @property
    def audit_org(self) -> Org:
        return self.judge.pool


class Scheme(models.Model):
    """The marking scheme of an event (rules.marking.Scheme): aspects grouped into criteria and sections,
    the judgement method and the order of rounding."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="scheme")
    expected_total = models.IntegerField(_("total marks"), default=10000)  # hundredths
    judgement_method = models.CharField(_("judgement method"), max_length=16, default="mean")
    trim = models.PositiveSmallIntegerField(_("marks trimmed at each end"), default=0)
    rounding_mode = models.CharField(_("rounding"), max_length=10, default="half_up")
    rounding_places = models.PositiveSmallIntegerField(_("decimals"), default=2)
    rounding_level = models.CharField(_("rounded at"), max_length=10, default="aspect")
    judges_per_entry = models.PositiveSmallIntegerField(_("judges per entry"), default=3)

    scope_via = "event"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("marking scheme")
        verbose_name_plural = _("marking schemes")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def audit_org(self) -> Org:
        return self.event.competition.organiser


class Aspect(models.Model):
    """One aspect (评分细则) of a scheme: a measurement or a judgement, with its maximum mark."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="aspects")
    section_code = models.CharField(max_length=12)
    section_name = models.CharField(max_length=80)
    criterion_code = models.CharField(max_length=12)
    criterion_name = models.CharField(max_length=80)
    code = models.CharField(_("code"), max_length=16)
    description = models.CharField(_("description"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=AspectKind.choices)
    max_mark = models.IntegerField(_("maximum mark"))  # hundredths
    step = models.IntegerField(_("step"), default=50)  # hundredths
    bands = models.JSONField(default=list, blank=True)  # tolerance: [[upto_deviation, mark], ...]
    deductions = models.JSONField(default=list, blank=True)  # deduction: [[item, amount], ...]
    order = models.PositiveIntegerField(default=0)

    scope_via = "scheme"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("aspect")
        verbose_name_plural = _("aspects")
        ordering = ["scheme", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="aspect_code_uniq")]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class SheetQuerySet(ScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> SheetQuerySet:
        """The sheets of the rounds the user organises (whatever the action, "view" included: a round seen from
        below or above shows its results, never its sheets), and a judge's own (`for_judge`)."""
        organised = Q(round__in=Round.objects.for_user(user, "change" if action == "view" else action).values("pk"))
        if action != "view" or not getattr(user, "is_authenticated", False):
            return self.filter(organised)
        return self.filter(organised | self._judging(user)).distinct()

    def for_judge(self, user: Any) -> SheetQuerySet:
        """A judge's own sheets (and, for a chief judge or supervisor, every sheet of their rounds)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(self._judging(user)).distinct()

    @staticmethod
    def _judging(user: Any) -> Q:
        own = Q(judge__judge__user=user)
        leading = Q(round__judges__judge__user=user, round__judges__role__in=[JudgeRole.CHIEF, JudgeRole.SUPERVISOR])
        return own | leading


class Sheet(models.Model):
    """One judge's mark sheet for one entry (known to the judge only by its anonymous code). Saved mark by
    mark; signed by the judge; verified and locked by the chief judge."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sheets")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sheets")
    judge = models.ForeignKey(RoundJudge, on_delete=models.PROTECT, related_name="sheets")
    state = models.CharField(_("state"), max_length=8, choices=SheetState.choices, default=SheetState.OPEN)
    signed_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    scope_via = "round"
    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("mark sheet")
        verbose_name_plural = _("mark sheets")
        constraints = [models.UniqueConstraint(fields=["entry", "judge"], name="sheet_entry_judge_uniq")]
        indexes = [models.Index(fields=["round", "state"], name="sheet_round_state")]

    def __str__(self) -> str:
        return f"{self.entry.code or self.entry_id} · {self.judge.judge.name}"

    @property
    def audit_org(self) -> Org:
        return self.round.organiser


class Mark(models.Model):
    """A judge's mark for one aspect of one sheet. `value` is the judge's number in hundredths (a mark, or
    a WorldSkills score 0–3); `raw` keeps a measurement's input (deviation, deduction counts, achieved)."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="marks")
    aspect = models.ForeignKey(Aspect, on_delete=models.PROTECT, related_name="+")
    value = models.IntegerField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "sheet"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [models.UniqueConstraint(fields=["sheet", "aspect"], name="mark_sheet_aspect_uniq")]

    def __str__(self) -> str:
        return f"{self.aspect.code}={hundredths(self.value)}"
