"""The organisation tree, people and membership, accounts, roles and scopes.

This app is the scoping root: `scoping.scope_for(user, action)` answers where a user may do what, and every
model of every app reads through `for_user` built on it (gongjiang/core/scoping.py).
"""

from __future__ import annotations

import datetime
import hashlib
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from gongjiang.core.ids import mask_mobile
from gongjiang.core.scoping import ScopedManager
from gongjiang.core.types import Actor

from . import rules
from .choices import (
    Education,
    Gender,
    Industry,
    MembershipStatus,
    OrgKind,
    Ownership,
    Political,
    Role,
    SkillGrade,
    TransferState,
)
from .scoping import ancestors, scope_for

# ---------------------------------------------------------------------------------------------
# Org tree


if TYPE_CHECKING:  # treebeard has no types: its queryset is a QuerySet of orgs
    _OrgQuerySetBase = models.QuerySet["Org"]
else:
    _OrgQuerySetBase = MP_NodeQuerySet


class OrgQuerySet(_OrgQuerySetBase):
    def for_user(self, user: Actor | None, action: str = "view") -> OrgQuerySet:
        return scope_for(user, action).apply(self)


if TYPE_CHECKING:  # likewise its manager: a manager of OrgQuerySet, with the tree operations declared below
    _OrgManagerBase = models.Manager.from_queryset(OrgQuerySet)
else:
    _OrgManagerBase = MP_NodeManager


class OrgManager(_OrgManagerBase):
    def get_queryset(self) -> OrgQuerySet:
        return OrgQuerySet(self.model, using=self._db).order_by("path")

    def for_user(self, user: Actor | None, action: str = "view") -> OrgQuerySet:
        return self.get_queryset().for_user(user, action)

    if TYPE_CHECKING:  # treebeard's MP_NodeManager does these (declared for the type checker only)
        def add_root(self, create_kwargs: dict[str, Any] | None = None, *, instance: Org | None = None) -> Org: ...
        def add_child(self, target: Org, create_kwargs: dict[str, Any] | None = None, *,
                      instance: Org | None = None) -> Org: ...
        def move(self, node: Org, target: Org, pos: str | None = None) -> None: ...
        def get_children(self, node: Org) -> OrgQuerySet: ...
        def get_parent(self, node: Org, update: bool = False) -> Org | None: ...


class Org(MP_Node):
    """A trade union organisation (工会组织) in the tree: from the provincial federation down to a team.

    Stored as a materialised path (`path`), so a subtree is one indexed prefix filter. An enterprise
    union may also be affiliated to an industry union; `industry_path` (inherited by its descendants)
    makes that second tree a prefix filter too."""

    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    node_order_by: list[str] = []
    # MP_Node's own fields, declared for the type checker (treebeard has no types).
    path: str
    depth: int
    numchild: int

    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    region_code = models.CharField(_("region code"), max_length=6, blank=True, db_index=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, blank=True)
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), default=0)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    industry_union = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="affiliates", verbose_name=_("industry union"))
    industry_path = models.CharField(max_length=255, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    # Pre-aggregated: people whose employer is this org (not its subtree); kept by counters.refresh().
    person_count = models.PositiveIntegerField(_("people"), default=0)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    front_line_count = models.PositiveIntegerField(_("front-line workers"), default=0, db_default=0)
    migrant_count = models.PositiveIntegerField(_("migrant workers"), default=0, db_default=0)
    # Pre-aggregated over the subtree (this org and every unit below it): see counters.py.
    tree_orgs = models.PositiveIntegerField(_("units"), default=1, db_default=1)
    tree_active = models.PositiveIntegerField(_("active units"), default=1, db_default=1)
    tree_people = models.PositiveIntegerField(_("people in the subtree"), default=0, db_default=0)
    tree_members = models.PositiveIntegerField(_("members in the subtree"), default=0, db_default=0)
    tree_front_line = models.PositiveIntegerField(_("front-line workers in the subtree"), default=0, db_default=0)
    tree_migrant = models.PositiveIntegerField(_("migrant workers in the subtree"), default=0, db_default=0)
    # Active units of each kind in the subtree (this org included): the overview's units by kind (counters.py).
    tree_province = models.PositiveIntegerField(default=0, db_default=0)
    tree_city = models.PositiveIntegerField(default=0, db_default=0)
    tree_industry = models.PositiveIntegerField(default=0, db_default=0)
    tree_county = models.PositiveIntegerField(default=0, db_default=0)
    tree_town = models.PositiveIntegerField(default=0, db_default=0)
    tree_grassroots = models.PositiveIntegerField(default=0, db_default=0)
    tree_department = models.PositiveIntegerField(default=0, db_default=0)
    tree_team = models.PositiveIntegerField(default=0, db_default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "self"  # the tree itself: for_user is the scope's own filter (regional and industry)
    objects: ClassVar[OrgManager[Org]] = OrgManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["path"], name="org_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["industry_path"], name="org_ipath_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name"], name="org_name"),
            # A level of the tree in path order: the children of an org (depth + 1 under its path), the roots.
            models.Index(fields=["depth", "path"], name="org_depth_path"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~Q(credit_code=""), name="org_credit_code_uniq"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Org:
        return self

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def ancestors_and_self(self) -> list[Org]:
        """Ancestors from the root down, then self: one query (the breadcrumb)."""
        paths = ancestors(self.path, include_self=False)
        above = list(Org.objects.filter(path__in=paths)) if paths else []
        return [*above, self]

    def covers_everything(self) -> bool:
        """The root of a single-province tree: its subtree is every row, so lists skip the filter."""
        return self.depth == 1 and not Org.objects.filter(depth=1).exclude(pk=self.pk).exists()

    def affiliate_totals(self, user: Actor | None = None) -> dict[str, int]:
        """Figures of the units affiliated to this industry union (outside its own regional subtree), from
        the subtree counters of each affiliated enterprise union: one small query, never a sum over people."""
        qs = Org.objects.filter(industry_path__startswith=self.path, industry_union__isnull=False).exclude(
            path__startswith=self.path).order_by()
        if user is not None:
            qs = scope_for(user).apply(qs)
        totals = qs.aggregate(units=models.Sum("tree_orgs"), active=models.Sum("tree_active"),
                              people=models.Sum("tree_people"), members=models.Sum("tree_members"),
                              front_line=models.Sum("tree_front_line"), migrant=models.Sum("tree_migrant"))
        return {k: v or 0 for k, v in totals.items()}

    def reach_totals(self, user: Actor | None = None) -> dict[str, int]:
        """Figures of everything this org reaches: its regional subtree and, for an industry union, its
        affiliated units (the scope a role on it covers)."""
        totals = {"units": self.tree_orgs, "active": self.tree_active, "people": self.tree_people,
                  "members": self.tree_members, "front_line": self.tree_front_line, "migrant": self.tree_migrant}
        if self.kind == OrgKind.INDUSTRY:
            for k, v in self.affiliate_totals(user).items():
                totals[k] += v
        return totals

    def in_scope(self, user: Actor, action: str = "view") -> bool:
        return scope_for(user, action).covers(self.path, self.industry_path)

    def get_absolute_url(self) -> str:
        return reverse("orgs:org_detail", args=[self.pk])

    def can_open(self, user: Actor) -> bool:
        """Whether `user` may open this org's page (the page reads `Org.objects.for_user(user)`: this is the same
        condition, asked of one org): what decides whether a breadcrumb or a unit's name is a link."""
        return self.in_scope(user, "view")

    def can_change(self, user: Actor) -> bool:
        return self.in_scope(user, "change")

    def can_manage(self, user: Actor) -> bool:
        return self.in_scope(user, "manage")

    def can_restructure(self, user: Actor) -> bool:
        """Deactivate, reactivate or move this org, or change its kind or industry union: only from a role on a
        union above it (`rules.can_restructure`); a role's own org may still have its details edited."""
        return rules.can_restructure(self.path, self.industry_path, scope_for(user, "change").roots)

    def restructure_refusal(self) -> str:
        """Why a role on this org itself may not deactivate, reactivate or move it (pages, the API and the services
        say the same)."""
        return _("Your role sits on %(org)s: only the union above it may deactivate, reactivate or move it, or "
                 "change its kind or industry union.") % {"org": self.name}

    @property
    def employs_people(self) -> bool:
        return self.kind in rules.EMPLOYER_KINDS

    @property
    def counts_members(self) -> bool:
        """Whether union members are counted here: members are held by the grassroots union (and summed by the
        unions above it); a department or team holds none — its workers' memberships are its union's, so its
        figure would read 0 beside its union's hundreds. Pages show "—" with that explanation instead."""
        return self.kind not in (OrgKind.DEPARTMENT, OrgKind.TEAM)

    def grassroots_union(self) -> Org | None:
        """The 基层工会 that this org (a department or team) belongs to, or itself."""
        if self.kind == OrgKind.GRASSROOTS:
            return self
        for org in reversed(self.ancestors_and_self()):
            if org.kind == OrgKind.GRASSROOTS:
                return org
        return None


# ---------------------------------------------------------------------------------------------
# Occupations (工种)


class Occupation(models.Model):
    """An occupation of the national classification (职业分类大典 2022), levels 1–4; trades are level 4."""

    code = models.CharField(_("code"), max_length=12, unique=True)  # 6-18-01-01
    name = models.CharField(_("name"), max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField()
    parent_code = models.CharField(max_length=12, blank=True)
    definition = models.TextField(blank=True)
    is_digital = models.BooleanField(default=False)
    is_green = models.BooleanField(default=False)

    scope_exempt = "reference data: the national occupation classification, the same for everybody"

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# ---------------------------------------------------------------------------------------------
# People


class PersonQuerySet(models.QuerySet["Person"]):
    def for_user(self, user: Actor | None, action: str = "view") -> PersonQuerySet:
        """People employed inside the user's scopes; a worker sees (and corrects, action "self") only
        themself."""
        person_id = getattr(user, "person_id", None)
        own = Q(pk=person_id) if person_id else Q(pk__in=[])
        if action == "self":
            return self.filter(own)
        return scope_for(user, action).apply(self, "employer__", also=own if action == "view" else None)


class Person(models.Model):
    """A worker (职工). The ID number is stored encrypted; `id_hash` (keyed HMAC) finds and de-duplicates."""

    name = models.CharField(_("name"), max_length=40, db_index=True)
    id_encrypted = models.TextField(editable=False)
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    mobile = models.CharField(_("mobile phone"), max_length=11, blank=True, db_index=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=10, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    political_status = models.CharField(_("political status"), max_length=20, choices=Political.choices,
                                        blank=True)
    employer = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="people", verbose_name=_("employer"))
    post = models.CharField(_("post"), max_length=60, blank=True)
    trade = models.ForeignKey(Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("trade"))
    skill_grade = models.PositiveSmallIntegerField(_("skill grade"), choices=SkillGrade.choices,
                                                   default=SkillGrade.NONE)
    is_front_line = models.BooleanField(_("front-line worker"), default=False)
    is_migrant = models.BooleanField(_("migrant worker"), default=False)
    employment_start = models.DateField(_("employed since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "employer"  # and, for "view", the worker's own record (PersonQuerySet)
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["employer", "id"], name="person_employer_id")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Org:
        return self.employer

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def id_number(self) -> str:
        """The clear ID number: only for roles allowed to see it (`can_see_id`); reading it is audited."""
        from gongjiang.core.crypto import decrypt

        return decrypt(self.id_encrypted)

    def age_on(self, day: datetime.date) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def can_change(self, user: Actor) -> bool:
        return self.employer.in_scope(user, "change")

    def can_see_id(self, user: Actor) -> bool:
        """Administrators of the person's subtree, and the person themself."""
        return self.employer.in_scope(user, "manage") or getattr(user, "person_id", None) == self.pk


class SkillGradeRecord(models.Model):
    """One certified skill grade of a person (history kept; the newest is `Person.skill_grade`)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="grade_records")
    grade = models.PositiveSmallIntegerField(_("skill grade"), choices=SkillGrade.choices)
    trade = models.ForeignKey(Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("trade"))
    certificate_no = models.CharField(_("certificate number"), max_length=40, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "person"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("skill grade record")
        verbose_name_plural = _("skill grade records")
        ordering = ["-certified_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_grade_display()}"


class Membership(models.Model):
    """A person's union membership (会籍), held in a grassroots union."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="membership")
    union = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="memberships",
                              verbose_name=_("grassroots union"))
    member_since = models.DateField(_("member since"), null=True, blank=True)
    card_no = models.CharField(_("membership card number"), max_length=30, blank=True)
    status = models.CharField(_("membership status"), max_length=20, choices=MembershipStatus.choices,
                              default=MembershipStatus.ACTIVE)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "person"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.person} @ {self.union}"

    @property
    def audit_org(self) -> Org:
        return self.union

    @property
    def in_good_standing(self) -> bool:
        return self.status == MembershipStatus.ACTIVE


class TransferQuerySet(models.QuerySet["MembershipTransfer"]):
    def for_user(self, user: Actor | None, action: str = "view") -> TransferQuerySet:
        """Transfers out of or into the user's scopes (both sides must see them)."""
        return scope_for(user, action).apply(self, "from_union__", "to_union__")


class MembershipTransfer(models.Model):
    """会籍转接: requested by the origin union, accepted or refused by the destination."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    from_union = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="transfers_out",
                                   verbose_name=_("from"))
    to_union = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to"))
    to_employer = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("new employer"))
    state = models.CharField(_("state"), max_length=20, choices=TransferState.choices,
                             default=TransferState.REQUESTED)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    requested_by = models.ForeignKey("User", null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey("User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    scope_via = "from_union"  # and the destination (TransferQuerySet)
    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership transfer")
        verbose_name_plural = _("membership transfers")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(state="requested"),
                                    name="one_open_transfer_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.from_union} → {self.to_union}"

    @property
    def audit_org(self) -> Org:
        return self.from_union

    def can_decide(self, user: Actor) -> bool:
        return self.state == TransferState.REQUESTED and self.to_union.in_scope(user, "change")

    def can_cancel(self, user: Actor) -> bool:
        return self.state == TransferState.REQUESTED and self.from_union.in_scope(user, "change")


# ---------------------------------------------------------------------------------------------
# Accounts and roles


class UserQuerySet(models.QuerySet["User"]):
    def for_user(self, user: Actor | None, action: str = "manage") -> UserQuerySet:
        """Accounts an admin manages: those holding a role inside the admin's subtree, or workers there."""
        scope = scope_for(user, action)
        if scope.roots is None:  # a superuser
            return self.all()
        if scope.is_empty:
            return self.none()
        grant_q = reduce(or_, [Q(grants__org__path__startswith=p) for p in scope.paths])
        workers = Q(person__isnull=False) & scope.q("person__employer__")  # Q() when everything
        return self.filter(grant_q | workers).distinct()


if TYPE_CHECKING:  # the type checker cannot follow UserManager.from_queryset: a user manager with `for_user`
    class _AccountManagerBase(UserManager["User"]):
        def for_user(self, user: Actor | None, action: str = "manage") -> UserQuerySet: ...
else:
    _AccountManagerBase = UserManager.from_queryset(UserQuerySet)


class AccountManager(_AccountManagerBase):
    """create_user() and friends, plus `for_user`."""


class User(AbstractUser):
    """An account: a cadre (with role grants on orgs) or a worker (linked to their Person record)."""

    full_name = models.CharField(_("full name"), max_length=40, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=11, unique=True, null=True, blank=True)
    person = models.OneToOneField(Person, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="account", verbose_name=_("worker record"))
    current_scope = models.ForeignKey(Org, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_via = "grants__org"  # and a worker's employer (UserQuerySet: the accounts an admin manages)
    objects: ClassVar[AccountManager] = AccountManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_worker(self) -> bool:
        return self.person_id is not None and not self.grants.exists()

    def can_manage_account(self, user: Actor) -> bool:
        """Whether `user` may disable, enable, reset or edit this account: every role it holds lies inside the
        user's manage scopes (a worker's account: the record's employer does); see `rules.manages_account`.
        Granting and revoking a role inside one's own subtree is a question about that org, not about the
        account (`rules.can_grant`)."""
        paths = scope_for(user, "manage").roots
        if paths is None:
            return True
        if not paths:
            return False
        role_paths = RoleGrant.objects.filter(user_id=self.pk).values_list("org__path", flat=True)
        employer = None
        if self.person_id:
            employer = Person.objects.filter(pk=self.person_id).values_list(
                "employer__path", "employer__industry_path").first()
        return rules.manages_account(paths, role_paths, employer, superuser=self.is_superuser)


class RoleGrant(models.Model):
    """A role held on an org; it covers the org's whole subtree (and its industry affiliates)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="grants", verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    revocable: bool  # not a field: set by the account page, whether its viewer may revoke the grant
    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} @ {self.org}"

    @property
    def audit_org(self) -> Org:
        return self.org


class LoginAttempt(models.Model):
    """A failed password check (a log-in, or a supervisor confirming a decryption), or the last successful one
    of an account from an address: what `throttle` counts to lock out the ADDRESS that guesses, never the account.

    `client` is where the attempt came from ("ip:198.51.100.7", an IPv6 /64, or "user:17" for a check made on
    behalf of a logged-in user); `target` is the account ("account:17") or, for a name matching no account, a
    hash of the name typed ("name:…"), so that both are throttled alike and nothing typed is stored. Failures
    are kept for the lock-out window, a success (one per account and address) for `throttle.KNOWN_DAYS`."""

    client = models.CharField(max_length=64)
    target = models.CharField(max_length=80)
    succeeded = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    scope_exempt = "a security log read only by the log-in throttle (addresses and hashed names, no union data)"

    class Meta:
        verbose_name = _("log-in attempt")
        verbose_name_plural = _("log-in attempts")
        indexes = [
            models.Index(fields=["client", "at"], name="login_attempt_client"),
            models.Index(fields=["target", "at"], name="login_attempt_target"),
            models.Index(fields=["at"], name="login_attempt_at"),
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.target} {'ok' if self.succeeded else 'failed'} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal API token: only its SHA-256 is stored; revocable; acts with its owner's scopes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    scope_exempt = "a personal credential, read only by its owner through request.user.api_tokens"

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_key(key: str) -> str:
        """What is stored of a key, and looked up: its SHA-256 (the clear key is shown once and never stored)."""
        return hashlib.sha256(key.encode()).hexdigest()


from .fact_models import Fact as Fact  # noqa: E402  the fact store's table (orgs/facts.py)
from .fact_models import Period as Period  # noqa: E402
