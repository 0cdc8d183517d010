"""Workers' technical associations (职工技协): the association of a union, its members with their qualifying honours,
its councils (理事会) per term with their seats, its activities (技术交流、岗位练兵 and the 四技服务 contracts); their
figures are in the fact store (metrics `innovation.tech_*`, kept by the verbs through techassoc_counters).

A parallel registry, not an org kind: an association belongs to exactly one union (`org`, one to one) and is scoped
through it (`scope_via = "org"`), so the union's cadres and those above see it and nothing else does; its place in
the network is derived from the union tree (rules.techassoc.network_parent), never stored. Everything hanging off an
association is scoped through it. docs/architecture.md says why."""

from __future__ import annotations

from decimal import Decimal
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager, ScopedQuerySet, memo, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..choices import ActivityKind, ActivityState, AssociationState, Duty, Honour, Post
from ..rules import techassoc as rules
from .proposals import Appointment, holds_duty

OFFICER_ACTIONS = ("view", "change")  # what an appointed officer does in their association's subtree


def officer_paths(user: Actor) -> list[str]:
    """The paths of the unions where `user` is an appointed technical association officer (once per request)."""
    pk: int | None = user.pk
    if pk is None:
        return []
    return memo(user, "innovation.techassoc_paths", lambda: list(Appointment.objects.filter(
        user_id=pk, duty=Duty.TECHASSOC, active=True).values_list("org__path", flat=True).distinct()))


class TechAssociationQuerySet(ScopedQuerySet["TechAssociation"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """Associations whose union lies in the user's scope for `action`; for "view" and "change" also those of
        the subtrees where the user is an appointed officer."""
        if user is None or not user.is_authenticated:
            return self.none()
        also = None
        if action in OFFICER_ACTIONS:
            for path in officer_paths(user):
                also = Q(org__path__startswith=path) if also is None else also | Q(org__path__startswith=path)
        return scope_for(user, action).apply(self, "org__", also=also)


class TechAssociation(models.Model):
    """A workers' technical association (职工技术协会) of a union — the province's, a city's, a county's or a
    larger enterprise's: its profile (name, founding day, registration with the civil affairs bureau, address,
    contact), whether it is active or dissolved (with the reason), and its own counters (members now, activities
    held) kept by the verbs for the network page."""

    org = models.OneToOneField(Org, on_delete=models.PROTECT, related_name="tech_association",
                               verbose_name=_("union"))
    name = models.CharField(_("association name"), max_length=80)
    founded_on = models.DateField(_("founded on"))
    registration_no = models.CharField(_("registration number"), max_length=40, blank=True,
                                       help_text=_("With the civil affairs bureau, if registered."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact person"), max_length=40, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=AssociationState.choices,
                             default=AssociationState.ACTIVE)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolved_reason = models.TextField(_("reason for dissolving"), blank=True)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    activity_count = models.PositiveIntegerField(_("activities held"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "org"  # and, for "view" and "change", the appointed officers' subtrees (TechAssociationQuerySet)
    objects = TechAssociationQuerySet.as_manager()

    class Meta:
        verbose_name = _("technical association")
        verbose_name_plural = _("technical associations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("innovation:techassoc_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    @property
    def is_active(self) -> bool:
        return self.state == AssociationState.ACTIVE

    # -- permission questions (views and templates show forms by them; the verbs check again)

    def can_run(self, user: Actor) -> bool:
        """Registers members, councils and activities: a union cadre with "change" on the association's union, or
        an officer appointed on it or a union above it."""
        return self.org.in_scope(user, "change") or holds_duty(user, Duty.TECHASSOC, self.org)

    def can_change(self, user: Actor) -> bool:
        """`can_run`, while the association is active."""
        return self.is_active and self.can_run(user)


class TechMember(models.Model):
    """A worker's membership of an association: the trade and speciality, joined and left (with the reason). A person
    is a member of one association at a time (the partial unique index); joining another is a transfer, which ends
    this membership (`transferred_to`) and starts the next one (`transferred_from`) with the honours copied."""

    association = models.ForeignKey(TechAssociation, on_delete=models.PROTECT, related_name="members",
                                    verbose_name=_("technical association"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    trade = models.CharField(_("trade"), max_length=40)
    speciality = models.CharField(_("speciality"), max_length=80, blank=True)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    transferred_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("transferred from"))
    transferred_to = models.ForeignKey(TechAssociation, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("transferred to"))

    scope_via = "association"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("association member")
        verbose_name_plural = _("association members")
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(left_on__isnull=True),
                                               name="techmember_one_association")]
        indexes = [models.Index(fields=["association", "left_on"], name="techmember_assoc_left")]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.association}"

    @property
    def audit_org(self) -> Org:
        return self.association.org

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class MemberHonour(models.Model):
    """An honour or title that qualifies a member (金牌工人, 能工巧匠, 首席员工, 技术能手, 劳动模范,
    高级技师…): the year it was awarded and the body that conferred it, as text (the honours app will feed
    these through a registry)."""

    member = models.ForeignKey(TechMember, on_delete=models.CASCADE, related_name="honours")
    honour = models.CharField(_("honour"), max_length=20, choices=Honour.choices)
    year = models.PositiveSmallIntegerField(_("year awarded"))
    conferred_by = models.CharField(_("conferred by"), max_length=80, blank=True)

    scope_via = "member"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("member honour")
        verbose_name_plural = _("member honours")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "honour"], name="techmember_honour_uniq")]

    def __str__(self) -> str:
        return f"{self.get_honour_display()} {self.year}"


class Council(models.Model):
    """An association's council (理事会) for one term (第N届): its first and last day. Exactly one council is current;
    a new term closes the current one (its last day becomes the day before the new term, if it was later)."""

    association = models.ForeignKey(TechAssociation, on_delete=models.PROTECT, related_name="councils")
    number = models.PositiveSmallIntegerField(_("term number"))
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    current = models.BooleanField(_("current term"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "association"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["association", "number"], name="council_term_uniq"),
            models.UniqueConstraint(fields=["association"], condition=Q(current=True), name="council_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.association} · {self.number}"

    @property
    def audit_org(self) -> Org:
        return self.association.org

    def term(self) -> rules.Term:
        return rules.Term(self.number, self.starts_on, self.ends_on)


class Seat(models.Model):
    """A member's seat on a council, with the post: 理事长 (exactly one per council), 副理事长, 秘书长,
    常务理事, 理事."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(TechMember, on_delete=models.PROTECT, related_name="seats",
                               verbose_name=_("member"))
    post = models.CharField(_("council post"), max_length=12, choices=Post.choices)

    scope_via = "council"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("council seat")
        verbose_name_plural = _("council seats")
        constraints = [
            models.UniqueConstraint(fields=["council", "member"], name="seat_member_uniq"),
            models.UniqueConstraint(fields=["council"], condition=Q(post="chair"), name="seat_one_chair"),
        ]

    def __str__(self) -> str:
        return f"{self.member.person.name} · {self.get_post_display()}"


class Activity(models.Model):
    """An association's activity: a technical exchange, an on-the-job drill, or one of the four technical services
    for enterprises (四技服务: service, consulting, development, transfer), which has a client enterprise and a
    contract value (yuan; shown in 万元) and is closed with its outcome. planned → held (→ closed). The unit is where
    it was held or whom it served inside the association's scope; the members involved are the association's."""

    association = models.ForeignKey(TechAssociation, on_delete=models.PROTECT, related_name="activities",
                                    verbose_name=_("technical association"))
    kind = models.CharField(_("activity kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("activity title"), max_length=120)
    held_on = models.DateField(_("activity date"))
    year = models.PositiveSmallIntegerField(_("year"))
    place = models.CharField(_("activity place"), max_length=120, blank=True)
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("host unit"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    client = models.CharField(_("client enterprise"), max_length=120, blank=True)
    value = models.DecimalField(_("contract value (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ActivityState.choices,
                             default=ActivityState.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "association"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("association activity")
        verbose_name_plural = _("association activities")
        indexes = [models.Index(fields=["association", "-held_on"], name="techactivity_assoc_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> Org:
        return self.association.org

    @property
    def is_four_services(self) -> bool:
        return rules.is_four_services(self.kind)

    @property
    def value_wan(self) -> Decimal | None:
        return None if self.value is None else rules.wan(self.value)

    def next_states(self) -> tuple[str, ...]:
        return rules.next_states(self.kind, self.state)


class ActivityMember(models.Model):
    """A member involved in an activity (the association's own members)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="involved")
    member = models.ForeignKey(TechMember, on_delete=models.PROTECT, related_name="+")

    scope_via = "activity"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("member involved")
        verbose_name_plural = _("members involved")
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="activity_member_uniq")]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.member_id}"
