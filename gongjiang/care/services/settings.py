"""The local threshold (an org-level setting, inherited down the tree)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import require, verb
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User

from ..models import CareSetting
from ..rules import grading


@verb
def set_threshold(*, actor: User, org: Org, monthly_minimum: Any) -> CareSetting:
    """Set `org`'s monthly per-capita minimum living standard (a province, city or county federation): its
    administrators only. Files are re-graded at their next review (or change)."""
    require(org, actor, "manage")
    if org.kind not in (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY):
        raise DomainError(_("The local threshold is set by a province, city or county federation."), field="org")
    try:
        amount = grading.read_income(monthly_minimum)
    except grading.IncomeError:
        raise DomainError(_("The threshold must be a positive number of yuan per person and month."),
                          field="monthly_minimum") from None
    if amount <= 0:
        raise DomainError(_("The threshold must be a positive number of yuan per person and month."),
                          field="monthly_minimum")
    setting = CareSetting.objects.select_for_update().filter(org=org).first()
    before = {"monthly_minimum": setting.monthly_minimum} if setting else {}
    if setting is None:
        setting = CareSetting.objects.create(org=org, monthly_minimum=amount, updated_by=actor)
    else:
        setting.monthly_minimum, setting.updated_by = amount, actor
        setting.save(update_fields=["monthly_minimum", "updated_by", "updated_at"])
    audit.record(actor, "care.threshold.set", setting, before=before, after={"monthly_minimum": amount})
    return setting
