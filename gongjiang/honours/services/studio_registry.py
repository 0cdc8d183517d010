"""Correcting a studio's registry entry (更正): the recognising union (or one above it) changes the name, the field
of work, the host enterprise, the lead, the level or the year recognised — every change checked as a registration
is, refused with the field it concerns, nothing written on a refusal, audited with what it was and what it became.
A change of the host, the level or the year is a correction of the recognition and carries a reason; the studios'
counters move with the studio (what it counted under the old host, level and year is taken back and counted again
under the new ones)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import verb
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User

from .. import studio_counters
from ..models import Studio, StudioMember
from ..rules import studios as rules
from ..studio_choices import StudioLevel
from ..studio_counters import year_day
from .studios import (
    NAME_MAX,
    _city,
    _locked,
    _not_revoked,
    _reason,
    _require_recogniser,
    _works_in,
    _year,
)

SPECIALTY_MAX = 120


def _figures(studio: Studio) -> Counter[tuple[datetime.date, str]]:
    """What the studio counts in the studios' figures beside its recognition: (day, figure) → how many
    (`studio_counters.rows`)."""
    return Counter(studio_counters.counted_by(studio))


def _move_figures(studio: Studio, old: tuple[Org, str, int], new: tuple[Org, str, int],
                  figures: Counter[tuple[datetime.date, str]]) -> None:
    """Take back what the studio counted under the old host, level and year, and count it under the new ones (its
    recognition on the first day of the year recognised)."""
    if old == new:
        return
    for sign, (host, level, year) in ((-1, old), (+1, new)):
        by_day: dict[datetime.date, dict[str, int]] = {year_day(year): {"recognised": sign}}
        for (day, field), n in figures.items():
            by_day.setdefault(day, {})[field] = by_day.get(day, {}).get(field, 0) + sign * n
        for day, deltas in sorted(by_day.items()):
            studio_counters.add(host, day, level, **deltas)


@verb
def update_studio(*, actor: User, studio: Studio, name: str | None = None, specialty: str | None = None,
                  host: Org | None = None, lead: Person | None = None, level: str | None = None,
                  year: int | None = None, reason: str = "") -> Studio:
    """更正: the recognising union corrects the studio's registry entry. Only what is given changes; nothing given,
    or nothing different, is refused. The host stays an enterprise's union within the recognising union, and the lead
    and the members must work there; the level is one the recognising union may recognise; the year not after a year
    the studio was assessed or funded in. A new lead who was a member is no longer one (as when the host changes
    it)."""
    studio = _locked(studio)
    _require_recogniser(actor, studio)
    _not_revoked(studio)
    before = {"name": studio.name, "specialty": studio.specialty, "host": studio.host.name,
              "lead": studio.lead.name, "studio_level": studio.level, "year": studio.year}
    new_name = studio.name if name is None else name.strip()
    new_specialty = studio.specialty if specialty is None else specialty.strip()
    new_host = host or studio.host
    new_lead = lead or studio.lead
    new_level = level or studio.level
    new_year = studio.year if year is None else year
    if not new_name or len(new_name) > NAME_MAX:
        raise DomainError(_("Give the studio's name (at most %(n)s characters).") % {"n": NAME_MAX}, field="name")
    if len(new_specialty) > SPECIALTY_MAX:
        raise DomainError(_("The field of work has at most 120 characters."), field="specialty")
    if new_level not in StudioLevel.values:
        raise DomainError(_("Choose the level the studio was recognised at."), field="level")
    recogniser = studio.recognised_by
    if not rules.may_recognise(new_level, recogniser.kind):
        raise DomainError(_("A studio of the %(level)s is recognised by %(kinds)s, not by %(org)s.") % {
            "level": StudioLevel(new_level).label, "org": recogniser.name,
            "kinds": "、".join(str(OrgKind(k).label) for k in sorted(rules.RECOGNISERS[new_level]))},
            field="level")
    if new_host.pk != studio.host_id:
        if new_host.kind != OrgKind.GRASSROOTS:
            raise DomainError(_("The host of a studio is an enterprise's union (a grassroots union)."), field="host")
        if not (new_host.path.startswith(recogniser.path)
                or (new_host.industry_path and new_host.industry_path.startswith(recogniser.path))):
            raise DomainError(_("%(host)s is not within %(org)s.") % {"host": new_host.name, "org": recogniser.name},
                              field="host")
    _year(new_year)
    _works_in(new_lead, new_host, "lead")
    members = list(studio.members.select_related("person__employer"))
    if new_host.pk != studio.host_id:
        away = [m.person.name for m in members if m.person_id != new_lead.pk
                and not m.person.employer.path.startswith(new_host.path)]
        if away:
            raise DomainError(_("These members do not work in %(org)s: %(names)s. Change the members first.") % {
                "org": new_host.name, "names": "、".join(away)}, field="host")
    if new_year != studio.year:
        earliest = min([a.year for a in studio.assessments.all()] + [f.year for f in studio.funding.all()],
                       default=None)
        if earliest is not None and new_year > earliest:
            raise DomainError(_("The studio was assessed or funded in %(year)s: it was recognised in that year or "
                                "before.") % {"year": earliest}, field="year")
    if (new_name != studio.name or new_host.pk != studio.host_id) and Studio.objects.filter(
            host=new_host, name=new_name).exclude(pk=studio.pk).exists():
        raise DomainError(_("%(org)s already has a studio of this name.") % {"org": new_host.name}, field="name",
                          code="duplicate")
    after = {"name": new_name, "specialty": new_specialty, "host": new_host.name, "lead": new_lead.name,
             "studio_level": new_level, "year": new_year}
    if after == before and new_host.pk == studio.host_id and new_lead.pk == studio.lead_id:
        raise DomainError(_("Nothing to change: the entry is already as given."), field="name", code="unchanged")
    correction = (new_host.pk, new_level, new_year) != (studio.host_id, studio.level, studio.year)
    note = _reason(reason) if correction else reason.strip()[:2000]
    figures = _figures(studio)
    old = (studio.host, studio.level, studio.year)
    if new_lead.pk != studio.lead_id:
        StudioMember.objects.filter(studio=studio, person=new_lead).delete()
    studio.name, studio.specialty, studio.lead, studio.level, studio.year = (
        new_name, new_specialty, new_lead, new_level, new_year)
    if new_host.pk != studio.host_id:
        studio.host, studio.city = new_host, _city(new_host)
    studio.save(update_fields=["name", "specialty", "host", "city", "lead", "level", "year"])
    _move_figures(studio, old, (new_host, new_level, new_year), figures)
    old_diff, new_diff = audit.diff(before, after)
    audit.record(actor, "honours.studio.updated", studio, before=old_diff, after=new_diff, note=note)
    return studio
