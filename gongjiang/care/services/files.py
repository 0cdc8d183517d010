"""Filing a household, changes and exits through requests (提交 → 企业工会审核 → 县/市总工会审批, or 退回 with a
reason), and the yearly review (动态管理)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.scoping import scope_for
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User

from .. import figures, notify
from ..choices import FileStatus, Housing, RequestKind, RequestState
from ..household import (
    MemberRow,
    approving_union,
    duplicates,
    member_facts,
    read_causes,
    read_members,
    refuse_duplicates,
    regrade,
    require_approver,
    require_caseworker_side,
    require_checker,
)
from ..models import CareRequest, HouseholdFile, Member

REVIEW_EVERY = datetime.timedelta(days=365)


def _housing(value: str) -> str:
    if value not in Housing.values:
        raise DomainError(_("Choose the household's housing from the list."), field="housing")
    return value


def _reason(value: str, field: str = "reason") -> str:
    text = (value or "").strip()
    if not text or len(text) > 400:
        raise DomainError(_("Give the reason (at most 400 characters)."), field=field)
    return text


def _no_open_request(file: HouseholdFile) -> None:
    open_one = file.requests.filter(state__in=(RequestState.SUBMITTED, RequestState.CHECKED)).first()
    if open_one is not None:
        raise DomainError(_("This file already has an open request (%(kind)s); wait for its decision.")
                          % {"kind": open_one.get_kind_display()}, code="open_request")


def _locked(file: HouseholdFile) -> HouseholdFile:
    found: HouseholdFile = HouseholdFile.objects.select_for_update().select_related(
        "union", "approver", "person").get(pk=file.pk)
    return found


def _locked_request(request: CareRequest) -> CareRequest:
    found: CareRequest = (CareRequest.objects.select_for_update().select_related("file__union", "file__approver")
             .get(pk=request.pk))
    return found


@verb
def file_household(*, actor: User, person: Person, union: Org, housing: str, causes: Sequence[str],
                   members: Sequence[dict[str, Any]], note: str = "", file: HouseholdFile | None = None
                   ) -> CareRequest:
    """A filing application (建档申请) for `person`, a worker of the enterprise union `union`: the file (建档中) with
    its members, graded, and the request for the union's check. Refused when a member — the worker included — is
    in another active file anywhere in the province. `file`: a filing whose application was returned, filed again
    with corrections."""
    if not scope_for(actor, "change").covers_regionally(union.path):
        raise PermissionDeniedError(_("Only the staff of %(org)s or of a union above it may do this.")
                                    % {"org": union.display_name})
    if union.kind != OrgKind.GRASSROOTS:
        raise DomainError(_("A household file is kept by an enterprise (grassroots) union."), field="union")
    if not person.employer.path.startswith(union.path):
        raise DomainError(_("%(name)s is not a worker of %(org)s.") % {"name": person.name,
                                                                        "org": union.display_name}, field="person")
    if file is not None:
        file = _locked(file)
        if file.status != FileStatus.FILING or file.person_id != person.pk or file.union_id != union.pk:
            raise DomainError(_("Only a filing that was returned can be filed again."), code="not_returned")
        _no_open_request(file)
    housing = _housing(housing)
    causes = read_causes(causes)
    note = (note or "").strip()[:400]
    rows = read_members(members, person.id_hash)
    refuse_duplicates(duplicates([r.id_hash for r in rows], exclude_file=file.pk if file else None))
    if file is None:
        file = HouseholdFile(person=person, union=union, approver=approving_union(union), caseworker=actor)
    file.housing, file.causes, file.note = housing, causes, note
    regrade(file, [r.facts() for r in rows], causes)
    if file.pk is None:
        file.save()
    else:
        file.save(update_fields=["housing", "causes_text", "note", "grade", "grade_reasons", "threshold"])
        file.members.all().delete()
    Member.objects.bulk_create([r.model(file) for r in rows])
    request = CareRequest.objects.create(file=file, kind=RequestKind.FILING, submitted_by=actor)
    audit.record(actor, "care.file.filed", file, after={"members": len(rows), "causes": causes, "housing": housing,
                                                        "grade": file.grade})
    notify.step(request, "submitted", file.union)
    return request


def _submit(actor: User, file: HouseholdFile, kind: str, payload: dict[str, Any], reason: str = "") -> CareRequest:
    request = CareRequest.objects.create(file=file, kind=kind, payload=payload, reason=reason, submitted_by=actor)
    audit.record(actor, "care.request.submitted", file, after={"kind": kind, "request": request.pk,
                                                               **({"reason": reason} if reason else {})})
    notify.step(request, "submitted", file.union)
    return request


@verb
def request_change(*, actor: User, file: HouseholdFile, housing: str, causes: Sequence[str],
                   members: Sequence[dict[str, Any]], note: str = "") -> CareRequest:
    """A change (变更) of a file in the archive: the household as it is now, applied when approved. A new member
    already in another active file is refused."""
    file = _locked(file)
    require_caseworker_side(actor, file)
    if file.status != FileStatus.ACTIVE:
        raise DomainError(_("Only a file in the archive can be changed."), code="not_active")
    _no_open_request(file)
    housing = _housing(housing)
    causes = read_causes(causes)
    rows = read_members(members, file.person.id_hash)
    refuse_duplicates(duplicates([r.id_hash for r in rows], exclude_file=file.pk))
    payload = {"housing": housing, "causes": causes, "note": (note or "").strip()[:400],
               "members": [r.as_payload() for r in rows]}
    return _submit(actor, file, RequestKind.CHANGE, payload)


@verb
def request_exit(*, actor: User, file: HouseholdFile, reason: str) -> CareRequest:
    """An exit (解困退出) of a file in the archive, with its reason (kept on the file once approved)."""
    file = _locked(file)
    require_caseworker_side(actor, file)
    if file.status != FileStatus.ACTIVE:
        raise DomainError(_("Only a file in the archive can exit."), code="not_active")
    _no_open_request(file)
    return _submit(actor, file, RequestKind.EXIT, {}, _reason(reason))


def _hashes(request: CareRequest) -> list[str]:
    if request.kind == RequestKind.FILING:
        return list(request.file.members.values_list("id_hash", flat=True))
    if request.kind == RequestKind.CHANGE:
        return [m["id_hash"] for m in request.payload.get("members", [])]
    return []


def _refresh_flags(request: CareRequest) -> list[dict[str, Any]]:
    found = duplicates(_hashes(request), exclude_file=request.file_id)
    request.flags = [{k: v for k, v in f.items() if k != "id_hash"} for f in found]
    return found


def _whose_turn(request: CareRequest) -> str:
    if request.state == RequestState.SUBMITTED:
        return _("This request awaits the check of the enterprise union, %(org)s.") % {
            "org": request.file.union.display_name}
    if request.state == RequestState.CHECKED:
        return _("This request awaits the approval of %(org)s.") % {"org": request.file.approver.display_name}
    return _("This request is closed (%(state)s).") % {"state": request.get_state_display()}


@verb
def check_request(*, actor: User, request: CareRequest) -> CareRequest:
    """The enterprise union's check (企业工会审核): passes the request on to the approving union, with the
    de-duplication flags refreshed."""
    request = _locked_request(request)
    require_checker(actor, request.file)
    if request.state != RequestState.SUBMITTED:
        raise DomainError(_whose_turn(request), code="not_your_turn")
    _refresh_flags(request)
    request.state, request.checked_by, request.checked_at = RequestState.CHECKED, actor, timezone.now()
    request.save(update_fields=["state", "checked_by", "checked_at", "flags"])
    audit.record(actor, "care.request.checked", request.file, after={"kind": request.kind, "request": request.pk,
                                                                     "flags": len(request.flags)})
    notify.step(request, "checked", request.file.approver)
    return request


@verb
def approve_request(*, actor: User, request: CareRequest) -> CareRequest:
    """The county or city union's approval (县/市总工会审批): only the approving union (or one above it), only after
    the check, never while a member is in another active file; then the request takes effect."""
    request = _locked_request(request)
    file = _locked(request.file)
    require_approver(actor, file)
    if request.state != RequestState.CHECKED:
        raise DomainError(_whose_turn(request), code="not_your_turn")
    if request.checked_by_id == actor.pk:
        raise PermissionDeniedError(_("You checked this request: another cadre of %(org)s approves it.")
                                    % {"org": file.approver.display_name}, code="same_account")
    found = _refresh_flags(request)
    if found:
        request.save(update_fields=["flags"])
        refuse_duplicates(found)
    today = timezone.localdate()
    before = {"status": file.status, "grade": file.grade}
    if request.kind == RequestKind.FILING:
        regrade(file, member_facts(file), file.causes)
        if not file.grade:
            raise DomainError(_("By the rules this household is not in hardship: %(reason)s")
                              % {"reason": file.grade_reasons[0] if file.grade_reasons else ""}, code="not_needy")
        file.status, file.entered_on, file.entry_grade = FileStatus.ACTIVE, today, file.grade
        file.next_review = today + REVIEW_EVERY
        file.save(update_fields=["status", "entered_on", "entry_grade", "next_review", "grade", "grade_reasons",
                                 "threshold"])
        facts.add(file.union, today, figures.entered(file.union_id, today, file.grade))
    elif request.kind == RequestKind.CHANGE:
        rows = [MemberRow.from_payload(m) for m in request.payload["members"]]
        file.housing, file.causes = request.payload["housing"], request.payload["causes"]
        file.note = request.payload.get("note", "")
        regrade(file, [r.facts() for r in rows], file.causes)
        file.members.all().delete()
        Member.objects.bulk_create([r.model(file) for r in rows])
        file.save(update_fields=["housing", "causes_text", "note", "grade", "grade_reasons", "threshold"])
    else:
        file.status, file.exited_on, file.exit_reason = FileStatus.EXITED, today, request.reason
        file.next_review = None
        file.save(update_fields=["status", "exited_on", "exit_reason", "next_review"])
        facts.add(file.union, today, {figures.EXITED: 1})
    request.state, request.decided_by, request.decided_at = RequestState.APPROVED, actor, timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at", "flags"])
    audit.record(actor, "care.request.approved", file, before=before,
                 after={"kind": request.kind, "request": request.pk, "status": file.status, "grade": file.grade})
    notify.step(request, "approved", file.approver)
    return request


@verb
def return_request(*, actor: User, request: CareRequest, reason: str) -> CareRequest:
    """Return (退回) a request with its reason: at the check by the enterprise union, after it by the approver."""
    request = _locked_request(request)
    if request.state == RequestState.SUBMITTED:
        require_checker(actor, request.file)
        org = request.file.union
    elif request.state == RequestState.CHECKED:
        require_approver(actor, request.file)
        org = request.file.approver
    else:
        require_caseworker_side(actor, request.file)
        raise DomainError(_whose_turn(request), code="not_your_turn")
    reason = _reason(reason)
    request.state, request.return_reason = RequestState.RETURNED, reason
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save(update_fields=["state", "return_reason", "decided_by", "decided_at"])
    audit.record(actor, "care.request.returned", request.file, after={"kind": request.kind, "request": request.pk,
                                                                      "reason": reason})
    notify.step(request, "returned", org, reason=reason)
    return request


@verb
def review_file(*, actor: User, file: HouseholdFile, next_review: datetime.date | None = None) -> HouseholdFile:
    """The yearly review (动态管理): re-grade the file by today's threshold, note the review, set the next one (a
    year on unless given, within two years). A household found out of hardship is exited by an exit request."""
    file = _locked(file)
    require_caseworker_side(actor, file)
    if file.status != FileStatus.ACTIVE:
        raise DomainError(_("Only a file in the archive is reviewed."), code="not_active")
    today = timezone.localdate()
    if next_review is not None and not today < next_review <= today + 2 * REVIEW_EVERY:
        raise DomainError(_("The next review must fall within the next two years."), field="next_review")
    before = {"grade": file.grade, "next_review": file.next_review}
    regrade(file, member_facts(file), file.causes)
    file.reviewed_on, file.next_review = today, next_review or today + REVIEW_EVERY
    file.save(update_fields=["grade", "grade_reasons", "threshold", "reviewed_on", "next_review"])
    audit.record(actor, "care.file.reviewed", file, before=before,
                 after={"grade": file.grade, "next_review": file.next_review})
    return file
