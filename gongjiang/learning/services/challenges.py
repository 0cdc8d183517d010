"""Verbs of the level challenges (闯关) and of practice.

A union's cadres create a challenge, give it levels (each a paper: banks the union may use, draw rules checked by
`rules.draw.check` and against the banks' pools by `rules.draw.shortfall`, a time limit, a pass mark, the attempts
allowed, points and a badge), reorder them and publish it (refused while it has no level or a level cannot be
drawn). A worker of the organiser's reach enters a level of a published, open challenge once the level before it is
cleared and while attempts are left (`enter_level`); practises daily (每日一练: questions drawn at random from the banks
shared with their unions) and practises their wrong answers (错题重练). The attempt itself is the attempt engine's
(`services.attempts.start`)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import require, verb
from gongjiang.orgs.models import Occupation, Org, Person, User
from gongjiang.orgs.scoping import within

from ..choices import Purpose
from ..models import Attempt, Bank, Challenge, Level
from ..queries import challenges as queries
from ..rules import challenges as rules
from ..rules import draw as draw_rules
from . import attempts

TITLE_MAX = 80
LEVEL_TITLE_MAX = 60
BADGE_MAX = 40
MAX_LEVELS = 50
TIME_LIMIT = (30, 4 * 3600)  # seconds
CHALLENGE_FIELDS = ["title", "description", "trade", "opens_on", "closes_on", "badge", "published"]
LEVEL_FIELDS = ["number", "title", "draw", "time_limit", "pass_mark", "max_attempts", "partial", "shuffle", "points",
                "badge"]


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("This field is required."), field=field)
    if len(value) > limit:
        raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return value


def _dates(opens_on: datetime.date, closes_on: datetime.date | None) -> None:
    if not isinstance(opens_on, datetime.date):
        raise DomainError(_("Give the day the challenge opens."), field="opens_on")
    if closes_on is not None and closes_on < opens_on:
        raise DomainError(_("The challenge cannot close before it opens."), field="closes_on")


def _locked(challenge: Challenge) -> Challenge:
    return Challenge.objects.select_for_update().select_related("org").get(pk=challenge.pk)


@verb
def create_challenge(*, actor: User, org: Org, title: str, opens_on: datetime.date,
                     closes_on: datetime.date | None = None, description: str = "", trade: Occupation | None = None,
                     badge: str = "") -> Challenge:
    """A new challenge of `org` (unpublished, without levels yet)."""
    require(org, actor, "change")
    title = _text(title, "title", TITLE_MAX)
    badge = _text(badge, "badge", BADGE_MAX, required=False)
    _dates(opens_on, closes_on)
    challenge = Challenge.objects.create(org=org, title=title, description=(description or "").strip(), trade=trade,
                                         opens_on=opens_on, closes_on=closes_on, badge=badge, created_by=actor)
    audit.record(actor, "learning.challenge.created", challenge, after=audit.snapshot(challenge, CHALLENGE_FIELDS))
    return challenge


@verb
def update_challenge(*, actor: User, challenge: Challenge, title: str, opens_on: datetime.date,
                     closes_on: datetime.date | None = None, description: str = "", trade: Occupation | None = None,
                     badge: str = "") -> Challenge:
    """Change a challenge's title, dates, description, trade or badge (also once published: a date moved, a
    description corrected; the levels' attempts keep their papers)."""
    require(challenge.org, actor, "change")
    challenge = _locked(challenge)
    title = _text(title, "title", TITLE_MAX)
    badge = _text(badge, "badge", BADGE_MAX, required=False)
    _dates(opens_on, closes_on)
    before = audit.snapshot(challenge, CHALLENGE_FIELDS)
    challenge.title, challenge.description, challenge.trade = title, (description or "").strip(), trade
    challenge.opens_on, challenge.closes_on, challenge.badge = opens_on, closes_on, badge
    challenge.save(update_fields=["title", "description", "trade", "opens_on", "closes_on", "badge"])
    old, new = audit.diff(before, audit.snapshot(challenge, CHALLENGE_FIELDS))
    audit.record(actor, "learning.challenge.updated", challenge, before=old, after=new)
    return challenge


def _check_paper(org: Org, banks: Sequence[Bank], draw: Any) -> None:
    """Every reason the level's banks and draw rules cannot give a paper, at once (field `banks` or `draw`)."""
    if not banks:
        raise DomainError(_("Choose at least one question bank."), field="banks")
    usable = set(queries.usable_banks(org).filter(pk__in=[b.pk for b in banks]).values_list("pk", flat=True))
    refused = [b.name for b in banks if b.pk not in usable]
    if refused:
        raise DomainError(_("%(org)s may not use these banks: %(banks)s.") % {"org": org.name,
                                                                              "banks": "、".join(refused)},
                          field="banks")
    errors = draw_rules.check(draw)
    if errors:
        raise DomainError(" ".join(errors), field="draw", code="draw")
    short = draw_rules.shortfall(draw, queries.pools([b.pk for b in banks], draw))
    if short:
        raise DomainError(" ".join(short), field="draw", code="short")


def _level_numbers(value: Any, field: str, low: int, high: int, message: str) -> int:
    """A whole number between `low` and `high` (the API and imports hand over what JSON gave)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DomainError(message, field=field)
    return value


@verb
def save_level(*, actor: User, challenge: Challenge, level: Level | None = None, title: str,
               banks: Sequence[Bank], draw: Any, time_limit: int = 600, pass_mark: int = 60, max_attempts: int = 0,
               points: int = 10, badge: str = "", partial: int = 50, shuffle: bool = True) -> Level:
    """Add a level at the end of the challenge (`level` None) or change one of its levels; the banks must be usable
    by the organiser and the rules drawable from them."""
    require(challenge.org, actor, "change")
    challenge = _locked(challenge)
    if level is not None and level.challenge_id != challenge.pk:
        raise DomainError(_("This level belongs to another challenge."), field="level")
    title = _text(title, "title", LEVEL_TITLE_MAX)
    badge = _text(badge, "badge", BADGE_MAX, required=False)
    _level_numbers(time_limit, "time_limit", *TIME_LIMIT,
                   message=_("The time limit runs from 30 seconds to 4 hours."))
    _level_numbers(pass_mark, "pass_mark", 0, 100, _("The pass mark is a percentage from 0 to 100."))
    _level_numbers(max_attempts, "max_attempts", 0, 100, _("Attempts allowed: from 0 (unlimited) to 100."))
    _level_numbers(points, "points", 0, 1000, _("Points run from 0 to 1000."))
    _level_numbers(partial, "partial", 0, 100, _("Partial credit is a percentage from 0 to 100."))
    banks = list(banks)
    _check_paper(challenge.org, banks, draw)
    values = {"title": title, "badge": badge, "time_limit": time_limit, "pass_mark": pass_mark,
              "max_attempts": max_attempts, "points": points, "partial": partial, "shuffle": bool(shuffle),
              "draw": draw}
    if level is None:
        if challenge.levels.count() >= MAX_LEVELS:
            raise DomainError(_("A challenge has at most %(n)d levels.") % {"n": MAX_LEVELS}, field="level")
        last = challenge.levels.order_by("-number").values_list("number", flat=True).first() or 0
        level = Level.objects.create(challenge=challenge, number=last + 1, **values)
        level.banks.set(banks)
        audit.record(actor, "learning.level.added", level, after={**audit.snapshot(level, LEVEL_FIELDS),
                                                                   "banks": [b.name for b in banks]})
        return level
    level = Level.objects.select_for_update().get(pk=level.pk)
    before = {**audit.snapshot(level, LEVEL_FIELDS), "banks": sorted(level.banks.values_list("name", flat=True))}
    for key, value in values.items():
        setattr(level, key, value)
    level.save(update_fields=list(values))
    level.banks.set(banks)
    after = {**audit.snapshot(level, LEVEL_FIELDS), "banks": sorted(b.name for b in banks)}
    old, new = audit.diff(before, after)
    audit.record(actor, "learning.level.changed", level, before=old, after=new)
    return level


@verb
def remove_level(*, actor: User, level: Level) -> Challenge:
    """Remove a level nobody has attempted yet; the levels after it move up one."""
    challenge = level.challenge
    require(challenge.org, actor, "change")
    challenge = _locked(challenge)
    if Attempt.objects.filter(level=level).exists():
        raise DomainError(_("Workers have attempted this level: it can no longer be removed."), field="level",
                          code="attempted")
    number = level.number
    audit.record(actor, "learning.level.removed", challenge, before={"number": number, "title": level.title})
    level.delete()
    _renumber(challenge, list(challenge.levels.order_by("number").values_list("pk", flat=True)))
    return challenge


def _renumber(challenge: Challenge, order: Sequence[int]) -> None:
    """Number the levels 1, 2, … in `order` (through numbers above the current ones: the pair is unique)."""
    levels = {lv.pk: lv for lv in challenge.levels.select_for_update()}
    top = max([lv.number for lv in levels.values()], default=0)
    for i, pk in enumerate(order, start=1):
        levels[pk].number = top + i
        levels[pk].save(update_fields=["number"])
    for i, pk in enumerate(order, start=1):
        levels[pk].number = i
        levels[pk].save(update_fields=["number"])


@verb
def reorder_levels(*, actor: User, challenge: Challenge, order: Sequence[int]) -> Challenge:
    """Put the levels in the order given (every level id of the challenge once); refused once a worker has cleared
    one of its levels, since unlocking follows the order."""
    require(challenge.org, actor, "change")
    challenge = _locked(challenge)
    ids = list(challenge.levels.order_by("number").values_list("pk", flat=True))
    order = list(order)
    if sorted(order) != sorted(ids) or len(set(order)) != len(order):
        raise DomainError(_("List every level of the challenge once."), field="order")
    if Attempt.objects.filter(level__challenge=challenge).exists():
        raise DomainError(_("Workers have started this challenge: its levels can no longer be reordered."),
                          field="order", code="attempted")
    if order != ids:
        titles = dict(challenge.levels.values_list("pk", "title"))
        _renumber(challenge, order)
        audit.record(actor, "learning.challenge.reordered", challenge, before={"levels": [titles[i] for i in ids]},
                     after={"levels": [titles[i] for i in order]})
    return challenge


@verb
def publish_challenge(*, actor: User, challenge: Challenge) -> Challenge:
    """Open a challenge to the workers of the organiser's reach: it needs a level, and every level's rules must be
    drawable from its banks as they stand now."""
    require(challenge.org, actor, "change")
    challenge = _locked(challenge)
    if challenge.published:
        raise DomainError(_("This challenge is already published."), code="published")
    levels = list(challenge.levels.prefetch_related("banks").order_by("number"))
    if not levels:
        raise DomainError(_("Add at least one level before publishing."), field="levels", code="no_levels")
    problems = []
    for lv in levels:
        try:
            _check_paper(challenge.org, list(lv.banks.all()), lv.draw)
        except DomainError as e:
            problems.append(_("Level %(n)d %(title)s: %(why)s") % {"n": lv.number, "title": lv.title,
                                                                   "why": e.message})
    if problems:
        raise DomainError(" ".join(problems), field="levels", code="short")
    challenge.published = True
    challenge.save(update_fields=["published"])
    audit.record(actor, "learning.challenge.published", challenge, before={"published": False},
                 after={"published": True})
    return challenge


@verb
def withdraw_challenge(*, actor: User, challenge: Challenge) -> Challenge:
    """Take a published challenge back (no new level can be entered; attempts under way finish)."""
    require(challenge.org, actor, "change")
    challenge = _locked(challenge)
    if not challenge.published:
        raise DomainError(_("This challenge is not published."), code="unpublished")
    challenge.published = False
    challenge.save(update_fields=["published"])
    audit.record(actor, "learning.challenge.withdrawn", challenge, before={"published": True},
                 after={"published": False})
    return challenge


# ------------------------------------------------------------------------------------------------
# Workers: entering a level, practising


def _worker(actor: User) -> Person:
    if not actor.person_id:
        raise PermissionDeniedError(_("Only a worker with a worker record takes part in learning."))
    return Person.objects.select_related("employer").get(pk=actor.person_id)


def _start(actor: User, person: Person, **kwargs: Any) -> Attempt:
    """The attempt engine's start (refuses a second attempt in progress with its id, a short pool)."""
    return attempts.start(actor=actor, person=person, **kwargs)


@verb
def enter_level(*, actor: User, level: Level, now: datetime.datetime | None = None) -> Attempt:
    """Start an attempt at a level (the actor is the worker's account): the challenge published and open today,
    the worker within the organiser's reach, the level before cleared, attempts left."""
    person = _worker(actor)
    challenge = Challenge.objects.select_related("org").get(pk=level.challenge_id)  # as it stands now
    if not within(person.employer, challenge.org):
        raise PermissionDeniedError(_("This challenge is for the workers of %(org)s.") % {"org": challenge.org.name})
    if not challenge.published:
        raise DomainError(_("This challenge is not open yet."), code="unpublished")
    today = timezone.localdate(now) if now else timezone.localdate()
    if today < challenge.opens_on:
        raise DomainError(_("This challenge opens on %(day)s.") % {"day": challenge.opens_on}, code="closed")
    if challenge.closes_on and today > challenge.closes_on:
        raise DomainError(_("This challenge closed on %(day)s.") % {"day": challenge.closes_on}, code="closed")
    numbers = list(challenge.levels.values_list("number", flat=True))
    before = rules.previous(numbers, level.number)
    if before is not None and not Attempt.objects.filter(
            person=person, purpose=Purpose.LEVEL, level__challenge=challenge, level__number=before, passed=True,
            state__in=queries.DONE).exists():
        raise DomainError(_("Clear level %(n)d first: this level is still locked.") % {"n": before}, code="locked")
    if level.max_attempts:
        used = Attempt.objects.filter(person=person, purpose=Purpose.LEVEL, level=level).count()
        if used >= level.max_attempts:
            raise DomainError(_("You have used all %(n)d attempts at this level.") % {"n": level.max_attempts},
                              code="used_up")
    attempt = _start(actor, person, purpose=Purpose.LEVEL, level=level, now=now)
    audit.record(actor, "learning.level.entered", level, org=person.employer,
                 after={"challenge": challenge.title, "level": level.number, "try": attempt.number})
    return attempt


@verb
def start_practice(*, actor: User, now: datetime.datetime | None = None, seed: int | None = None) -> Attempt:
    """每日一练: `rules.PRACTICE_QUESTIONS` questions drawn at random from the banks shared with the worker's unions
    (any number a day; the day's points count once)."""
    person = _worker(actor)
    ids = list(queries.matching(queries.practice_banks(person).values_list("pk", flat=True), {})
               .values_list("pk", flat=True))
    if not ids:
        raise DomainError(_("No question bank is shared with your union yet."), code="short")
    rng = random.Random(seed)
    chosen = rng.sample(ids, min(rules.PRACTICE_QUESTIONS, len(ids)))
    attempt = _start(actor, person, purpose=Purpose.PRACTICE, questions=chosen, time_limit=rules.PRACTICE_SECONDS,
                     now=now)
    audit.record(actor, "learning.practice.started", person, after={"questions": len(chosen)})
    return attempt


@verb
def start_mistake_practice(*, actor: User, now: datetime.datetime | None = None) -> Attempt:
    """错题重练: the worker's uncleared wrong answers, newest first (at most `rules.MISTAKE_QUESTIONS`); a right
    answer clears one."""
    person = _worker(actor)
    chosen = list(queries.open_mistakes(person).values_list("question_id", flat=True)[:rules.MISTAKE_QUESTIONS])
    if not chosen:
        raise DomainError(_("You have no wrong answers to practise."), code="empty")
    attempt = _start(actor, person, purpose=Purpose.MISTAKES, questions=chosen, time_limit=rules.MISTAKE_SECONDS,
                     now=now)
    audit.record(actor, "learning.mistakes.started", person, after={"questions": len(chosen)})
    return attempt
