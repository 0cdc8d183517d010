"""The requests that file, change and close a household file (建档申请, 变更, 解困退出)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs.models import Org

from ..choices import RequestKind, RequestState
from .files import CareQuerySet, HouseholdFile


class RequestQuerySet(CareQuerySet):
    union_field = "file__union__"


class CareRequest(models.Model):
    """One request on a file: submitted by the caseworker, checked by the enterprise union (企业工会审核), approved by
    the county or city union (县/市总工会审批), or returned with a reason at either step. A change carries the
    proposed household (`payload`: the file's fields and its members, IDs encrypted with their hashes), applied on
    approval; an exit carries its reason. `flags` are the de-duplication findings (members already in another
    active file), refreshed at every step for the approver to see."""

    file = models.ForeignKey(HouseholdFile, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(_("request kind"), max_length=8, choices=RequestKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.SUBMITTED)
    payload = models.JSONField(default=dict, blank=True)
    flags = models.JSONField(default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=400, blank=True)
    return_reason = models.CharField(_("reason of the return"), max_length=400, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    scope_via = "file__union"
    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive request")
        verbose_name_plural = _("archive requests")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["state", "file"], name="care_request_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file}"

    def get_absolute_url(self) -> str:
        return reverse("care:file_detail", args=[self.file_id]) + f"#request-{self.pk}"

    @property
    def audit_org(self) -> Org:
        return self.file.union

    @property
    def is_open(self) -> bool:
        return self.state in (RequestState.SUBMITTED, RequestState.CHECKED)
