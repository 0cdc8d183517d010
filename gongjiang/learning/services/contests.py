"""Verbs of the knowledge contests (知识竞赛): a union sets a contest up (a time box, its banks and draw rules or a
fixed question set, the attempts allowed, the prizes), publishes it, its workers enter it (an attempt through the
attempt engine, `services.attempts.start`), and after the end the union publishes the results: the ranking from the
standings, the prizes by place, and a certificate for each prize winner (core certificates, with the QR code of the
verification page)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongjiang.core import audit, certificates
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import require, verb
from gongjiang.orgs.models import Org, User

from ..choices import AttemptState, Purpose
from ..models import Attempt, Contest, ContestAward
from ..queries import contests as q
from ..rules import contests as rules
from ..rules import draw as draw_rules

CONTEST_CERTIFICATE = "learning.contest_prize"
TITLE_MAX = 80
MAX_TIME_LIMIT = 4 * 3600
MAX_WINDOW_DAYS = 366
ENTER_PER_MINUTE = 3  # attempts one worker may start at one contest within a minute (the engine allows one active)

FIELDS = ["title", "description", "opens_at", "closes_at", "draw", "time_limit", "pass_mark", "max_attempts",
          "partial", "shuffle", "prizes"]


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _clean(org: Org, data: dict[str, Any], contest: Any = None, title_max: int = TITLE_MAX
           ) -> tuple[dict[str, Any], list[int]]:
    """A paper's fields checked (each refusal names its field), and the bank ids (contests and theory exams)."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    title = str(data.get("title") or "").strip()
    if not title or len(title) > title_max:
        errors["title"] = _("Give the title (at most %(n)d characters).") % {"n": title_max}
    clean["title"] = title
    clean["description"] = str(data.get("description") or "").strip()[:5000]
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if not isinstance(opens, datetime.datetime):
        errors["opens_at"] = _("Give the date and time the contest opens.")
    if not isinstance(closes, datetime.datetime):
        errors["closes_at"] = _("Give the date and time the contest closes.")
    if isinstance(opens, datetime.datetime) and isinstance(closes, datetime.datetime):
        if closes <= opens:
            errors["closes_at"] = _("The contest must close after it opens.")
        elif closes - opens > datetime.timedelta(days=MAX_WINDOW_DAYS):
            errors["closes_at"] = _("A contest runs for at most a year.")
        elif closes <= timezone.now():
            errors["closes_at"] = _("The closing time has already passed.")
    clean["opens_at"], clean["closes_at"] = opens, closes
    ints = {"time_limit": (60, MAX_TIME_LIMIT, _("The time limit is between 1 and 240 minutes.")),
            "pass_mark": (0, 100, _("The pass mark is a percentage from 0 to 100.")),
            "max_attempts": (0, 100, _("The attempts allowed are a number from 0 (unlimited) to 100.")),
            "partial": (0, 100, _("The partial credit is a percentage from 0 to 100."))}
    for name, (low, high, message) in ints.items():
        value = data.get(name, getattr(contest, name, None) if contest else None)
        if value is None:
            value = {"time_limit": 600, "pass_mark": 60, "max_attempts": 0, "partial": 50}[name]  # the fields' defaults
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[name] = message
        clean[name] = value
    clean["shuffle"] = bool(data.get("shuffle", True))
    prizes = data.get("prizes") or {}
    prize_errors = rules.check_prizes(prizes)
    if prize_errors:
        errors["prizes"] = prize_errors[0]
    clean["prizes"] = dict(prizes) if not prize_errors else {}
    draw = data.get("draw")
    draw_errors = draw_rules.check(draw)
    bank_ids = [int(b) for b in data.get("banks") or [] if str(b).isdigit()]
    usable = set(q.usable_banks(org).filter(pk__in=bank_ids).values_list("pk", flat=True))
    if not bank_ids:
        errors["banks"] = _("Choose the question banks the contest draws from.")
    elif len(usable) != len(set(bank_ids)):
        errors["banks"] = _("%(org)s may not use some of the banks chosen.") % {"org": org.name}
    if draw_errors:
        errors["draw"] = draw_errors[0]
    elif "banks" not in errors:
        short = draw_rules.shortfall(draw or [], q.pools(bank_ids, draw or []))
        if short:
            errors["draw"] = short[0]
    clean["draw"] = draw
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return clean, sorted(usable)


@verb
def create_contest(*, actor: User, org: Org, data: dict[str, Any]) -> Contest:
    """A union sets up a contest (not yet published): title, window (opens before it closes, closes in the
    future), banks it may use (its own subtree's, or shared by a union above), draw rules the banks can fill
    (`rules.draw.check` and `shortfall`; a fixed set is one rule {"questions": [ids]}), prizes."""
    require(org, actor, "change")
    clean, banks = _clean(org, data)
    contest = Contest.objects.create(org=org, created_by=actor, **clean)
    contest.banks.set(banks)
    audit.record(actor, "learning.contest.created", contest, after={**_shown(contest), "banks": banks})
    return contest


def _shown(contest: Contest) -> dict[str, Any]:
    return {"title": contest.title, "opens_at": contest.opens_at, "closes_at": contest.closes_at,
            "draw": contest.draw, "time_limit": contest.time_limit, "max_attempts": contest.max_attempts,
            "prizes": contest.prizes}


def _locked(contest: Contest) -> Contest:
    return Contest.objects.select_for_update(of=("self",)).select_related("org").get(pk=contest.pk)


@verb
def edit_contest(*, actor: User, contest: Contest, data: dict[str, Any]) -> Contest:
    """Change a contest until it opens (and while nobody took it): every field checked as at creation."""
    contest = _locked(contest)
    require(contest.org, actor, "change")
    if contest.results_published:
        raise DomainError(_("The results are published: the contest can no longer be changed."), code="state")
    if (contest.published and contest.opens_at <= timezone.now()) or contest.attempts.exists():
        raise DomainError(_("The contest has started: it can no longer be changed."), code="state")
    before = _shown(contest)
    current = {name: getattr(contest, name) for name in FIELDS}
    clean, banks = _clean(contest.org, {**current, "banks": list(contest.banks.values_list("pk", flat=True)), **data},
                          contest)
    for name, value in clean.items():
        setattr(contest, name, value)
    contest.save(update_fields=FIELDS)
    contest.banks.set(banks)
    audit.record(actor, "learning.contest.changed", contest, before=before, after={**_shown(contest),
                                                                                  "banks": banks})
    return contest


@verb
def publish_contest(*, actor: User, contest: Contest) -> Contest:
    """发布: the contest shows to the workers of the organiser's tree; its banks must still fill its rules."""
    contest = _locked(contest)
    require(contest.org, actor, "change")
    if contest.published:
        raise DomainError(_("The contest is already published."), code="state")
    if contest.closes_at <= timezone.now():
        raise DomainError(_("The closing time has already passed."), field="closes_at")
    short = draw_rules.shortfall(contest.draw, q.pools(list(contest.banks.values_list("pk", flat=True)),
                                                        contest.draw))
    if short:
        raise DomainError(short[0], field="draw")
    contest.published = True
    contest.save(update_fields=["published"])
    audit.record(actor, "learning.contest.published", contest, after=_shown(contest))
    return contest


@verb
def enter_contest(*, actor: User, contest: Contest, now: datetime.datetime | None = None) -> Attempt:
    """参赛: a worker of the organiser's tree (regional or industry) starts an attempt at a published contest within
    its window, while attempts are left; the engine refuses a second active attempt. At most ENTER_PER_MINUTE
    attempts a minute per worker and contest."""
    from . import attempts as engine

    now = now or timezone.now()
    person = getattr(actor, "person", None)
    if person is None:
        raise PermissionDeniedError(_("Only a worker with a record in the union's roster can take part."))
    if not q.may_enter(person, contest):
        raise PermissionDeniedError(_("This contest is open to the workers of %(org)s only.") % {
            "org": contest.org.name})
    if not contest.published:
        raise DomainError(_("This contest is not open yet."), code="closed")
    if now < contest.opens_at:
        raise DomainError(_("The contest has not started yet: it opens at %(at)s.") % {"at": _local(contest.opens_at)},
                          code="closed")
    if now >= contest.closes_at:
        raise DomainError(_("The contest ended at %(at)s: it can no longer be entered.") % {
            "at": _local(contest.closes_at)}, code="closed")
    recent = Attempt.objects.filter(person=person, contest=contest,
                                    started_at__gt=now - datetime.timedelta(minutes=1)).count()
    if recent >= ENTER_PER_MINUTE:
        raise DomainError(_("Too many attempts started in the last minute; please wait a moment."), code="throttled",
                          status=429)
    # The attempt row itself records who started when (the engine audits no contest start: 9:00's peak).
    return engine.start(actor=actor, person=person, purpose=Purpose.CONTEST, contest=contest, now=now)


@verb
def publish_results(*, actor: User, contest: Contest, now: datetime.datetime | None = None) -> list[ContestAward]:
    """发布结果: after the end, once every attempt is over and counted into the standings, give the prizes by place
    (`Contest.prizes`, ties at a boundary all get the better prize) and a certificate to each winner."""
    now = now or timezone.now()
    contest = _locked(contest)
    require(contest.org, actor, "change")
    if not contest.published:
        raise DomainError(_("The contest was never published."), code="state")
    if contest.results_published:
        raise DomainError(_("The results are already published."), code="state")
    if now < contest.closes_at:
        raise DomainError(_("The contest runs until %(at)s: publish the results after it ends.") % {
            "at": _local(contest.closes_at)}, code="state")
    # The minute's timer (counters.fold) submits the attempts left past their time limit and counts every
    # submitted attempt into the standings the ranking reads; the results wait for it (a verb never folds: the fold
    # calls the verbs).
    running = Attempt.objects.filter(contest=contest, state=AttemptState.ACTIVE)
    last = running.order_by("-deadline").values_list("deadline", flat=True).first()
    if last is not None:
        raise DomainError(_("%(n)d attempts are still running (until %(at)s at the latest).") % {
            "n": running.count(), "at": _local(last)}, code="running")
    if Attempt.objects.filter(contest=contest, folded=False).exists():
        raise DomainError(_("The last attempts are being counted: publish the results in a minute."),
                          code="counting")
    winners = [r for r in q.ranking(contest) if r.prize]
    awards = ContestAward.objects.bulk_create([
        ContestAward(contest=contest, person_id=r.person_id, unit_id=r.unit_id, place=r.place,
                     prize=r.prize, score=r.score, seconds=r.seconds) for r in winners])
    awards = list(ContestAward.objects.filter(contest=contest).select_related("person", "unit").order_by("place",
                                                                                                          "id"))
    _certify(actor, contest, awards)
    contest.results_published = True
    contest.save(update_fields=["results_published"])
    audit.record(actor, "learning.contest.results_published", contest, after={
        "takers": q.standings(contest).count(), "winners": len(awards),
        "prizes": {name: sum(1 for a in awards if a.prize == name) for name in contest.prizes}})
    return awards


def _certify(actor: User, contest: Contest, awards: Sequence[ContestAward]) -> None:
    certificates.issue(
        actor=actor, kind=CONTEST_CERTIFICATE, issuer_path=contest.org.path, issuer_name=contest.org.name,
        year=timezone.localtime(contest.closes_at).year, statements=[certificates.Statement(
            owner=a, holder_name=a.person.name, holder_unit=a.unit.display_name, title=a.prize,
            lines=(certificates.Line(gettext_noop("Knowledge contest"), contest.title),
                   certificates.Line(gettext_noop("Place"), str(a.place)),
                   certificates.Line(gettext_noop("Score"), str(a.score))))
            for a in awards])
