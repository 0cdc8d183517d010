"""Verbs of the studios (劳模创新工作室, 高技能人才创新工作室, 职工创新工作室, 创新型班组): a union registers a studio
it recognised (only a union at or above the level: a 省级 studio by the province), the host union keeps its members, its
lead and the funding it received and fills the yearly self-assessment with evidence; the recognising union confirms
or adjusts each item (an adjustment with a reason) and gives the result. Two 不合格 in consecutive years suspend the
studio, as does a serious fault the recognising union records; the recognising union then revokes it (取消资格) with a
decision and a reason, or reinstates it. The host union's cadres are notified of a suspension and a revocation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, files, notifications, registry
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.rubrics import rubric as engine
from gongjiang.core.rubrics import scoring
from gongjiang.core.services import require, verb
from gongjiang.orgs.choices import OrgKind, Role
from gongjiang.orgs.models import Org, Person, RoleGrant, User
from gongjiang.orgs.scoping import ancestors

from .. import studio_counters, studio_rubrics
from ..models import (
    Assessment,
    AssessmentFile,
    AssessmentScore,
    Rubric,
    Studio,
    StudioFunding,
    StudioMember,
    StudioStatusChange,
)
from ..rules import studios as rules
from ..rules.eligibility import Problem
from ..studio_choices import AssessmentState, MemberRole, Result, StudioKind, StudioLevel, StudioStatus
from ..studio_counters import year_day
from .nominations import _check_upload

NAME_MAX = 120
FIRST_YEAR = 1990
REASON_MIN = 4  # a reason of a word or two tells the host union nothing
MAX_MEMBERS = 60
FUNDING_MAX = Decimal(10000)  # 万元: a hundred million yuan is a typing error


def _year(year: int, field: str = "year", earliest: int = FIRST_YEAR) -> None:
    today = timezone.localdate()
    if not earliest <= year <= today.year:
        raise DomainError(_("The year lies between %(first)s and %(last)s.") % {"first": earliest, "last": today.year},
                          field=field)


def _locked(studio: Studio) -> Studio:
    return (Studio.objects.select_for_update(of=("self",)).select_related("host", "recognised_by", "lead")
            .get(pk=studio.pk))


def _require_host(actor: User, studio: Studio) -> None:
    if not studio.host.in_scope(actor, "change"):
        raise PermissionDeniedError(_("Only %(org)s (or a union above it) keeps this studio.") % {
            "org": studio.host.name})


def _require_recogniser(actor: User, studio: Studio) -> None:
    if not studio.recognised_by.in_scope(actor, "change"):
        raise PermissionDeniedError(_("Only %(org)s, which recognised this studio, decides on it.") % {
            "org": studio.recognised_by.name})


def _not_revoked(studio: Studio) -> None:
    if studio.status == StudioStatus.REVOKED:
        raise DomainError(_("This studio's recognition was revoked: it cannot be changed."), field="status",
                          code="revoked")


def _works_in(person: Person, host: Org, field: str) -> None:
    if not person.employer.path.startswith(host.path):
        raise DomainError(_("%(name)s does not work in %(org)s.") % {"name": person.name, "org": host.name},
                          field=field)


def _city(host: Org) -> Org | None:
    return (Org.objects.filter(path__in=ancestors(host.path), kind=OrgKind.CITY).order_by("-depth").first())


def _host_cadres(studio: Studio) -> list[int]:
    """The accounts holding a cadre's role (administrator, staff) on the studio's host union."""
    return list(RoleGrant.objects.filter(org_id=studio.host_id, role__in=[Role.ADMIN, Role.STAFF])
                .values_list("user_id", flat=True).distinct())


def _reason(reason: str, field: str = "reason") -> str:
    reason = reason.strip()
    if len(reason) < REASON_MIN or len(reason) > 2000:
        raise DomainError(_("Give the reason (at least %(n)s characters).") % {"n": REASON_MIN}, field=field)
    return reason


def _change_status(actor: User, studio: Studio, after: str, reason: str, decision: str, decided_by: Org,
                   verb_name: str) -> StudioStatusChange:
    before = studio.status
    change = StudioStatusChange.objects.create(studio=studio, on=timezone.localdate(), before=before, after=after,
                                               reason=reason, decision=decision, decided_by=decided_by, by=actor)
    studio.status = after
    studio.save(update_fields=["status"])
    counted = studio_counters.STATUS_FIELD.get(StudioStatus(after))
    if counted:
        studio_counters.add(studio.host, change.on, studio.level, **{counted: 1})
    audit.record(actor, verb_name, studio, before={"studio_status": before},
                 after={"studio_status": after, "reason": reason, "decision": decision, "decided_by": decided_by.name})
    if after in (StudioStatus.SUSPENDED, StudioStatus.REVOKED):
        title = (gettext_lazy("Studio suspended: %(studio)s") if after == StudioStatus.SUSPENDED
                 else gettext_lazy("Studio's recognition revoked: %(studio)s"))
        notifications.notify(_host_cadres(studio), verb_name, studio, title=title,
                             body=gettext_lazy("%(union)s: %(reason)s %(decision)s"),
                             params={"studio": studio.name, "union": decided_by.name, "reason": reason,
                                     "decision": decision}, url=studio.get_absolute_url())
    return change


# ---------------------------------------------------------------------------------------------
# The registry


@verb
def register_studio(*, actor: User, name: str, kind: str, lead: Person, host: Org, level: str, year: int,
                    recognised_by: Org, specialty: str = "",
                    members: Sequence[tuple[Person, str]] = ()) -> Studio:
    """Register a studio a union recognised (命名): the recognising union is the host's or one above it, of the
    level's kind (省级 by the province, 市级 by a city or the province; national studios are registered by the
    province); the lead and the members work in the host enterprise."""
    require(recognised_by, actor, "change")
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError(_("Give the studio's name (at most %(n)s characters).") % {"n": NAME_MAX}, field="name")
    if kind not in StudioKind.values:
        raise DomainError(_("Choose the kind of studio."), field="kind")
    if level not in StudioLevel.values:
        raise DomainError(_("Choose the level the studio was recognised at."), field="level")
    if not rules.may_recognise(level, recognised_by.kind):
        raise DomainError(_("A studio of the %(level)s is recognised by %(kinds)s, not by %(org)s.") % {
            "level": StudioLevel(level).label, "org": recognised_by.name,
            "kinds": "、".join(str(OrgKind(k).label) for k in sorted(rules.RECOGNISERS[level]))},
            field="recognised_by")
    if host.kind != OrgKind.GRASSROOTS:
        raise DomainError(_("The host of a studio is an enterprise's union (a grassroots union)."), field="host")
    if not (host.path.startswith(recognised_by.path)
            or (host.industry_path and host.industry_path.startswith(recognised_by.path))):
        raise DomainError(_("%(host)s is not within %(org)s.") % {"host": host.name, "org": recognised_by.name},
                          field="host")
    _year(year)
    _works_in(lead, host, "lead")
    if len(specialty) > 120:
        raise DomainError(_("The field of work has at most 120 characters."), field="specialty")
    if Studio.objects.filter(host=host, name=name).exists():
        raise DomainError(_("%(org)s already has a studio of this name.") % {"org": host.name}, field="name",
                          code="duplicate")
    _check_members(host, lead, members)
    studio = Studio.objects.create(name=name, kind=kind, lead=lead, host=host, city=_city(host), level=level,
                                   year=year, recognised_by=recognised_by, specialty=specialty.strip(),
                                   created_by=actor)
    StudioMember.objects.bulk_create([StudioMember(studio=studio, person=p, role=r, joined_on=timezone.localdate())
                                      for p, r in members])
    studio_counters.add(host, year_day(year), level, recognised=1)
    audit.record(actor, "honours.studio.registered", studio, after={
        "name": name, "kind": kind, "level": level, "year": year, "lead": lead.name,
        "recognised_by": recognised_by.name, "members": [p.name for p, _r in members]})
    return studio


def _check_members(host: Org, lead: Person, members: Sequence[tuple[Person, str]]) -> None:
    seen: set[int] = set()
    for person, role in members:
        if role not in MemberRole.values:
            raise DomainError(_("Choose the member's role."), field="role")
        _works_in(person, host, "members")
        if person.pk == lead.pk:
            raise DomainError(_("%(name)s leads the studio: the lead is not also a member.") % {"name": person.name},
                              field="members")
        if person.pk in seen:
            raise DomainError(_("%(name)s is listed twice.") % {"name": person.name}, field="members")
        seen.add(person.pk)
    if len(members) > MAX_MEMBERS:
        raise DomainError(_("A studio has at most %(n)s members.") % {"n": MAX_MEMBERS}, field="members")


@verb
def change_studio_members(*, actor: User, studio: Studio, lead: Person | None = None,
                          add: Sequence[tuple[Person, str]] = (), remove: Sequence[Person] = ()) -> Studio:
    """The host union changes the lead (the old lead leaves; a member who becomes the lead is no longer a member),
    adds members with their role and removes members."""
    studio = _locked(studio)
    _require_host(actor, studio)
    _not_revoked(studio)
    if lead is None and not add and not remove:
        raise DomainError(_("Nothing to change: choose a new lead, members to add or members to remove."),
                          field="members")
    current = {m.person_id: m for m in studio.members.select_related("person")}
    gone = {p.pk for p in remove}
    missing = [p.name for p in remove if p.pk not in current]
    if missing:
        raise DomainError(_("Not a member: %(names)s.") % {"names": "、".join(missing)}, field="remove")
    already = [p.name for p, _r in add if p.pk in current and p.pk not in gone]
    if already:
        raise DomainError(_("Already a member: %(names)s.") % {"names": "、".join(already)}, field="add")
    new_lead = lead or studio.lead
    if lead is not None:
        _works_in(lead, studio.host, "lead")
        if lead.pk == studio.lead_id:
            raise DomainError(_("%(name)s already leads the studio.") % {"name": lead.name}, field="lead")
        if lead.pk in current:
            gone.add(lead.pk)
    staying = len([pk for pk in current if pk not in gone])
    _check_members(studio.host, new_lead, list(add))
    if staying + len(add) > MAX_MEMBERS:
        raise DomainError(_("A studio has at most %(n)s members.") % {"n": MAX_MEMBERS}, field="add")
    before = {"lead": studio.lead.name, "members": sorted(m.person.name for m in current.values())}
    StudioMember.objects.filter(studio=studio, person_id__in=gone).delete()
    StudioMember.objects.bulk_create([StudioMember(studio=studio, person=p, role=r, joined_on=timezone.localdate())
                                      for p, r in add])
    if lead is not None:
        studio.lead = lead
        studio.save(update_fields=["lead"])
    after = {"lead": studio.lead.name,
             "members": sorted(StudioMember.objects.filter(studio=studio).values_list("person__name", flat=True))}
    old, new = audit.diff(before, after)
    audit.record(actor, "honours.studio.members_changed", studio, before=old, after=new)
    return studio


@verb
def record_funding(*, actor: User, studio: Studio, year: int, amount: Decimal, source: str) -> StudioFunding:
    """Record money the studio received in a year (in 万元) and where it came from."""
    studio = _locked(studio)
    _require_host(actor, studio)
    _not_revoked(studio)
    _year(year, earliest=studio.year)
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Give the amount in 10,000 yuan."), field="amount") from None
    if not Decimal(0) < amount <= FUNDING_MAX or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("The amount lies between 0.01 and %(max)s (10,000 yuan), with at most two decimals.")
                          % {"max": FUNDING_MAX}, field="amount")
    source = source.strip()
    if not source or len(source) > 80:
        raise DomainError(_("Give the source of the funding (at most 80 characters)."), field="source")
    row = StudioFunding.objects.create(studio=studio, year=year, amount=amount, source=source, recorded_by=actor)
    audit.record(actor, "honours.studio.funded", studio, after={"year": year, "amount": str(amount),
                                                                "source": source})
    return row


# ---------------------------------------------------------------------------------------------
# The yearly assessment


def _rubric_for(kind: str) -> Rubric:
    """The rubric of a kind of studio (installed by the migrations; put back if a test emptied the table)."""
    found = Rubric.objects.filter(kind=kind).first()
    if found is None:
        studio_rubrics.load(Rubric)
        found = Rubric.objects.get(kind=kind)
    return found


def _problem_message(p: Problem, names: Mapping[str, str]) -> str:
    item = names.get(str(p.params.get("item", "")), str(p.params.get("item", "")))
    return {
        "unknown_item": lambda: _("Unknown item: %(item)s.") % {"item": item},
        "missing_points": lambda: _("%(item)s: give the points.") % {"item": item},
        "answer": lambda: _("%(item)s: %(problem)s") % {"item": item, "problem": p.params.get("message")},
        "no_reason": lambda: _("%(item)s: an adjustment needs its reason.") % {"item": item},
    }[p.code]()


def _refuse(problems: Sequence[Problem], names: Mapping[str, str], code: str = "invalid",
            prefix: str = "") -> None:
    if not problems:
        return
    errors: dict[str, list[str]] = {}
    for p in problems:
        errors.setdefault(f"{prefix}{p.field}" if p.field != "items" else p.field, []).append(
            _problem_message(p, names))
    raise DomainError("；".join(m for ms in errors.values() for m in ms),
                      errors={k: "；".join(v) for k, v in errors.items()}, code=code)


def _answers(rubric: engine.Rubric, raw: Mapping[str, object]) -> dict[str, scoring.Answer]:
    answers, problems = rules.read_answers(rubric, raw)
    _refuse(problems, {i.key: i.title for i in rubric.leaves()}, prefix="points_")
    return answers


@verb
def self_assess(*, actor: User, studio: Studio, year: int, points: Mapping[str, object],
                notes: Mapping[str, str] | None = None, apprentices: int = 0, summary: str = "") -> Assessment:
    """The host union fills (or refills, until confirmed) the studio's assessment of a year: the answer to every
    item of its rubric (`points`, by item key: the points of an 打分 item, yes or no for a veto, how many for a
    deduction or a bonus — those three may be left out: none), with its evidence, the apprentices trained and a
    summary; the counted evidence of the other apps (proposals, projects, achievements of the studio's people that
    year) is drawn through the evidence registry and kept, as is the rubric's definition."""
    studio = _locked(studio)
    _require_host(actor, studio)
    _not_revoked(studio)
    _year(year, earliest=studio.year)
    rubric = _rubric_for(studio.kind)
    existing = Assessment.objects.select_for_update().filter(studio=studio, year=year).first()
    if existing is not None and existing.confirmed:
        raise DomainError(_("The assessment of %(year)s is confirmed: it cannot be changed.") % {"year": year},
                          field="year", code="confirmed")
    r = rubric.rules
    given = _answers(r, points)
    if not 0 <= apprentices <= 1000:
        raise DomainError(_("Apprentices trained lie between 0 and 1,000."), field="apprentices")
    summary = summary.strip()
    if len(summary) > 5000:
        raise DomainError(_("The summary has at most 5,000 characters."), field="summary")
    people = [studio.lead_id, *studio.members.values_list("person_id", flat=True)]
    keys = sorted({k for i in engine.walk(r.items) for k in i.evidence})
    counted = registry.evidence(studio.host, people, year, keys)
    score = scoring.score(r, given)
    fields = dict(rubric=rubric, definition=rubric.definition, assessing=studio.recognised_by,
                  self_total=score.total, counted=counted, apprentices=apprentices, summary=summary, self_by=actor,
                  self_at=timezone.now())
    if existing is None:
        assessment = Assessment.objects.create(studio=studio, year=year, **fields)
    else:
        assessment = existing
        for k, v in fields.items():
            setattr(assessment, k, v)
        assessment.save(update_fields=list(fields))
        assessment.scores.all().delete()
    AssessmentScore.objects.bulk_create([
        AssessmentScore(assessment=assessment, key=i.key, self_answer=scoring.encode(given[i.key]),
                        self_points=score.items[i.key], note=((notes or {}).get(i.key) or "").strip()[:2000])
        for i in r.leaves()])
    audit.record(actor, "honours.assessment.self_assessed", studio, after={
        "year": year, "self_total": str(assessment.self_total), "counted": counted,
        **({"vetoes": [r.item(k).title for k in score.vetoes]} if score.vetoes else {})})
    return assessment


@verb
def add_assessment_files(*, actor: User, assessment: Assessment, item: str,
                         uploads: Sequence[UploadedFile]) -> list[AssessmentFile]:
    """Attach evidence files to an item of an assessment not yet confirmed (checked and stored by core.files)."""
    assessment = (Assessment.objects.select_for_update(of=("self",)).select_related("studio__host")
                  .get(pk=assessment.pk))
    _require_host(actor, assessment.studio)
    if assessment.confirmed:
        raise DomainError(_("The assessment of %(year)s is confirmed: it cannot be changed.") % {
            "year": assessment.year}, field="files", code="confirmed")
    found = next((i for i in assessment.rules.leaves() if i.key == item), None)
    if found is None:
        raise DomainError(_("Choose the item the files are evidence of."), field="item")
    if not uploads:
        raise DomainError(_("Choose the files to attach."), field="files")
    for upload in uploads:
        _check_upload(upload)
    if assessment.files.count() + len(uploads) > files.MAX_FILES * 3:
        raise DomainError(_("An assessment holds at most %(n)s files.") % {"n": files.MAX_FILES * 3}, field="files",
                          code="too_many_files")
    stored = []
    for upload in uploads:
        ext = files.extension(upload.name or "")
        row = AssessmentFile(assessment=assessment, key=found.key, name=(upload.name or "")[-120:],
                             size=upload.size or 0, content_type=files.CONTENT_TYPES[ext], uploaded_by=actor)
        row.file.save(upload.name or f"file.{ext}", upload, save=False)
        row.save()
        stored.append(row)
        audit.record(actor, "honours.assessment.file_added", assessment.studio,
                     after={"file_name": row.name, "item": found.title, "year": assessment.year})
    return stored


@verb
def confirm_assessment(*, actor: User, assessment: Assessment, points: Mapping[str, object] | None = None,
                       reasons: Mapping[str, str] | None = None) -> Assessment:
    """The assessing union (the recognising union) confirms the self-assessment item by item: an item it gives other
    points needs a reason (every missing reason listed at once). The total and the result follow from the rubric;
    the studio's last result is kept. A second 不合格 in a row suspends the studio (its host union's cadres are
    notified)."""
    assessment = (Assessment.objects.select_for_update(of=("self",))
                  .select_related("studio__host", "studio__recognised_by", "rubric").get(pk=assessment.pk))
    studio = _locked(assessment.studio)
    if not assessment.assessing.in_scope(actor, "change"):
        raise PermissionDeniedError(_("Only %(org)s, which recognised this studio, assesses it.") % {
            "org": assessment.assessing.name})
    _not_revoked(studio)
    if assessment.confirmed:
        raise DomainError(_("The assessment of %(year)s is confirmed already.") % {"year": assessment.year},
                          field="state", code="confirmed")
    r = assessment.rules
    scores = list(assessment.scores.all())
    names = {i.key: i.title for i in r.leaves()}
    self_answers, _problems = rules.read_answers(r, {s.key: scoring.encode(scoring.decode(r.item(s.key), s.self_answer))
                                                     for s in scores})
    sent = {k: v for k, v in (points or {}).items() if v is not None and v != ""}
    given = {**{k: scoring.encode(v) for k, v in self_answers.items()}, **sent}
    answers = _answers(r, given)
    _refuse(rules.adjustment_problems(self_answers, answers, reasons or {}), names, code="no_reason",
            prefix="reason_")
    score = scoring.score(r, answers)
    for s in scores:
        same = answers[s.key] == self_answers.get(s.key)
        s.answer, s.points = s.self_answer if same else scoring.encode(answers[s.key]), score.items[s.key]
        s.reason = ((reasons or {}).get(s.key) or "").strip()[:2000] if s.adjusted else ""
    AssessmentScore.objects.bulk_update(scores, ["answer", "points", "reason"])
    assessment.total, assessment.result = score.total, rules.result(score, r)
    assessment.state, assessment.confirmed_by, assessment.confirmed_at = (AssessmentState.CONFIRMED, actor,
                                                                          timezone.now())
    assessment.save(update_fields=["total", "result", "state", "confirmed_by", "confirmed_at"])
    if studio.last_year is None or assessment.year >= studio.last_year:
        studio.last_year, studio.last_result = assessment.year, assessment.result
        studio.save(update_fields=["last_year", "last_result"])
    studio_counters.add(studio.host, year_day(assessment.year), studio.level,
                        **{studio_counters.RESULT_FIELD[Result(assessment.result)]: 1})
    audit.record(actor, "honours.assessment.confirmed", studio, after={
        "year": assessment.year, "score": str(score.total), "result": assessment.result,
        "adjusted": {names.get(s.key, s.key): f"{s.self_answer} → {s.answer}: {s.reason}" for s in scores
                     if s.adjusted},
        **({"vetoes": [r.item(k).title for k in score.vetoes]} if score.vetoes else {})})
    results = dict(Assessment.objects.filter(studio=studio, state=AssessmentState.CONFIRMED)
                   .values_list("year", "result"))
    if studio.status == StudioStatus.ACTIVE and rules.suspension_due(results, assessment.year):
        _change_status(actor, studio, StudioStatus.SUSPENDED,
                       _("Failed the yearly assessment of %(last)s and %(year)s.") % {
                           "last": assessment.year - 1, "year": assessment.year},
                       "", assessment.assessing, "honours.studio.suspended")
    return assessment


# ---------------------------------------------------------------------------------------------
# Suspension, reinstatement, revocation


@verb
def suspend_studio(*, actor: User, studio: Studio, reason: str, decision: str = "") -> Studio:
    """The recognising union records a serious fault (a safety accident, fraud in the materials…) and suspends the
    studio."""
    studio = _locked(studio)
    _require_recogniser(actor, studio)
    if studio.status != StudioStatus.ACTIVE:
        raise DomainError(_("Only a studio on the register can be suspended."), field="status", code="wrong_state")
    _change_status(actor, studio, StudioStatus.SUSPENDED, _reason(reason), decision.strip()[:120],
                   studio.recognised_by, "honours.studio.suspended")
    return studio


@verb
def reinstate_studio(*, actor: User, studio: Studio, reason: str, decision: str = "") -> Studio:
    """The recognising union puts a suspended studio back on the register (the fault rectified)."""
    studio = _locked(studio)
    _require_recogniser(actor, studio)
    if studio.status != StudioStatus.SUSPENDED:
        raise DomainError(_("Only a suspended studio can be reinstated."), field="status", code="wrong_state")
    _change_status(actor, studio, StudioStatus.ACTIVE, _reason(reason), decision.strip()[:120],
                   studio.recognised_by, "honours.studio.reinstated")
    return studio


@verb
def revoke_studio(*, actor: User, studio: Studio, reason: str, decision: str) -> Studio:
    """The recognising union revokes a suspended studio's recognition (取消资格) by a decision (its document) with a
    reason. The studio stays in the registry, marked; its host union's cadres are notified."""
    studio = _locked(studio)
    _require_recogniser(actor, studio)
    if studio.status != StudioStatus.SUSPENDED:
        raise DomainError(_("A studio is suspended before its recognition is revoked."), field="status",
                          code="wrong_state")
    reason = _reason(reason)
    decision = decision.strip()
    if not decision or len(decision) > 120:
        raise DomainError(_("Give the decision revoking the recognition (its document, at most 120 characters)."),
                          field="decision")
    _change_status(actor, studio, StudioStatus.REVOKED, reason, decision, studio.recognised_by,
                   "honours.studio.revoked")
    return studio
