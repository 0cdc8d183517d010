"""Reads of the workers' technical associations shared by the pages, the API and the verbs: the network of the user's
scope (a tree drawn from the union tree, with each association's counters), an association with its parent and
children, its councils and seats, its members and activities with their filters, its figures (its own and its
union's whole reach, this year and last) and the people and members a cadre names on a form."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from gongjiang.core.types import Actor
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, Period, Person
from gongjiang.orgs.scoping import ancestors

from .. import metrics
from ..choices import ActivityKind, Post
from ..models import Activity, Council, MemberHonour, Seat, TechAssociation, TechMember
from ..rules import techassoc as rules

KIND_FIELDS: tuple[str, ...] = tuple(ActivityKind.values)


# ---------------------------------------------------------------------------------------------
# The network


@dataclass(frozen=True)
class NetworkRow:
    """An association in the network as the page lists it: its level below the top of the user's network and its
    counters (members now, activities held in all)."""

    association: TechAssociation
    level: int
    parent_id: int | None


def network(user: Actor, *, q: str = "", state: str = "", within: Org | None = None) -> list[NetworkRow]:
    """The associations of the user's scope (or of `within`'s subtree) as a tree in pre-order, each with its level
    in the network (two queries at most, whatever the size: the counters are the associations' own). `q` keeps the
    associations whose name or union's name contains it (and shows them flat, each at its level)."""
    qs = TechAssociation.objects.for_user(user, "view").select_related("org")
    if within is not None:
        qs = qs.filter(Q(org__path__startswith=within.path) | Q(org__industry_path__startswith=within.path))
    if state:
        qs = qs.filter(state=state)
    found = {a.org.path: a for a in qs.order_by("org__path")}
    nodes = rules.network(found)
    rows = [NetworkRow(found[n.path], n.level, found[n.parent].pk if n.parent else None) for n in nodes]
    if q:
        text = q.strip()
        rows = [r for r in rows if text in r.association.name or text in r.association.org.name]
    return rows


def association_detail(user: Actor, pk: int) -> TechAssociation | None:
    """One association the user may see, with its union, or None."""
    return TechAssociation.objects.for_user(user, "view").select_related("org", "created_by").filter(pk=pk).first()


def network_parent(association: TechAssociation) -> TechAssociation | None:
    """The nearest association above this one in the union tree (one query), or None."""
    paths = ancestors(association.org.path, include_self=False)
    above = list(TechAssociation.objects.filter(org__path__in=paths).select_related("org"))
    parent = rules.network_parent(association.org.path, [a.org.path for a in above])
    return next((a for a in above if a.org.path == parent), None)


def network_children(user: Actor, association: TechAssociation) -> list[TechAssociation]:
    """The associations directly below this one in the network that the user may see (one query)."""
    below = list(TechAssociation.objects.for_user(user, "view").select_related("org")
                 .filter(org__path__startswith=association.org.path).exclude(pk=association.pk)
                 .order_by("org__path"))
    paths = [association.org.path, *[a.org.path for a in below]]
    return [a for a in below if rules.network_parent(a.org.path, paths) == association.org.path]


# ---------------------------------------------------------------------------------------------
# Councils

POST_ORDER = {p: i for i, p in enumerate(Post.values)}


def councils(association: TechAssociation) -> list[tuple[Council, list[Seat]]]:
    """The association's councils, the current (latest) first, each with its seats in the order of the posts
    (chair first) and their members (two queries)."""
    seats = Prefetch("seats", queryset=Seat.objects.select_related("member__person__employer").order_by("id"))
    found = Council.objects.filter(association=association).prefetch_related(seats).order_by("-number")
    return [(c, sorted(c.seats.all(), key=lambda s: (POST_ORDER.get(s.post, 99), s.pk))) for c in found]


def current_council(association: TechAssociation) -> Council | None:
    return Council.objects.filter(association=association, current=True).first()


# ---------------------------------------------------------------------------------------------
# Members and activities


@dataclass(frozen=True)
class MemberFilters:
    """The filters of an association's member list (all optional): a name, an honour, a trade, and whether the
    members are current (`active`), have left (`left`) or either ("all")."""

    q: str = ""
    honour: str = ""
    trade: str = ""
    status: str = "active"


def member_list(association: TechAssociation, f: MemberFilters) -> QuerySet[TechMember]:
    """The association's members matching the filters, with the person, their unit, their honours and where a
    transferred member went (a constant number of queries); not ordered."""
    qs = (TechMember.objects.filter(association=association)
          .select_related("person__employer", "transferred_to", "transferred_from__association")
          .prefetch_related(Prefetch("honours", queryset=MemberHonour.objects.order_by("-year", "id"))))
    if f.status == "active":
        qs = qs.filter(left_on__isnull=True)
    elif f.status == "left":
        qs = qs.filter(left_on__isnull=False)
    if f.q:
        qs = qs.filter(person__name__contains=f.q.strip())
    if f.honour:
        qs = qs.filter(pk__in=MemberHonour.objects.filter(honour=f.honour).values("member_id"))
    if f.trade:
        qs = qs.filter(trade__contains=f.trade.strip())
    return qs


@dataclass(frozen=True)
class ActivityFilters:
    """The filters of an association's activity list (all optional)."""

    q: str = ""
    kind: str = ""
    state: str = ""
    year: int | None = None
    four: bool = False


def activity_list(association: TechAssociation, f: ActivityFilters) -> QuerySet[Activity]:
    """The association's activities matching the filters, with their unit and the count of members involved
    (`involved_count`); not ordered."""
    qs = (Activity.objects.filter(association=association).select_related("unit")
          .annotate(involved_count=Count("involved")))
    if f.q:
        text = f.q.strip()
        qs = qs.filter(Q(title__contains=text) | Q(client__contains=text))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.four:
        qs = qs.filter(kind__in=sorted(rules.FOUR_SERVICES))
    if f.state:
        qs = qs.filter(state=f.state)
    if f.year:
        qs = qs.filter(year=f.year)
    return qs


def activity_detail(association: TechAssociation, pk: int) -> Activity | None:
    """One activity of the association with its unit and the members involved (two queries), or None."""
    return (Activity.objects.filter(association=association, pk=pk).select_related("unit", "created_by")
            .prefetch_related("involved__member__person").first())


def people_within(association: TechAssociation, name: str, mobile_tail: str = "") -> list[Person]:
    """The people of the association's union subtree (regionally or through its industry union) called `name` (and
    whose mobile ends with `mobile_tail`): at most two, enough to tell none, one and several apart."""
    path = association.org.path
    people = Person.objects.filter(Q(employer__path__startswith=path) | Q(employer__industry_path__startswith=path),
                                   name=name.strip())
    if mobile_tail:
        people = people.filter(mobile__endswith=mobile_tail)
    return list(people.select_related("employer").order_by("pk")[:2])


def members_named(association: TechAssociation, names: Sequence[str]) -> tuple[list[TechMember], list[str]]:
    """The association's current members with these names (one query), and the names matching no member or
    several."""
    wanted = [n.strip() for n in names if n.strip()]
    found = list(TechMember.objects.filter(association=association, left_on__isnull=True, person__name__in=wanted)
                 .select_related("person"))
    by_name: dict[str, list[TechMember]] = {}
    for m in found:
        by_name.setdefault(m.person.name, []).append(m)
    unknown = [n for n in wanted if len(by_name.get(n, [])) != 1]
    return [by_name[n][0] for n in wanted if len(by_name.get(n, [])) == 1], unknown


def active_member_of(person: Person) -> TechMember | None:
    """The person's current membership (one query), or None."""
    return TechMember.objects.filter(person=person, left_on__isnull=True).select_related("association").first()


def association_units(association: TechAssociation, limit: int = 300) -> QuerySet[Org]:
    """The units an activity of the association may be held in: its union and the active units below it, in tree
    order (the form's choices)."""
    ids = list(Org.objects.filter(path__startswith=association.org.path, is_active=True,
                                  depth__lte=association.org.depth + 3)
               .order_by("path").values_list("pk", flat=True)[:limit])
    return Org.objects.filter(pk__in=ids).order_by("path")


# ---------------------------------------------------------------------------------------------
# Figures


@dataclass
class TechFigures:
    """One year's figures of an association (`own`) or of an org's whole reach: members joined, left and at the
    year's end, activities held by kind, four-technical-services contracts and their value (yuan)."""

    year: int
    joined: int = 0
    left: int = 0
    active: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    contracts: int = 0
    contract_value: Decimal = Decimal(0)

    @property
    def activities(self) -> int:
        return sum(self.kinds.values())

    @property
    def by_kind(self) -> list[tuple[str, int]]:
        """(label, count) in the vocabulary's order."""
        return [(str(ActivityKind(k).label), self.kinds.get(k, 0)) for k in KIND_FIELDS]

    @property
    def contract_value_wan(self) -> Decimal:
        return rules.wan(self.contract_value)


# {year: {figure: value}}: the yearly figures of an association's own rows or of an org's reach (the fact store)
Yearly = dict[int, dict[str, Any]]


def _figures(rows: Yearly, year: int) -> TechFigures:
    flows = [(y, int(r.get("joined", 0)), int(r.get("left", 0))) for y, r in rows.items()]
    row = rows.get(year, {})
    return TechFigures(year, joined=int(row.get("joined", 0)), left=int(row.get("left", 0)),
                       active=rules.active_at_year_end(flows, year),
                       kinds={k: int(row.get(k, 0)) for k in KIND_FIELDS}, contracts=int(row.get("contracts", 0)),
                       contract_value=Decimal(row.get("contract_value", 0)).quantize(Decimal("0.01")))


def _reach(org_id: int, last: int) -> Yearly:
    """The figures of an org's whole reach for every year up to `last`, from the fact store (one query)."""
    found: Yearly = defaultdict(dict)
    got = facts.series(org_id, metrics.TECH, Period.YEAR, datetime.date(1, 1, 1), datetime.date(last, 1, 1))
    for key, by_start in got.items():
        for start, value in by_start.items():
            found[start.year][key.removeprefix("innovation.tech_")] = value
    return found


def _own(org_id: int, last: int) -> Yearly:
    """The own figures of the associations of `org` (one, unless one was dissolved and another founded) for every
    year up to `last`, from their memberships and activities (three GROUP BYs over one association's rows)."""
    found: Yearly = defaultdict(lambda: defaultdict(int))
    members = TechMember.objects.filter(association__org_id=org_id)
    for year, n in (members.filter(joined_on__year__lte=last).values_list("joined_on__year").order_by()
                    .annotate(n=Count("pk"))):
        found[year]["joined"] += n
    for year, n in (members.filter(left_on__year__lte=last).values_list("left_on__year").order_by()
                    .annotate(n=Count("pk"))):
        found[year]["left"] += n
    held = (Activity.objects.filter(association__org_id=org_id, state__in=[rules.HELD, rules.CLOSED],
                                    held_on__year__lte=last)
            .values_list("held_on__year", "kind").order_by().annotate(n=Count("pk"), v=Sum("value")))
    for year, kind, n, value in held:
        found[year][kind] += n
        if rules.is_four_services(kind):
            found[year]["contracts"] += n
            found[year]["contract_value"] += value or Decimal(0)
    return found


def figure_years(org: Org, *, own: bool, years: Sequence[int]) -> list[TechFigures]:
    """The figures of `org` (its association's own, or its whole reach) for each of `years` (one query for the
    reach, three for the own)."""
    last = max(years) if years else timezone.localdate().year
    rows = _own(org.pk, last) if own else _reach(org.pk, last)
    return [_figures(rows, y) for y in years]


def recorded_years(org: Org, *, own: bool) -> list[int]:
    """The years with any figure of `org`, oldest first."""
    rows = _own(org.pk, timezone.localdate().year + 1) if own else _reach(org.pk, timezone.localdate().year + 1)
    return sorted(y for y, r in rows.items() if any(r.values()))


def this_and_last(association: TechAssociation, year: int) -> dict[str, list[TechFigures]]:
    """The association's own figures and those of its union's whole reach, for `year` and the year before (four
    queries)."""
    own, reach = _own(association.org_id, year), _reach(association.org_id, year)
    return {"own": [_figures(own, year), _figures(own, year - 1)],
            "reach": [_figures(reach, year), _figures(reach, year - 1)]}
