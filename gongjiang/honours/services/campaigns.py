"""Verbs of a campaign and its quotas: a union opens a campaign of an honour for a year with its dates, materials,
total quota and reserves; each union splits its allocation among the unions below it."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import require, verb
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User

from ..choices import Level, Material, NominationState
from ..models import Allocation, Campaign, HonourType, Nomination
from ..rules import quotas
from .common import _refuse

TITLE_MAX = 120
# Which union organises a campaign of each level: national honours are recommended by the province (its quota
# from the national federation), provincial ones conferred by it; a city and a county confer their own.
ORGANISERS = {Level.NATIONAL: OrgKind.PROVINCE, Level.PROVINCE: OrgKind.PROVINCE, Level.CITY: OrgKind.CITY,
              Level.COUNTY: OrgKind.COUNTY}


def _reserves(reserves: Mapping[str, int]) -> dict[str, int]:
    unknown = sorted(set(reserves) - set(quotas.RESERVES))
    if unknown:
        raise DomainError(_("Unknown reserve: %(k)s.") % {"k": "、".join(unknown)}, field="reserves")
    return {f"reserve_{k}": int(reserves.get(k, 0)) for k in quotas.RESERVES}


@verb
def create_campaign(*, actor: User, honour_type: HonourType, org: Org, year: int, title: str,
                    opens_on: datetime.date, submit_until: datetime.date, total: int,
                    reserves: Mapping[str, int] | None = None, materials: Sequence[str] = (),
                    notes: str = "") -> Campaign:
    """A campaign of an honour for a year, organised by the union of its level, with the total quota and its
    reserves (the front-line reserve at least the type's share of front-line workers)."""
    require(org, actor, "change")
    if not honour_type.active:
        raise DomainError(_("This honour type is no longer awarded."), field="honour_type")
    if org.kind != ORGANISERS[Level(honour_type.level)]:
        raise DomainError(_("A campaign of a %(level)s honour is organised by a %(kind)s.") % {
            "level": Level(honour_type.level).label,
            "kind": OrgKind(ORGANISERS[Level(honour_type.level)]).label}, field="honour_type")
    title = title.strip()
    if not title or len(title) > TITLE_MAX:
        raise DomainError(_("Give the campaign's title (at most %(n)s characters).") % {"n": TITLE_MAX},
                          field="title")
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year + 1:
        raise DomainError(_("A campaign is for this year, the last or the next."), field="year")
    if submit_until < today:
        raise DomainError(_("The deadline for nominations cannot be in the past."), field="submit_until")
    if opens_on > submit_until:
        raise DomainError(_("Nominations open before their deadline."), field="opens_on")
    unknown = [m for m in materials if m not in Material.values]
    if unknown:
        raise DomainError(_("Unknown material: %(m)s.") % {"m": "、".join(unknown)}, field="materials")
    if Campaign.objects.filter(honour_type=honour_type, org=org, year=year).exists():
        raise DomainError(_("%(org)s already has a campaign of this honour in %(year)s.") % {
            "org": org.name, "year": year}, field="year")
    if total < 1 or total > 100000:
        raise DomainError(_("The total quota lies between 1 and 100,000."), field="total")
    fields = _reserves(reserves or {})
    floor = quotas.front_line_floor(total, honour_type.front_line_share)
    if fields["reserve_front_line"] < floor:
        raise DomainError(_("%(honour)s asks for at least %(share)s %% front-line workers: reserve at least "
                            "%(n)s places for them.") % {"honour": honour_type.name,
                                                          "share": honour_type.front_line_share, "n": floor},
                          field="reserve_front_line")
    share = quotas.Share(total, {k: fields[f"reserve_{k}"] for k in quotas.RESERVES})
    _refuse(quotas.share_problems(share, "total"))
    campaign = Campaign.objects.create(honour_type=honour_type, org=org, year=year, title=title, opens_on=opens_on,
                                       submit_until=submit_until, materials=sorted(set(materials)),
                                       notes=notes.strip(), created_by=actor)
    Allocation.objects.create(campaign=campaign, org=org, quota=total, allocated_by=actor, **fields)
    audit.record(actor, "honours.campaign.created", campaign,
                 after={"title": title, "year": year, "total": total, **fields})
    return campaign


@verb
def allocate_quotas(*, actor: User, allocation: Allocation, shares: Mapping[Org, quotas.Share]) -> list[Allocation]:
    """The union of `allocation` splits it among unions below it (any depth, none under another): each gets a
    quota and its reserves; the table replaces the union's previous split (a union left out, or given 0, loses its
    share if it has nominated nobody). Every reason a split is refused is listed at once."""
    parent = (Allocation.objects.select_for_update(of=("self",)).select_related("org", "campaign")
              .get(pk=allocation.pk))
    if not parent.can_allocate(actor):
        raise PermissionDeniedError(_("Only %(org)s (or a union above it) shares out its quota.") % {
            "org": parent.org.name})
    existing = {a.org_id: a for a in Allocation.objects.select_for_update(of=("self",)).filter(parent=parent)}
    for org in shares:
        if not org.path.startswith(parent.org.path) or org.pk == parent.org_id:
            raise DomainError(_("%(org)s is not below %(parent)s.") % {"org": org.name, "parent": parent.org.name},
                              field="quota")
    given = {o: s for o, s in shares.items() if s.quota or any(s.reserves.values())}
    paths = sorted(o.path for o in given)
    if any(b.startswith(a) for a, b in itertools.pairwise(paths)):
        raise DomainError(_("Quotas are given to unions of which none lies under another."), field="quota")
    dropped = [a for pk, a in existing.items() if pk not in {o.pk for o in given}]
    for a in dropped:
        if a.nominated or a.children.exists():
            raise DomainError(_("%(org)s has already nominated or shared out its quota: it keeps a share.") % {
                "org": a.org.name}, field="quota")
    used = {o.name: existing[o.pk].used if o.pk in existing else _taken_over(parent, o) for o in given}
    below = {o.name: _given_below(existing[o.pk]) for o in given if o.pk in existing}
    problems = quotas.allocation_problems(parent.share, {o.name: s for o, s in given.items()}, used)
    for o, s in given.items():
        handed = below.get(o.name)
        if handed is not None and handed > s.quota:
            problems.append(quotas.Problem("below_used", "quota", {"org": o.name, "used": handed, "quota": s.quota}))
        elif handed:  # its own split must still carry the reserves it is now given
            own = {str(c.org_id): c.share for c in existing[o.pk].children.all()}
            problems += [quotas.Problem(p.code, p.field, {**p.params, "org": o.name})
                         for p in quotas.allocation_problems(s, own) if p.code == "reserve_short"]
    _refuse(problems)
    Nomination.objects.filter(allocation__in=dropped).update(allocation=parent)  # drafts only (checked above)
    Allocation.objects.filter(pk__in=[a.pk for a in dropped]).delete()
    rows = []
    for org, share in given.items():
        fields = {"quota": share.quota, **{f"reserve_{k}": share.reserved(k) for k in quotas.RESERVES}}
        row = existing.get(org.pk)
        if row is None:
            taken = used[org.name]
            row = Allocation.objects.create(
                campaign=parent.campaign, org=org, parent=parent, allocated_by=actor, nominated=taken.total,
                **{f"nominated_{k}": taken.of(k) for k in quotas.KINDS}, **fields)
            # the union's nominations made under the parent's share now count under its own
            Nomination.objects.filter(allocation=parent, unit__path__startswith=org.path).update(allocation=row)
        else:
            for k, v in fields.items():
                setattr(row, k, v)
            row.allocated_by = actor
            row.save(update_fields=[*fields, "allocated_by", "updated_at"])
        rows.append(row)
    audit.record(actor, "honours.quotas.allocated", parent.campaign, org=parent.org, after={
        "allocating_union": parent.org.name,
        "quotas": {o.name: s.quota for o, s in given.items()},
        **{f"reserve_{k}": {o.name: s.reserved(k) for o, s in given.items() if s.reserved(k)}
           for k in quotas.RESERVES if any(s.reserved(k) for s in given.values())}})
    return rows


def _taken_over(parent: Allocation, org: Org) -> quotas.Used:
    """What a union given a share for the first time has already nominated under its parent's share."""
    kinds = list(Nomination.objects.filter(allocation=parent, unit__path__startswith=org.path,
                                           state=NominationState.SUBMITTED).values_list("kinds", flat=True))
    return quotas.Used(len(kinds), {k: sum(k in ks for ks in kinds) for k in quotas.KINDS})


def _given_below(allocation: Allocation) -> int:
    """What a union has already shared out among its own children (its quota may not fall below it)."""
    return sum(allocation.children.values_list("quota", flat=True))
