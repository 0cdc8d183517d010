"""Skills and labour competitions: structure, registration, draws, judging, results, prizes, promotion.

The unit of running a contest is the `Round`: one event (赛项, a trade), one stage (基层赛/市级选拔赛/省级决赛)
and one organising org (its 赛区: the Jinan round of the city qualifier). A round has its own entries,
judges, draws, anonymous codes, mark sheets and ranking; advancement takes the best of each round of a
stage into the next stage.

Scoping: the organiser of a competition (and of a round) manages it; cadres below the organiser see it
and register their people; a worker sees the competitions open to their unit and their own entries;
judges see only their own mark sheets, which carry the anonymous code (加密号) and never a name.
Marks are stored as integer hundredths (ranking on integers is faster than on numeric)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjiang.orgs.models import Occupation, Org, Person, scope_paths, scope_q

from .choices import (
    AppealState,
    AspectKind,
    CompetitionClass,
    CompetitionKind,
    CompetitionState,
    ContestGroup,
    EntrySource,
    EntryStatus,
    JudgeRole,
    Level,
    PeriodKind,
    PeriodState,
    Prize,
    PromotionState,
    RoundState,
    SheetState,
)

STEP = Org.steplen


def hundredths(value: int | None) -> Decimal | None:
    """An integer-hundredths mark as a Decimal with two places (None stays None)."""
    return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


def _prefixes(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def _worker_path(user: Any) -> str:
    """The employer path of a worker account ('' for a cadre without a person); cached for the request."""
    cache = user.__dict__.setdefault("_scope_cache", {})
    if "worker_path" not in cache:
        person_id = getattr(user, "person_id", None)
        cache["worker_path"] = (Person.objects.filter(pk=person_id).values_list("employer__path", flat=True)
                                .first() or "") if person_id else ""
    return cache["worker_path"]


def reach_q(user: Any, field: str) -> Q:
    """Rows whose org `field` is inside one of the user's view scopes, or above one of them, or above the
    worker's own unit: what a competition organised there means to this user (they may enter it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    paths = scope_paths(user, "view")
    if paths is None:
        return Q()
    q = scope_q(user, "view", prefix=f"{field}__") if paths else Q(pk__in=[])
    if not q:
        return q
    above = {p for path in paths for p in _prefixes(path)}
    worker = _worker_path(user)
    above.update(_prefixes(worker) if worker else [])
    if above:
        q |= Q(**{f"{field}__path__in": sorted(above)})
    return q


# ---------------------------------------------------------------------------------------------
# Competitions, events, stages, rounds


class CompetitionQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> CompetitionQuerySet:
        """view: organised inside, or above, the user's scopes (or their own unit); change/manage: organised
        inside the user's scopes with that right."""
        if action == "view":
            return self.filter(reach_q(user, "organiser"))
        return self.filter(scope_q(user, action, prefix="organiser__"))


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

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["competition", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_group_display()}）"

    @property
    def audit_org(self) -> Org:
        return self.competition.organiser


class RoundQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> RoundQuerySet:
        """view: rounds organised inside or above the user's scopes (the Lixia cadre sees Jinan's round, the
        Qingdao cadre does not), and every round of a competition organised inside them; change: the round's
        organiser or the competition's organiser is inside the user's scopes with that right."""
        if action == "view":
            own = scope_q(user, "view", prefix="event__competition__organiser__")
            reach = reach_q(user, "organiser")
            if not own or not reach:  # an empty Q: the user's scope is the whole tree
                return self.all()
            return self.filter(reach | own)
        return self.filter(scope_q(user, action, prefix="organiser__")
                           | scope_q(user, action, prefix="event__competition__organiser__"))


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


# ---------------------------------------------------------------------------------------------
# Entries and teams


class Team(models.Model):
    """A unit's team in a team event: its selected contestants plus members drawn from the unit's roster."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teams")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=80)
    total = models.IntegerField(null=True, blank=True)  # hundredths: the sum of its members' totals
    place = models.PositiveIntegerField(null=True, blank=True)
    prize = models.CharField(max_length=10, choices=Prize.choices, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="team_round_unit_uniq")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Org:
        return self.unit


class EntryQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> EntryQuerySet:
        """A unit's cadres see (and, before the deadline, change) their unit's entries; a round's organiser
        sees every entry of the round; a worker sees their own entries."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        unit = scope_q(user, action, prefix="unit__")
        organiser = scope_q(user, action, prefix="round__organiser__") | scope_q(
            user, action, prefix="round__event__competition__organiser__")
        person_id = getattr(user, "person_id", None)
        own = Q(person_id=person_id) if person_id and action in {"view", "self"} else Q(pk__in=[])
        if action == "self":
            return self.filter(own)
        if not unit or not organiser:  # a whole-tree scope
            return self.all()
        return self.filter(unit | organiser | own)


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

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        constraints = [
            models.UniqueConstraint(fields=["round", "purpose"], name="draw_round_purpose_uniq"),
            models.UniqueConstraint(fields=["competition", "purpose"], condition=Q(round__isnull=True),
                                    name="draw_competition_purpose_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk}"

    def as_record(self) -> dict[str, Any]:
        """The record `rules.draws.verify_record` re-runs."""
        return {"algorithm": self.algorithm, "kind": self.kind, "seed": self.seed, "purpose": self.purpose,
                "params": self.params, "inputs": self.inputs, "input_digest": self.input_digest,
                "result": self.result}

    @property
    def audit_org(self) -> Org:
        return self.round.organiser if self.round_id else self.competition.organiser


# ---------------------------------------------------------------------------------------------
# Judging


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

    class Meta:
        verbose_name = _("aspect")
        verbose_name_plural = _("aspects")
        ordering = ["scheme", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="aspect_code_uniq")]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class SheetQuerySet(models.QuerySet):
    def for_judge(self, user: Any) -> SheetQuerySet:
        """A judge's own sheets (and, for a chief judge or supervisor, every sheet of their rounds)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        own = Q(judge__judge__user=user)
        leading = Q(round__judges__judge__user=user, round__judges__role__in=[JudgeRole.CHIEF, JudgeRole.SUPERVISOR])
        return self.filter(own | leading).distinct()


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

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [models.UniqueConstraint(fields=["sheet", "aspect"], name="mark_sheet_aspect_uniq")]

    def __str__(self) -> str:
        return f"{self.aspect.code}={hundredths(self.value)}"


# ---------------------------------------------------------------------------------------------
# Appeals, promotions, certificates


class Appeal(models.Model):
    """An objection to a published result (申诉), filed within the public-notice window; the arbitration
    decision may re-mark the entry, after which ranks, prizes and advancement are recomputed."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="appeals")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=AppealState.choices, default=AppealState.FILED)
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_state_display()}"

    @property
    def audit_org(self) -> Org:
        return self.entry.round.organiser


class Promotion(models.Model):
    """A grade promotion earned by a result: proposed by the rules, approved by the organiser, then
    written into the person's grade history."""

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="promotion")
    current_grade = models.PositiveSmallIntegerField()
    proposed_grade = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=40, blank=True)  # e.g. 山东省技术能手
    state = models.CharField(_("state"), max_length=10, choices=PromotionState.choices,
                             default=PromotionState.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("grade promotion")
        verbose_name_plural = _("grade promotions")

    def __str__(self) -> str:
        return f"{self.entry.person.name} → {self.proposed_grade}"

    @property
    def audit_org(self) -> Org:
        return self.entry.round.organiser


class Certificate(models.Model):
    """A prize certificate (获奖证书) with a public verification token (the QR code's link)."""

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    token = models.CharField(max_length=32, unique=True)
    prize = models.CharField(_("prize"), max_length=10, choices=Prize.choices)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    @property
    def audit_org(self) -> Org:
        return self.entry.round.organiser


# ---------------------------------------------------------------------------------------------
# Labour competitions (劳动竞赛/立功竞赛)


class CompetingUnit(models.Model):
    """A unit competing in a labour competition (项目部, enterprise, 班组)."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="units")
    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=80)

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

    class Meta:
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        constraints = [models.UniqueConstraint(fields=["competition", "user"], name="evaluator_uniq")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def audit_org(self) -> Org:
        return self.competition.organiser
