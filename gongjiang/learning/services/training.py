"""Verbs of training and mentorship: a union records a training session (培训) and edits it, attaches its materials,
adds attendees from its roster (or imports them from Excel: `learning.training_imports`) and takes one off; starts a
mentor pair (师徒结对) and finishes or ends it; adds learning materials; and a learner marks a material done.

Every verb re-checks the actor's scope (the union of the session, pair or material, "change"), refuses bad input
with a Chinese message naming its field (nothing written), writes the audit event and keeps the learning figures
in the fact store over the union's reach (`learning.trainings` and `learning.training_hours` on the session's first
day, `learning.mentor_pairs` on the pair's start) through `facts.add`, as learning/facts_plugins.py counts them."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, files
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.scoping import Scope
from gongjiang.core.services import require, verb
from gongjiang.orgs import facts
from gongjiang.orgs.choices import SkillGrade
from gongjiang.orgs.models import Occupation, Org, Person, User

from ..facts_plugins import key
from ..models import Attendance, Material, MaterialCompletion, MentorPair, SessionFile, TrainingSession
from ..queries.training import available
from ..rules import training as rules
from ..training_choices import MaterialKind, PairState

MAX_ATTENDEES = 2000  # one session's roll; a bigger event is several sessions
MAX_TAGS = 10


def _figures(org: Org, day: datetime.date, **deltas: int | Decimal) -> None:
    """Add to the union's learning figures of the day (trainings=1, training_hours=Decimal("24")…)."""
    facts.add(org, day, {key(f): v for f, v in deltas.items()})


def _refuse(errors: dict[str, str], code: str = "invalid") -> None:
    if errors:
        first = next(iter(errors))
        raise DomainError(errors[first], field=first, errors=errors, code=code)


def _within(org: Org, person: Person) -> bool:
    """Whether `person` works in `org`'s reach: its regional subtree or, for an industry union, its affiliates."""
    return Scope.of([org.path]).covers(person.employer.path, person.employer.industry_path)


def _text(value: str, field: str, limit: int, *, required: bool = False, label: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Give the %(what)s.") % {"what": label}, field=field)
    if len(value) > limit:
        raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return value


def _check_upload(upload: UploadedFile, field: str = "files") -> str:
    """The file's extension once its type (by its first bytes) and size are accepted."""
    name = upload.name or ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    problem = files.problem(name, upload.size or 0, head)
    if problem == "type":
        raise DomainError(_("%(name)s: only these file types are accepted: %(types)s.") % {
            "name": name, "types": ", ".join(files.ALLOWED)}, field=field, code="file_type")
    if problem == "size":
        raise DomainError(_("%(name)s is empty or larger than %(mb)s MB.") % {
            "name": name, "mb": files.MAX_BYTES // (1024 * 1024)}, field=field, code="file_size")
    return files.extension(name)


# ---------------------------------------------------------------------------------------------
# Sessions

SESSION_FIELDS = ["topic", "trade", "starts_on", "ends_on", "place", "trainer", "hours", "notes"]


def _session_values(topic: str, place: str, trainer: str, notes: str) -> dict[str, str]:
    return {"topic": _text(topic, "topic", 120, required=True, label=_("topic")),
            "place": _text(place, "place", 120), "trainer": _text(trainer, "trainer", 60),
            "notes": _text(notes, "notes", 5000)}


@verb
def record_session(*, actor: User, org: Org, topic: str, starts_on: datetime.date | None,
                   ends_on: datetime.date | None, hours: Decimal | None, trade: Occupation | None = None,
                   place: str = "", trainer: str = "", notes: str = "") -> TrainingSession:
    """A union records a session it holds (or held): counted in its figures on the first day."""
    require(org, actor)
    values = _session_values(topic, place, trainer, notes)
    _refuse(rules.session_problems(starts_on, ends_on, hours))
    assert starts_on is not None and ends_on is not None and hours is not None
    session = TrainingSession.objects.create(org=org, trade=trade, starts_on=starts_on, ends_on=ends_on,
                                             hours=hours, created_by=actor, **values)
    _figures(org, starts_on, trainings=1)
    audit.record(actor, "learning.session.recorded", session, after=audit.snapshot(session, SESSION_FIELDS))
    return session


@verb
def edit_session(*, actor: User, session: TrainingSession, topic: str, starts_on: datetime.date | None,
                 ends_on: datetime.date | None, hours: Decimal | None, trade: Occupation | None = None,
                 place: str = "", trainer: str = "", notes: str = "") -> TrainingSession:
    """Correct a session. A new first day moves its figures to that day; new default hours are given to the
    attendees who had the old ones (hours set one by one stay)."""
    session = TrainingSession.objects.select_for_update().select_related("org").get(pk=session.pk)
    require(session.org, actor)
    values = _session_values(topic, place, trainer, notes)
    _refuse(rules.session_problems(starts_on, ends_on, hours))
    assert starts_on is not None and ends_on is not None and hours is not None
    before = audit.snapshot(session, SESSION_FIELDS)
    old_day, old_hours, old_person_hours = session.starts_on, session.hours, session.person_hours
    if hours != old_hours:
        Attendance.objects.filter(session=session, hours=old_hours).update(hours=hours)
        session.person_hours = rules.person_hours(
            list(Attendance.objects.filter(session=session).values_list("hours", flat=True)))
    for k, v in {**values, "trade": trade, "starts_on": starts_on, "ends_on": ends_on, "hours": hours}.items():
        setattr(session, k, v)
    session.save()
    if old_day != starts_on:
        _figures(session.org, old_day, trainings=-1, training_hours=-old_person_hours)
        _figures(session.org, starts_on, trainings=1, training_hours=session.person_hours)
    elif session.person_hours != old_person_hours:
        _figures(session.org, starts_on, training_hours=session.person_hours - old_person_hours)
    old, new = audit.diff(before, audit.snapshot(session, SESSION_FIELDS))
    if new:
        audit.record(actor, "learning.session.changed", session, before=old, after=new)
    return session


@verb
def add_session_files(*, actor: User, session: TrainingSession, uploads: Sequence[UploadedFile]) -> list[SessionFile]:
    """Attach the session's materials (课件, 讲义, 签到表…): every file checked before any is stored."""
    require(session.org, actor)
    if not uploads:
        raise DomainError(_("Choose the files to attach."), field="files")
    kinds = [_check_upload(u) for u in uploads]
    if session.files.count() + len(uploads) > files.MAX_FILES:
        raise DomainError(_("A session holds at most %(n)s files.") % {"n": files.MAX_FILES}, field="files",
                          code="too_many_files")
    stored = []
    for upload, ext in zip(uploads, kinds, strict=True):
        row = SessionFile(session=session, name=(upload.name or "")[-120:], size=upload.size or 0,
                          content_type=files.CONTENT_TYPES[ext], uploaded_by=actor)
        row.file.save(upload.name or f"file.{ext}", upload, save=False)
        row.save()
        stored.append(row)
        audit.record(actor, "learning.session.file_added", session, after={"file_name": row.name})
    return stored


@verb
def add_attendees(*, actor: User, session: TrainingSession, people: Sequence[Person], hours: Decimal | None = None,
                  hours_each: Mapping[int, Decimal] | None = None) -> list[Attendance]:
    """Add people of the union's reach to a session, each credited `hours_each[person id]`, else `hours`, else the
    session's hours. Refused as a whole (nothing added) when one is outside the union's reach, already on the roll,
    or named twice."""
    session = TrainingSession.objects.select_for_update().select_related("org").get(pk=session.pk)
    require(session.org, actor)
    if not people:
        raise DomainError(_("Choose the attendees to add."), field="people")
    if hours is not None:
        _refuse({"hours": p} if (p := rules.hours_problem(hours)) else {})
    given = dict(hours_each or {})
    for value in given.values():
        _refuse({"hours": p} if (p := rules.hours_problem(value)) else {})
    ids = [p.pk for p in people]
    twice = {p.name for p in people if ids.count(p.pk) > 1}
    if twice:
        raise DomainError(_("Named twice: %(names)s.") % {"names": "、".join(sorted(twice))}, field="people",
                          code="duplicate")
    people = list(Person.objects.filter(pk__in=ids).select_related("employer").order_by("id"))
    seen = set(ids)
    for person in people:
        if not _within(session.org, person):
            raise DomainError(_("%(name)s does not work in %(org)s or a unit below it.") % {
                "name": person.name, "org": session.org.name}, field="people", code="out_of_scope")
    taken = set(Attendance.objects.filter(session=session, person_id__in=seen).values_list("person__name", flat=True))
    if taken:
        raise DomainError(_("Already on the roll of this session: %(names)s.") % {"names": "、".join(sorted(taken))},
                          field="people", code="duplicate")
    if session.attendee_count + len(people) > MAX_ATTENDEES:
        raise DomainError(_("A session holds at most %(n)d attendees.") % {"n": MAX_ATTENDEES}, field="people")
    rows = Attendance.objects.bulk_create([
        Attendance(session=session, person=p, hours=given.get(p.pk) or hours or session.hours) for p in people])
    added = rules.person_hours([r.hours for r in rows])
    TrainingSession.objects.filter(pk=session.pk).update(attendee_count=F("attendee_count") + len(rows),
                                                         person_hours=F("person_hours") + added)
    _figures(session.org, session.starts_on, training_hours=added)
    audit.record(actor, "learning.session.attendees_added", session,
                 after={"attendees": "、".join(p.name for p in people[:50]) + ("…" if len(people) > 50 else ""),
                        "count": len(rows), "person_hours": added})
    return rows


@verb
def remove_attendee(*, actor: User, session: TrainingSession, person: Person) -> TrainingSession:
    """Take a person off a session's roll (entered by mistake); the person-hours follow."""
    session = TrainingSession.objects.select_for_update().select_related("org").get(pk=session.pk)
    require(session.org, actor)
    row = Attendance.objects.filter(session=session, person=person).first()
    if row is None:
        raise DomainError(_("%(name)s is not on the roll of this session.") % {"name": person.name}, field="person")
    row.delete()
    session.attendee_count -= 1
    session.person_hours -= row.hours
    session.save(update_fields=["attendee_count", "person_hours", "updated_at"])
    _figures(session.org, session.starts_on, training_hours=-row.hours)
    audit.record(actor, "learning.session.attendee_removed", session, after={"attendees": person.name,
                                                                             "hours": row.hours})
    return session


# ---------------------------------------------------------------------------------------------
# Mentor pairs


@verb
def start_pair(*, actor: User, org: Org, mentor: Person | None, apprentice: Person | None, goals: str,
               starts_on: datetime.date | None, ends_on: datetime.date | None = None,
               trade: Occupation | None = None) -> MentorPair:
    """A union records a mentor pair: the apprentice works in its reach, the mentor is someone the actor may see
    (a model worker of another enterprise may teach); not the same person; not the same pair twice in progress. The
    apprentice's grade today is kept as the grade at the start."""
    require(org, actor)
    _refuse(rules.pair_problems(mentor.pk if mentor else None, apprentice.pk if apprentice else None, starts_on,
                                ends_on))
    assert mentor is not None and apprentice is not None and starts_on is not None
    goals = _text(goals, "goals", 2000, required=True, label=_("goals"))
    if not _within(org, apprentice):
        raise DomainError(_("%(name)s does not work in %(org)s or a unit below it.") % {
            "name": apprentice.name, "org": org.name}, field="apprentice", code="out_of_scope")
    if not Person.objects.for_user(actor, "view").filter(pk=mentor.pk).exists():
        raise DomainError(_("Not found, or outside your scope."), field="mentor", code="out_of_scope")
    if MentorPair.objects.filter(mentor=mentor, apprentice=apprentice, state=PairState.ACTIVE).exists():
        raise DomainError(_("%(mentor)s and %(apprentice)s are already paired.") % {
            "mentor": mentor.name, "apprentice": apprentice.name}, field="apprentice", code="duplicate")
    pair = MentorPair.objects.create(org=org, mentor=mentor, apprentice=apprentice, trade=trade or apprentice.trade,
                                     goals=goals, starts_on=starts_on, ends_on=ends_on,
                                     grade_before=apprentice.skill_grade, created_by=actor)
    _figures(org, starts_on, mentor_pairs=1)
    audit.record(actor, "learning.pair.started", pair, after={
        "mentor": mentor.name, "apprentice": apprentice.name, "starts_on": starts_on, "ends_on": ends_on,
        "grade_before": pair.grade_before})
    return pair


def _locked_pair(pair: MentorPair, actor: User) -> MentorPair:
    pair = MentorPair.objects.select_for_update(of=("self",)).select_related("org", "apprentice").get(pk=pair.pk)
    require(pair.org, actor)
    if not pair.active:
        raise DomainError(_("This pairing is %(state)s: it cannot be closed again.") % {
            "state": pair.get_state_display()}, field="state", code="wrong_state")
    return pair


@verb
def finish_pair(*, actor: User, pair: MentorPair, on: datetime.date | None, result: str,
                grade_after: int | None = None) -> MentorPair:
    """The apprentice completes the pairing (出师): the day, the result, and the grade reached (the apprentice's
    grade on the roster when not given)."""
    pair = _locked_pair(pair, actor)
    _refuse(rules.close_problems(pair.starts_on, on, timezone.localdate()))
    result = _text(result, "result", 2000, required=True, label=_("pairing result"))
    if grade_after is not None and grade_after not in SkillGrade.values:
        raise DomainError(_("Choose a skill grade."), field="grade_after")
    pair.state, pair.closed_on, pair.result = PairState.FINISHED, on, result
    pair.grade_after = grade_after if grade_after is not None else pair.apprentice.skill_grade
    pair.save(update_fields=["state", "closed_on", "result", "grade_after"])
    audit.record(actor, "learning.pair.finished", pair, after={"closed_on": on, "result": result,
                                                               "grade_after": pair.grade_after})
    return pair


@verb
def end_pair(*, actor: User, pair: MentorPair, on: datetime.date | None, reason: str, result: str = "") -> MentorPair:
    """End a pairing early (a transfer, a departure…): the day and the reason."""
    pair = _locked_pair(pair, actor)
    _refuse(rules.close_problems(pair.starts_on, on, timezone.localdate()))
    reason = _text(reason, "reason", 1000, required=True, label=_("reason"))
    pair.state, pair.closed_on, pair.end_reason = PairState.ENDED, on, reason
    pair.result = _text(result, "result", 2000)
    pair.save(update_fields=["state", "closed_on", "end_reason", "result"])
    audit.record(actor, "learning.pair.ended", pair, after={"closed_on": on, "reason": reason})
    return pair


# ---------------------------------------------------------------------------------------------
# Materials


@verb
def add_material(*, actor: User, org: Org, title: str, kind: str, url: str = "", upload: UploadedFile | None = None,
                 description: str = "", trade: Occupation | None = None, tags: Sequence[str] = (),
                 shared: bool = True) -> Material:
    """A union adds a material: a document (an uploaded file, or its address), a link, or a video by its address."""
    require(org, actor)
    title = _text(title, "title", 120, required=True, label=_("material title"))
    if kind not in MaterialKind.values:
        raise DomainError(_("Choose the kind of material."), field="kind")
    url = (url or "").strip()
    if url and not url.lower().startswith(("https://", "http://")):
        raise DomainError(_("An address starts with https:// or http://."), field="url")
    if len(url) > 500:
        raise DomainError(_("At most %(n)d characters.") % {"n": 500}, field="url")
    if kind == MaterialKind.DOCUMENT:
        if bool(url) == bool(upload):
            raise DomainError(_("A document is an uploaded file or an address: give one of them."), field="upload")
    elif upload is not None:
        raise DomainError(_("Links and videos are given by their address; only documents are uploaded."),
                          field="upload")
    elif not url:
        raise DomainError(_("Give the address."), field="url")
    clean_tags = [t.strip()[:20] for t in tags if t and t.strip()]
    if len(clean_tags) > MAX_TAGS:
        raise DomainError(_("At most %(n)d tags.") % {"n": MAX_TAGS}, field="tags")
    material = Material(org=org, title=title, kind=kind, url=url, description=_text(description, "description", 300),
                        trade=trade, tags=list(dict.fromkeys(clean_tags)), shared=shared, created_by=actor)
    if upload is not None:
        ext = _check_upload(upload, "upload")
        material.file_name, material.file_size = (upload.name or "")[-120:], upload.size or 0
        material.content_type = files.CONTENT_TYPES[ext]
        material.file.save(upload.name or f"file.{ext}", upload, save=False)
    material.save()
    audit.record(actor, "learning.material.added", material, after={"title": title, "kind": kind,
                                                                    "shared": shared})
    return material


@verb
def complete_material(*, actor: User, material: Material, now: datetime.datetime | None = None) -> MaterialCompletion:
    """A learner marks a material done; marking it again changes nothing (the first time is kept)."""
    person_id: int | None = getattr(actor, "person_id", None)
    person = Person.objects.select_related("employer").filter(pk=person_id).first() if person_id else None
    if person is None:
        raise PermissionDeniedError(_("Only a worker's own account marks materials done."))
    if not available(person).filter(pk=material.pk).exists():  # queries.training.available
        raise PermissionDeniedError(_("This material is not shared with your unit."))
    done, created = MaterialCompletion.objects.get_or_create(material=material, person=person,
                                                             defaults={"completed_at": now or timezone.now()})
    if created:
        Material.objects.filter(pk=material.pk).update(completions=F("completions") + 1)
        audit.record(actor, "learning.material.completed", material, org=person.employer,
                     after={"title": material.title})
    return done
