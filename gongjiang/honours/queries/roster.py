"""Read models of the roster of honour holders (荣誉获得者名册): the facts a conferral stores on a holder
(`holder_facts`), the cadres' roster with its filters (`roster_for`), a holder's record, each person's and
collective's honours (荣誉履历), the statistics by city and industry and the home panel's figures (from the counters),
and the public roster (`public_roster`: a few fields, never an ID, a birth date, a gender or an age)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongjiang.core.types import Actor
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.scoping import ancestors

from ..choices import HolderStatus
from ..models import Holder, HolderCount, HolderEvent, HonourType, Nomination
from ..rules import roster as rules

# ---------------------------------------------------------------------------------------------
# What a conferral stores


def holder_facts(unit: Org, person: Person | None = None, *, front_line: bool = False) -> dict[str, Any]:
    """The roster's fields of a new holder of `unit` (and `person`, for an honour of persons): front-line, gender,
    year of birth (never the date), the city federation and the provincial industry union above the unit (one
    query). The conferral passes them to `Holder(...)`, then counts it with `counters.add_holder`."""
    paths = set(ancestors(unit.path)) | (set(ancestors(unit.industry_path)) if unit.industry_path else set())
    above = list(Org.objects.filter(path__in=paths, kind__in=[OrgKind.CITY, OrgKind.INDUSTRY])
                 .order_by("depth", "path").values_list("pk", "kind"))
    city = next((pk for pk, kind in above if kind == OrgKind.CITY), None)
    industry = next((pk for pk, kind in above if kind == OrgKind.INDUSTRY), None)
    facts: dict[str, Any] = {"city_id": city, "industry_id": industry, "front_line": front_line}
    if person is not None:
        facts.update(gender=person.gender, birth_year=person.birth_date.year,
                     front_line=front_line or person.is_front_line)
    return facts


def facts_from_nomination(nomination: Nomination) -> dict[str, Any]:
    """`holder_facts` of a nominee: the nominating union's unit (the person's employer, the collective itself),
    front-line as nominated."""
    unit = nomination.person.employer if nomination.person else (nomination.nominee_org or nomination.unit)
    return {"unit": unit, **holder_facts(unit, nomination.person, front_line=nomination.front_line)}


# ---------------------------------------------------------------------------------------------
# Filters


@dataclass(frozen=True)
class Filters:
    """The roster's filters, each optional; `public` ones alone on the public roster."""

    honour_type: int | None = None
    year: int | None = None
    city: int | None = None
    industry: int | None = None
    gender: str = ""
    front_line: bool | None = None
    age_band: str = ""
    status: str = ""

    PUBLIC = ("honour_type", "year", "city", "industry")

    @classmethod
    def parse(cls, data: Any, *, public: bool = False) -> Filters:
        """From a query string (anything unknown or malformed ignored: a filter, not a form)."""

        def number(key: str) -> int | None:
            v = str(data.get(key) or "")
            return int(v) if v.isdigit() and len(v) < 10 else None

        found = cls(honour_type=number("type"), year=number("year"), city=number("city"),
                    industry=number("industry"))
        if public:
            return found
        gender = str(data.get("gender") or "")
        front = str(data.get("front_line") or "")
        band = str(data.get("age") or "")
        status = str(data.get("status") or "")
        return cls(**{**found.__dict__, "gender": gender if gender in ("M", "F") else "",
                      "front_line": {"1": True, "0": False}.get(front),
                      "age_band": band if band in [b[0] for b in rules.AGE_BANDS] else "",
                      "status": status if status in HolderStatus.values else ""})

    def apply(self, qs: QuerySet[Holder], today: datetime.date | None = None) -> QuerySet[Holder]:
        if self.honour_type:
            qs = qs.filter(honour_type_id=self.honour_type)
        if self.year:
            qs = qs.filter(year=self.year)
        if self.city:
            qs = qs.filter(city_id=self.city)
        if self.industry:
            qs = qs.filter(industry_id=self.industry)
        if self.gender:
            qs = qs.filter(gender=self.gender)
        if self.front_line is not None:
            qs = qs.filter(front_line=self.front_line)
        if self.age_band:
            low, high = rules.birth_years(self.age_band, (today or timezone.localdate()).year)
            if low is not None:
                qs = qs.filter(birth_year__gte=low)
            if high is not None:
                qs = qs.filter(birth_year__lte=high)
        if self.status:
            qs = qs.filter(status=self.status)
        return qs

    def query(self) -> dict[str, str]:
        """The filters as query parameters (the pages' links keep them)."""
        pairs = {"type": self.honour_type, "year": self.year, "city": self.city, "industry": self.industry,
                 "gender": self.gender, "front_line": {True: "1", False: "0"}.get(self.front_line) if
                 self.front_line is not None else "", "age": self.age_band, "status": self.status}
        return {k: str(v) for k, v in pairs.items() if v not in (None, "")}


# ---------------------------------------------------------------------------------------------
# The cadres' roster and a holder's record


def roster_for(user: Actor, filters: Filters, org: Org | None = None) -> QuerySet[Holder]:
    """The holders of the user's subtree (narrowed to `org`'s when given), filtered, newest first."""
    qs = Holder.objects.for_user(user, "view")
    if org is not None:
        qs = qs.filter(Q(unit__path__startswith=org.path) | Q(unit__industry_path__startswith=org.path))
    return (filters.apply(qs).select_related("honour_type", "unit", "city", "industry")
            .order_by("-year", "-id"))


def holder_detail(user: Actor, pk: int) -> Holder | None:
    return (Holder.objects.for_user(user, "view").filter(pk=pk)
            .select_related("honour_type", "unit", "city", "industry", "person", "org").first())


def events_of(holder: Holder) -> list[HolderEvent]:
    return list(holder.events.select_related("body", "recorded_by").order_by("on", "id"))


def honours_of_person(user: Actor, person: Person) -> list[Holder]:
    """A person's honours (荣誉履历) that the user may see, oldest first, revoked ones included (marked)."""
    return list(Holder.objects.for_user(user, "view").filter(person=person)
                .select_related("honour_type", "unit").order_by("year", "id"))


def honours_of_org(user: Actor, org: Org) -> list[Holder]:
    """A collective's or an organisation's own honours (工人先锋号, 五一劳动奖状) that the user may see."""
    return list(Holder.objects.for_user(user, "view").filter(org=org)
                .select_related("honour_type", "unit").order_by("year", "id"))


def revoking_bodies(holder: Holder) -> list[Org]:
    """The unions that may revoke `holder`'s title: the union of the honour's conferring level above the unit (the
    province for national and provincial honours: it confers the one and recommends the other; the city for a
    city honour, the county for a county honour), one query."""
    kind = {"national": OrgKind.PROVINCE, "province": OrgKind.PROVINCE, "city": OrgKind.CITY,
            "county": OrgKind.COUNTY}[holder.honour_type.level]
    return list(Org.objects.filter(path__in=ancestors(holder.unit.path, include_self=False), kind=kind)
                .order_by("depth"))


def can_revoke(user: Actor, holder: Holder) -> bool:
    return any(body.can_change(user) for body in revoking_bodies(holder))


# ---------------------------------------------------------------------------------------------
# Statistics (the counters)


def counted_total(filters: Filters, org: Org | None = None) -> int | None:
    """The number of holders a roster lists, read from the counters when they can tell it — the filters are among
    honour, year and one place (a city, an industry union, or the union the page is about; the whole tree when
    none) — so a page of 100,000 holders counts nothing (one query); None otherwise (the page counts)."""
    if filters.gender or filters.front_line is not None or filters.age_band or filters.status:
        return None
    places = [p for p in (filters.city, filters.industry) if p]
    if len(places) + (org is not None) > 1:
        return None
    rows = HolderCount.objects.all()
    if places:
        rows = rows.filter(org_id=places[0])
    elif org is not None:
        rows = rows.filter(org=org)
    else:
        rows = rows.filter(org__depth=1)
    if filters.honour_type:
        rows = rows.filter(honour_type_id=filters.honour_type)
    if filters.year:
        rows = rows.filter(year=filters.year)
    found = rows.aggregate(h=Sum("holders"), r=Sum("revoked"))
    return int(found["h"] or 0) + int(found["r"] or 0)


def types_with_counts(org: Org | None, year: int | None = None) -> list[dict[str, Any]]:
    """The honours held in `org`'s subtree — name, level, holders, alive, active — most held first (one query of the
    counters)."""
    if org is None:
        return []
    rows = HolderCount.objects.filter(org=org)
    if year:
        rows = rows.filter(year=year)
    found = (rows.values("honour_type_id", "honour_type__name", "honour_type__level").order_by()
             .annotate(holders=Sum("holders"), alive=Sum("alive"), active=Sum("active")))
    return sorted(({"id": r["honour_type_id"], "name": r["honour_type__name"], "level": r["honour_type__level"],
                    "holders": r["holders"] or 0, "alive": r["alive"] or 0, "active": r["active"] or 0}
                   for r in found if r["holders"]), key=lambda r: (-r["holders"], r["name"]))


def by_units(org: Org, kind: str, honour_type: int | None = None, year: int | None = None
             ) -> list[tuple[Org, dict[str, int]]]:
    """The cities (kind "city") or industry unions (kind "industry") inside `org`'s subtree — `org` itself when it is
    one —, each with its holders, alive and active, from the counters (two queries)."""
    units = list(Org.objects.filter(kind=kind, path__startswith=org.path).order_by("path"))
    if not units:
        return []
    rows = HolderCount.objects.filter(org__in=units)
    if honour_type:
        rows = rows.filter(honour_type_id=honour_type)
    if year:
        rows = rows.filter(year=year)
    sums = {o: (h, a, c) for o, h, a, c in rows.values_list("org_id").order_by().annotate(
        h=Sum("holders"), a=Sum("alive"), c=Sum("active")).values_list("org_id", "h", "a", "c")}
    return [(u, dict(zip(("holders", "alive", "active"), sums.get(u.pk, (0, 0, 0)), strict=True))) for u in units]


@dataclass
class CrossTable:
    """Holders (titles not revoked) by city (rows) and industry union (columns), with the totals; `None` keys: no
    city or no industry union."""

    cities: list[tuple[Org | None, list[int], int]]  # each row: the city, a cell per column, the row's total
    industries: list[Org | None]
    totals: list[int]
    total: int


def city_by_industry(org: Org, honour_type: int | None = None, year: int | None = None) -> CrossTable | None:
    """The holders of `org`'s reach by city and industry union at once (济南's holders in the metallurgy union…), for
    one honour or one year: a GROUP BY over the holders of that honour or year (a few thousand rows at most, along the
    (type, -year) index) — None without either, as a province's every holder of ten years would be counted."""
    if not honour_type and not year:
        return None
    qs = Holder.objects.filter(Q(unit__path__startswith=org.path) | Q(unit__industry_path__startswith=org.path))
    if honour_type:
        qs = qs.filter(honour_type_id=honour_type)
    if year:
        qs = qs.filter(year=year)
    grouped = (qs.exclude(status=HolderStatus.REVOKED).values_list("city_id", "industry_id").order_by()
               .annotate(n=Count("pk")).values_list("city_id", "industry_id", "n"))
    cells: dict[tuple[int | None, int | None], int] = {(c, i): n for c, i, n in grouped}
    ids: set[int | None] = {c for c, _i in cells} | {i for _c, i in cells}
    orgs = Org.objects.in_bulk([pk for pk in ids if pk is not None])

    def ordered(keys: set[int | None]) -> list[Org | None]:
        known = sorted((orgs[k] for k in keys if k is not None and k in orgs), key=lambda o: o.path)
        return [*known, *([None] if None in keys else [])]

    cities = ordered({c for c, _i in cells})
    industries = ordered({i for _c, i in cells})
    rows = []
    for city in cities:
        row = [cells.get((city.pk if city else None, ind.pk if ind else None), 0) for ind in industries]
        rows.append((city, row, sum(row)))
    totals = [sum(r[1][j] for r in rows) for j in range(len(industries))]
    return CrossTable(rows, industries, totals, sum(totals))


def choices(org: Org | None) -> dict[str, Any]:
    """What the filters offer: the honour types, the cities (below `org`, or every one for the public), the industry
    unions (every one: a city's enterprises are affiliated to the province's industry unions), the last years."""
    orgs = Org.objects.filter(kind__in=[OrgKind.CITY, OrgKind.INDUSTRY], is_active=True)
    if org is not None:
        orgs = orgs.filter(Q(path__startswith=org.path) | Q(kind=OrgKind.INDUSTRY))
    found = list(orgs.order_by("path").values_list("pk", "name", "kind"))
    year = timezone.localdate().year
    return {"types": list(HonourType.objects.order_by("level", "subject", "name").values_list("pk", "name")),
            "cities": [(pk, n) for pk, n, k in found if k == OrgKind.CITY],
            "industries": [(pk, n) for pk, n, k in found if k == OrgKind.INDUSTRY],
            "years": list(range(year, year - 15, -1))}


# ---------------------------------------------------------------------------------------------
# The public roster


PUBLIC_FIELDS = ("id", "name", "unit__name", "honour_type__name", "year", "status")


def public_roster(filters: Filters) -> QuerySet[Holder, dict[str, Any]]:
    """Every holder, by the public filters only (type, year, city, industry), newest first, as the few fields the
    public sees — name, unit, honour, year and whether the title was revoked — and nothing else (see
    docs/architecture.md, "The public roster of honour holders")."""
    public = Filters(**{k: getattr(filters, k) for k in Filters.PUBLIC})
    found: QuerySet[Holder, dict[str, Any]] = (public.apply(Holder.objects.all()).order_by("-year", "-id")
                                               .values(*PUBLIC_FIELDS))
    return found


@dataclass(frozen=True)
class Cursor:
    """Where a page of the public roster starts or ends in its order (newest year first, then newest row): the
    year and the holder's id, written "2025.1234" in the address."""

    year: int
    pk: int

    @classmethod
    def parse(cls, text: Any) -> Cursor | None:
        year, _dot, pk = str(text or "").partition(".")
        if not (year.isdigit() and pk.isdigit() and len(year) <= 4 and len(pk) <= 12):
            return None  # malformed: the first page (a filter, not a form)
        return cls(int(year), int(pk))

    def __str__(self) -> str:
        return f"{self.year}.{self.pk}"


@dataclass
class KeysetPage:
    rows: list[dict[str, Any]]
    before: Cursor | None  # the cursor of the page before (None: this is the first)
    after: Cursor | None  # the cursor of the page after (None: this is the last)


def public_page(filters: Filters, size: int, *, after: Cursor | None = None,
                before: Cursor | None = None) -> KeysetPage:
    """A page of the public roster by keyset (seek) pagination: the rows after `after` (or before `before`) in the
    roster's order, read along the (type/city/industry, -year, -id) indexes — one query whatever the depth, where an
    OFFSET would read and drop every row before the page (page 2,000 of 100,000 holders)."""
    qs = public_roster(filters)
    if before is not None:
        found = list(qs.filter(year__gte=before.year).exclude(year=before.year, id__lte=before.pk)
                     .order_by("year", "id")[: size + 1])
        more = len(found) > size
        rows = list(reversed(found[:size]))
        return KeysetPage(rows, _cursor(rows[0]) if more and rows else None,
                          _cursor(rows[-1]) if rows else before)
    if after is not None:
        qs = seek_after(qs, after)
    found = list(qs[: size + 1])
    rows = found[:size]
    return KeysetPage(rows, _cursor(rows[0]) if after is not None and rows else None,
                      _cursor(rows[-1]) if len(found) > size else None)


def seek_after(qs: QuerySet[Holder, dict[str, Any]], after: Cursor) -> QuerySet[Holder, dict[str, Any]]:
    """The rows after the cursor in the (-year, -id) order: a range on the year (the index is entered at the cursor's
    year, not scanned from the top), the cursor's own year cut at its id."""
    return qs.filter(year__lte=after.year).exclude(year=after.year, id__gte=after.pk)


def _cursor(row: dict[str, Any]) -> Cursor:
    return Cursor(row["year"], row["id"])
