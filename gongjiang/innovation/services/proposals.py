"""Verbs of a proposal's first and last steps: a worker submits it (with co-proposers and files), files are added,
the union accepts it (routing it to the responsible department) or does not (with a reason), and archives it."""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, transaction
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, notifications, statements
from gongjiang.core.bulk import Rows, insert_together, reserve_ids
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.core.services import verb
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User

from .. import notify
from ..choices import AttachmentKind, Category, Kind, State
from ..models import Attachment, Contributor, Proposal
from ..tickets import Ticket
from .common import _locked, _move, _require_change, _store

TITLE_MAX = 120
TEXT_MIN = 10  # a problem or a proposal of fewer characters says nothing a valuator can judge


@dataclass(frozen=True)
class CoProposer:
    """A co-proposer as the worker names them: a name, optionally the last four digits of their mobile (when two
    colleagues share the name), and their share of the reward in percent."""

    name: str
    share: int
    mobile_tail: str = ""


def _enterprise_of(unit: Org) -> Org:
    """The grassroots union a unit belongs to (the proposal is routed to it)."""
    found = unit.grassroots_union()
    if found is None:
        raise DomainError(_("Your unit belongs to no grassroots union: a proposal cannot be routed."), field="unit")
    return found


def _resolve(enterprise: Org, lead: Person, co: Sequence[CoProposer]) -> list[tuple[Person, int]]:
    """The co-proposers' records, looked up by name in the enterprise (and by mobile tail when the name is shared),
    with their shares; refused naming the line that cannot be resolved. The lead keeps what the others leave."""
    found: list[tuple[Person, int]] = []
    errors: list[str] = []
    for c in co:
        name = c.name.strip()
        people = Person.objects.filter(name=name, employer__path__startswith=enterprise.path)
        if c.mobile_tail:
            people = people.filter(mobile__endswith=c.mobile_tail)
        matches = list(people[:2])
        if not matches:
            errors.append(_("%(name)s works in no unit of %(enterprise)s.") % {"name": name,
                                                                              "enterprise": enterprise.name})
        elif len(matches) > 1:
            errors.append(_("Several colleagues are called %(name)s: add the last four digits of the mobile.")
                          % {"name": name})
        elif matches[0].pk == lead.pk or any(p.pk == matches[0].pk for p, _s in found):
            errors.append(_("%(name)s is named twice.") % {"name": name})
        elif not 1 <= c.share <= 99:
            errors.append(_("%(name)s: a share is between 1 and 99 percent.") % {"name": name})
        else:
            found.append((matches[0], c.share))
    if errors:
        raise DomainError(" ".join(errors), field="co_proposers")
    if sum(s for _p, s in found) >= 100:
        raise DomainError(_("The co-proposers' shares add up to 100 percent or more: the proposer keeps none."),
                          field="co_proposers")
    return found


@verb(atomic=False)
def submit_proposal(*, actor: User, title: str, problem: str, solution: str, category: str,
                    kind: str = Kind.PROPOSAL, expected_benefit: str = "", co_proposers: Sequence[CoProposer] = (),
                    files: Sequence[UploadedFile] = ()) -> Proposal:
    """A worker submits a proposal from their own account: routed to the grassroots union of their unit.

    A worker's hot path (a province's workers at once; docs/BENCHMARKS.md §8): on PostgreSQL the worker, their unit
    and union are read and the id taken in one prepared statement, then the proposal, its proposers, the audit event
    and the proposers' receipt in their inbox are written by ONE statement (`core.bulk.insert_together`), atomic by
    itself; on SQLite the same rows in a transaction. Neither the figures of the unions above nor the title index
    are written here: the proposal waits, not folded, for `counters.fold` (the figures and the look-up of similar
    proposals read it meanwhile). With files, everything is one transaction
    (the files are stored with it). The receipt goes to the inbox only: the worker is looking at the confirmation;
    every later step is relayed by SMS or WeChat too."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        raise PermissionDeniedError(_("Only a worker's own account can submit a proposal."))
    title, problem, solution = title.strip(), problem.strip(), solution.strip()
    errors = _checked(title, problem, solution, category, kind, expected_benefit)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    lead, enterprise, pk = _worker(person_id)
    co = _resolve(enterprise, lead, co_proposers) if co_proposers else []
    if files:
        with transaction.atomic():
            proposal, contributors = _write(actor, lead, enterprise, co, pk, title=title, problem=problem,
                                            solution=solution, category=category, kind=kind,
                                            expected_benefit=expected_benefit.strip())
            stored = _store(actor, proposal, list(files))
    else:
        proposal, contributors = _write(actor, lead, enterprise, co, pk, title=title, problem=problem,
                                        solution=solution, category=category, kind=kind,
                                        expected_benefit=expected_benefit.strip())
        stored = []
    # what the proposal's page and the API's answer show of it, known without reading it back (no benefit yet)
    proposal._state.fields_cache["benefit"] = None
    _known_related(proposal, contributors=contributors, assignments=[], attachments=stored, payments=[])
    return proposal


@dataclass(frozen=True)
class Sent:
    """What the phone form's path answers of a proposal it has just written (nothing is read back)."""

    pk: int
    number: str
    url: str


@verb(atomic=False)
def send_proposal(*, actor: Ticket, title: str, problem: str, solution: str, category: str,
                  kind: str = Kind.PROPOSAL, expected_benefit: str = "") -> Sent:
    """The phone form's own path (views.worker.send): a worker's proposal without co-proposers or files, submitted
    with the form's signed ticket (tickets.py) — the worker, their unit and union are the ticket's, so nothing is
    read first. On PostgreSQL ONE statement (atomic by itself, so no transaction around it) checks the account is
    still active, takes the new id and writes the proposal, its proposer, the audit event and the receipt, or writes
    nothing and the account is refused; elsewhere the same rows in a transaction (as `submit_proposal` writes them).
    Every field is checked the same way, every problem told at once."""
    if not isinstance(actor, Ticket):
        raise PermissionDeniedError(_("Send a proposal from your own submit page."))
    title, problem, solution = title.strip(), problem.strip(), solution.strip()
    errors = _checked(title, problem, solution, category, kind, expected_benefit)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    expected_benefit = expected_benefit.strip()
    now = timezone.now()
    year = timezone.localdate(now).year
    if connection.vendor == "postgresql":
        pk = _send(actor, now, year, title=title, problem=problem, solution=solution, category=category, kind=kind,
                   expected_benefit=expected_benefit)
    else:
        unit = Org(pk=actor.unit_id, path=actor.unit_path)
        lead = Person(pk=actor.person_id, employer=unit)
        enterprise = Org(pk=actor.enterprise_id, name=actor.enterprise_name)
        with transaction.atomic():
            _active(actor.user_id)
            proposal, _contributors = _write(actor, lead, enterprise, [], None,
                                             languages={actor.user_id: actor.language}, title=title, problem=problem,
                                             solution=solution, category=category, kind=kind,
                                             expected_benefit=expected_benefit)
        pk = proposal.pk
    return Sent(pk, f"JY{year}-{pk:06d}", _detail_path(pk))


def _active(user_id: int) -> None:
    """Refuse a ticket whose account has been switched off since (SQLite; `_send_sql` checks it on PostgreSQL): a
    ticket outlives nothing its account has lost."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(User._meta.db_table)} WHERE id = %s AND is_active",
                       [user_id])
        found = cursor.fetchone()
    if found is None:
        raise PermissionDeniedError(_("This account is switched off: it cannot submit a proposal."))


def _send(actor: Ticket, now: Any, year: int, **fields: str) -> int:
    """`send_proposal`'s statement on PostgreSQL (`_send_sql`): the new proposal's id, or refused (nothing written)
    when the ticket's account is switched off."""
    title_parts, body_parts = notify.receipt_parts(fields["title"], actor.enterprise_name, actor.language)
    after = json.dumps({"title": fields["title"], "category": fields["category"], "kind": fields["kind"],
                        "co_proposers": []})
    values = {**fields, "user": actor.user_id, "person": actor.person_id, "unit": actor.unit_id,
              "enterprise": actor.enterprise_id, "year": year, "now": now, "path": actor.unit_path,
              "content_type": ContentType.objects.get_for_model(Proposal).pk, "after": after,
              "title_parts": title_parts, "body_parts": body_parts,
              "url_parts": _detail_parts()}
    sql, names, types = _send_sql()
    with connection.cursor() as cursor:
        statements.execute(cursor, "gj_proposal_send", sql, types, [values[n] for n in names])
        row = cursor.fetchone()
    if row is None:
        raise PermissionDeniedError(_("This account is switched off: it cannot submit a proposal."))
    pk: int = row[0]
    return pk


@functools.cache
def _send_sql() -> tuple[str, list[str], list[str]]:
    """`send_proposal`'s statement on PostgreSQL, the names of its parameters in order and their types. A
    data-modifying WITH: `a` takes the proposal's id from its sequence (and makes its number) only if the account is
    active — no row otherwise, and no id taken; the proposal, its proposer (all the share), the audit event and the
    receipt are inserted from `a`, so nothing is written without it, the receipt's texts and link joined around the
    number and the id. Every column of each table is named: a column added to a model without its value here is an
    error (the tests run this statement)."""
    q = connection.ops.quote_name
    names: list[str] = []
    types: list[str] = []

    def key(model: type[models.Model]) -> str:
        return str(model._meta.pk.rel_db_type(connection))

    kinds = {"user": key(User), "person": key(Person), "unit": key(Org), "enterprise": key(Org),
             "content_type": key(ContentType), "year": "smallint", "now": "timestamptz", "after": "jsonb",
             "title_parts": "text[]", "body_parts": "text[]", "url_parts": "text[]"}

    def param(name: str) -> str:
        names.append(name)
        types.append(kinds.get(name, "text"))
        return "%s"

    def insert(model: type[models.Model], values: dict[str, str]) -> str:
        columns = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in values]
        unmatched = {f.attname for f in columns} ^ set(values)
        if unmatched:
            raise ValueError(f"send_proposal: the columns of {model.__name__} not matched: {sorted(unmatched)}")
        return (f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(str(f.column)) for f in columns)}) "
                f"SELECT {', '.join(values[f.attname] for f in columns)} FROM a")

    # `a` carries the values several rows take (each sent once)
    shared = ("user", "person", "now", "content_type", "title", "year")

    def value(name: str) -> str:
        return f"a.v_{name}" if name in shared else param(name)

    sequence = f"pg_get_serial_sequence('{Proposal._meta.db_table}', 'id')"
    carried = ", ".join(f"{param(n)}::{kinds.get(n, 'text')} AS v_{n}" for n in shared)
    first = (f"a AS (SELECT s.*, 'JY' || s.v_year || '-' || lpad(s.id::text, greatest(6, length(s.id::text)), '0') "
             f"AS number FROM (SELECT nextval({sequence}) AS id, {carried} FROM {q(User._meta.db_table)} "
             f"WHERE id = {param('user')} AND is_active) s)")
    proposal = insert(Proposal, {
        "id": "a.id", "title": value("title"), "problem": value("problem"), "solution": value("solution"),
        "expected_benefit": value("expected_benefit"), "category": value("category"), "kind": value("kind"),
        "state": f"'{State.SUBMITTED.value}'", "proposer_id": value("person"), "unit_id": value("unit"),
        "enterprise_id": value("enterprise"), "department_id": "NULL", "year": value("year"),
        "submitted_by_id": value("user"), "submitted_at": value("now"), "decided_at": "NULL", "reason": "''",
        "score": "NULL", "grade": "NULL", "reward": "NULL", "updated_at": value("now"), "folded": "false"})
    contributor = insert(Contributor, {"proposal_id": "a.id", "person_id": value("person"), "share": "100",
                                       "is_lead": "true"})
    event = insert(AuditEvent, {
        "actor_id": value("user"), "verb": "'innovation.proposal.submitted'", "content_type_id": value("content_type"),
        "object_id": "a.id::text", "object_repr": value("title"), "org_path": value("path"),
        "before": "'{}'::jsonb", "after": f"{value('after')}::jsonb", "note": "''", "created_at": value("now")})
    receipt = insert(Notification, {
        "recipient_id": value("user"), "verb": "'innovation.proposal.submitted'",
        "title": f"left(array_to_string({value('title_parts')}::text[], a.number), {notifications.TITLE_MAX})",
        "body": f"array_to_string({value('body_parts')}::text[], a.number)",
        "url": f"array_to_string({value('url_parts')}::text[], a.id::text)",
        "content_type_id": value("content_type"), "object_id": "a.id::text", "created_at": value("now"),
        "read_at": "NULL"})
    sql = f"WITH {first}, p AS ({proposal}), c AS ({contributor}), e AS ({event}), r AS ({receipt}) SELECT id FROM a"
    return sql, names, types


def _detail_parts() -> list[str]:
    """The path of a proposal's page cut where its id goes (reversed once per script prefix)."""
    prefix = get_script_prefix()
    found = _DETAIL.get(prefix)
    if found is None:
        found = _DETAIL[prefix] = reverse("innovation:proposal_detail", args=[987654321]).split("987654321")
    return found


def _detail_path(pk: int) -> str:
    return str(pk).join(_detail_parts())


_DETAIL: dict[str, list[str]] = {}


def _checked(title: str, problem: str, solution: str, category: str, kind: str,
             expected_benefit: str = "") -> dict[str, str]:
    """{field: message} of what a submission gets wrong (all of it at once)."""
    errors = {}
    if not title:
        errors["title"] = _("Give the proposal a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("A title has at most %(n)s characters.") % {"n": TITLE_MAX}
    if len(problem) < TEXT_MIN:
        errors["problem"] = _("Describe the problem in at least %(n)s characters.") % {"n": TEXT_MIN}
    if len(solution) < TEXT_MIN:
        errors["solution"] = _("Describe your proposal in at least %(n)s characters.") % {"n": TEXT_MIN}
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if kind not in Kind.values:
        errors["kind"] = _("Choose a kind.")
    for name, text in (("title", title), ("problem", problem), ("solution", solution),
                       ("expected_benefit", expected_benefit)):
        if "\x00" in text and name not in errors:  # no database text holds it (the phone form's path cuts the
            # receipt's texts at it)
            errors[name] = _("%(field)s contains a null character: type it again.") % {
                "field": getattr(Proposal._meta.get_field(name), "verbose_name", name)}
    return errors


def _worker(person_id: int) -> tuple[Person, Org, int | None]:
    """The worker's record, their unit and its grassroots union, and on PostgreSQL the new proposal's id: one
    prepared statement there (the ORM's way, with its refusals, when it finds no union)."""
    if connection.vendor == "postgresql":
        person_fields = [f.attname for f in Person._meta.concrete_fields]
        org_fields = [f.attname for f in Org._meta.concrete_fields]
        with connection.cursor() as cursor:
            statements.execute(cursor, "gj_proposal_worker", _worker_sql(), ("text", "bigint"),
                               [OrgKind.GRASSROOTS.value, person_id])
            row = cursor.fetchone()
        if row is not None and row[-2] is not None:
            n, m = len(person_fields), len(org_fields)
            lead = Person.from_db(connection.alias, person_fields, row[:n])
            lead.employer = Org.from_db(connection.alias, org_fields, row[n:n + m])
            return lead, Org.from_db(connection.alias, org_fields, row[n + m:n + 2 * m]), row[-1]
    lead = Person.objects.select_related("employer").get(pk=person_id)
    return lead, _enterprise_of(lead.employer), None


@functools.cache
def _worker_sql() -> str:
    """`_worker`'s statement: the person, their unit, the deepest grassroots union on the unit's path (or NULLs),
    and the next proposal id."""
    q = connection.ops.quote_name

    def cols(alias: str, model: type[models.Model]) -> str:
        return ", ".join(f"{alias}.{q(str(f.column))}" for f in model._meta.concrete_fields)

    step = Org.steplen
    return (f"SELECT {cols('p', Person)}, {cols('u', Org)}, {cols('e', Org)}, "
            f"nextval(pg_get_serial_sequence('{Proposal._meta.db_table}', 'id')) "
            f"FROM {Person._meta.db_table} p JOIN {Org._meta.db_table} u ON u.id = p.employer_id "
            f"LEFT JOIN LATERAL (SELECT * FROM {Org._meta.db_table} g WHERE g.kind = %s AND g.path IN "
            f"(SELECT substr(u.path, 1, i * {step}) FROM generate_series(1, u.depth) AS i) "
            f"ORDER BY g.depth DESC LIMIT 1) e ON true WHERE p.id = %s")


def _write(actor: User | Ticket, lead: Person, enterprise: Org, co: list[tuple[Person, int]], pk: int | None,
           languages: dict[int, str] | None = None, **fields: str) -> tuple[Proposal, list[Contributor]]:
    """Write a checked submission: the proposal (not yet folded: counted in the figures, its title indexed), its
    proposers, the audit event and the proposers' receipts — one statement on PostgreSQL (the id `pk` taken before), a
    transaction elsewhere."""
    now = timezone.now()
    one_statement = connection.vendor == "postgresql"
    with contextlib.nullcontext() if one_statement else transaction.atomic():
        proposal = Proposal(**fields, proposer=lead, unit=lead.employer, enterprise=enterprise,
                            year=timezone.localdate(now).year, submitted_by_id=actor.pk, submitted_at=now,
                            updated_at=now,
                            folded=False)
        if one_statement:
            proposal.pk = pk if pk is not None else reserve_ids(Proposal, 1)[0]
        else:
            proposal.save(force_insert=True)
        contributors = ([Contributor(proposal=proposal, person=lead, share=100 - sum(s for _p, s in co),
                                     is_lead=True)]
                        + [Contributor(proposal=proposal, person=p, share=s) for p, s in co])
        event = audit.event(None, "innovation.proposal.submitted", proposal, after={
            "title": proposal.title, "category": proposal.category, "kind": proposal.kind,
            "co_proposers": [p.name for p, _s in co]})
        event.actor_id = actor.pk  # a worker's account, or the ticket standing for it
        accounts = dict(User.objects.filter(person_id__in=[lead.pk, *(p.pk for p, _s in co)], is_active=True)
                        .values_list("person_id", "pk")) if co else {lead.pk: actor.pk}
        receipts = notify.receipt(proposal, list(accounts.values()), languages=languages)
        groups: list[tuple[type[models.Model], Rows]] = [
            (Proposal, [proposal]), (Contributor, contributors), (AuditEvent, [event]), (Notification, receipts)]
        insert_together("gj_proposal_submit", groups if one_statement else groups[1:])
    proposal._state.adding = False
    return proposal, contributors


def _known_related(obj: Proposal, **related: list[Any]) -> None:
    """Give `obj`'s reverse relations the rows just written, as a prefetch would: nothing is read back."""
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in related.items():
        qs = getattr(obj, name).get_queryset()
        qs._result_cache = list(rows)
        qs._prefetch_done = True
        cache[name] = qs


@verb
def add_attachments(*, actor: User, proposal: Proposal, files: Sequence[UploadedFile],
                    kind: str = AttachmentKind.MATERIAL) -> list[Attachment]:
    """Add files to a proposal: its proposers while it is being valued, the union's cadres until it is archived
    (benefit evidence: the cadres only)."""
    proposal = _locked(proposal)
    if kind not in AttachmentKind.values:
        raise DomainError(_("Choose what the files are."), field="kind")
    allowed = proposal.can_change(actor) if kind == AttachmentKind.EVIDENCE else proposal.can_attach(actor)
    if not allowed:
        if proposal.state == State.ARCHIVED and proposal.can_change(actor):
            raise DomainError(_("This proposal is archived: nothing can be added to it."), field="state")
        raise PermissionDeniedError(_("You may not add files to this proposal."))
    if not files:
        raise DomainError(_("Choose at least one file."), field="files")
    return _store(actor, proposal, list(files), kind)


@verb
def accept_proposal(*, actor: User, proposal: Proposal, department: Org | None = None) -> Proposal:
    """受理: the union accepts a submitted proposal and routes it to the enterprise's responsible department."""
    proposal = _locked(proposal)
    _require_change(actor, proposal)
    if department is not None and (department.kind not in (OrgKind.DEPARTMENT, OrgKind.TEAM)
                                   or not department.path.startswith(proposal.enterprise.path)):
        raise DomainError(_("Choose a department of %(enterprise)s.") % {"enterprise": proposal.enterprise.name},
                          field="department")
    _move(actor, proposal, State.ACCEPTED, "innovation.proposal.accepted",
          after={"department": department.pk if department else None})
    if department is not None:
        proposal.department = department
        proposal.save(update_fields=["department", "updated_at"])
    notify.step(proposal, "accepted", department=(department or proposal.enterprise).name)
    return proposal


@verb
def reject_proposal(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """不予受理 (from "submitted") or 不采纳 (after evaluation): always with a reason the proposers are told."""
    proposal = _locked(proposal)
    _require_change(actor, proposal)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason: the proposers are told why."), field="reason")
    declined = proposal.state == State.SUBMITTED
    _move(actor, proposal, State.REJECTED,
          "innovation.proposal.declined" if declined else "innovation.proposal.rejected", after={"reason": reason})
    proposal.reason = reason
    proposal.save(update_fields=["reason", "updated_at"])
    notify.step(proposal, "declined" if declined else "rejected", reason=reason)
    return proposal


@verb
def archive_proposal(*, actor: User, proposal: Proposal) -> Proposal:
    """归档: a rewarded, accounted (nothing to reward) or rejected proposal is closed."""
    proposal = _locked(proposal)
    _require_change(actor, proposal)
    _move(actor, proposal, State.ARCHIVED, "innovation.proposal.archived")
    notify.step(proposal, "archived")
    return proposal
