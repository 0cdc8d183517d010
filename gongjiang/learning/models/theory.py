"""The online theory exam of a competition round (理论考试): the round lives in the competitions app, which this app
never imports; it is named by its id and reached through `core.registry` (theory_round, record_theory). The exam is
a `Paper` (banks, draw rules, time limit) with a window; the round's contestants take it (attempts of purpose
THEORY pointing here) and at closing the organiser sends each submitted attempt's score, scaled to 100, to the
round."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org

from ..choices import TheoryState
from .papers import Paper


class TheoryExam(Paper):
    """A round's online theory exam: `round_id` (the competitions round's id, from the registry: no foreign key
    across apps), its title as the round had it, the organiser (`org`, the round's), the window, the state, and
    who sent the scores to the round and when. One exam per round."""

    round_id = models.PositiveBigIntegerField(_("competition round"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    state = models.CharField(_("state"), max_length=10, choices=TheoryState.choices, default=TheoryState.DRAFT)
    sent_at = models.DateTimeField(_("scores sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("online theory exam")
        verbose_name_plural = _("online theory exams")
        ordering = ["-opens_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:theory_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    def can_change(self, user: Actor) -> bool:
        return self.org.in_scope(user, "change")
