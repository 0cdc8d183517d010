"""Labels of the archive's audit verbs for timelines (履历), and of the keys of their data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.verbs import Key

from .choices import Cause, FileStatus, Grade, Housing, JobKind, JobOutcome, PaymentMethod, ProgrammeKind, RequestKind

CHANNELS = {"page": _("the file's page"), "api": _("the API")}

VERBS: dict[str, Any] = {
    "care.threshold.set": _("Local threshold set"),
    "care.file.filed": _("Household filed (filing application)"),
    "care.request.submitted": _("Archive request submitted"),
    "care.request.checked": _("Archive request checked by the enterprise union"),
    "care.request.approved": _("Archive request approved"),
    "care.request.returned": _("Archive request returned"),
    "care.file.reviewed": _("Household file reviewed"),
    "care.file.viewed": _("Household file's personal data viewed"),
    "care.file.exported": _("Household files exported"),
    "care.programme.created": _("Aid programme created"),
    "care.cycle.created": _("Aid cycle created"),
    "care.budget.set": _("Cycle budget allocated"),
    "care.cycle.built": _("Aid cycle's list built over the archive"),
    "care.entitlement.added": _("Household added to an aid cycle's list"),
    "care.entitlement.removed": _("Household removed from an aid cycle's list"),
    "care.cycle.listed": _("Aid cycle's list confirmed"),
    "care.cycle.approved": _("Aid cycle approved"),
    "care.account.set": _("Household's bank account recorded"),
    "care.batch.made": _("Bank payment batch made"),
    "care.batch.exported": _("Bank payment batch exported"),
    "care.payment.recorded": _("Aid paid in cash or in kind against a signature"),
    "care.batch.reconciled": _("Bank payment batch reconciled"),
    "care.cycle.reconciled": _("Aid cycle reconciled"),
    "care.job.offered": _("Job offer or training place created"),
    "care.job.matched": _("Job offer matched to laid-off workers"),
    "care.job.outcome": _("Outcome of a job match recorded"),
}


def _causes(value: Any) -> str:
    if not isinstance(value, list):
        return str(value)
    return "、".join(str(Cause(c).label) if c in Cause.values else str(c) for c in value)


KEYS: dict[str, dict[str, Any]] = {
    "care": {
        "monthly_minimum": _("monthly per-capita minimum living standard"),
        "members": _("household members"),
        "causes": Key(_("causes of hardship"), show=_causes),
        "housing": Key(_("housing"), choices=Housing),
        "grade": Key(_("hardship grade"), choices=Grade),
        "status": Key(_("status"), choices=FileStatus),
        "kind": Key(_("request kind"), choices=RequestKind),
        "request": _("Request"),
        "reason": _("Reason"),
        "flags": _("Members flagged in another file"),
        "next_review": _("next review"),
        "channel": Key(_("Read through"), choices=CHANNELS),
        "clear_ids": _("Full ID numbers"),
        "rows": _("Rows"),
        "name": _("Name"),
        "programme_kind": Key(_("programme kind"), choices=ProgrammeKind),
        "eligibility": _("eligibility"),
        "amount_rule": _("amount rule"),
        "year": _("year"),
        "budget": _("budget"),
        "level": _("level"),
        "total": _("total"),
        "amount": _("amount"),
        "cycle": _("aid cycle"),
        "holder": _("account holder"),
        "account": _("bank account"),
        "method": Key(_("payment method"), choices=PaymentMethod),
        "signed_by": _("signed by"),
        "paid_on": _("paid on"),
        "paid": _("Paid"),
        "failed": _("Failed"),
        "job_kind": Key(_("offer kind"), choices=JobKind),
        "employer": _("employer or school"),
        "title": _("job or course"),
        "places": _("places"),
        "outcome": Key(_("outcome"), choices=JobOutcome),
        "day": _("date"),
    },
}
