"""Achievement calls and their review (成果征集与评审): the call with its quotas, the achievements submitted to it
with their authors and files, the expert pool, the experts' declared conflicts and their reviews.

Scoping: a call is reached through its organising union (`org`). An achievement is seen by the unions over its
enterprise (who submitted it) and by the call's organiser and the unions above it (`AchievementQuerySet`); its
reviews only by the organiser — an expert reaches their own reviews through their account, never the achievement's
names or units (blind review: the reviewer's pages read `Review` rows and show the achievement's number, title and
text only). Everything else hangs off the call or the achievement and is scoped through them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager, ScopedQuerySet, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..choices import AchievementState, Award, AwardMode, CallLevel, CallState, Field, ReviewState
from ..rules import achievement_scoring as scoring
from ..rules import similarity
from .projects import Project
from .proposals import Proposal, StoredFile, stored_name


def _default_criteria() -> list[dict[str, Any]]:
    return [dict(c) for c in scoring.DEFAULT_CRITERIA]


def _default_shares() -> list[str]:
    return ["10", "20", "30"]


class Call(models.Model):
    """A call for innovation achievements (e.g. 2026年全省职工优秀技术创新成果征集) organised by a city union or the
    provincial federation: deadlines for submissions and for reviews, the fields it takes, the materials required,
    the review's criteria (key, label, maximum points), N reviewers per achievement, the spread above which the
    reviewers disagree, how awards follow from the ranking, the quotas per lower union, and the call of the next
    level its best are recommended to (a province call's best go to the national federation, recorded)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("organising union"))
    level = models.CharField(_("call level"), max_length=10, choices=CallLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("call title"), max_length=120)
    fields_taken = models.JSONField(_("fields"), default=list, blank=True)  # [] = every field
    materials = models.TextField(_("required materials"), blank=True)
    submit_until = models.DateField(_("submissions until"))
    review_until = models.DateField(_("reviews until"))
    per_achievement = models.PositiveSmallIntegerField(_("reviewers per achievement"), default=3)
    criteria = models.JSONField(_("review criteria"), default=_default_criteria)
    spread_limit = models.DecimalField(_("spread limit"), max_digits=5, decimal_places=2, default=Decimal(8))
    award_mode = models.CharField(_("award mode"), max_length=6, choices=AwardMode.choices, default=AwardMode.SHARE)
    award_levels = models.JSONField(_("award levels"), default=_default_shares)
    national_quota = models.PositiveSmallIntegerField(_("national recommendations"), default=0)
    recommend_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("recommends to"))
    state = models.CharField(_("state"), max_length=10, choices=CallState.choices, default=CallState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # When the results became final (finalise_call): the prizes count in the figures from that day (metrics.py).
    final_at = models.DateTimeField(_("results final at"), null=True, blank=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("achievement call")
        verbose_name_plural = _("achievement calls")
        indexes = [models.Index(fields=["org", "-year"], name="call_org_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("innovation:call_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    @property
    def criteria_list(self) -> list[scoring.Criterion]:
        return scoring.criteria_of(self.criteria)

    @property
    def levels(self) -> list[Decimal]:
        return [Decimal(str(v)) for v in self.award_levels]

    def takes(self, field: str) -> bool:
        return not self.fields_taken or field in self.fields_taken

    @property
    def is_collecting(self) -> bool:
        return self.state == CallState.OPEN and timezone.localdate() <= self.submit_until

    def can_change(self, user: Actor) -> bool:
        return self.org.in_scope(user, "change")


class CallQuota(models.Model):
    """How many achievements a lower union (a city for a provincial call; a county or an enterprise's union for a
    city's) may put into the call, submitted or recommended. A call with quotas takes nothing from a union outside
    them; a call without any takes any number."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="quotas")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("union"))
    quota = models.PositiveSmallIntegerField(_("quota"))

    scope_via = "call"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("call quota")
        verbose_name_plural = _("call quotas")
        constraints = [models.UniqueConstraint(fields=["call", "org"], name="call_quota_uniq")]

    def __str__(self) -> str:
        return f"{self.call_id} · {self.org_id}: {self.quota}"


class AchievementQuerySet(ScopedQuerySet["Achievement"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """Achievements whose enterprise lies in the user's scope for `action` (the unions that submitted them),
        or whose call's organiser does (the organiser and the unions above it)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return scope_for(user, action).apply(self, "enterprise__", "call__org__")


class Achievement(models.Model):
    """An innovation achievement submitted to a call by the union of its enterprise (or recommended from a lower
    call: `source`), with its authors, abstract, innovations and benefit, possibly the end of an innovation project
    (`project`) or of a proposal. The review gives it a mean score and spread per round, a rank and an award; the
    organiser may recommend it to the next level."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="achievements")
    title = models.CharField(_("achievement title"), max_length=120)
    title_key = models.CharField(max_length=120, editable=False)
    field = models.CharField(_("field"), max_length=12, choices=Field.choices)
    summary = models.TextField(_("summary"))
    innovations = models.TextField(_("innovations"))
    benefit = models.DecimalField(_("economic benefit (yuan)"), max_digits=14, decimal_places=2, default=Decimal(0))
    enterprise = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    city = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("city"))
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="achievements", verbose_name=_("from project"))
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("from proposal"))
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="recommended",
                               verbose_name=_("recommended from"))
    # What the experts read instead of the title, for a copy recommended from a lower call: that call's results are
    # public with the title and the authors, so the title would let a blind reviewer look the authors up. Empty: a
    # neutral name (`blind_title`); the submitting union may give a better one (`services.set_review_title`).
    review_title = models.CharField(_("title shown to the reviewers"), max_length=120, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=AchievementState.choices,
                             default=AchievementState.SUBMITTED)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    round = models.PositiveSmallIntegerField(_("review round"), default=1)
    score = models.DecimalField(_("mean score"), max_digits=6, decimal_places=2, null=True, blank=True)
    spread = models.DecimalField(_("spread"), max_digits=6, decimal_places=2, null=True, blank=True)
    disputed = models.BooleanField(_("disputed"), default=False)
    consensus = models.TextField(_("consensus note"), blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    award = models.PositiveSmallIntegerField(_("award"), choices=Award.choices, default=Award.NONE)
    award_reason = models.TextField(_("reason for the award change"), blank=True)
    national = models.BooleanField(_("recommended to the national federation"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))

    scope_via = "enterprise"  # and the call's organiser (AchievementQuerySet)
    objects = AchievementQuerySet.as_manager()

    class Meta:
        verbose_name = _("innovation achievement")
        verbose_name_plural = _("innovation achievements")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "enterprise", "title_key"], name="achievement_once_per_call"),
            models.UniqueConstraint(fields=["call", "project"], condition=Q(project__isnull=False),
                                    name="achievement_project_once"),
            models.UniqueConstraint(fields=["call", "source"], condition=Q(source__isnull=False),
                                    name="achievement_source_once"),
        ]
        indexes = [models.Index(fields=["call", "state", "rank"], name="achievement_call_rank")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title_key = key_of(self.title)
        if kwargs.get("update_fields") is not None and "title" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("innovation:achievement_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.enterprise

    @property
    def number(self) -> str:
        """The number reviewers see instead of names (blind review): CG2026-000123."""
        return f"CG{self.call.year}-{self.pk:06d}"

    @property
    def blind_title(self) -> str:
        """The title a blind reviewer reads: the achievement's own, except for a copy recommended from a lower call,
        whose published title (with its authors) must not be searchable by the reviewer — its `review_title`, or a
        neutral name by its field."""
        if self.source_id is None:
            return self.title
        return self.review_title or str(_("Recommended achievement in %(field)s") % {"field": self.get_field_display()})

    @property
    def benefit_wan(self) -> Decimal:
        return (self.benefit / 10000).quantize(Decimal("0.01"))


def key_of(title: str) -> str:
    """A title as compared for "submitted twice": normalised like the similarity index (width, case, punctuation
    and spaces folded)."""
    return similarity.normalise(title)[:120]


class AchievementAuthor(models.Model):
    """An author of an achievement (完成人), in the order printed on the certificate."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    order = models.PositiveSmallIntegerField(_("order"))

    scope_via = "achievement"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["achievement", "order"]
        constraints = [models.UniqueConstraint(fields=["achievement", "person"], name="achievement_author_uniq")]

    def __str__(self) -> str:
        return str(self.person)


def _achievement_upload_to(instance: AchievementFile, filename: str) -> str:
    return stored_name(f"innovation/achievements/{instance.achievement.call.year}", filename)


class AchievementFile(StoredFile):
    """A material of an achievement (申报书, drawings, test reports, proof of benefit), checked like every
    innovation file, stored under a random name, served only through the scoped download view."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_achievement_upload_to, max_length=200)

    scope_via = "achievement"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("achievement file")
        verbose_name_plural = _("achievement files")
        ordering = ["id"]


class Expert(models.Model):
    """An expert of a union's pool (评审专家库): an account (to log in and review), the person when they are a worker
    of the tree, their enterprise (for conflicts; none for an outside expert), title, specialities (fields) and the
    most reviews they take per call. A call draws on the pools of its organiser and of the unions above it."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("pool of"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("account"))
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    name = models.CharField(_("name"), max_length=60)
    enterprise = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("enterprise"))
    title = models.CharField(_("professional title"), max_length=60, blank=True)
    specialities = models.JSONField(_("specialities"), default=list)
    max_load = models.PositiveSmallIntegerField(_("most reviews per call"), default=15)
    active = models.BooleanField(_("active"), default=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [models.UniqueConstraint(fields=["org", "user"], name="expert_uniq")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Org:
        return self.org

    def speciality_labels(self) -> list[str]:
        return [str(Field(s).label) for s in self.specialities if s in Field.values]


class Declaration(models.Model):
    """A conflict of interest an expert declared in a call (回避申报): with one achievement, or with a person (a
    relative, a former colleague) — then every achievement that person wrote. With the reason; kept even after the
    review (the record of why someone did not review)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="declarations")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="declarations")
    achievement = models.ForeignKey(Achievement, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    scope_via = "call"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [models.CheckConstraint(
            condition=Q(achievement__isnull=True, person__isnull=False) | Q(achievement__isnull=False,
                                                                            person__isnull=True),
            name="declaration_one_subject")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.reason}"


class Review(models.Model):
    """An expert's review of an achievement in a round: assigned (automatically, kept, or pinned by the organiser
    with a reason), then submitted with a score per criterion and a comment, or abstained (a conflict declared on
    seeing it). Round 2 re-scores a disputed achievement after the consensus discussion; its totals replace the
    first round's."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reviews")
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="reviews")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("review round"), default=1)
    source = models.CharField(max_length=10, default="automatic")  # rules.review_assignment AUTOMATIC/KEPT/PINNED
    pin_reason = models.CharField(_("reason for the manual assignment"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.ASSIGNED)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    abstain_reason = models.CharField(_("reason for abstaining"), max_length=200, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    scope_via = "call"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["achievement", "round", "id"]
        constraints = [models.UniqueConstraint(fields=["achievement", "expert", "round"], name="review_uniq")]
        indexes = [models.Index(fields=["expert", "state"], name="review_expert_state")]

    def __str__(self) -> str:
        return f"{self.achievement_id} · {self.expert_id} · {self.round}"

    @property
    def audit_org(self) -> Org:
        return self.call.org
