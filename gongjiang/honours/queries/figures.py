"""The nomination figures of a union for a year (评选统计): per campaign in which the union holds a share, its quota,
what was nominated under it, forwarded by it and shortlisted from it (the share's counters, kept by the verbs), and
the titles of that honour and year conferred in its subtree (the holders' counters). Two queries, whatever the size
of the campaigns: nothing is counted over the nominations or the holders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gongjiang.orgs.models import Org

from ..models import Allocation, HolderCount


@dataclass(frozen=True)
class Row:
    allocation: Allocation
    conferred: int  # titles of the honour and year conferred in the union's subtree (revoked ones included)
    revoked: int

    @property
    def used_percent(self) -> int | None:
        """The share of the union's quota its nominations take (名额使用率), or None without a quota."""
        quota = self.allocation.quota
        return round(100 * self.allocation.nominated / quota) if quota else None


def years(org: Org) -> list[int]:
    """The years of the campaigns in which the union holds a share, latest first."""
    return sorted(set(Allocation.objects.filter(org=org).values_list("campaign__year", flat=True)), reverse=True)


def figures(org: Org, year: int) -> list[Row]:
    """The union's shares of the year's campaigns with the holders conferred, by honour level then name."""
    shares = list(Allocation.objects.filter(org=org, campaign__year=year)
                  .select_related("campaign__honour_type", "campaign__org")
                  .order_by("campaign__honour_type__level", "campaign__honour_type__name", "campaign_id"))
    types = {a.campaign.honour_type_id for a in shares}
    counted = {t: (h, r) for t, h, r in HolderCount.objects.filter(
        org=org, year=year, honour_type_id__in=types).values_list("honour_type_id", "holders", "revoked")}
    rows = []
    for a in shares:
        holders, revoked = counted.get(a.campaign.honour_type_id, (0, 0))
        rows.append(Row(a, holders + revoked, revoked))
    return rows



def chart(rows: list[Row]) -> dict[str, Any]:
    """The chart of the rows (quota, nominated, forwarded, conferred per honour), for static/honours/roster.js."""
    return {"empty": _("No nominations yet"),
            "types": {"labels": [r.allocation.campaign.honour_type.name for r in rows],
                      "keys": ["quota", "nominated", "forwarded", "conferred"],
                      "names": [_("quota"), _("nominated"), _("forwarded"), _("Conferred")],
                      "quota": [r.allocation.quota for r in rows],
                      "nominated": [r.allocation.nominated for r in rows],
                      "forwarded": [r.allocation.forwarded for r in rows],
                      "conferred": [r.conferred for r in rows]}}
