"""The Excel import of a session's attendees (培训签到导入): a union uploads the roll of one of its sessions (姓名,
身份证号, 学时) through the core import framework. Each person is looked up by the ID number's keyed hash among the
people of the session's union and the units below it — one message whether the number is unknown or belongs to
someone elsewhere (the file must not tell who is on another union's roster) —, the name must match the roster, a
person may appear once in the file and not be on the roll already, and the hours (the session's when empty) must be
a number of hours. If any row is wrong, nothing is written; otherwise the rows go through
`services.training.add_attendees` in the framework's single transaction.

The import runs for one session, its start parameter (`params = {"session": pk}`), into the session's union."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import imports
from gongjiang.core.bulk import among
from gongjiang.core.cells import parse_id, parse_text
from gongjiang.core.crypto import lookup_hash
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import IdentifierError, parse_id_card
from gongjiang.core.imports import CellError, Column
from gongjiang.core.scoping import Scope
from gongjiang.orgs.import_targets import OrgTarget
from gongjiang.orgs.models import Org, Person

from .models import Attendance, TrainingSession
from .rules import training as rules
from .services import training as services

KIND = "training_attendees"
MAX_ROWS = 2000


def parse_hours(text: str, ctx: Any = None) -> Decimal:
    try:
        return rules.parse_hours(text)
    except ValueError as e:
        raise CellError(str(e)) from None


@dataclass
class AttendeeContext:
    session: TrainingSession
    parsed_ids: dict[str, Any] = field(default_factory=dict)  # cell text -> IdCardInfo (read by parse_id)
    people: dict[str, Person] = field(default_factory=dict)  # id_hash -> person of the union's reach
    on_roll: set[int] = field(default_factory=set)
    seen: dict[int, int] = field(default_factory=dict)  # person id -> first row in the file


class AttendeeImport(OrgTarget, imports.ImportSpec):
    kind = KIND
    title = gettext_lazy("Training attendees")
    max_rows = MAX_ROWS
    params = (imports.Param("session", missing=gettext_lazy("Choose the training session.")),)
    columns = [
        Column("name", "姓名", required=True, parse=parse_text(40), example="张三", width=10,
               help="须与名册中该身份证号的姓名一致"),
        Column("id_number", "身份证号", required=True, parse=parse_id, example="370102199003071234", width=22,
               sensitive=True, help="18位居民身份证号码，须为举办单位（及下属单位）名册中的职工"),
        Column("hours", "学时", parse=parse_hours, example="8", width=8, repeats=True,
               help="该职工获得的学时，空为本期培训的学时"),
    ]

    def check_start(self, actor: Any, org: Org, params: dict[str, Any]) -> None:
        if not org.in_scope(actor, "change"):
            raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": org.name})
        session = visible_session(actor, params["session"])
        if session.org_id != org.pk:
            raise DomainError(_("The roll of a session is imported into the union holding it."), field="session")

    def can_see_sensitive(self, user: Any, job: Any) -> bool:
        return bool(job.in_scope(user, "manage"))

    def prepare(self, job: Any, rows: list[dict[str, str]]) -> AttendeeContext:
        session = visible_session(job.created_by, (job.params or {}).get("session"))
        ctx = AttendeeContext(session=session)
        hashes: dict[str, str] = {}
        for r in rows:
            text = r.get("id_number", "")
            try:
                info = parse_id_card(text)
            except IdentifierError:
                continue
            ctx.parsed_ids[text] = info
            hashes[info.number] = lookup_hash(info.number)
        if hashes:
            found = Scope.of([session.org.path]).apply(
                Person.objects.filter(id_hash__in=among(sorted(set(hashes.values())))), "employer__")
            ctx.people = {p.id_hash: p for p in found.select_related("employer")}
            ctx.on_roll = set(Attendance.objects.filter(session=session, person__in=list(ctx.people.values()))
                              .values_list("person_id", flat=True))
        return ctx

    def clean_row(self, row: dict[str, Any], ctx: AttendeeContext) -> dict[str, str]:
        info = row.get("id_number")
        if info is None:
            return {}
        person = ctx.people.get(lookup_hash(info.number))
        if person is None:
            return {"id_number": _("No one with this ID number is on the roster of %(org)s or of the units below "
                                   "it.") % {"org": ctx.session.org.name}}
        if (row.get("name") or "") != person.name:
            return {"name": _("The name does not match the ID number: the roster has %(name)s.") % {
                "name": person.name}}
        first = ctx.seen.get(person.pk)
        if first is not None:
            return {"id_number": _("Row %(first)d already lists %(name)s.") % {"first": first, "name": person.name}}
        if person.pk in ctx.on_roll:
            return {"id_number": _("%(name)s is already on the roll of this session.") % {"name": person.name}}
        ctx.seen[person.pk] = row["_row"]
        row["person"] = person
        return {}

    def commit(self, job: Any, rows: list[dict[str, Any]], ctx: AttendeeContext) -> dict[str, Any]:
        people = [r["person"] for r in rows]
        hours = {r["person"].pk: r["hours"] for r in rows if r.get("hours") is not None}
        added = services.add_attendees(actor=job.created_by, session=ctx.session, people=people, hours_each=hours)
        return {"added": len(added), "session": ctx.session.pk}


def visible_session(user: Any, pk: Any) -> TrainingSession:
    """The session `pk` if `user` may change it, else a refusal naming the parameter."""
    session = (TrainingSession.objects.for_user(user, "change").select_related("org").filter(pk=pk).first()
               if pk else None)
    if session is None:
        raise DomainError(_("Choose the training session."), field="session")
    return session


def start_attendee_import(*, actor: Any, session: TrainingSession, upload: Any) -> Any:
    """`core.imports.start_import` of this kind into the session's union (the pages', API's and tests' shorthand)."""
    return imports.start_import(actor=actor, kind=KIND, target=session.org, upload=upload,
                                params={"session": session.pk})


attendee_import = imports.register(AttendeeImport())
