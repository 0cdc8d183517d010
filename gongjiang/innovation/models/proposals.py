"""The proposal and what hangs off it, the reward policy and the appointments."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.files import StoredFile, stored_name
from gongjiang.core.scoping import ScopedManager, ScopedQuerySet, covers, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..choices import AttachmentKind, Category, Duty, Grade, Kind, Opinion, RewardMode, State
from ..rules import similarity, workflow
from ..rules.rewards import Policy


class Appointment(models.Model):
    """An account appointed to a union's innovation work: a valuator (评估员: the enterprise's engineers and
    technicians who value proposals) or a finance officer (财务核算: signs off the accounted benefit and may revise a
    locked forecast). It covers the union's subtree, like a role."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", verbose_name=_("union"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("account"))
    duty = models.CharField(_("duty"), max_length=10, choices=Duty.choices)
    active = models.BooleanField(_("active"), default=True)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    appointed_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [models.UniqueConstraint(fields=["org", "user", "duty"], name="innovation_appointment_uniq")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_duty_display()} · {self.org}"

    @property
    def audit_org(self) -> Org:
        return self.org


def holds_duty(user: Actor, duty: str, org: Org) -> bool:
    """Whether `user` holds an active appointment for `duty` on `org` or a union above it (a superuser always)."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    paths = Appointment.objects.filter(user_id=user.pk, duty=duty, active=True).values_list("org__path", flat=True)
    return any(covers(p, org.path) for p in paths)


def appointed_paths(user: Actor) -> list[str]:
    """The paths of the unions where `user` holds an active appointment (once per request)."""
    from gongjiang.core.scoping import memo

    pk: int | None = user.pk
    if pk is None:
        return []
    return memo(user, "innovation.appointed_paths", lambda: list(Appointment.objects.filter(
        user_id=pk, active=True).values_list("org__path", flat=True).distinct()))


class ProposalQuerySet(ScopedQuerySet["Proposal"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """Proposals whose unit lies in the user's scope for `action`; for "view" also the user's own (as proposer
        or co-proposer), those they were assigned to value, and those of the unions where they are appointed
        (a finance officer signs off what they can read)."""
        if user is None or not user.is_authenticated:
            return self.none()
        also = None
        if action == "view":
            also = Q(pk__in=Assignment.objects.filter(valuator_id=user.pk).values("proposal_id"))
            person_id = getattr(user, "person_id", None)
            if person_id:
                also |= Q(pk__in=Contributor.objects.filter(person_id=person_id).values("proposal_id"))
            for path in appointed_paths(user):
                also |= Q(unit__path__startswith=path)
        return scope_for(user, action).apply(self, "unit__", also=also)


class Proposal(models.Model):
    """A rationalization proposal, golden idea or five-small innovation (合理化建议 / 金点子 / 五小) written by a worker
    (with co-proposers), routed to their enterprise's union and its responsible department, valued by appointed
    valuators, adopted or not, implemented, its benefit accounted and rewarded, then archived. The state moves only
    through the verbs (rules.workflow); every step is an audit event (the timeline) and a message to the proposers."""

    title = models.CharField(_("proposal title"), max_length=120)
    problem = models.TextField(_("problem"))
    solution = models.TextField(_("proposal"))
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    category = models.CharField(_("proposal category"), max_length=12, choices=Category.choices)
    kind = models.CharField(_("proposal kind"), max_length=12, choices=Kind.choices, default=Kind.PROPOSAL)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    proposer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposer"))
    # indexed by proposal_unit_time and proposal_enterprise_state, which begin with them (one index less to write
    # per submission each)
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"), db_index=False)
    enterprise = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"),
                                   db_index=False)
    department = models.ForeignKey(Org, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("responsible department"))
    year = models.PositiveSmallIntegerField(_("year"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    score = models.PositiveSmallIntegerField(_("valuation score"), null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("reward grade"), choices=Grade.choices, null=True, blank=True)
    reward = models.DecimalField(_("reward (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Whether the yearly figures count it and its title is in the index: a worker's submission leaves it False (the
    # figures of the unions above are not locked, nor the index written, in the submission: counters.fold does both
    # within a minute, and the figures and the similarity look-up read the proposals not folded meanwhile); every
    # other writer counts and indexes its proposals itself.
    folded = models.BooleanField(default=True, editable=False)

    scope_via = "unit"  # and, for "view", the proposers' own and the assigned valuators' (ProposalQuerySet)
    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["enterprise", "state"], name="proposal_enterprise_state"),
            models.Index(fields=["unit", "-submitted_at"], name="proposal_unit_time"),
            models.Index(fields=["year", "state"], name="proposal_year_state"),
            models.Index(fields=["-submitted_at", "-id"], name="proposal_newest"),
            models.Index(fields=["year", "unit"], name="proposal_unfolded", condition=Q(folded=False)),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("innovation:proposal_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.unit

    @property
    def number(self) -> str:
        """The proposal's number as printed on forms and certificates: JY2026-000123."""
        return f"JY{self.year}-{self.pk:06d}"

    # -- permission questions (views and templates show buttons by them; the verbs check again)

    def can_change(self, user: Actor) -> bool:
        return self.unit.in_scope(user, "change")

    def can_accept(self, user: Actor) -> bool:
        return self.state == State.SUBMITTED and self.can_change(user)

    def can_assign(self, user: Actor) -> bool:
        return self.state in workflow.VALUATION_OPEN and self.can_change(user)

    def can_decide(self, user: Actor) -> bool:
        return self.state == State.EVALUATING and self.can_change(user)

    def can_implement(self, user: Actor) -> bool:
        return self.state == State.ADOPTED and self.can_change(user)

    def can_record_benefit(self, user: Actor) -> bool:
        return self.state == State.IMPLEMENTING and self.can_change(user)

    def can_sign_off(self, user: Actor) -> bool:
        return self.state == State.IMPLEMENTING and holds_duty(user, Duty.FINANCE, self.enterprise)

    def can_revise_forecast(self, user: Actor) -> bool:
        return self.state in workflow.FORECAST_LOCKED and holds_duty(user, Duty.FINANCE, self.enterprise)

    def can_pay(self, user: Actor) -> bool:
        return self.state == State.ACCOUNTED and self.can_change(user)

    def can_archive(self, user: Actor) -> bool:
        return workflow.allowed(self.state, State.ARCHIVED) and self.can_change(user)

    def is_contributor(self, user: Actor) -> bool:
        person_id: int | None = getattr(user, "person_id", None)
        if not person_id:
            return False
        return self.contributors.filter(person_id=person_id).exists()

    def can_attach(self, user: Actor) -> bool:
        """The proposers while the proposal is being valued; the union's cadres until it is archived."""
        if self.state == State.ARCHIVED:
            return False
        if self.can_change(user):
            return True
        return self.state in (State.SUBMITTED, *workflow.VALUATION_OPEN) and self.is_contributor(user)



class ProposalGram(models.Model):
    """One bigram of a proposal's title as its integer key (rules.similarity.title_codes), with the proposal's
    enterprise: the index by which the proposals most like a new one are found among a million without reading every
    title — newest first per bigram (the key), or within the enterprises of an asker's pool (the second index).
    Written with the proposal (`index_titles`), never changed (neither a title nor an enterprise is edited after
    submission)."""

    pk = models.CompositePrimaryKey("gram", "proposal")
    gram = models.BigIntegerField()
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    # DO_NOTHING: an enterprise with proposals cannot be deleted (Proposal.enterprise protects it), and no org
    # deletion should look through this table for rows
    enterprise = models.ForeignKey(Org, on_delete=models.DO_NOTHING, related_name="+", db_index=False)

    scope_via = "proposal__unit"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("proposal title index")
        verbose_name_plural = _("proposal title index")
        indexes = [models.Index(fields=["gram", "enterprise", "proposal"], name="proposal_gram_enterprise")]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.gram}"


def index_titles(proposals: Iterable[tuple[int, int, str]]) -> int:
    """Write the title index of new proposals, given as (id, enterprise id, title); returns the rows written."""
    from gongjiang.core.bulk import insert_rows

    return insert_rows(ProposalGram, ["gram", "proposal", "enterprise"], (
        (c, pk, enterprise) for pk, enterprise, title in proposals for c in similarity.title_codes(title)))


class Contributor(models.Model):
    """A proposer of a proposal: the lead (who submitted it) and the co-proposers (共同提出人), each with a share of
    the reward in percent (the shares add up to 100)."""

    # indexed by contributor_uniq, which begins with it
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contributors", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    share = models.PositiveSmallIntegerField(_("share (%)"))
    is_lead = models.BooleanField(_("lead proposer"), default=False)

    scope_via = "proposal"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("proposer")
        verbose_name_plural = _("proposers")
        ordering = ["-is_lead", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="contributor_uniq")]

    def __str__(self) -> str:
        return f"{self.person} {self.share}%"


class Assignment(models.Model):
    """A valuator's assignment to a proposal and, once given, their valuation: an opinion, a score (0–100) and a
    comment. Handing over (a valuator leaves) ends the assignment (`active` false) and assigns the successor."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    valuator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("valuator"))
    active = models.BooleanField(_("active"), default=True)
    opinion = models.CharField(_("opinion"), max_length=8, choices=Opinion.choices, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    valued_at = models.DateTimeField(_("valued at"), null=True, blank=True)

    scope_via = "proposal"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("valuator assignment")
        verbose_name_plural = _("valuator assignments")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "valuator"], condition=Q(active=True),
                                               name="assignment_active_uniq")]
        indexes = [models.Index(fields=["valuator", "active"], name="assignment_valuator")]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.valuator}"

    @property
    def audit_org(self) -> Org:
        return self.proposal.unit

    @property
    def is_open(self) -> bool:
        return self.active and self.valued_at is None and self.proposal.state == State.EVALUATING


class Benefit(models.Model):
    """The benefit accounting (效益核算) of an adopted proposal. The forecast is given at adoption and locked then:
    only a finance officer may revise it (with a reason). The actual benefit is recorded after implementation with
    evidence (attachments of kind "evidence") and signed off by a finance officer: hard benefit in yuan (gross
    saving or earning, minus the cost of implementing it: the net benefit the reward is computed from) and soft
    benefit in words (safety, quality, environment)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="benefit")
    forecast = models.DecimalField(_("forecast hard benefit (yuan)"), max_digits=14, decimal_places=2,
                                   default=Decimal(0))
    forecast_soft = models.TextField(_("forecast soft benefit"), blank=True)
    forecast_locked_at = models.DateTimeField(_("forecast locked at"), null=True, blank=True)
    gross = models.DecimalField(_("gross hard benefit (yuan)"), max_digits=14, decimal_places=2, null=True,
                                blank=True)
    cost = models.DecimalField(_("cost of implementation (yuan)"), max_digits=14, decimal_places=2, null=True,
                               blank=True)
    soft = models.TextField(_("soft benefit"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("signed off by"))
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    scope_via = "proposal"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("benefit accounting")
        verbose_name_plural = _("benefit accountings")

    def __str__(self) -> str:
        return str(self.proposal)

    @property
    def audit_org(self) -> Org:
        return self.proposal.unit

    @property
    def net(self) -> Decimal | None:
        if self.gross is None:
            return None
        return self.gross - (self.cost or Decimal(0))


class RewardPolicy(models.Model):
    """A union's reward policy (奖励办法), used for the proposals of its subtree that have no policy nearer to them;
    without any, the built-in default (rules.rewards.DEFAULT)."""

    org = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="+", verbose_name=_("union"))
    share_percent = models.DecimalField(_("share of the net benefit (%)"), max_digits=5, decimal_places=2)
    cap = models.DecimalField(_("cap per proposal (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    point_value = models.DecimalField(_("amount per point (yuan)"), max_digits=10, decimal_places=2)
    first_benefit = models.DecimalField(_("first grade from net benefit (yuan)"), max_digits=14, decimal_places=2)
    second_benefit = models.DecimalField(_("second grade from net benefit (yuan)"), max_digits=14, decimal_places=2)
    third_benefit = models.DecimalField(_("third grade from net benefit (yuan)"), max_digits=14, decimal_places=2)
    first_score = models.PositiveSmallIntegerField(_("first grade from score"))
    second_score = models.PositiveSmallIntegerField(_("second grade from score"))
    third_score = models.PositiveSmallIntegerField(_("third grade from score"))
    first_points = models.PositiveSmallIntegerField(_("points of the first grade"))
    second_points = models.PositiveSmallIntegerField(_("points of the second grade"))
    third_points = models.PositiveSmallIntegerField(_("points of the third grade"))
    encouragement_points = models.PositiveSmallIntegerField(_("points of an encouragement"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "org"
    objects = ScopedManager()

    FIELDS = ("share_percent", "cap", "point_value", "first_benefit", "second_benefit", "third_benefit",
              "first_score", "second_score", "third_score", "first_points", "second_points", "third_points",
              "encouragement_points")

    class Meta:
        verbose_name = _("reward policy")
        verbose_name_plural = _("reward policies")

    def __str__(self) -> str:
        return str(self.org)

    @property
    def audit_org(self) -> Org:
        return self.org

    def as_rule(self) -> Policy:
        return policy_of(self.__dict__)


def policy_of(data: dict[str, Any]) -> Policy:
    """A rules.rewards.Policy from the fields of a RewardPolicy (a row's or a form's)."""
    return Policy(
        share_percent=Decimal(data["share_percent"]), cap=None if data.get("cap") is None else Decimal(data["cap"]),
        point_value=Decimal(data["point_value"]),
        benefit_tiers=(Decimal(data["first_benefit"]), Decimal(data["second_benefit"]), Decimal(data["third_benefit"])),
        score_tiers=(int(data["first_score"]), int(data["second_score"]), int(data["third_score"])),
        grade_points=(int(data["encouragement_points"]), int(data["first_points"]), int(data["second_points"]),
                      int(data["third_points"])))


def policy_fields(p: Policy) -> dict[str, Any]:
    """The fields of a RewardPolicy for a rules.rewards.Policy (the default shown on an empty form)."""
    return {"share_percent": p.share_percent, "cap": p.cap, "point_value": p.point_value,
            "first_benefit": p.benefit_tiers[0], "second_benefit": p.benefit_tiers[1],
            "third_benefit": p.benefit_tiers[2], "first_score": p.score_tiers[0], "second_score": p.score_tiers[1],
            "third_score": p.score_tiers[2], "encouragement_points": p.grade_points[0],
            "first_points": p.grade_points[1], "second_points": p.grade_points[2], "third_points": p.grade_points[3]}


class RewardPayment(models.Model):
    """The reward ledger (奖励台账): one row per proposer paid for a proposal, their part of the reward (split by
    their shares), with the grade, the mode of calculation and the voucher number."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="payments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient"))
    enterprise = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    grade = models.PositiveSmallIntegerField(_("reward grade"), choices=Grade.choices)
    mode = models.CharField(_("calculation"), max_length=8, choices=RewardMode.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    voucher = models.CharField(_("voucher number"), max_length=40, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    paid_at = models.DateTimeField(_("paid at"))

    scope_via = "enterprise"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("reward payment")
        verbose_name_plural = _("reward payments")
        ordering = ["-paid_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.person} · {self.amount}"


def _upload_to(instance: Attachment, filename: str) -> str:
    return stored_name(f"innovation/{instance.proposal.year}", filename)


class Attachment(StoredFile):
    """A file of a proposal: material of the proposal (drawings, photos) or evidence of its benefit (财务凭证,
    检测报告). Type and size are checked (rules.attachments); served only through the scoped download view."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.MATERIAL)
    file = models.FileField(upload_to=_upload_to, max_length=200)

    scope_via = "proposal"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def get_absolute_url(self) -> str:
        return reverse("innovation:attachment", args=[self.proposal_id, self.pk])

    @property
    def audit_org(self) -> Org:
        return self.proposal.unit
