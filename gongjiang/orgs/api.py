"""API endpoints of orgs, people, transfers, imports and tokens (mounted under /api/v1 by gongjiang/api.py).

Thin like the views: parse (schemas), fetch through `for_user` (out of scope is a 404), call a service
(which checks the role: not allowed is a 403), answer. Objects named in a request body are looked up the
same way and a miss names the field.
"""

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core import imports
from gongjiang.core.api import ERRORS, Listing, Pagination, no_nulls, one, plain
from gongjiang.core.crypto import lookup_hash
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import IdentifierError, parse_id_card
from gongjiang.core.models import ImportJob
from gongjiang.core.pages import error_report_response, xlsx_response

from . import queries, services
from .choices import OrgKind
from .models import ApiToken, MembershipTransfer, Org, Person, RoleGrant, User
from .occupations import trade_by_code
from .schemas import (
    DeactivateIn,
    DecisionIn,
    GradeIn,
    GradeRecordOut,
    ImportJobOut,
    MeOut,
    MoveIn,
    OrgChildOut,
    OrgCreateIn,
    OrgDetailOut,
    OrgOut,
    OrgUpdateIn,
    PeopleFilter,
    PersonCreateIn,
    PersonDetailOut,
    PersonOut,
    PersonUpdateIn,
    RevealedId,
    TokenIn,
    TokenIssued,
    TokenOut,
    TransferFilter,
    TransferIn,
    TransferOut,
    TransfersDecisionIn,
    TransfersDecisionOut,
)
from .scoping import scope_for

router = Router()


def _user(request: HttpRequest) -> User:
    """The account an endpoint acts for: ninja's `request.auth`, which the API's authentication sets (a logged-in
    session's user or a token's owner; anyone else is answered 401 before the endpoint runs)."""
    user: User = request.auth  # type: ignore[attr-defined]  # set by ninja, unknown to HttpRequest
    return user

# Above this many matches a filtered people search stops counting (see `search_people`).
PEOPLE_COUNT_CAP = queries.COUNT_CAP


# ---------------------------------------------------------------------------------------------
# The current user and personal tokens


@router.get("/me", response={200: MeOut, **ERRORS}, tags=["account"], summary="The current user and roles")
def me(request: HttpRequest) -> Any:
    user = _user(request)
    grants = list(RoleGrant.objects.filter(user=user).select_related("org").order_by("org__path"))
    return {"id": user.pk, "username": user.username, "full_name": user.full_name,
            "is_superuser": user.is_superuser, "person_id": user.person_id, "grants": grants}


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, tags=["account"], summary="My API tokens")
@paginate(Pagination)
def list_tokens(request: HttpRequest) -> Any:
    """Your personal tokens, newest first, revoked ones included (marked `is_active: false`)."""
    return ApiToken.objects.filter(user=_user(request)).order_by("-created_at", "-id")


@router.post("/tokens", response={201: TokenIssued, **ERRORS}, tags=["account"], summary="Issue an API token")
def issue_token(request: HttpRequest, payload: TokenIn) -> Any:
    """A new token acting with your roles. The `key` is in this answer only: store it now. Only a logged-in
    session may issue tokens (a token cannot mint further tokens that would outlive its own revocation)."""
    if getattr(request, "api_token", None) is not None:
        raise PermissionDeniedError(_("Issue new tokens from the logged-in site, not with a token."),
                                    code="session_required")
    token, key = services.issue_api_token(actor=_user(request), name=payload.name)
    token.key = key  # type: ignore[attr-defined]  # the clear key, in this answer only (TokenIssued)
    return Status(201, token)


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **ERRORS}, tags=["account"],
             summary="Revoke an API token")
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    """The token stops working at once (401); it stays listed as revoked."""
    token = one(ApiToken.objects.filter(user=_user(request)), token_id)
    return services.revoke_api_token(actor=_user(request), token=token)


# ---------------------------------------------------------------------------------------------
# Orgs


def _org_detail(org: Org) -> Org:
    queries.with_subtree_totals([org])
    chain = org.ancestors_and_self()
    org.ancestors = chain[:-1]
    org.parent_id = chain[-2].pk if len(chain) > 1 else None
    return org


@router.get("/orgs", response={200: list[OrgOut], **ERRORS}, tags=["orgs"], summary="My scope roots, or search")
@paginate(Pagination)
def list_orgs(request: HttpRequest, q: str = "", kind: OrgKind | None = None) -> Any:
    """Without `q`: the orgs your roles are granted on (the roots of your scope; the tree's roots for a
    system administrator). With `q`: orgs in your scope found as the site's org search finds them — the name
    or short name contains `q`, or the code or credit code begins with it. `kind` narrows either."""
    user = _user(request)
    q = q.strip()
    if q:
        qs = Org.objects.for_user(user).filter(queries.orgs_q(q))
    else:
        roots = scope_for(user, "view").roots
        qs = Org.objects.filter(depth=1) if roots is None else Org.objects.filter(path__in=roots)
    if kind:
        qs = qs.filter(kind=kind.value)
    return qs


@router.get("/orgs/{org_id}", response={200: OrgDetailOut, **ERRORS}, tags=["orgs"], summary="One org")
def get_org(request: HttpRequest, org_id: int) -> Any:
    """With its breadcrumb, subtree totals of people and members, and what you may do with it."""
    return _org_detail(one(Org.objects.for_user(_user(request)), org_id))


@router.get("/orgs/{org_id}/children", response={200: list[OrgChildOut], **ERRORS}, tags=["orgs"],
            summary="The org's direct children")
@paginate(Pagination)
def org_children(request: HttpRequest, org_id: int, include_inactive: bool = True) -> Any:
    """The direct children (regional tree) in tree order, each with the people and members of its whole
    subtree (one GROUP BY for the page, whatever the size of the tree)."""
    user = _user(request)
    org = one(Org.objects.for_user(user), org_id)
    qs = Org.objects.for_user(user).filter(path__startswith=org.path, depth=org.depth + 1)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return Listing(qs, decorate=queries.with_subtree_totals)


def _org_data(payload: Any, *, partial: bool) -> dict[str, Any]:
    data = plain(payload.dict(exclude_unset=partial))
    data.pop("parent", None)
    if partial:
        no_nulls(data, nullable={"industry_union"})
    if "industry_union" in data:
        iu_id = data["industry_union"]
        if iu_id is None:
            data["industry_union"] = None
        else:
            data["industry_union"] = Org.objects.filter(pk=iu_id).first()
            if data["industry_union"] is None or data["industry_union"].kind != OrgKind.INDUSTRY:
                raise DomainError(_("The affiliated union must be an industry union."), field="industry_union")
    return data


@router.post("/orgs", response={201: OrgDetailOut, **ERRORS}, tags=["orgs"], summary="Create an org")
def create_org(request: HttpRequest, payload: OrgCreateIn) -> Any:
    """Create an org under `parent` (staff or administrator of the parent). The kind must fit under the
    parent's kind; a credit code is checked (GB 32100) and must be unique, as must the code."""
    user = _user(request)
    parent = one(Org.objects.for_user(user), payload.parent, field="parent")
    org = services.create_org(actor=user, parent=parent, **_org_data(payload, partial=False))
    return Status(201, _org_detail(org))


@router.patch("/orgs/{org_id}", response={200: OrgDetailOut, **ERRORS}, tags=["orgs"], summary="Update an org")
def update_org(request: HttpRequest, org_id: int, payload: OrgUpdateIn) -> Any:
    """Change the fields sent (others are kept). `industry_union: null` removes the affiliation."""
    user = _user(request)
    org = one(Org.objects.for_user(user), org_id)
    org = services.update_org(actor=user, org=org, **_org_data(payload, partial=True))
    return _org_detail(org)


@router.post("/orgs/{org_id}/move", response={200: OrgDetailOut, **ERRORS}, tags=["orgs"],
             summary="Move an org (and its subtree) under another parent")
def move_org(request: HttpRequest, org_id: int, payload: MoveIn) -> Any:
    """Re-parent the whole subtree. Needs staff or administrator rights on both the org and the new parent;
    an org cannot go under itself or one of its own units."""
    user = _user(request)
    org = one(Org.objects.for_user(user), org_id)
    parent = one(Org.objects.for_user(user), payload.parent, field="parent")
    return _org_detail(services.move_org(actor=user, org=org, new_parent=parent))


@router.post("/orgs/{org_id}/deactivate", response={200: OrgDetailOut, **ERRORS}, tags=["orgs"],
             summary="Deactivate an org and its subtree")
def deactivate_org(request: HttpRequest, org_id: int, payload: DeactivateIn) -> Any:
    """Orgs are never deleted: their people and records stay, they stop taking new ones."""
    user = _user(request)
    org = one(Org.objects.for_user(user), org_id)
    services.deactivate_org(actor=user, org=org, reason=payload.reason)
    org.refresh_from_db()
    return _org_detail(org)


@router.post("/orgs/{org_id}/reactivate", response={200: OrgDetailOut, **ERRORS}, tags=["orgs"],
             summary="Reactivate an org and its subtree")
def reactivate_org(request: HttpRequest, org_id: int) -> Any:
    user = _user(request)
    org = one(Org.objects.for_user(user), org_id)
    services.reactivate_org(actor=user, org=org)
    org.refresh_from_db()
    return _org_detail(org)


# ---------------------------------------------------------------------------------------------
# People


@router.get("/people", response={200: list[PersonOut], **ERRORS}, tags=["people"], summary="Search people")
@paginate(Pagination)
def search_people(request: HttpRequest, filters: Query[PeopleFilter]) -> Any:
    """People employed in your scope (a worker: only themself), in registration order; ID numbers and
    mobiles masked.

    **The total (`count`).** Without filters, or filtered only by `org`, the total is the sum of the
    pre-aggregated people counts of the orgs in scope (no COUNT over millions of rows at province scale).
    With any other filter the matches are counted up to 10,000; beyond that `count` is null and `next`
    says whether another page follows. `id_number` is matched exactly through its keyed hash.

    **`q`** is the search of the site's pages (the people list, the header's search box): part of a name, the
    last four of the ID number, a mobile tail, or a whole ID or mobile number. A name part is matched anywhere in
    the name, which no index serves: on a province it is a scan bounded by the page and the 10,000 cap; for
    the beginning of a name use `name`, which the name index serves."""
    user = _user(request)
    qs = (Person.objects.for_user(user).select_related("employer", "trade", "membership")
          .order_by("id"))
    org = one(Org.objects.for_user(user), filters.org, field="org") if filters.org else None
    if org is not None:
        qs = qs.filter(queries.reach_q(org, "employer__"))
    narrowed = False
    if filters.q is not None and filters.q.strip():
        problem = queries.search_problem(filters.q)
        if problem:
            raise DomainError(problem, field="q")
        qs, narrowed = queries.people_matching(qs, filters.q), True
    if filters.id_number:
        try:
            number = parse_id_card(filters.id_number).number
        except IdentifierError as e:
            raise DomainError(str(e), field="id_number") from None
        qs, narrowed = qs.filter(id_hash=lookup_hash(number)), True
    if filters.name:
        qs, narrowed = qs.filter(name__startswith=filters.name.strip()), True
    if filters.mobile:
        qs, narrowed = qs.filter(mobile=filters.mobile.strip()), True
    if filters.trade:
        qs, narrowed = qs.filter(trade__code=filters.trade.strip()), True
    if filters.grade is not None:
        qs, narrowed = qs.filter(skill_grade=filters.grade.value), True
    if filters.front_line is not None:
        qs, narrowed = qs.filter(is_front_line=filters.front_line), True
    if filters.migrant is not None:
        qs, narrowed = qs.filter(is_migrant=filters.migrant), True
    if narrowed or scope_for(user, "view").is_empty or getattr(user, "person_id", None):
        # Filtered, or a worker (own record), or a cadre who is also a worker: count, capped.
        return Listing(qs, count_cap=PEOPLE_COUNT_CAP)
    if org is not None:  # a visible org's whole reach is visible: its counters hold the total
        return Listing(qs, count=org.reach_totals(user)["people"])
    known = Org.objects.for_user(user).order_by().aggregate(n=Sum("person_count"))["n"] or 0
    return Listing(qs, count=known)


def _person_detail(user: User, pk: int) -> Person:
    person = one(Person.objects.for_user(user).select_related("employer", "trade", "membership__union"), pk)
    person.grade_records_list = list(  # type: ignore[attr-defined]  # for PersonDetailOut.resolve_grade_records
        person.grade_records.select_related("trade"))
    return person


@router.get("/people/{person_id}", response={200: PersonDetailOut, **ERRORS}, tags=["people"],
            summary="One person")
def get_person(request: HttpRequest, person_id: int) -> Any:
    """The record with its membership and skill-grade history. The ID number is masked; administrators of
    the person's unit may see it through POST /people/{id}/reveal-id (audited)."""
    return _person_detail(_user(request), person_id)


def _person_data(user: User, payload: Any, *, partial: bool) -> dict[str, Any]:
    data = plain(payload.dict(exclude_unset=partial))
    data.pop("membership", None)
    if partial:
        no_nulls(data, nullable={"trade", "employment_start"})
    if "employer" in data:
        data["employer"] = one(Org.objects.for_user(user), data["employer"], field="employer")
    if "trade" in data:
        data["trade"] = trade_by_code(data["trade"])
    for key in ("mobile", "ethnicity", "post", "name"):
        if isinstance(data.get(key), str):
            data[key] = data[key].strip()
    return data


@router.post("/people", response={201: PersonDetailOut, **ERRORS}, tags=["people"], summary="Register a person")
def create_person(request: HttpRequest, payload: PersonCreateIn) -> Any:
    """Register a worker with their employer (a grassroots union, department or team in your scope; staff or
    administrator). Gender and birth date come from the ID number (they must agree if given); an ID number
    already registered is refused. With `membership` the person joins the employer's union."""
    user = _user(request)
    data = _person_data(user, payload, partial=False)
    employer = data.pop("employer")
    membership = payload.membership.dict() if payload.membership is not None else None
    person = services.create_person(actor=user, employer=employer, membership=membership, **data)
    return Status(201, _person_detail(user, person.pk))


@router.patch("/people/{person_id}", response={200: PersonDetailOut, **ERRORS}, tags=["people"],
              summary="Correct a person's record")
def update_person(request: HttpRequest, person_id: int, payload: PersonUpdateIn) -> Any:
    """Change the fields sent. Gender and birth date follow the ID number: to change them, correct
    `id_number`. A worker may correct their own mobile, education, political status, ethnicity and post."""
    user = _user(request)
    person = one(Person.objects.for_user(user), person_id)
    data = _person_data(user, payload, partial=True)
    if "id_number" not in data:
        # A birth date compared with the stored one would tell its sender which date is right: whoever may not see
        # the ID number is refused whatever date they send.
        hidden = {"birth_date"} if not person.can_see_id(user) else set()
        wrong: dict[str, str] = {
            k: _("The gender and birth date come from the ID number; correct the ID number instead.")
            for k in ("gender", "birth_date") if k in data and (k in hidden or data[k] != getattr(person, k))}
        if wrong:
            raise DomainError(next(iter(wrong.values())), errors=wrong)
        data.pop("gender", None)
        data.pop("birth_date", None)
    services.update_person(actor=user, person=person, **data)
    return _person_detail(user, person.pk)


@router.post("/people/{person_id}/grades", response={201: GradeRecordOut, **ERRORS}, tags=["people"],
             summary="Record a certified skill grade")
def record_grade(request: HttpRequest, person_id: int, payload: GradeIn) -> Any:
    """The history is kept; the person's current grade becomes this one."""
    user = _user(request)
    person = one(Person.objects.for_user(user), person_id)
    record = services.record_skill_grade(actor=user, person=person, grade=payload.grade.value,
                                         certificate_no=payload.certificate_no, certified_on=payload.certified_on,
                                         trade=trade_by_code(payload.trade), source=payload.source)
    return Status(201, record)


@router.post("/people/{person_id}/reveal-id", response={200: RevealedId, **ERRORS}, tags=["people"],
             summary="Show the full ID number (administrators; audited)")
def reveal_id(request: HttpRequest, person_id: int, response: HttpResponse) -> Any:
    """Only administrators of the person's unit (and the person themself); every reveal is written to the
    audit log. The answer must not be cached."""
    user = _user(request)
    person = one(Person.objects.for_user(user).select_related("employer"), person_id)
    number = services.reveal_id_number(actor=user, person=person)
    response["Cache-Control"] = "no-store"
    return {"id": person.pk, "id_number": number}


# ---------------------------------------------------------------------------------------------
# Membership transfers (会籍转接)


def _transfers(user: User) -> QuerySet[MembershipTransfer]:
    return MembershipTransfer.objects.for_user(user).select_related(
        "person", "from_union", "to_union", "to_employer", "requested_by", "decided_by")


@router.get("/transfers", response={200: list[TransferOut], **ERRORS}, tags=["transfers"],
            summary="Membership transfers")
@paginate(Pagination)
def list_transfers(request: HttpRequest, filters: Query[TransferFilter]) -> Any:
    """Transfers into (`incoming`) or out of (`outgoing`) the unions in your scope, newest first."""
    user = _user(request)
    qs = _transfers(user)
    if filters.direction == "incoming":
        qs = scope_for(user, "view").apply(qs, "to_union__")
    elif filters.direction == "outgoing":
        qs = scope_for(user, "view").apply(qs, "from_union__")
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.order_by("-requested_at", "-id")


@router.post("/transfers", response={201: TransferOut, **ERRORS}, tags=["transfers"],
             summary="Request a membership transfer")
def request_transfer(request: HttpRequest, payload: TransferIn) -> Any:
    """The member's union asks the destination (any grassroots union, department or team, also outside your
    scope) to take the member over; the destination accepts or refuses."""
    user = _user(request)
    person = one(Person.objects.for_user(user), payload.person, field="person")
    to_employer = Org.objects.filter(pk=payload.to_employer).first()
    if to_employer is None:
        raise DomainError(_("Not found, or outside your scope."), field="to_employer", code="not_found",
                          status=404)
    transfer = services.request_transfer(actor=user, person=person, to_employer=to_employer,
                                         reason=payload.reason)
    return Status(201, one(_transfers(user), transfer.pk))


def _decide(request: HttpRequest, transfer_id: int, verb: Any, note: str) -> Any:
    user = _user(request)
    transfer = one(MembershipTransfer.objects.for_user(user), transfer_id)
    verb(actor=user, transfer=transfer, note=note)
    return one(_transfers(user), transfer.pk)


@router.post("/transfers/decide", response={200: TransfersDecisionOut, **ERRORS}, tags=["transfers"],
             summary="Accept or refuse several transfers (destination)")
def decide_transfers(request: HttpRequest, payload: TransfersDecisionIn) -> Any:
    """Decide up to 200 waiting transfers at once, as the transfers page's "接收所选" / "拒绝所选" do: refusing needs
    `note`, one reason for all (else 400, field `note`, nothing changes).

    **Partial, never half a transfer**: each transfer is decided on its own (permission checked, audited) and one
    that cannot be — decided meanwhile by a colleague (`already_decided`), not yours to decide (`forbidden`), not
    in your scope (`not_found`, never named), the membership changed (`invalid`) — is listed in `undecided` with
    the reason and left as it was, while the others are decided. The answer is 200 whenever the request itself is
    valid: read `undecided`."""
    user = _user(request)
    try:
        batch = services.decide_transfers(actor=user, transfers=payload.ids, accept=payload.decision == "accept",
                                          note=payload.note)
    except DomainError as e:
        renamed = {"transfers": "ids", "decision_note": "note"}
        raise DomainError(e.message, errors={renamed.get(k, k): v for k, v in e.errors.items()}, code=e.code,
                          status=e.status) from None
    decided = {t.pk: t for t in _transfers(user).filter(pk__in=[t.pk for t in batch.decided])}
    return {"decision": payload.decision, "decided": [decided[t.pk] for t in batch.decided if t.pk in decided],
            "undecided": [{"id": u.transfer_id, "name": u.name, "detail": u.reason, "code": u.code}
                          for u in batch.undecided]}


@router.post("/transfers/{transfer_id}/accept", response={200: TransferOut, **ERRORS}, tags=["transfers"],
             summary="Accept a transfer (destination)")
def accept_transfer(request: HttpRequest, transfer_id: int, payload: DecisionIn) -> Any:
    """The membership and the employer move to the destination; the history stays."""
    return _decide(request, transfer_id, services.accept_transfer, payload.note)


@router.post("/transfers/{transfer_id}/refuse", response={200: TransferOut, **ERRORS}, tags=["transfers"],
             summary="Refuse a transfer (destination; give the reason)")
def refuse_transfer(request: HttpRequest, transfer_id: int, payload: DecisionIn) -> Any:
    return _decide(request, transfer_id, services.refuse_transfer, payload.note)


@router.post("/transfers/{transfer_id}/cancel", response={200: TransferOut, **ERRORS}, tags=["transfers"],
             summary="Withdraw a transfer (origin)")
def cancel_transfer(request: HttpRequest, transfer_id: int, payload: DecisionIn) -> Any:
    return _decide(request, transfer_id, services.cancel_transfer, payload.note)


# ---------------------------------------------------------------------------------------------
# Imports


@router.get("/imports", response={200: list[ImportJobOut], **ERRORS}, tags=["imports"],
            summary="Imports into orgs of my scope")
@paginate(Pagination)
def list_imports(request: HttpRequest, kind: str = "") -> Any:
    qs = _with_org(ImportJob.objects.for_user(_user(request)))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


@router.post("/imports", response={201: ImportJobOut, **ERRORS}, tags=["imports"], summary="Upload an import")
def start_import(request: HttpRequest, kind: Form[str], org: Form[int], file: File[UploadedFile]) -> Any:
    """Upload an .xlsx (multipart: `kind`, e.g. `roster`; `org`; `file`). A file that is not an .xlsx, too large,
    empty or with headers not matching the template is refused at once (400, field `file`). Otherwise the job
    is created: every row is validated before anything is written; small files finish in this request
    (`state` done or invalid with `errors`), large ones run in the background: poll GET /imports/{id}."""
    user = _user(request)
    if kind not in imports.REGISTRY:
        raise DomainError(_("Unknown import type %(kind)s.") % {"kind": kind}, field="kind")
    target = one(Org.objects.for_user(user), org, field="org")
    job = imports.start_import(actor=user, kind=kind, target=target, upload=file)
    return Status(201, one(_with_org(ImportJob.objects.all()), job.pk))


def _with_org(jobs: QuerySet[ImportJob]) -> QuerySet[ImportJob]:
    """Jobs with their union's current name and code (`ImportJobOut.org`): the job keeps the org's id, paths and
    name at the upload, not a foreign key (core knows no orgs)."""
    org = Org.objects.filter(pk=OuterRef("org_id"))
    return jobs.annotate(org_current_name=Subquery(org.values("name")[:1]),
                         org_code=Subquery(org.values("code")[:1]))


@router.get("/imports/template/{kind}.xlsx", response={200: None, **ERRORS}, tags=["imports"],
            summary="The .xlsx template of an import", url_name="import_template")
def import_template(request: HttpRequest, kind: str) -> Any:
    spec = imports.REGISTRY.get(kind)
    if spec is None:
        raise Http404
    return xlsx_response(imports.template(spec), f"{spec.title}导入模板.xlsx")


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS}, tags=["imports"],
            summary="An import's state, progress and errors")
def get_import(request: HttpRequest, job_id: int) -> Any:
    return one(_with_org(ImportJob.objects.for_user(_user(request))), job_id)


@router.get("/imports/{job_id}/errors.xlsx", response={200: None, **ERRORS}, tags=["imports"],
            summary="The error report (.xlsx, bad cells marked)", url_name="import_error_report")
def import_error_report(request: HttpRequest, job_id: int) -> Any:
    """ID numbers in clear only for the uploader and those who may reveal them in the job's unit (audited)."""
    job = one(ImportJob.objects.for_user(_user(request)), job_id)
    if not job.error_report:
        raise Http404
    return error_report_response(imports.download_error_report(actor=_user(request), job=job), job)

