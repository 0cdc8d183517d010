"""Rights cases (维权): filed by a worker on the phone or entered by a cadre from a hotline call or a visit, routed to
the union that covers the employer, accepted, moved through the steps of rules/cases.py, annotated, documented,
transferred, closed with an outcome; the worker is told at every step. Reading a case's personal data and exporting
cases are verbs too (audited)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, files, notifications
from gongjiang.core.crypto import encrypt, lookup_hash
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import IdentifierError, mask_id_card, parse_id_card, validate_mobile
from gongjiang.core.services import verb
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User
from gongjiang.orgs.scoping import ancestors

from .. import case_figures
from ..models.cases import Case, CaseChannel, CaseDocument, CaseEntry, CaseKind, CaseResult, CaseStep
from ..rules import cases as rules
from .common import _refuse as refuse
from .common import _refuse_all as refuse_all
from .common import _text as clean

REGIONS = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY, OrgKind.TOWN)
UNIONS = (*REGIONS, OrgKind.INDUSTRY, OrgKind.GRASSROOTS)
MAX_DOCUMENTS = 20

# what the worker is told at each step (title, body): never a name, never another worker
MESSAGES: dict[str, tuple[Any, Any]] = {
    CaseStep.FILED: (gettext_lazy("Rights case received: %(number)s"),
                     gettext_lazy("Your complaint (%(kind)s) has been received by %(union)s and will be accepted "
                                  "within 3 days.")),
    CaseStep.ACCEPTED: (gettext_lazy("Rights case accepted: %(number)s"),
                        gettext_lazy("%(union)s has accepted your complaint (%(kind)s).")),
    CaseStep.INVESTIGATING: (gettext_lazy("Rights case under investigation: %(number)s"),
                             gettext_lazy("%(union)s is investigating your complaint (%(kind)s).")),
    CaseStep.MEDIATING: (gettext_lazy("Rights case in mediation: %(number)s"),
                         gettext_lazy("%(union)s is mediating between you and the employer (%(kind)s).")),
    CaseStep.LEGAL: (gettext_lazy("Legal aid for your case: %(number)s"),
                     gettext_lazy("%(union)s gives you legal aid and supports you at arbitration (%(kind)s).")),
    CaseStep.CLOSED: (gettext_lazy("Rights case closed: %(number)s"),
                      gettext_lazy("Your case (%(kind)s) has been closed by %(union)s: %(result)s.")),
    "transfer": (gettext_lazy("Rights case transferred: %(number)s"),
                 gettext_lazy("Your case (%(kind)s) is now handled by %(union)s.")),
}


def _today() -> datetime.date:
    return timezone.localdate()


def _county_of(org: Org) -> Org:
    """The county union (县区总工会) above `org`, or the nearest regional union above it when there is none (a
    city-level enterprise): who takes cases of a workplace without a union, or that its workers bring above it."""
    chain = Org.objects.filter(path__in=ancestors(org.path)).order_by("-depth")
    regional = [o for o in chain if o.kind in REGIONS]
    for o in regional:
        if o.kind == OrgKind.COUNTY:
            return o
    if not regional:
        refuse("region", _("%(org)s lies in no region.") % {"org": org.display_name})
    return regional[0]


def _route(employer: Org | None, region: Org | None, ask_county: bool) -> Org:
    """The handling union: the employer's union, unless the worker asks the county (or there is no union at the
    workplace): then the county union of the workplace's region."""
    if employer is not None and not ask_county:
        return employer
    return _county_of(employer or region)  # type: ignore[arg-type]


def _accounts_of(*orgs: Org) -> list[int]:
    return list(User.objects.filter(is_active=True, grants__org__in=orgs, grants__role__in=("admin", "staff"))
                .values_list("pk", flat=True).distinct())


def _worker_account(case: Case) -> list[int]:
    ids = [case.account_id] if case.account_id else []
    if case.worker_id:
        ids += list(User.objects.filter(person_id=case.worker_id, is_active=True).values_list("pk", flat=True))
    return sorted(set(ids))


def _tell_worker(case: Case, name: str, **params: Any) -> None:
    title, body = MESSAGES[name]
    notifications.notify(_worker_account(case), f"rights.case.{name}", case, title=title, body=body,
                         url=reverse("rights:my_case", args=[case.pk]),
                         params={"number": case.number, "kind": case.get_kind_display(),
                                 "union": case.handler.display_name, **params})


def _tell_union(case: Case, union: Org) -> None:
    notifications.notify(_accounts_of(union), "rights.case.assigned", case,
                         title=gettext_lazy("New rights case: %(number)s"),
                         body=gettext_lazy("A rights case (%(kind)s) waits for acceptance by %(union)s."),
                         url=reverse("rights:case_detail", args=[case.pk]),
                         params={"number": case.number, "kind": case.get_kind_display(),
                                 "union": union.display_name})


def _require_handle(actor: User, case: Case) -> None:
    if not case.handler.in_scope(actor, "change"):
        raise PermissionDeniedError(_("You may not handle this case."))


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("handler", "employer").get(pk=case.pk)


def _day(on: datetime.date | None, case: Case | None = None, field: str = "on") -> datetime.date:
    day = on or _today()
    if day > _today():
        refuse(field, _("The date cannot be in the future."))
    if case is not None and day < case.step_since:
        refuse(field, _("The date cannot be before the current step began (%(day)s).") % {"day": case.step_since})
    return day


def _money(value: Decimal | None, field: str, label: str) -> Decimal | None:
    problem = rules.amount_problem(value)
    if problem == "negative":
        refuse(field, _("%(label)s cannot be negative.") % {"label": label})
    if problem == "large":
        refuse(field, _("%(label)s is too large.") % {"label": label})
    return value


def _entry(case: Case, actor: User | None, kind: str, *, on: datetime.date, step: str = "", text: str = "",
           public: bool = False) -> CaseEntry:
    return CaseEntry.objects.create(case=case, kind=kind, step=step, text=text, public=public, on=on, author=actor)


@verb
def file_case(*, actor: User, kind: str, summary: str, channel: str = CaseChannel.PHONE, employer: Org | None = None,
              employer_name: str = "", region: Org | None = None, worker: Person | None = None,
              worker_name: str = "", worker_phone: str = "", worker_id_number: str = "", people: int = 1,
              migrants: int = 0, claimed: Decimal | None = None, ask_county: bool = False,
              filed_on: datetime.date | None = None) -> Case:
    """A complaint: on the phone (`channel` "phone") by the worker themselves — their own person when they have
    one —, or entered by a cadre from a hotline call or a visit (the cadre must be able to handle it at the union it
    is routed to). The workplace is an enterprise union (`employer`), or a free-text employer in a `region`."""
    errors: dict[str, str] = {}
    if kind not in CaseKind.values:
        errors["kind"] = _("Choose the kind of complaint.")
    if channel not in CaseChannel.values:
        errors["channel"] = _("Choose how the complaint came in.")
    if people < 1:
        errors["people"] = _("At least one worker is involved.")
    elif people > 10000:
        errors["people"] = _("The number of workers involved is too large.")
    if migrants < 0:
        errors["migrants"] = _("The number of migrant workers cannot be negative.")
    elif migrants > people:
        errors["migrants"] = _("More migrant workers (%(m)d) than workers involved (%(n)d).") % {
            "m": migrants, "n": people}
    if employer is not None and employer.kind != OrgKind.GRASSROOTS:
        errors["employer"] = _("%(org)s is not an enterprise union.") % {"org": employer.display_name}
    if employer is None:
        if not employer_name.strip():
            errors["employer_name"] = _("Name the employer.")
        if region is None:
            errors["region"] = _("Choose the county or town where the workplace is.")
        elif region.kind not in REGIONS:
            errors["region"] = _("%(org)s is not a regional union.") % {"org": region.display_name}
    refuse_all(errors)
    phone_worker = channel == CaseChannel.PHONE
    if phone_worker:
        worker = getattr(actor, "person", None) if getattr(actor, "person_id", None) else None
    summary = clean(summary, "summary", _("What happened"), 4000)
    employer_name = clean(employer_name, "employer_name", _("The employer"), 120, required=False)
    claimed = _money(claimed, "claimed", _("The amount claimed"))
    if worker is not None:
        name, phone = worker.name, worker_phone or worker.mobile
    else:
        name = clean(worker_name, "worker_name", _("The worker's name"), 40)
        phone = worker_phone
    if phone:
        try:
            phone = validate_mobile(phone)
        except IdentifierError as e:
            refuse("worker_phone", str(e))
    elif worker is None:
        refuse("worker_phone", _("Give a mobile number the union can call back."))
    id_fields: dict[str, str] = {}
    if worker_id_number.strip() and worker is None:
        try:
            info = parse_id_card(worker_id_number)
        except IdentifierError as e:
            refuse("worker_id_number", str(e))
        id_fields = {"worker_id_encrypted": encrypt(info.number), "worker_id_hash": lookup_hash(info.number),
                     "worker_id_masked": mask_id_card(info.number)}
        worker = Person.objects.filter(id_hash=id_fields["worker_id_hash"]).first()
    site = employer or region
    assert site is not None
    handler = _route(employer, region, ask_county)
    if not phone_worker and not handler.in_scope(actor, "change"):
        raise PermissionDeniedError(_("You may not enter a case for %(org)s.") % {"org": handler.display_name})
    day = _day(filed_on, field="filed_on") if not phone_worker else _today()
    case = Case.objects.create(
        kind=kind, channel=channel, summary=summary, employer=employer, employer_name=employer_name if not employer
        else "", region=region if not employer else None, site=site, handler=handler, worker=worker,
        account=actor if phone_worker else None, worker_name=name, worker_phone=phone or "", people=people,
        migrants=migrants, claimed=claimed, ask_county=ask_county, step=CaseStep.FILED, step_since=day,
        due_on=rules.due_on(rules.FILED, day), filed_on=day, created_by=actor, **id_fields)
    _entry(case, actor, CaseEntry.Kind.STEP, on=day, step=CaseStep.FILED, public=True)
    case_figures.filed(handler, day, kind, migrants)
    # the audit keeps no personal data: who filed is its actor, seen only where the handler's events are
    audit.record(actor, "rights.case.filed", case, after={
        "case_kind": kind, "case_channel": channel, "handler": handler.display_name, "people": people,
        "migrants": migrants, "claimed": claimed})
    _tell_worker(case, CaseStep.FILED)
    _tell_union(case, handler)
    return case


def _move(actor: User, case: Case, target: str, on: datetime.date, note: str, verb_name: str) -> Case:
    before = {"step": case.step}
    case.step, case.step_since, case.due_on = target, on, rules.due_on(target, on)
    case.save(update_fields=["step", "step_since", "due_on"])
    _entry(case, actor, CaseEntry.Kind.STEP, on=on, step=target, text=note, public=True)
    audit.record(actor, verb_name, case, before=before, after={"step": target, "step_on": on.isoformat()})
    return case


@verb
def accept_case(*, actor: User, case: Case, on: datetime.date | None = None, note: str = "") -> Case:
    """受理: the handling union takes the case up (within 3 days of filing)."""
    case = _locked(case)
    _require_handle(actor, case)
    if case.step != CaseStep.FILED:
        refuse("step", _("Only a case waiting for acceptance is accepted."))
    day = _day(on, case)
    note = clean(note, "note", _("The note"), 2000, required=False)
    _move(actor, case, CaseStep.ACCEPTED, day, note, "rights.case.accepted")
    _tell_worker(case, CaseStep.ACCEPTED)
    return case


STEP_REFUSALS = {
    "unknown": gettext_lazy("Choose the next step."),
    "closed": gettext_lazy("This case is closed."),
    "back": gettext_lazy("A case moves forward only: it is at the step %(current)s already."),
    "skip": gettext_lazy("From %(current)s a case cannot go straight to %(target)s."),
    "close": gettext_lazy("A case is closed with its outcome: use Close the case."),
}


@verb
def advance_case(*, actor: User, case: Case, step: str, on: datetime.date | None = None, note: str = "") -> Case:
    """Move the case on: 调查, 协调/调解, 法律援助/仲裁支持 — forward only, skipping only as rules/cases.py allows."""
    case = _locked(case)
    _require_handle(actor, case)
    if case.step == CaseStep.FILED and step != CaseStep.ACCEPTED:
        refuse("step", _("Accept the case first."))
    problem = rules.move_problem(case.step, step)
    if problem:
        labels = dict(CaseStep.choices)
        refuse("step", str(STEP_REFUSALS[problem]) % {"current": labels.get(case.step, case.step),
                                                      "target": labels.get(step, step)})
    day = _day(on, case)
    note = clean(note, "note", _("The note"), 2000, required=False)
    _move(actor, case, step, day, note, "rights.case.advanced")
    _tell_worker(case, step)
    return case


@verb
def add_case_note(*, actor: User, case: Case, text: str, public: bool = False,
                  on: datetime.date | None = None) -> CaseEntry:
    """A note of the handling (a call made, a visit): for the union, or shown to the worker (`public`)."""
    case = _locked(case)
    _require_handle(actor, case)
    body = clean(text, "text", _("The note"), 2000)
    day = _day(on)
    entry = _entry(case, actor, CaseEntry.Kind.NOTE, on=day, step=case.step, text=body, public=public)
    audit.record(actor, "rights.case.noted", case, after={"public": public})
    return entry


def _check_upload(upload: UploadedFile) -> None:
    name = upload.name or ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    problem = files.problem(name, upload.size or 0, head)
    if problem == "type":
        raise DomainError(_("%(name)s: only these file types are accepted: %(types)s.") % {
            "name": name, "types": ", ".join(files.ALLOWED)}, field="files", code="file_type", status=422)
    if problem == "size":
        raise DomainError(_("%(name)s is empty or larger than %(mb)s MB.") % {
            "name": name, "mb": files.MAX_BYTES // (1024 * 1024)}, field="files", code="file_size", status=422)


@verb
def add_case_documents(*, actor: User, case: Case, uploads: Sequence[UploadedFile]) -> list[CaseDocument]:
    """Documents of the case (pay slips, the labour contract, a mediation agreement, an award): every file checked
    first (nothing is stored when one is refused)."""
    case = _locked(case)
    if not (case.can_handle(actor) or (case.is_own(actor) and not case.is_closed)):
        raise PermissionDeniedError(_("You may not add documents to this case."))
    if not uploads:
        refuse("files", _("Choose at least one file."))
    for upload in uploads:
        _check_upload(upload)
    if case.documents.count() + len(uploads) > MAX_DOCUMENTS:
        refuse("files", _("A case holds at most %(n)d documents.") % {"n": MAX_DOCUMENTS})
    stored = []
    for upload in uploads:
        ext = files.extension(upload.name or "")
        doc = CaseDocument(case=case, name=(upload.name or "")[-120:], size=upload.size or 0,
                           content_type=files.CONTENT_TYPES[ext], uploaded_by=actor)
        doc.file.save(upload.name or f"file.{ext}", upload, save=False)
        doc.save()
        stored.append(doc)
    _entry(case, actor, CaseEntry.Kind.DOCUMENT, on=_today(), step=case.step,
           text="、".join(d.name for d in stored), public=case.is_own(actor))
    audit.record(actor, "rights.case.documents_added", case, after={"files": len(stored)})
    return stored


@verb
def transfer_case(*, actor: User, case: Case, to: Org, reason: str) -> Case:
    """Hand an open case to another union (the workplace lies elsewhere, the county takes it over from a town…),
    with the reason. A case the worker asked the county to handle never goes to the enterprise union."""
    case = _locked(case)
    _require_handle(actor, case)
    if case.is_closed:
        refuse("step", _("This case is closed."))
    reason = clean(reason, "reason", _("The reason"), 200)
    if to.kind not in UNIONS or not to.is_active:
        refuse("to", _("%(org)s is not a union that takes cases.") % {"org": to.display_name})
    if to.pk == case.handler_id:
        refuse("to", _("This union handles the case already."))
    if case.ask_county and case.employer_id and to.path.startswith(case.employer.path):  # type: ignore[union-attr]
        refuse("to", _("The worker asked that the enterprise union not handle this case."))
    old = case.handler
    case_figures.filed(old, case.filed_on, case.kind, case.migrants, sign=-1)
    case_figures.filed(to, case.filed_on, case.kind, case.migrants)
    case.handler = to
    case.save(update_fields=["handler"])
    _entry(case, actor, CaseEntry.Kind.TRANSFER, on=_today(), step=case.step,
           text=_("From %(old)s to %(new)s: %(reason)s") % {"old": old.display_name, "new": to.display_name,
                                                            "reason": reason})
    audit.record(actor, "rights.case.transferred", case, before={"handler": old.display_name},
                 after={"handler": to.display_name}, note=reason, org=to)
    _tell_worker(case, "transfer")
    _tell_union(case, to)
    return case


OUTCOME_REFUSALS = {
    ("result", "missing"): gettext_lazy("Choose the result: a case is closed with its outcome."),
    ("result", "unknown"): gettext_lazy("Choose the result: a case is closed with its outcome."),
    ("recovered", "negative"): gettext_lazy("The amount recovered cannot be negative."),
    ("recovered", "large"): gettext_lazy("The amount recovered is too large."),
    ("recovered", "no_money"): gettext_lazy("No money is recovered with this result."),
    ("reason", "more_than_claimed"): gettext_lazy(
        "More was recovered (%(recovered)s yuan) than claimed (%(claimed)s yuan): give the reason (interest, "
        "compensation…)."),
    ("helped", "negative"): gettext_lazy("The number of workers helped cannot be negative."),
    ("helped", "more_than_people"): gettext_lazy("More workers helped (%(helped)s) than involved (%(people)s)."),
}


@verb
def close_case(*, actor: User, case: Case, result: str, recovered: Decimal | None = None, helped: int | None = None,
               reason: str = "", note: str = "", on: datetime.date | None = None) -> Case:
    """结案 with the outcome: the result, the money recovered (a reason when more than claimed), the workers
    helped."""
    case = _locked(case)
    _require_handle(actor, case)
    if case.is_closed:
        refuse("step", _("This case is closed."))
    if not rules.can_close(case.step):
        refuse("step", _("Accept the case first."))
    reason = clean(reason, "reason", _("The reason"), 200, required=False)
    problems = rules.outcome_problems(result=result, claimed=case.claimed, recovered=recovered, helped=helped,
                                      people=case.people, reason=reason)
    params = {"recovered": recovered, "claimed": case.claimed, "helped": helped, "people": case.people}
    refuse_all({field: str(OUTCOME_REFUSALS[(field, code)]) % params for field, code in problems.items()})
    day = _day(on, case)
    note = clean(note, "note", _("The note"), 2000, required=False)
    before = {"step": case.step}
    case.step, case.step_since, case.due_on, case.closed_on = CaseStep.CLOSED, day, None, day
    case.result, case.recovered, case.helped, case.excess_reason = result, recovered, helped, reason
    case.save(update_fields=["step", "step_since", "due_on", "closed_on", "result", "recovered", "helped",
                             "excess_reason"])
    _entry(case, actor, CaseEntry.Kind.STEP, on=day, step=CaseStep.CLOSED, text=note, public=True)
    case_figures.closed(case.handler, day, result, recovered, helped)
    audit.record(actor, "rights.case.closed", case, before=before, after={
        "step": CaseStep.CLOSED, "result": result, "recovered": recovered, "helped": helped,
        "step_on": day.isoformat()}, note=reason)
    _tell_worker(case, CaseStep.CLOSED, result=CaseResult(result).label)
    return case


VIEW_CHANNELS = ("page", "api", "document", "phone")


@verb
def open_case(*, actor: User, case: Case, channel: str = "page") -> bool:
    """Record that `actor` reads the case's personal data (its detail page, its API detail, a document). Returns
    whether they may see the worker's identity: False for a union in scope that does not handle the case (nothing
    is recorded then: nothing personal is shown)."""
    if not (case.is_own(actor) or Case.objects.for_user(actor, "view").filter(pk=case.pk).exists()):
        raise PermissionDeniedError(_("You may not see this case."))
    if not case.can_see_worker(actor):
        return False
    audit.record(actor, "rights.case.viewed", case, after={
        "view_channel": channel if channel in VIEW_CHANNELS else "page"})
    return True


@verb
def export_cases(*, actor: User, org: Org, case_ids: Sequence[int]) -> int:
    """Record an Excel export of cases (masked personal data) of `org`'s reach: audited with the number of rows."""
    if not org.in_scope(actor, "view"):
        raise PermissionDeniedError(_("You may not see the cases of %(org)s.") % {"org": org.display_name})
    ids = set(case_ids)
    if Case.objects.seen_by(actor).filter(pk__in=ids).count() != len(ids):
        raise PermissionDeniedError(_("You may not see this case."))
    audit.record(actor, "rights.cases.exported", org, after={"rows": len(ids)}, note=_("Rights cases exported"))
    return len(ids)
