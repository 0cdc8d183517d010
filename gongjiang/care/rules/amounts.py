"""A programme's amount rule, as data (Programme.amount_rule), and the amount of one entitlement.

- {"kind": "fixed", "amount": "500"}: the same amount for every household;
- {"kind": "by_grade", "amounts": {"deep": "1000", "relative": "600", "sudden": "800"}, "monotone": true}: by the
  household's grade (a grade not named gets nothing); with "monotone", the amounts may not rise from 深度困难 to
  相对困难 to 意外致困 (checked when the rule is saved);
- {"kind": "by_cost", "share": "0.6", "cap": "5000"}: that share of the household's cost (a medical bill, the
  tuition), never above the cap.

Amounts are yuan with two decimals, never negative, never above the cap.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .eligibility import GRADES, RuleError

CENT = Decimal("0.01")
LIMIT = Decimal("10000000")
KINDS = ("fixed", "by_grade", "by_cost")


def _yuan(value: Any, field: str, limit: Decimal = LIMIT) -> Decimal:
    if isinstance(value, bool) or value is None or str(value).strip() == "":
        raise RuleError(_("The amount must be a number of yuan."), field)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise RuleError(_("The amount must be a number of yuan."), field) from None
    if not amount.is_finite():
        raise RuleError(_("The amount must be a number of yuan."), field)
    if amount < 0:
        raise RuleError(_("The amount cannot be negative."), field)
    if amount >= limit:
        raise RuleError(_("The amount is too large."), field)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


BUDGET_LIMIT = Decimal("1000000000000")  # a cycle's budget: below 10^12 yuan (its column's 14 digits)


def read_yuan(value: Any, field: str = "amount", limit: Decimal = LIMIT) -> Decimal:
    return _yuan(value, field, limit)


def read_rule(data: Any) -> dict[str, Any]:
    """The rule, checked and normalised (amounts as strings of yuan); RuleError naming the bad field."""
    if not isinstance(data, Mapping) or data.get("kind") not in KINDS:
        raise RuleError(_("Choose how the amount is set: fixed, by grade, or a share of the cost."), "kind")
    kind = data["kind"]
    if kind == "fixed":
        return {"kind": kind, "amount": str(_yuan(data.get("amount"), "amount"))}
    if kind == "by_grade":
        given = data.get("amounts")
        if not isinstance(given, Mapping) or not given or any(g not in GRADES for g in given):
            raise RuleError(_("Give an amount for each hardship grade that receives aid."), "amounts")
        amounts = {g: _yuan(given[g], f"amounts.{g}") for g in GRADES if g in given}
        monotone = bool(data.get("monotone"))
        if monotone:
            ordered = [amounts.get(g, Decimal(0)) for g in GRADES]
            if any(a < b for a, b in itertools.pairwise(ordered)):
                raise RuleError(_("With amounts that do not rise, deep hardship gets at least as much as relative "
                                  "hardship, and relative at least as much as a sudden event."), "amounts")
        return {"kind": kind, "amounts": {g: str(a) for g, a in amounts.items()}, "monotone": monotone}
    share = data.get("share")
    try:
        share_d = Decimal(str(share).strip().rstrip("%")) / (100 if str(share).strip().endswith("%") else 1)
    except (InvalidOperation, ValueError):
        raise RuleError(_("The share must be a number between 0 and 100%."), "share") from None
    if not share_d.is_finite() or not 0 < share_d <= 1:
        raise RuleError(_("The share of the cost must be above 0 and at most 100%."), "share")
    cap = data.get("cap")
    if cap is not None and str(cap).strip().startswith("-"):
        raise RuleError(_("The cap cannot be negative."), "cap")
    return {"kind": kind, "share": str(share_d.normalize()), "cap": str(_yuan(cap, "cap"))}


def amount(rule: Mapping[str, Any], grade: str = "", cost: Decimal | None = None) -> Decimal:
    """The entitlement's amount under a rule read by `read_rule`: never negative, never above the cap."""
    kind = rule["kind"]
    if kind == "fixed":
        return Decimal(rule["amount"])
    if kind == "by_grade":
        return Decimal(rule["amounts"].get(grade, "0"))
    if cost is None:
        raise RuleError(_("This programme pays a share of the cost: give the household's cost."), "cost")
    if cost < 0:
        raise RuleError(_("The cost cannot be negative."), "cost")
    share, cap = Decimal(rule["share"]), Decimal(rule["cap"])
    return min((cost * share).quantize(CENT, rounding=ROUND_HALF_UP), cap)


def needs_cost(rule: Mapping[str, Any]) -> bool:
    return rule.get("kind") == "by_cost"


def describe(rule: Mapping[str, Any]) -> str:
    from ..choices import Grade

    if rule.get("kind") == "fixed":
        return _("%(amount)s yuan per household") % {"amount": rule["amount"]}
    if rule.get("kind") == "by_grade":
        return "；".join(f"{Grade(g).label} {a} 元" for g, a in rule["amounts"].items())
    if rule.get("kind") == "by_cost":
        return _("%(share)s%% of the cost, at most %(cap)s yuan") % {
            "share": (Decimal(rule["share"]) * 100).normalize(), "cap": rule["cap"]}
    return ""
