"""Job help (就业援助): job offers and training places of a union, matched to laid-off workers of the archive in its
reach — a simple, explained match: the files of the offer's county first, then of its city — and their outcomes."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User

from .. import figures
from ..choices import FileStatus, JobKind, JobOutcome
from ..models import HouseholdFile, JobMatch, JobOffer
from .aid import _require_level, _text


@verb
def create_job_offer(*, actor: User, org: Org, kind: str, employer: str, title: str, places: int) -> JobOffer:
    """A job offer or training place of `org` (a province, city or county federation, or a union below them)."""
    _require_level(actor, org)
    if kind not in JobKind.values:
        raise DomainError(_("Choose a job offer or a training place."), field="kind")
    employer, title = _text(employer, "employer"), _text(title, "title")
    if isinstance(places, bool) or not 1 <= places <= 10000:
        raise DomainError(_("The places must be a whole number from 1 to 10000."), field="places")
    offer = JobOffer.objects.create(org=org, kind=kind, employer=employer, title=title, places=places,
                                    created_by=actor)
    audit.record(actor, "care.job.offered", offer, after={"job_kind": kind, "employer": employer, "title": title,
                                                          "places": places})
    return offer


def _area(org: Org, kind: str) -> Org | None:
    return next((o for o in reversed(org.ancestors_and_self()) if o.kind == kind), None)


@verb
def match_offer(*, actor: User, offer: JobOffer) -> int:
    """Propose the offer to laid-off workers (cause 失业) of the archive under the offer's union, not yet matched to
    it: those of the offer's county first, then of its city, at most twice the places. Returns the new matches."""
    _require_level(actor, offer.org)
    county, city = _area(offer.org, OrgKind.COUNTY), _area(offer.org, OrgKind.CITY)
    reach = city or offer.org
    taken = set(offer.matches.values_list("file_id", flat=True))
    rows = [(pk, union_id, path) for pk, union_id, path in HouseholdFile.objects.filter(
        status=FileStatus.ACTIVE, causes_text__contains=",unemployment,", union__path__startswith=reach.path)
        .values_list("pk", "union_id", "union__path").order_by("pk") if pk not in taken]
    if not offer.org.path.startswith(reach.path):
        rows = []
    first = [r for r in rows if county is not None and r[2].startswith(county.path)]
    then = [r for r in rows if r not in first]
    room = max(offer.places * 2 - len(taken), 0)
    picked = []
    for pk, union_id, _path in first:
        picked.append(JobMatch(offer=offer, file_id=pk, union_id=union_id, reason=_(
            "Laid off; in the same county as the offer (%(area)s).") % {"area": county.display_name if county else ""}))
    for pk, union_id, _path in then:
        picked.append(JobMatch(offer=offer, file_id=pk, union_id=union_id, reason=_(
            "Laid off; in the same city as the offer (%(area)s).") % {"area": reach.display_name}))
    picked = picked[:room]
    JobMatch.objects.bulk_create(picked)
    audit.record(actor, "care.job.matched", offer, after={"rows": len(picked)})
    return len(picked)


@verb
def record_outcome(*, actor: User, match: JobMatch, outcome: str, day: datetime.date | None = None) -> JobMatch:
    """The outcome of a match (employed, trained, declined), recorded once by the worker's union or above."""
    match = JobMatch.objects.select_for_update().select_related("union", "offer").get(pk=match.pk)
    _require_level(actor, match.union)
    if outcome not in (JobOutcome.EMPLOYED, JobOutcome.TRAINED, JobOutcome.DECLINED):
        raise DomainError(_("Choose the outcome: employed, trained or declined."), field="outcome")
    if match.outcome != JobOutcome.PROPOSED:
        raise DomainError(_("The outcome of this match is recorded already."), field="outcome")
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="day")
    match.outcome, match.outcome_on = outcome, day
    match.save(update_fields=["outcome", "outcome_on"])
    if outcome in (JobOutcome.EMPLOYED, JobOutcome.TRAINED):
        facts.add(match.union, day, {figures.JOB_HELPED: 1})
    audit.record(actor, "care.job.outcome", match, after={"outcome": outcome, "day": day})
    return match
