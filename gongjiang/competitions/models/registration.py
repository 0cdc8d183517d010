"""Who takes part in a round: teams, entries (one contestant in one round, from registration to place and
prize) and the witnessed, reproducible draws that order them and give them their anonymous codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedQuerySet
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.scoping import scope_for

from ..choices import EntrySource, EntryStatus, Prize
from .common import hundredths
from .structure import Competition, Round

# ---------------------------------------------------------------------------------------------
# Entries and teams


class TeamQuerySet(ScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> TeamQuerySet:
        """The unit's cadres and the round's organisers (as for its entries)."""
        return scope_for(user, action).apply(self, "unit__", "round__organiser__",
                                             "round__event__competition__organiser__")


class Team(models.Model):
    """A unit's team in a team event: its selected contestants plus members drawn from the unit's roster."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teams")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=80)
    total = models.IntegerField(null=True, blank=True)  # hundredths: the sum of its members' totals
    place = models.PositiveIntegerField(null=True, blank=True)
    prize = models.CharField(max_length=10, choices=Prize.choices, blank=True)

    scope_via = "unit"
    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="team_round_unit_uniq")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Org:
        return self.unit


class EntryQuerySet(ScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> EntryQuerySet:
        """A unit's cadres see (and, before the deadline, change) their unit's entries; a round's organiser
        sees every entry of the round; a worker sees their own entries (action "self": only those)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        person_id = getattr(user, "person_id", None)
        own = Q(person_id=person_id) if person_id and action in {"view", "self"} else Q(pk__in=[])
        if action == "self":
            return self.filter(own)
        return scope_for(user, action).apply(self, "unit__", "round__organiser__",
                                             "round__event__competition__organiser__", also=own)


class Entry(models.Model):
    """One contestant in one round: registration, check-in codes (参赛号 → 赛位号 → 加密号), scores, place,
    prize and advancement. Scores are integer hundredths."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="competition_entries")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"),
                             help_text=_("The grassroots union that entered the worker."))
    city_path = models.CharField(max_length=8, blank=True, db_index=True)  # quotas and conflicts
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    status = models.CharField(_("status"), max_length=14, choices=EntryStatus.choices, default=EntryStatus.REGISTERED)
    source = models.CharField(_("source"), max_length=10, choices=EntrySource.choices, default=EntrySource.UNIT)
    advanced_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notes = models.JSONField(default=list, blank=True)  # eligibility reasons shown at registration
    contestant_no = models.CharField(_("contestant number"), max_length=12, blank=True)
    station_no = models.CharField(_("station"), max_length=12, blank=True)
    code = models.CharField(_("anonymous code"), max_length=12, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # the day the registration was accepted (registered, admitted from the waiting list, approved); cleared when
    # it is withdrawn or refused: the day it counts among the participants in the fact store (`figures`)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    theory = models.IntegerField(_("theory"), null=True, blank=True)
    practical = models.IntegerField(_("practical"), null=True, blank=True)
    total = models.IntegerField(_("total"), null=True, blank=True)
    time_used = models.PositiveIntegerField(_("time used (s)"), null=True, blank=True)
    aspect_marks = models.JSONField(default=dict, blank=True)  # {aspect code: hundredths}, for the analysis
    place = models.PositiveIntegerField(_("place"), null=True, blank=True)
    prize = models.CharField(_("prize"), max_length=10, choices=Prize.choices, blank=True)
    advanced = models.BooleanField(_("advanced"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "round"
    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="entry_round_person_uniq"),
            models.UniqueConstraint(fields=["round", "code"], condition=~Q(code=""), name="entry_code_uniq"),
            models.UniqueConstraint(fields=["round", "station_no"], condition=~Q(station_no=""),
                                    name="entry_station_uniq"),
            models.UniqueConstraint(fields=["round", "contestant_no"], condition=~Q(contestant_no=""),
                                    name="entry_number_uniq"),
        ]
        indexes = [
            models.Index(fields=["round", "status"], name="entry_round_status"),
            models.Index(fields=["round", "place"], name="entry_round_place"),
            models.Index(fields=["unit", "round"], name="entry_unit_round"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.round}" if self.person_id else str(self.pk)

    @property
    def audit_org(self) -> Org:
        return self.unit

    @property
    def total_display(self) -> Decimal | None:
        return hundredths(self.total)


# ---------------------------------------------------------------------------------------------
# Draws


DRAWN = {"contestant_no": _("contestant numbers"), "station": _("stations"), "code": _("anonymous codes"),
         "recheck": _("the re-check sample")}


def purpose_label(purpose: str) -> str:
    """What a draw's purpose ("round 12 / station") names, in words: 赛位号, 加密号, 团体队员…"""
    tail = purpose.rsplit("/", 1)[-1].strip()
    if tail.startswith("team "):
        return str(_("team members"))
    return str(DRAWN.get(tail, _("another purpose")))


class DrawQuerySet(ScopedQuerySet):
    def for_user(self, user: Any, action: str = "view") -> DrawQuerySet:
        """view: the draws of the rounds the user may open (`Round.objects.for_user(user, "open")`), and the
        competition-wide draws of the competitions they see: exactly what the draw pages show. Another action:
        the draws of the rounds and competitions where the user may do it."""
        rounds = Round.objects.for_user(user, "open" if action == "view" else action)
        return self.filter(Q(round__in=rounds)
                           | Q(round__isnull=True, competition__in=Competition.objects.for_user(user, action)))


class Draw(models.Model):
    """A witnessed, reproducible draw (rules.draws): its seed, witnesses, input list and result are kept,
    so anyone with access re-runs it and gets the same result. One draw per round and purpose."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="draws")
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.CASCADE, related_name="draws")
    purpose = models.CharField(_("purpose"), max_length=80)
    kind = models.CharField(max_length=10)  # rules.draws: shuffle, sample, numbers, codes
    params = models.JSONField(default=dict, blank=True)
    algorithm = models.CharField(max_length=40)
    seed = models.CharField(_("seed"), max_length=80)
    seed_parts = models.JSONField(default=list, blank=True)  # the server seed and the witnesses' numbers
    witnesses = models.JSONField(_("witnesses"), default=list)
    inputs = models.JSONField(_("input list"), default=list)
    input_digest = models.CharField(max_length=64)
    result = models.JSONField(_("result"), default=list)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    scope_via = "round"
    objects = DrawQuerySet.as_manager()

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        constraints = [
            models.UniqueConstraint(fields=["round", "purpose"], name="draw_round_purpose_uniq"),
            models.UniqueConstraint(fields=["competition", "purpose"], condition=Q(round__isnull=True),
                                    name="draw_competition_purpose_uniq"),
        ]

    def __str__(self) -> str:
        """车工 · 市级选拔赛 · 济南市总工会 的赛位号抽签 (what the timelines and the overview name it)."""
        return _("%(round)s: draw of %(what)s") % {"round": self.round if self.round_id else self.competition,
                                                   "what": purpose_label(self.purpose)}

    def as_record(self) -> dict[str, Any]:
        """The record `rules.draws.verify_record` re-runs."""
        return {"algorithm": self.algorithm, "kind": self.kind, "seed": self.seed, "purpose": self.purpose,
                "params": self.params, "inputs": self.inputs, "input_digest": self.input_digest,
                "result": self.result}

    @property
    def audit_org(self) -> Org:
        rnd = self.round  # no query without one
        return rnd.organiser if rnd is not None else self.competition.organiser
