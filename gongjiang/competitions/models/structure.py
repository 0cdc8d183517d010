"""The structure of a competition: the competition itself (赛事), its stages (基层赛 → 市级选拔赛 → 省级决赛),
its events (赛项, one trade each) and the rounds that run an event in a stage at one organising org (赛区),
with the querysets that scope them to a user."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjiang.core.scoping import ScopedManager, ScopedQuerySet
from gongjiang.orgs.models import Occupation, Org
from gongjiang.orgs.scoping import scope_for

from ..choices import CompetitionClass, CompetitionKind, CompetitionState, ContestGroup, Level, RoundState
from .common import reach_q, reaches_everything


class CompetitionQuerySet(ScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> CompetitionQuerySet:
        """view: organised inside, or above, the user's scopes (or their own unit); change/manage: organised
        inside the user's scopes with that right."""
        if action == "view":
            return self.filter(reach_q(user, "organiser"))
        return scope_for(user, action).apply(self, "organiser__")


class Competition(models.Model):
    """A competition (赛事): a skills competition with events per trade, or a labour competition of units."""

    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(pgettext_lazy("competition", "kind"), max_length=10, choices=CompetitionKind.choices,
                            default=CompetitionKind.SKILLS)
    organiser = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="competitions",
                                  verbose_name=_("organiser"))
    co_organisers = models.CharField(_("co-organisers"), max_length=300, blank=True,
                                     help_text=_("e.g. the provincial human resources department"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.PROVINCE)
    klass = models.PositiveSmallIntegerField(_("class"), choices=CompetitionClass.choices,
                                             default=CompetitionClass.CLASS2)
    state = models.CharField(_("state"), max_length=14, choices=CompetitionState.choices,
                             default=CompetitionState.PREPARING)
    description = models.TextField(_("description"), blank=True)
    registration_opens = models.DateField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateField(_("registration closes"), null=True, blank=True)
    exclusive = models.BooleanField(_("one event per worker"), default=True)
    fund_amount = models.DecimalField(_("competition fund (yuan)"), max_digits=14, decimal_places=2,
                                      default=Decimal("0"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "organiser"
    objects = CompetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Org:
        return self.organiser

    def can_change(self, user: Any) -> bool:
        return self.organiser.in_scope(user, "change")


class Stage(models.Model):
    """A stage of a competition (基层赛 → 市级选拔赛 → 省级决赛), run by orgs of one level. Its entries come
    from direct registration (when open) or from advancement out of the previous stage."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("run by"), max_length=12, choices=Level.choices)
    direct_registration = models.BooleanField(_("open to direct registration"), default=False)
    # How the best of each round advance to the next stage (rules.ranking.advancement):
    # {"mode": "top_n"|"percent", "n": 3, "percent": 20, "ties": "include"|"strict", "city_quotas": {org_id: n}}
    advancement = models.JSONField(_("advancement rule"), default=dict, blank=True)

    scope_via = "competition"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["competition", "order"]
        constraints = [models.UniqueConstraint(fields=["competition", "order"], name="stage_order_uniq")]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """An event (赛项): one trade (工种) and group, individual or team, with its eligibility rules, its
    theory:practical weights, tie-breaks, prize bands and re-check policy."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="events")
    trade = models.ForeignKey(Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("trade"))
    name = models.CharField(_("name"), max_length=80)
    group = models.CharField(_("group"), max_length=10, choices=ContestGroup.choices, default=ContestGroup.WORKERS)
    is_team = models.BooleanField(_("team event"), default=False)
    team_size = models.PositiveSmallIntegerField(_("team size"), default=1)
    team_drawn = models.PositiveSmallIntegerField(_("members drawn from the roster"), default=0)
    theory_weight = models.PositiveSmallIntegerField(_("theory weight"), default=30)
    practical_weight = models.PositiveSmallIntegerField(_("practical weight"), default=70)
    # eligibility (rules.eligibility.EventRules)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    age_reference_date = models.DateField(_("age reckoned on"), null=True, blank=True)
    min_grade = models.PositiveSmallIntegerField(_("lowest grade admitted"), null=True, blank=True)
    max_grade = models.PositiveSmallIntegerField(_("highest grade admitted"), null=True, blank=True)
    members_only = models.BooleanField(_("union members in good standing only"), default=True)
    front_line_only = models.BooleanField(_("front-line workers only"), default=False)
    exclude_leaders = models.BooleanField(_("enterprise leaders excluded"), default=True)
    unit_quota = models.PositiveIntegerField(_("entries per unit"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity per round"), null=True, blank=True)
    waitlist = models.BooleanField(_("waiting list when full"), default=True)
    requires_approval = models.BooleanField(_("organiser approval"), default=False)
    # results
    tie_breaks = models.JSONField(_("tie-breaks"), default=list, blank=True)  # e.g. ["practical", "time_used"]
    prize_rule = models.JSONField(_("prize bands"), default=dict, blank=True)
    recheck_top_percent = models.PositiveSmallIntegerField(_("re-check: top %"), default=30)
    recheck_sample_percent = models.PositiveSmallIntegerField(_("re-check: sample % of the rest"), default=15)
    order = models.PositiveSmallIntegerField(default=0)

    scope_via = "competition"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["competition", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_group_display()}）"

    @property
    def audit_org(self) -> Org:
        return self.competition.organiser


class RoundQuerySet(ScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> RoundQuerySet:
        """view: rounds organised inside or above the user's scopes (the Lixia cadre sees Jinan's round, the
        Qingdao cadre does not), and every round of a competition organised inside them; change: the round's
        organiser or the competition's organiser is inside the user's scopes with that right; open: the rounds
        whose running pages (registrations, draws, check-in, judges) the user may open — those they view whose
        organising org they reach too, so Qingdao never opens the Jinan round. Pages and API share this list."""
        if action == "open":
            return self.for_user(user, "view").filter(reach_q(user, "organiser"))
        if action == "view":
            if reaches_everything(user):
                return self.all()
            own = scope_for(user, "view").q("event__competition__organiser__")
            return self.filter(reach_q(user, "organiser") | own)
        return scope_for(user, action).apply(self, "organiser__", "event__competition__organiser__")


class Round(models.Model):
    """One event in one stage at one organising org (赛区): its entries, draws, judges, sheets, ranking."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rounds")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="rounds")
    organiser = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="competition_rounds",
                                  verbose_name=_("organised by"))
    state = models.CharField(_("state"), max_length=14, choices=RoundState.choices, default=RoundState.REGISTRATION)
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    starts_on = models.DateField(_("date"), null=True, blank=True)
    publicity_until = models.DateField(_("public notice until"), null=True, blank=True)
    decrypted_at = models.DateTimeField(null=True, blank=True)
    decrypted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    decryption_witness = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    ranked_at = models.DateTimeField(null=True, blank=True)
    # the day its results became final (`finalise_round`): the day the round counts as held in the fact store
    finalised_on = models.DateField(_("results final on"), null=True, blank=True)
    # The results' public notice (成绩公示), a core notice: its period and objections. `publicity_until` is the
    # planned last day before publication and a copy of the notice's last day after it.
    notice = models.OneToOneField("core.PublicNotice", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    scope_via = "organiser"
    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [models.UniqueConstraint(fields=["event", "stage", "organiser"], name="round_uniq")]

    def __str__(self) -> str:
        return f"{self.event.name} · {self.stage.name} · {self.organiser.display_name}"

    @property
    def audit_org(self) -> Org:
        return self.organiser

    @property
    def is_decrypted(self) -> bool:
        return self.decrypted_at is not None

    def can_change(self, user: Any) -> bool:
        return self.organiser.in_scope(user, "change") or self.event.competition.organiser.in_scope(user, "change")
