"""Verbs of a nomination: a union nominates (one form per nominee: a person of its roster, a collective, an
organisation), completes the account of deeds and the materials, and submits it upward — where its completeness,
the nominee's eligibility and the quotas with their reserves on every level above are checked, each refusal listing
every reason at once — or withdraws it while it waits."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, files
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.scoping import ancestors, path_step
from gongjiang.core.services import require, verb
from gongjiang.orgs import facts
from gongjiang.orgs.choices import Gender, OrgKind, Ownership
from gongjiang.orgs.models import Org, Person, User

from .. import figures
from ..choices import HolderStatus, Material, NominationState, Subject
from ..models import Allocation, Campaign, Holder, Nomination, NominationFile
from ..rules import eligibility, quotas
from .common import _refuse

DEEDS_MIN = 30  # an account of deeds shorter than this tells the reviewers nothing
NON_PUBLIC = {Ownership.PRIVATE, Ownership.FOREIGN, Ownership.HMT}
COLLECTIVE_KINDS = {OrgKind.DEPARTMENT, OrgKind.TEAM}


def _allocation_for(campaign: Campaign, unit: Org) -> Allocation | None:
    """The allocation a unit's nominations count under: the nearest one above it in the regional tree; if that is
    only the campaign's total and its industry union has a share, the industry union's."""
    step = path_step()
    regional = (Allocation.objects.filter(campaign=campaign, org__path__in=ancestors(unit.path, step))
                .select_related("org").order_by("-org__depth").first())
    if regional is not None and regional.parent_id is None and unit.industry_path:
        industry = (Allocation.objects.filter(campaign=campaign, org__path__in=ancestors(unit.industry_path, step))
                    .exclude(parent__isnull=True).select_related("org").order_by("-org__depth").first())
        return industry or regional
    return regional


def _locked(nomination: Nomination) -> Nomination:
    return (Nomination.objects.select_for_update(of=("self",))
            .select_related("campaign__honour_type", "unit", "person__employer", "nominee_org", "allocation__org")
            .get(pk=nomination.pk))


def _require_unit(actor: User, nomination: Nomination) -> None:
    if not nomination.unit.in_scope(actor, "change"):
        raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": nomination.unit.name})


def _require_draft(nomination: Nomination) -> None:
    if not nomination.editable:  # a draft, or returned to the unit for correction
        raise DomainError(_("This nomination is %(state)s: it cannot be changed now.") % {
            "state": nomination.get_state_display()}, field="state", code="wrong_state")


def _facts(years_in_trade: int | None, deeds: str) -> None:
    if years_in_trade is not None and not 0 <= years_in_trade <= 60:
        raise DomainError(_("Years in the trade lie between 0 and 60."), field="years_in_trade")
    if len(deeds) > 5000:
        raise DomainError(_("The account of deeds has at most 5,000 characters."), field="deeds")


@verb
def nominate(*, actor: User, campaign: Campaign, unit: Org, subject: str, person: Person | None = None,
             nominee_org: Org | None = None, name: str = "", front_line: bool = False, is_leader: bool = False,
             years_in_trade: int | None = None, disciplinary_record: bool = False, deeds: str = "") -> Nomination:
    """A union starts a nomination (a draft) for one nominee: a person of its roster, a collective (a team or
    workshop of its own, or a named group) or an organisation within its reach."""
    require(unit, actor, "change")
    honour = campaign.honour_type
    if not campaign.is_open():
        raise DomainError(_("Nominations are taken from %(start)s to %(end)s.") % {
            "start": campaign.opens_on.isoformat(), "end": campaign.submit_until.isoformat()}, field="campaign",
            code="closed")
    if subject != honour.subject:
        raise DomainError(_("This honour is conferred on %(subject)s.") % {"subject": Subject(honour.subject).label
                                                                          if honour.subject in Subject.values else
                                                                          honour.subject}, field="subject")
    allocation = _allocation_for(campaign, unit)
    if allocation is None:
        raise DomainError(_("%(org)s has no quota in this campaign.") % {"org": unit.name}, field="unit")
    name = name.strip()
    deeds = deeds.strip()
    _facts(years_in_trade, deeds)
    if subject == Subject.PERSON:
        if person is None:
            raise DomainError(_("Choose the nominee from the roster."), field="person")
        if not person.employer.path.startswith(unit.path):
            raise DomainError(_("%(name)s does not work in %(org)s.") % {"name": person.name, "org": unit.name},
                              field="person")
        if Nomination.objects.filter(campaign=campaign, person=person).exists():
            raise DomainError(_("%(name)s is already nominated in this campaign.") % {"name": person.name},
                              field="person", code="duplicate")
        name, nominee_org, front_line = person.name, None, person.is_front_line
    else:
        is_leader, years_in_trade = False, None
        if subject == Subject.ORG and nominee_org is None:
            raise DomainError(_("Choose the organisation nominated."), field="nominee_org")
        if nominee_org is not None:
            if not nominee_org.path.startswith(unit.path):
                raise DomainError(_("%(name)s is not within %(org)s.") % {"name": nominee_org.name, "org": unit.name},
                                  field="nominee_org")
            if subject == Subject.COLLECTIVE and nominee_org.kind not in COLLECTIVE_KINDS:
                raise DomainError(_("A collective is a workshop or a team."), field="nominee_org")
            if subject == Subject.ORG and nominee_org.kind in COLLECTIVE_KINDS:
                raise DomainError(_("A workshop or a team is nominated as a collective."), field="nominee_org")
            if Nomination.objects.filter(campaign=campaign, nominee_org=nominee_org).exists():
                raise DomainError(_("%(name)s is already nominated in this campaign.") % {"name": nominee_org.name},
                                  field="nominee_org", code="duplicate")
            name = name or nominee_org.name
        if not name or len(name) > 120:
            raise DomainError(_("Give the collective's name (at most 120 characters)."), field="name")
        person = None
    nomination = Nomination.objects.create(
        campaign=campaign, unit=unit, allocation=allocation, subject=subject, person=person, nominee_org=nominee_org,
        name=name, front_line=front_line, is_leader=is_leader, years_in_trade=years_in_trade,
        disciplinary_record=disciplinary_record, deeds=deeds, created_by=actor)
    audit.record(actor, "honours.nomination.created", nomination, after={
        "campaign": campaign.title, "nominee": name})
    return nomination


@verb
def update_nomination(*, actor: User, nomination: Nomination, deeds: str, is_leader: bool = False,
                      front_line: bool | None = None, years_in_trade: int | None = None,
                      disciplinary_record: bool = False) -> Nomination:
    """Complete or correct a draft: the account of deeds and the facts the rules read (front-line is the roster's
    for a person)."""
    nomination = _locked(nomination)
    _require_unit(actor, nomination)
    _require_draft(nomination)
    deeds = deeds.strip()
    _facts(years_in_trade, deeds)
    fields = ["deeds", "disciplinary_record"]
    before = audit.snapshot(nomination, ["deeds", "is_leader", "front_line", "years_in_trade",
                                         "disciplinary_record"])
    nomination.deeds, nomination.disciplinary_record = deeds, disciplinary_record
    if nomination.subject == Subject.PERSON:
        nomination.is_leader, nomination.years_in_trade = is_leader, years_in_trade
        fields += ["is_leader", "years_in_trade"]
    elif front_line is not None:
        nomination.front_line = front_line
        fields.append("front_line")
    nomination.save(update_fields=fields)
    old, new = audit.diff(before, audit.snapshot(nomination, list(before)))
    if new:
        audit.record(actor, "honours.nomination.updated", nomination, before=old, after=new)
    return nomination


def _check_upload(upload: UploadedFile) -> None:
    name = upload.name or ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    problem = files.problem(name, upload.size or 0, head)
    if problem == "type":
        raise DomainError(_("%(name)s: only these file types are accepted: %(types)s.") % {
            "name": name, "types": ", ".join(files.ALLOWED)}, field="files", code="file_type")
    if problem == "size":
        raise DomainError(_("%(name)s is empty or larger than %(mb)s MB.") % {
            "name": name, "mb": files.MAX_BYTES // (1024 * 1024)}, field="files", code="file_size")


@verb
def add_nomination_files(*, actor: User, nomination: Nomination, kind: str,
                         uploads: Sequence[UploadedFile]) -> list[NominationFile]:
    """Attach materials of one kind to a draft: every file checked (type by its first bytes, size) before any is
    stored; stored under random names outside the web root."""
    nomination = _locked(nomination)
    _require_unit(actor, nomination)
    _require_draft(nomination)
    if kind not in Material.values:
        raise DomainError(_("Choose the kind of material."), field="kind")
    if not uploads:
        raise DomainError(_("Choose the files to attach."), field="files")
    for upload in uploads:
        _check_upload(upload)
    if nomination.files.count() + len(uploads) > files.MAX_FILES:
        raise DomainError(_("A nomination holds at most %(n)s files.") % {"n": files.MAX_FILES}, field="files",
                          code="too_many_files")
    stored = []
    for upload in uploads:
        ext = files.extension(upload.name or "")
        row = NominationFile(nomination=nomination, kind=kind, name=(upload.name or "")[-120:],
                             size=upload.size or 0, content_type=files.CONTENT_TYPES[ext], uploaded_by=actor)
        row.file.save(upload.name or f"file.{ext}", upload, save=False)
        row.save()
        stored.append(row)
        audit.record(actor, "honours.nomination.file_added", nomination,
                     after={"file_name": row.name, "material": kind})
    return stored


def _kinds(nomination: Nomination) -> frozenset[str]:
    """The kinds a nominee counts as for the reserves and the leaders' cap."""
    kinds: set[str] = set()
    where = nomination.person.employer if nomination.person else (nomination.nominee_org or nomination.unit)
    enterprise = where.grassroots_union() or nomination.unit
    if enterprise.ownership in NON_PUBLIC:
        kinds.add("non_public")
    if nomination.person is not None:
        if nomination.person.is_front_line:
            kinds.add("front_line")
        if nomination.person.gender == Gender.FEMALE:
            kinds.add("women")
        if nomination.is_leader:
            kinds.add("leader")
    elif nomination.front_line:
        kinds.add("front_line")
    return frozenset(kinds)


def _nominee(nomination: Nomination) -> eligibility.Nominee:
    held = Holder.objects.filter(revoked=False).exclude(status=HolderStatus.REVOKED)  # a revoked title counts not
    if nomination.person_id:
        held = held.filter(person_id=nomination.person_id)
    elif nomination.nominee_org_id:
        held = held.filter(org_id=nomination.nominee_org_id)
    else:
        held = held.none()
    codes = frozenset(held.values_list("honour_type__code", flat=True))
    age = nomination.person.age_on(nomination.campaign.submit_until) if nomination.person else None
    return eligibility.Nominee(subject=nomination.subject, age=age, years=nomination.years_in_trade,
                               disciplinary=nomination.disciplinary_record, held=codes)


def _incomplete(nomination: Nomination) -> list[str]:
    missing = []
    if len(nomination.deeds) < DEEDS_MIN:
        missing.append(_("the account of deeds (at least %(n)s characters)") % {"n": DEEDS_MIN})
    if nomination.subject == Subject.PERSON and nomination.years_in_trade is None:
        missing.append(_("the years in the trade"))
    have = set(nomination.files.values_list("kind", flat=True))
    missing += [str(Material(m).label) for m in nomination.campaign.materials if m not in have]
    return missing


def _count(chain: Sequence[Allocation], kinds: frozenset[str], sign: int) -> None:
    """Add (or take back) one nomination of `kinds` to the counters of every allocation of the chain, in one
    UPDATE with F() (two submissions under the same city both count)."""
    Allocation.objects.filter(pk__in=[a.pk for a in chain]).update(
        nominated=F("nominated") + sign, **{f"nominated_{k}": F(f"nominated_{k}") + sign for k in kinds})


def _chain(allocation: Allocation) -> list[Allocation]:
    """The allocation and every one above it, locked, the campaign's total first (one query)."""
    return list(Allocation.objects.select_for_update(of=("self",)).select_related("org")
                .filter(campaign_id=allocation.campaign_id,
                        org__path__in=ancestors(allocation.org.path, path_step())).order_by("org__depth"))


@verb
def submit_nomination(*, actor: User, nomination: Nomination) -> Nomination:
    """Submit a complete draft upward. Refused, with every reason at once, when something is missing (the deeds,
    the years, a required material), when the nominee fails the honour's criteria, or when it does not fit the
    quota of its union or of any union above it (over the quota, a place kept for another kind of nominee, the
    leaders' cap of the whole campaign)."""
    nomination = _locked(nomination)
    _require_unit(actor, nomination)
    _require_draft(nomination)
    campaign = nomination.campaign
    if not campaign.is_open():
        raise DomainError(_("Nominations are taken from %(start)s to %(end)s.") % {
            "start": campaign.opens_on.isoformat(), "end": campaign.submit_until.isoformat()}, field="campaign",
            code="closed")
    missing = _incomplete(nomination)
    if missing:
        raise DomainError(_("The nomination is incomplete: %(missing)s.") % {"missing": "、".join(missing)},
                          field="materials", code="incomplete")
    _refuse(eligibility.problems(campaign.honour_type.criteria, _nominee(nomination)), code="ineligible")
    kinds = _kinds(nomination)
    chain = _chain(nomination.allocation)
    cap = quotas.leader_cap(chain[0].quota, campaign.honour_type.leader_share) if chain else None
    problems = []
    for a in chain:
        problems += quotas.admission_problems(a.share, a.used, kinds, cap=cap if a.parent_id is None else None,
                                              org=a.org.name)
    _refuse(problems, code="quota")
    _count(chain, kinds, +1)
    before = nomination.state
    counted = figures.submitted_day(nomination.submitted_at)  # submitted before and returned: moves to today
    nomination.state, nomination.kinds, nomination.submitted_at = NominationState.SUBMITTED, sorted(kinds), \
        timezone.now()
    if counted is not None:
        facts.add(nomination.unit, counted, {figures.NOMINATIONS: -1})
    facts.add(nomination.unit, timezone.localdate(nomination.submitted_at), {figures.NOMINATIONS: 1})
    nomination.at = nomination.allocation  # decided first by the union whose share it counts under
    nomination.save(update_fields=["state", "kinds", "submitted_at", "at"])
    audit.record(actor, "honours.nomination.submitted", nomination, before={"state": before},
                 after={"state": NominationState.SUBMITTED})
    return nomination


@verb
def withdraw_nomination(*, actor: User, nomination: Nomination) -> Nomination:
    """Take a submitted nomination back into a draft (its place in the quotas is freed)."""
    nomination = _locked(nomination)
    _require_unit(actor, nomination)
    if nomination.state != NominationState.SUBMITTED:
        raise DomainError(_("Only a submitted nomination can be withdrawn."), field="state", code="wrong_state")
    if nomination.at_id != nomination.allocation_id:
        raise DomainError(_("This nomination has been forwarded by %(org)s already: it can no longer be "
                            "withdrawn.") % {"org": nomination.allocation.org.name}, field="state",
                          code="forwarded")
    _count(_chain(nomination.allocation), frozenset(nomination.kinds), -1)
    counted = figures.submitted_day(nomination.submitted_at)
    if counted is not None:
        facts.add(nomination.unit, counted, {figures.NOMINATIONS: -1})
    nomination.state, nomination.kinds, nomination.submitted_at = NominationState.DRAFT, [], None
    nomination.at = None
    nomination.save(update_fields=["state", "kinds", "submitted_at", "at"])
    audit.record(actor, "honours.nomination.withdrawn", nomination, before={"state": NominationState.SUBMITTED},
                 after={"state": NominationState.DRAFT})
    return nomination
