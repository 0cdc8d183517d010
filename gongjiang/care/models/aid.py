"""Aid programmes and their cycles (帮扶项目与批次), modelled on social-protection registries (registry → eligibility
→ programme cycles → entitlements → payments): a programme's eligibility and amount rules are data (rules/), a
cycle builds the list of entitlements over the archive, each level adjusts it within its budget, the owner approves,
payments go out in bank batches or in cash / in kind against a signature, and are reconciled."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org

from ..choices import (
    CycleState,
    EntitlementState,
    JobKind,
    JobOutcome,
    PaymentMethod,
    PaymentState,
    ProgrammeKind,
)
from .files import CareQuerySet, HouseholdFile


class Programme(models.Model):
    """A programme of an org (the province, a city, a county): its kind, its eligibility over the archive and its
    amount rule as data (validated by rules.eligibility / rules.amounts), and its period."""

    name = models.CharField(_("programme name"), max_length=100)
    kind = models.CharField(_("programme kind"), max_length=10, choices=ProgrammeKind.choices)
    owner = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("owning union"))
    eligibility = models.JSONField(_("eligibility"), default=dict)
    amount_rule = models.JSONField(_("amount rule"), default=dict)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "owner"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("aid programme")
        verbose_name_plural = _("aid programmes")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("care:programme_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.owner


class Cycle(models.Model):
    """One round of a programme (2027年春节送温暖): 草拟 → 名单确认 → 已批准 → 发放中 → 已对账."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cycles")
    name = models.CharField(_("cycle name"), max_length=100)
    owner = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("owning union"))
    state = models.CharField(_("state"), max_length=10, choices=CycleState.choices, default=CycleState.DRAFT)
    year = models.PositiveSmallIntegerField(_("year"))
    built_at = models.DateTimeField(null=True, blank=True)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "owner"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("aid cycle")
        verbose_name_plural = _("aid cycles")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("care:cycle_board", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.owner


class Budget(models.Model):
    """What an org may spend in a cycle, allocated down the tree: the owner's budget, split to cities, counties…;
    the allocations under an org never exceed its own budget, and the entitlements under it never either."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="budgets")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("union"))
    amount = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("cycle budget")
        verbose_name_plural = _("cycle budgets")
        constraints = [models.UniqueConstraint(fields=["cycle", "org"], name="care_budget_once")]

    def __str__(self) -> str:
        return f"{self.org.display_name} {self.amount}"

    @property
    def audit_org(self) -> Org:
        return self.org


class EntitlementQuerySet(CareQuerySet):
    pass


class Entitlement(models.Model):
    """A household on a cycle's list with its amount and the reasons it is eligible; removed (never deleted once the
    list is built by hand) with the reason and the level that removed it. One per file and cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="entitlements")
    file = models.ForeignKey(HouseholdFile, on_delete=models.PROTECT, related_name="entitlements")
    union = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise union"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=EntitlementState.choices,
                             default=EntitlementState.LISTED)
    reasons = models.JSONField(_("reasons"), default=list)
    added_by_org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("added by"))
    add_reason = models.CharField(_("reason of the addition"), max_length=400, blank=True)
    removed_by_org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("removed by"))
    remove_reason = models.CharField(_("reason of the removal"), max_length=400, blank=True)

    scope_via = "union"
    objects = EntitlementQuerySet.as_manager()

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["cycle", "union", "id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "file"], name="care_entitlement_once")]
        indexes = [models.Index(fields=["cycle", "state", "union"], name="care_ent_cycle_union")]

    def __str__(self) -> str:
        return _("Household file no. %(no)s") % {"no": self.file_id}

    @property
    def audit_org(self) -> Org:
        return self.union


class PaymentBatch(models.Model):
    """A bank transfer batch of one org's entitlements in a cycle, exported to Excel for the bank."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="batches")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("paying union"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-id"]

    def __str__(self) -> str:
        return _("Payment batch no. %(no)s") % {"no": self.pk}

    @property
    def audit_org(self) -> Org:
        return self.org


class Payment(models.Model):
    """A payment of an entitlement: by bank transfer in a batch (sent → paid / failed from the bank's return), or in
    cash / in kind against the recipient's signature (paid when recorded). Nobody is paid twice in a cycle: one
    payment per cycle and file (a failed transfer is paid again on the same row)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="payments")
    file = models.ForeignKey(HouseholdFile, on_delete=models.PROTECT, related_name="+")
    entitlement = models.OneToOneField(Entitlement, on_delete=models.PROTECT, related_name="payment")
    union = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(PaymentBatch, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="payments")
    method = models.CharField(_("payment method"), max_length=8, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    state = models.CharField(_("state"), max_length=8, choices=PaymentState.choices)
    reference = models.CharField(_("payment reference"), max_length=20, unique=True)
    account_encrypted = models.TextField(blank=True, editable=False)
    account_masked = models.CharField(_("bank account"), max_length=24, blank=True)
    account_name = models.CharField(_("account holder"), max_length=40, blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=40, blank=True)
    signature_note = models.CharField(_("signature record"), max_length=200, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    failure = models.CharField(_("reason of the failure"), max_length=200, blank=True)
    reconciled = models.BooleanField(_("reconciled"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "union"
    objects = EntitlementQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["cycle", "id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "file"], name="care_paid_once_per_cycle")]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_org(self) -> Org:
        return self.union


class PayeeAccount(models.Model):
    """The bank account a household's aid is transferred to (the worker's, usually): the number encrypted, shown
    masked; in clear only in the bank's export."""

    file = models.OneToOneField(HouseholdFile, on_delete=models.CASCADE, related_name="account")
    holder = models.CharField(_("account holder"), max_length=40)
    bank_name = models.CharField(_("bank"), max_length=60)
    number_encrypted = models.TextField(editable=False)
    number_masked = models.CharField(_("bank account"), max_length=24, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "file__union"
    objects = CareQuerySet.as_manager()

    class Meta:
        verbose_name = _("payee account")
        verbose_name_plural = _("payee accounts")

    def __str__(self) -> str:
        return f"{self.holder} {self.number_masked}"

    @property
    def audit_org(self) -> Org:
        return self.file.union

    @property
    def number(self) -> str:
        from gongjiang.core.crypto import decrypt

        return decrypt(self.number_encrypted)


class JobOffer(models.Model):
    """A job or a training place (就业援助) an org offers to laid-off workers in the archive."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("union"))
    kind = models.CharField(_("offer kind"), max_length=10, choices=JobKind.choices)
    employer = models.CharField(_("employer or school"), max_length=100)
    title = models.CharField(_("job or course"), max_length=100)
    places = models.PositiveIntegerField(_("places"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("job offer")
        verbose_name_plural = _("job offers")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.employer} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("care:job_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org


class JobMatch(models.Model):
    """A laid-off worker's file proposed for an offer, with why (same county, same city), and the outcome."""

    offer = models.ForeignKey(JobOffer, on_delete=models.CASCADE, related_name="matches")
    file = models.ForeignKey(HouseholdFile, on_delete=models.PROTECT, related_name="+")
    union = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("why matched"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=10, choices=JobOutcome.choices,
                               default=JobOutcome.PROPOSED)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)

    scope_via = "union"
    objects = EntitlementQuerySet.as_manager()

    class Meta:
        verbose_name = _("job match")
        verbose_name_plural = _("job matches")
        ordering = ["offer", "id"]
        constraints = [models.UniqueConstraint(fields=["offer", "file"], name="care_job_match_once")]

    def __str__(self) -> str:
        return f"{self.offer} · {self.file_id}"

    @property
    def audit_org(self) -> Org:
        return self.union



