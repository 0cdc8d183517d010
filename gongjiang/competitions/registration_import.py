"""The bulk registration import (批量报名导入): a unit registers its workers for the events of one competition
from an .xlsx file (身份证号, 姓名, 赛项, 备注), through the core import framework.

Every row is checked before anything is written: the worker must be in the importer's units and the name
must match the ID number; the event must be one of the competition's; then the registration rules decide,
row after row, as if the rows were registered in order — so the rows of one file count together against the
unit quota and the capacity (a file of five when the quota is three is refused on rows 4 and 5), a worker
twice for the same event is a duplicate, and an exclusive competition refuses a second event. The rows of a
team event form their unit's team. All rows are registered in one transaction through
`services.register_bulk`, which reads everything again under the rounds' locks and keeps the check's decisions
only if nothing they depend on moved meanwhile (else decides every row again).

The import runs for one competition, its start parameter (`params = {"competition": pk}`, kept in the job so a
background run finds it); it may start only while that competition takes registrations (`check_start`), and the
run checks again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import imports
from gongjiang.core.bulk import among
from gongjiang.core.cells import parse_id, parse_text
from gongjiang.core.crypto import lookup_hash
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import IdentifierError, parse_id_card
from gongjiang.core.imports import CellError, Column
from gongjiang.orgs.import_targets import OrgTarget
from gongjiang.orgs.models import Org, Person

from .choices import CompetitionKind, CompetitionState
from .models import Competition, Event
from .queries.planner import Planner, Registrant, planning_people
from .services.registration import register_bulk

KIND = "competition_registrations"
# Which column of the file each field of a refusal reason concerns (rules.eligibility.Reason.field):
# what the worker is (age, grade, membership, post) is read from the roster found by the ID number.
REASON_COLUMNS = {"birth_date": "id_number", "skill_grade": "id_number", "membership": "id_number",
                  "is_front_line": "id_number", "post": "id_number"}


@dataclass
class RegistrationContext:
    competition: Competition
    org: Org
    actor: Any
    events: dict[str, Event | None] = field(default_factory=dict)  # name or 名称（组别） -> event (None: ambiguous)
    all_events: list[Event] = field(default_factory=list)
    parsed_ids: dict[str, Any] = field(default_factory=dict)  # cell text -> IdCardInfo (read by parse_id)
    id_hashes: dict[str, str] = field(default_factory=dict)  # number -> keyed hash
    people: dict[str, Registrant] = field(default_factory=dict)  # id_hash -> person in the importer's units
    planner: Planner | None = None
    team_sizes: dict[tuple[int, int], int] = field(default_factory=dict)  # (event, unit) -> rows in the file
    seen: dict[tuple[int, int], int] = field(default_factory=dict)  # (person, event) -> first row


def parse_event(text: str, ctx: RegistrationContext) -> Event:
    name = text.strip()
    if name in ctx.events:
        event = ctx.events[name]
        if event is None:
            raise CellError(_("Several events are called “%(v)s”; write the group too, e.g. %(example)s.") % {
                "v": name, "example": "、".join(str(e) for e in ctx.all_events if e.name == name)})
        return event
    names = "、".join(dict.fromkeys(e.name for e in ctx.all_events))
    raise CellError(_("“%(v)s” is not an event of %(competition)s; its events are: %(names)s.") % {
        "v": name, "competition": ctx.competition.name, "names": names})


class RegistrationImport(OrgTarget, imports.ImportSpec):
    kind = KIND
    title = gettext_lazy("Competition registrations")
    params = (imports.Param("competition", missing=gettext_lazy("Choose the competition to register for.")),)
    columns = [
        Column("id_number", "身份证号", required=True, parse=parse_id, example="370102199003071234", width=22,
               help="18位居民身份证号码；须为本单位（及下属单位）名册中的职工", sensitive=True),
        Column("name", "姓名", required=True, parse=parse_text(40), example="张三", width=10,
               help="须与名册中该身份证号的姓名一致"),
        Column("event", "赛项", required=True, parse=parse_event, example="车工", width=16, repeats=True,
               help="本赛事的赛项名称；同名赛项分组别时写“车工（职工组）”；团体赛每个单位填写其选派队员"),
        Column("note", "备注", parse=parse_text(200), example="", width=30, help="可不填"),
    ]

    def check_start(self, actor: Any, org: Org, params: dict[str, Any]) -> None:
        if not org.in_scope(actor, "change"):
            raise PermissionDeniedError(_("You may register only the workers of units you manage."))
        visible_competition(actor, params["competition"])  # open now, not when the page was shown

    def can_see_sensitive(self, user: Any, job: Any) -> bool:
        """The importing unit's administrators, who may reveal its workers' ID numbers (as `Person.can_see_id`)."""
        return bool(job.in_scope(user, "manage"))

    def prepare(self, job: Any, rows: list[dict[str, str]]) -> RegistrationContext:
        competition = competition_of(job)
        org = self.get_target(job)
        if org is None:
            raise DomainError(_("The unit of this import no longer exists."))
        ctx = RegistrationContext(competition=competition, org=org, actor=job.created_by)
        ctx.all_events = list(competition.events.all())
        for e in ctx.all_events:
            ctx.events[str(e)] = e
            ctx.events[e.name] = None if e.name in ctx.events else e
        hashes: dict[str, str] = {}
        for r in rows:
            text = r.get("id_number", "")
            try:
                info = parse_id_card(text)
            except IdentifierError:
                continue
            ctx.parsed_ids[text] = info
            hashes[text] = ctx.id_hashes[info.number] = lookup_hash(info.number)
        in_scope = (Person.objects.for_user(job.created_by, "change")
                    .filter(Q(employer__path__startswith=org.path) | Q(employer__industry_path__startswith=org.path)))
        # The file's people in one query (their hashes are one parameter), as plain rows: read once, for both passes.
        people = planning_people(in_scope.filter(id_hash__in=among(sorted(set(hashes.values())))))
        planner = ctx.planner = Planner(competition, people, loaded=True)
        ctx.people = {p.id_hash: p for p in people}
        # The rows of a team event form their unit's team: count them per unit before deciding any.
        for r in rows:
            person = ctx.people.get(hashes.get(r.get("id_number", ""), ""))
            event = ctx.events.get((r.get("event") or "").strip())
            if person is not None and event is not None and event.is_team:
                key = (event.pk, planner.unit_of(person).pk)
                ctx.team_sizes[key] = ctx.team_sizes.get(key, 0) + 1
        return ctx

    def clean_row(self, row: dict[str, Any], ctx: RegistrationContext) -> dict[str, str]:
        info = row["id_number"]
        person = ctx.people.get(ctx.id_hashes.get(info.number) or lookup_hash(info.number))
        if person is None:
            return {"id_number": _("No worker with this ID number in %(org)s (the units you manage); add the worker"
                                   " to the roster first.") % {"org": ctx.org.name}}
        if row["name"] != person.name:
            return {"name": _("The name does not match the ID number: the roster has %(name)s.") % {
                "name": person.name}}
        event: Event = row["event"]
        first = ctx.seen.get((person.id, event.id))
        if first is not None:
            return {"id_number": _("Row %(first)d already registers this worker for %(event)s.") % {
                "first": first, "event": event.name}}
        planner = ctx.planner
        assert planner is not None
        if event.is_team:
            problem = self._team_problem(ctx, planner, person, event)
            if problem:
                return {"event": problem}
        planned = planner.decide(person, event)
        if planned.problem is not None:
            return {"event": planned.problem.message}
        if planned.refused:
            errors: dict[str, list[str]] = {}
            for reason in planned.reasons:
                errors.setdefault(REASON_COLUMNS.get(reason.field, "event"), []).append(reason.message)
            return {k: " ".join(v) for k, v in errors.items()}
        ctx.seen[(person.id, event.id)] = row["_row"]
        row["person"] = person
        return {}

    def _team_problem(self, ctx: RegistrationContext, planner: Planner, person: Registrant,
                      event: Event) -> str:
        unit = planner.unit_of(person)
        selected = event.team_size - event.team_drawn
        rows = ctx.team_sizes.get((event.pk, unit.pk), 0)
        try:
            rnd = planner.round_of(person, event)
        except DomainError as e:
            return e.message
        if (rnd.pk, unit.pk) in planner.teams:
            return _("%(unit)s already has a team in %(event)s.") % {"unit": unit.name, "event": event.name}
        if rows != selected:
            return _("A team of %(event)s has %(n)s selected contestants (the other %(drawn)s are drawn by the"
                     " organiser); %(unit)s has %(m)s.") % {"event": event.name, "n": selected,
                                                             "drawn": event.team_drawn, "unit": unit.name, "m": rows}
        return ""

    def commit(self, job: Any, rows: list[dict[str, Any]], ctx: RegistrationContext) -> dict[str, Any]:
        summary = register_bulk(
            actor=job.created_by, competition=ctx.competition,
            items=[(r["person"], r["event"], r.get("note") or "") for r in rows], loaded=True, checked_by=ctx.planner)
        return {**summary, "competition": ctx.competition.pk}


def competition_of(job: Any) -> Competition:
    """The competition a registration import is for (its start parameter), open to registration and visible to
    the importer."""
    return visible_competition(job.created_by, (job.params or {}).get("competition"))


def visible_competition(user: Any, pk: Any) -> Competition:
    """The competition `pk` as `user` sees it, refused unless it takes registrations now."""
    competition = (Competition.objects.for_user(user, "view").select_related("organiser")
                   .filter(pk=pk).first() if pk else None)
    if competition is None:
        raise DomainError(_("Choose the competition to register for."), field="competition")
    check_open(competition)
    return competition


def check_open(competition: Competition) -> None:
    if competition.kind != CompetitionKind.SKILLS or competition.state != CompetitionState.REGISTRATION:
        raise DomainError(_("Registration for %(competition)s is not open (%(state)s).") % {
            "competition": competition.name, "state": competition.get_state_display()}, field="competition")


def start_registration_import(*, actor: Any, org: Org, competition: Competition, upload: Any) -> Any:
    """`core.imports.start_import` of this kind into `org`, for `competition` (the pages' and tests' shorthand)."""
    return imports.start_import(actor=actor, kind=KIND, target=org, upload=upload,
                                params={"competition": competition.pk})


def template(competition: Competition | None) -> bytes:
    """The framework's template, plus a sheet listing the competition's events as the 赛项 column expects."""
    import io

    from openpyxl import load_workbook
    from openpyxl.styles import Font

    data = imports.template(registration_import)
    if competition is None:
        return data
    wb = load_workbook(io.BytesIO(data))
    ws = wb.create_sheet(_("Events"))
    ws.append([_("Event"), _("Group"), _("Team event"), _("Selected contestants per team")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for e in competition.events.all():
        ws.append([str(e), e.get_group_display(), _("yes") if e.is_team else "",
                   e.team_size - e.team_drawn if e.is_team else ""])
    ws.column_dimensions["A"].width = 28
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


registration_import = imports.register(RegistrationImport())
