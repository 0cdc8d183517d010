"""Read models of the rights pages and API: an enterprise's record, the rates of an org and its children (from the
fact store and the org tree's counters), the enterprises lacking an item, the contracts expiring, a campaign's
board."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core.types import Actor
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Period

from .. import figures
from ..choices import ContractKind, ContractState, OfferState
from ..models import BargainingCampaign, BoardSeat, Congress, Contract, Coverage, Delegate, Offer, OpennessItem
from ..rules import congress as congress_rules
from ..rules import contracts as contract_rules
from ..rules import requirements

IN_FORCE = (ContractState.SIGNED, ContractState.FILED)
# The items a rates page measures, in its column order: (key, metric, label).
ITEMS: list[tuple[str, str, Any]] = [
    ("congress", figures.CONGRESS, _("Workers' congress")),
    ("openness", figures.OPENNESS, _("Affairs made public")),
    *[(k.value, figures.contract_metric(k.value), k.label) for k in ContractKind],
]
ITEM_KEYS = {k for k, _m, _l in ITEMS}


def today() -> datetime.date:
    return timezone.localdate()


def enterprises_in(org: Org) -> QuerySet[Org]:
    """The active enterprise unions in an org's reach (regional subtree, and its affiliates for an industry union)."""
    reach = Q(path__startswith=org.path)
    if org.kind == OrgKind.INDUSTRY:
        reach |= Q(industry_path__startswith=org.path)
    return Org.objects.filter(reach, kind=OrgKind.GRASSROOTS, is_active=True)


# ---------------------------------------------------------------------------------------------
# Rates


@dataclass
class RateRow:
    org: Org
    enterprises: int
    people: int
    counts: dict[str, int]
    covered: int

    def rate(self, key: str) -> Decimal | None:
        if not self.enterprises:
            return None
        return (Decimal(self.counts.get(key, 0)) * 100 / self.enterprises).quantize(Decimal("0.1"))

    @cached_property
    def rates(self) -> list[tuple[str, int, Decimal | None, int]]:
        """(item, enterprises with it, rate %, enterprises lacking it) per item."""
        return [(k, self.counts.get(k, 0), self.rate(k), self.lacking(k)) for k, _m, _l in ITEMS]

    @cached_property
    def cells(self) -> list[tuple[str, str, str, int]]:
        """The page's cells as text, formatted once here rather than by the template's localisation per value:
        (item, count, rate or "", enterprises lacking it)."""
        return [(k, str(n), "" if rate is None else f"{rate}", gap) for k, n, rate, gap in self.rates]

    @property
    def coverage(self) -> Decimal | None:
        """Workers covered per hundred people on the roster (capped at 100: contracts count declared workforces)."""
        if not self.people:
            return None
        return min(Decimal(100), (Decimal(self.covered) * 100 / self.people).quantize(Decimal("0.1")))

    def lacking(self, key: str) -> int:
        return max(0, self.enterprises - self.counts.get(key, 0))


def _denominators(orgs: list[Org]) -> dict[int, tuple[int, int]]:
    """{org id: (enterprises, people)}: the tree counters for a regional org (no query), one aggregate per industry
    union (its affiliates lie outside its regional subtree), 1 and its own people for an enterprise."""
    out: dict[int, tuple[int, int]] = {}
    industries = [o for o in orgs if o.kind == OrgKind.INDUSTRY]
    affiliated: dict[str, tuple[int, int]] = {}
    length = 0
    if industries:
        # the affiliates of every industry union of the page in one statement, grouped by the industry path's prefix
        # of the unions' length (siblings' paths are equally long); a range on the path, not LIKE, so that SQLite
        # walks the index
        length = len(industries[0].path)
        reach = Q(pk__in=[])
        for o in industries:
            reach |= Q(industry_path__gte=o.path, industry_path__lt=o.path + "~")
        rows = (Org.objects.filter(reach, kind=OrgKind.GRASSROOTS, is_active=True)
                .annotate(union=Substr("industry_path", 1, length)).values("union").order_by()
                .annotate(n=Count("pk"), people=Sum("tree_people")).values_list("union", "n", "people"))
        affiliated = {u: (n, people or 0) for u, n, people in rows}
    for o in orgs:
        if o.kind == OrgKind.GRASSROOTS:
            out[o.pk] = (1, o.tree_people)
        elif o.kind == OrgKind.INDUSTRY:
            # its regional subtree from its counters (an enterprise below it is affiliated elsewhere or not at all)
            n, people = affiliated.get(o.path, (0, 0))
            out[o.pk] = (o.tree_grassroots + n, o.tree_people + people)
        else:
            out[o.pk] = (o.tree_grassroots, o.tree_people)
    return out


def rate_rows(org: Org, year: int) -> tuple[RateRow, list[RateRow]]:
    """The org's own row and one per child union that holds enterprises, from the fact store (one statement) and the
    org counters."""
    children = [c for c in Org.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
                .exclude(kind__in=(OrgKind.DEPARTMENT, OrgKind.TEAM)).order_by("path")]
    orgs = [org, *children]
    keys = [m for _k, m, _l in ITEMS] + [figures.COVERED]
    values = facts.values([o.pk for o in orgs], keys, Period.YEAR, datetime.date(year, 1, 1))
    denominators = _denominators(orgs)
    rows = []
    for o in orgs:
        n, people = denominators[o.pk]
        rows.append(RateRow(o, n, people, {k: int(values.get((o.pk, m), 0)) for k, m, _l in ITEMS},
                            int(values.get((o.pk, figures.COVERED), 0))))
    return rows[0], [r for r in rows[1:] if r.enterprises]


def lacking(org: Org, year: int, item: str) -> QuerySet[Org]:
    """The enterprises in the org's reach without `item` (a key of ITEMS) in `year`, from the rows."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if item == "congress":
        has = Congress.enterprises.through.objects.filter(org_id=OuterRef("pk"), congress__established_on__lte=last,
                                                          congress__ends_on__gte=first)
    elif item == "openness":
        has = OpennessItem.objects.filter(enterprise_id=OuterRef("pk"), published_on__range=(first, last))
    else:
        has = Coverage.objects.filter(
            Q(contract__terminated_on__isnull=True, contract__ends_on__gte=first)
            | Q(contract__terminated_on__gte=first),
            enterprise_id=OuterRef("pk"), contract__kind=item, contract__state__in=IN_FORCE,
            contract__starts_on__lte=last)
    return enterprises_in(org).filter(~Exists(has)).order_by("path")


def county_gaps(user: Actor, year: int) -> list[tuple[Org, int]]:
    """(county union, enterprises without a congress in `year`) for the county unions the user holds a role on."""
    from gongjiang.orgs.scoping import grant_orgs

    counties = [o for o in grant_orgs(user) if o.kind == OrgKind.COUNTY]
    if not counties:
        return []
    values = facts.values([o.pk for o in counties], [figures.CONGRESS], Period.YEAR, datetime.date(year, 1, 1))
    return [(o, max(0, o.tree_grassroots - int(values.get((o.pk, figures.CONGRESS), 0)))) for o in counties]


# ---------------------------------------------------------------------------------------------
# An enterprise's record


@dataclass
class CongressView:
    congress: Congress
    shares: congress_rules.Shares
    sessions: list[Any]


@dataclass
class EnterpriseRecord:
    enterprise: Org
    required: requirements.Required
    congresses: list[CongressView]
    openness: list[OpennessItem]
    seats: list[BoardSeat]
    contracts: list[Contract]
    offers: list[Offer]
    missing_seats: list[str] = field(default_factory=list)


def enterprise_record(enterprise: Org) -> EnterpriseRecord:
    """Everything recorded for one enterprise (its own congresses and those covering it, with their delegates'
    shares and sessions; items made public; board seats; contracts covering it; offers)."""
    day = today()
    congresses = list(Congress.objects.filter(enterprises=enterprise).select_related("org")
                      .prefetch_related("sessions").order_by("-established_on"))
    flags: dict[int, list[tuple[bool, bool, bool]]] = defaultdict(list)
    for cid, f, w, m in Delegate.objects.filter(congress__in=congresses).values_list(
            "congress_id", "is_front_line", "is_woman", "is_migrant"):
        flags[cid].append((f, w, m))
    seats = list(BoardSeat.objects.filter(enterprise=enterprise).select_related("person"))
    req = requirements.required(enterprise.ownership, enterprise.employee_count)
    current = {s.seat for s in seats if s.until is None or s.until >= day}
    missing = [str(label) for seat, label, needed in (("director", _("Employee director"), req.director),
                                                      ("supervisor", _("Employee supervisor"), req.supervisor))
               if needed and seat not in current]
    return EnterpriseRecord(
        enterprise=enterprise, required=req,
        congresses=[CongressView(c, congress_rules.shares(flags[c.pk]), list(c.sessions.all())) for c in congresses],
        openness=list(OpennessItem.objects.filter(enterprise=enterprise)[:50]), seats=seats,
        contracts=list(Contract.objects.filter(coverage__enterprise=enterprise).select_related("org")
                       .order_by("kind", "-starts_on")),
        offers=list(Offer.objects.filter(enterprise=enterprise).select_related("campaign")),
        missing_seats=missing)


def congress_shares(congress: Congress) -> congress_rules.Shares:
    return congress_rules.shares(congress.delegates.values_list("is_front_line", "is_woman", "is_migrant"))


# ---------------------------------------------------------------------------------------------
# Contracts expiring, campaigns


def expiring(user: Actor, days: int = contract_rules.EXPIRY_NOTICE_DAYS) -> QuerySet[Contract]:
    """Contracts in force in the user's scope whose term ends within `days` days and that no renewal follows:
    one statement whatever their number."""
    day = today()
    return (Contract.objects.for_user(user).filter(state__in=IN_FORCE, terminated_on__isnull=True,
                                                   ends_on__range=(day, day + datetime.timedelta(days=days)),
                                                   renewal__isnull=True)
            .select_related("org").annotate(enterprises=Count("coverage")).order_by("ends_on", "pk"))


def campaigns_for(user: Actor) -> QuerySet[BargainingCampaign]:
    return BargainingCampaign.objects.for_user(user).select_related("org")


def campaign_board(campaign: BargainingCampaign, user: Actor) -> dict[str, list[Offer]]:
    """{state: offers} of a campaign, the enterprises the user may see."""
    board: dict[str, list[Offer]] = {s.value: [] for s in OfferState}
    for offer in (Offer.objects.for_user(user).filter(campaign=campaign).select_related("enterprise")
                  .order_by("enterprise__path")):
        board[offer.state].append(offer)
    return board


def campaign_counts(campaigns: list[BargainingCampaign]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for cid, state, n in (Offer.objects.filter(campaign__in=campaigns).values_list("campaign_id", "state")
                          .order_by().annotate(n=Count("pk"))):
        counts[cid][state] = n
    return counts


def contracts_for(user: Actor) -> QuerySet[Contract]:
    return Contract.objects.for_user(user).select_related("org")
