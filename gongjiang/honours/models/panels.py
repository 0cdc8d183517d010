"""Review panels (评审组): a level of a campaign asks a panel of members to score its nominations against weighted
criteria or to vote on them; members declare their conflicts of interest. The panel advises: its ranking, totals
and tallies are read by the level's cadres, who decide."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org

from ..rules import panels as rules
from .campaigns import Allocation, Campaign
from .nominations import Nomination


class PanelMode(models.TextChoices):
    SCORE = "score", _("Scoring")
    VOTE = "vote", _("Voting")


class VoteChoice(models.TextChoices):
    YES = rules.YES, _("In favour")
    NO = rules.NO, _("Against")
    ABSTAIN = rules.ABSTAIN, _("Abstain")


class Panel(models.Model):
    """A review panel of one level of a campaign (`allocation`: the province's total, a city's share…): it reviews
    the level's nominations (`queries.panels.panel_nominations`), by scoring against `criteria` ([{key, name, weight,
    max}], weights adding up to 100) or by voting; open until the level's cadres close it, when its scores and votes
    are frozen. The results are computed on read from the scores (three queries whatever the size, see
    `queries.panels.results`), so a closed panel's ranking is what its frozen scores give."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="panels")
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="panels",
                                   verbose_name=_("level"))
    name = models.CharField(_("panel name"), max_length=80)
    mode = models.CharField(_("review mode"), max_length=10, choices=PanelMode.choices)
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    scope_via = "allocation__org"  # the level's cadres and those above; members reach it through their membership
    objects = ScopedManager()

    class Meta:
        verbose_name = _("review panel")
        verbose_name_plural = _("review panels")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["allocation", "name"], name="panel_name_once")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("honours:panel_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.allocation.org

    @property
    def scoring(self) -> bool:
        return self.mode == PanelMode.SCORE

    @property
    def rule_criteria(self) -> list[rules.Criterion]:
        return rules.criteria_from(self.criteria)

    def can_manage(self, user: Actor) -> bool:
        """The level's cadres (and those above) set the panel up, change its members and close it."""
        return self.allocation.org.in_scope(user, "change")


class PanelMember(models.Model):
    """A member of a panel: an account of the level's reach (a cadre, an expert, a worker with an account); one of
    them chairs (组长) and reads the results with the level's cadres."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("account"))
    is_chair = models.BooleanField(_("chair"), default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    scope_via = "panel"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["-is_chair", "id"]
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="panel_member_once"),
                       models.UniqueConstraint(fields=["panel"], condition=Q(is_chair=True), name="panel_one_chair")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def audit_org(self) -> Org:
        return self.panel.allocation.org


class PanelConflict(models.Model):
    """A conflict of interest a member declared with a nomination (回避), with the reason: the member is shown no form
    for it and is left out of its result (and of the members entitled to vote on it). Kept after the panel closes:
    the record of why someone did not score. (A member whose own worker record lies in the nominating union is
    conflicted without declaring: `queries.panels` adds those.)"""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="conflicts")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    scope_via = "panel"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["member", "nomination"], name="panel_conflict_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.reason}"

    @property
    def audit_org(self) -> Org:
        return self.panel.allocation.org


class PanelScore(models.Model):
    """A member's points for a nomination, per criterion key ({"c1": 28, "c2": 35, …}), and their weighted total in
    hundredths (integer: cheaper to rank than numeric). Changed freely while the panel is open."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="+")
    points = models.JSONField(_("points"), default=dict)
    total_cents = models.PositiveIntegerField(_("total"))
    scored_at = models.DateTimeField(auto_now=True)

    scope_via = "panel"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("panel score")
        verbose_name_plural = _("panel scores")
        constraints = [models.UniqueConstraint(fields=["member", "nomination"], name="panel_score_once")]
        indexes = [models.Index(fields=["panel", "nomination"], name="panel_score_nomination")]

    def __str__(self) -> str:
        return f"{self.member} · {self.nomination_id}: {self.total_cents / 100}"

    @property
    def audit_org(self) -> Org:
        return self.panel.allocation.org


class PanelVote(models.Model):
    """A member's vote on a nomination (赞成/反对/弃权); changed freely while the panel is open."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    voted_at = models.DateTimeField(auto_now=True)

    scope_via = "panel"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("panel vote")
        verbose_name_plural = _("panel votes")
        constraints = [models.UniqueConstraint(fields=["member", "nomination"], name="panel_vote_once")]
        indexes = [models.Index(fields=["panel", "nomination"], name="panel_vote_nomination")]

    def __str__(self) -> str:
        return f"{self.member} · {self.nomination_id}: {self.choice}"

    @property
    def audit_org(self) -> Org:
        return self.panel.allocation.org
