"""What learners take: a challenge (闯关) is an ordered list of levels, each drawing its questions at random per
attempt; a knowledge contest (知识竞赛) is time-boxed and ranked. Both are a `Paper`: the banks it draws from, the
draw rules (`rules.draw`), the time limit, the pass mark, the attempts allowed and the partial credit of multiple
choice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Occupation, Org

from .banks import Bank


class PrizeField(models.JSONField):
    """The prizes in their order ({"一等奖": 10, "二等奖": 30, …}), stored as a list of [name, number] pairs: a
    PostgreSQL jsonb object keeps its keys in an order of its own (by length, then bytes: 一, 三, 二), not the
    order given, and a prize's place in the list is what it is given by."""

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            value = [[name, number] for name, number in value.items()]
        return super().get_prep_value(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        found = super().from_db_value(value, expression, connection)
        if isinstance(found, list):
            return {str(pair[0]): pair[1] for pair in found if isinstance(pair, list) and len(pair) == 2}
        return found


class Paper(models.Model):
    """The fields a level and a contest share.

    - `draw`: a list of rules, each {"count": n, "kinds": [...], "tags": [...], "difficulty": [...]} drawing n
      questions at random from the current questions of `banks` matching it (an empty list matches all), or
      {"questions": [ids]} for a fixed set in that order (`rules.draw.check` says what is wrong with one).
    - `time_limit`: seconds from the start, kept by the server (the page's clock only shows it).
    - `pass_mark`: percent of the maximum score; `max_attempts`: 0 for unlimited.
    - `partial`: percent of a multiple-choice question's score given for an answer missing correct options and
      choosing no wrong one (少选得分; 0 for all or nothing)."""

    banks = models.ManyToManyField(Bank, related_name="+", verbose_name=_("question banks"))
    draw = models.JSONField(_("draw rules"), default=list)
    time_limit = models.PositiveIntegerField(_("time limit (seconds)"), default=600)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=0)
    partial = models.PositiveSmallIntegerField(_("partial credit for an incomplete multiple choice (%)"), default=50)
    shuffle = models.BooleanField(_("shuffle questions and options"), default=True)

    class Meta:
        abstract = True

    @property
    def question_count(self) -> int:
        """How many questions each attempt gets (from the draw rules)."""
        total = 0
        for rule in self.draw or []:
            total += len(rule.get("questions") or []) or int(rule.get("count") or 0)
        return total


class Challenge(models.Model):
    """A level challenge (闯关) of a union: an ordered list of levels (`Level.number`), open to the workers of the
    union's subtree between `opens_on` and `closes_on` once published; clearing a level unlocks the next and earns
    its points; `badge` names what clearing every level earns."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser"))
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    trade = models.ForeignKey(Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("trade"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    badge = models.CharField(_("badge for clearing every level"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-opens_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> Org:
        return self.org

    def can_change(self, user: Actor) -> bool:
        return self.org.in_scope(user, "change")


class Level(Paper):
    """One level (关卡) of a challenge: its number (1 first), title, the points clearing it earns and an optional
    badge (徽章)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("title"), max_length=60)
    points = models.PositiveSmallIntegerField(_("points"), default=10)
    badge = models.CharField(_("badge"), max_length=40, blank=True)

    scope_via = "challenge"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["challenge", "number"]
        constraints = [models.UniqueConstraint(fields=["challenge", "number"], name="learning_level_number")]

    def __str__(self) -> str:
        return f"{self.challenge_id} · {self.number} {self.title}"

    @property
    def audit_org(self) -> Org:
        return self.challenge.org


class Contest(Paper):
    """A knowledge contest (知识竞赛) of a union, open to the workers of its subtree from `opens_at` to `closes_at`
    (an attempt started before `closes_at` runs to its own time limit); ranked by best score, then time; prizes by
    place (`prizes`: {"一等奖": 10, "二等奖": 30, …} the number of each, in order); results per unit."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser"))
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    published = models.BooleanField(_("published"), default=False)
    prizes = PrizeField(_("prizes"), default=dict, blank=True)
    results_published = models.BooleanField(_("results published"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("knowledge contest")
        verbose_name_plural = _("knowledge contests")
        ordering = ["-opens_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:contest_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    def can_change(self, user: Actor) -> bool:
        return self.org.in_scope(user, "change")


