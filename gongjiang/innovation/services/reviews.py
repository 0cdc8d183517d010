"""Verbs of an achievement call's review (评审) and results: reviewers assigned by the rule (rules.review_assignment)
with the organiser's pins, blind reviews scored per criterion, a second round for disputed achievements, the
ranking and award levels (rules.achievement_scoring), bulk changes of awards with a reason, the public notice of
the results (core notices) and the final results with their certificates (core certificates)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, certificates, notices
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.models import User

from .. import metrics, notify, publicity
from ..choices import AchievementState, Award, AwardMode, CallState, ReviewState
from ..models import Achievement, Call, Expert, Review
from ..queries import achievements as reads
from ..rules import achievement_scoring as scoring
from ..rules import review_assignment as assignment_rules
from .calls import _locked_call, _require_organiser, _require_state

# Conflicts a pin may not override: an author, a co-author, a declared conflict, the same enterprise. A provincial
# call may pin an expert of the same city (a rare speciality), with the reason on record.
HARD_CONFLICTS = frozenset({assignment_rules.AUTHOR, assignment_rules.CO_AUTHOR,
                            assignment_rules.DECLARED_ACHIEVEMENT, assignment_rules.DECLARED_PERSON,
                            assignment_rules.SAME_ENTERPRISE})
COMMENT_MIN = 5  # 创新性强，可推广 is an opinion; 好 is not


def _pending(call: Call) -> int:
    return Review.objects.filter(call=call, state=ReviewState.ASSIGNED).count()


@verb
def assign_reviewers(*, actor: User, call: Call) -> assignment_rules.Assignment:
    """Close submissions (the call goes under review) and assign N experts of the pool to every achievement by the
    rule: conflicts excluded, loads balanced, specialists preferred. Run again after an abstention: every review
    still free of conflict (done or not) and every pin is kept, so only the empty places are filled, and only the
    experts of new reviews are told.
    Returns the rule's result (the page shows the shortfalls and the dropped pairs)."""
    call = _locked_call(call)
    _require_organiser(actor, call)
    _require_state(call, CallState.OPEN, CallState.REVIEWING)
    if not Achievement.objects.filter(call=call, state=AchievementState.SUBMITTED).exists():
        raise DomainError(_("No achievement has been submitted to the call yet."), field="call")
    data = reads.rule_input(call)
    if not data["reviewers"]:
        raise DomainError(_("The expert pool of the call is empty: add experts first."), field="experts")
    result = assignment_rules.assign(data["achievements"], data["reviewers"], level=call.level,
                                     per_achievement=call.per_achievement, declared=data["declared"],
                                     pins=data["pins"], keep=data["keep"])
    wanted = {(p.achievement_id, p.reviewer_id) for p in result.pairs}
    existing = {(r.achievement_id, r.expert_id): r for r in Review.objects.filter(call=call, round=1).exclude(
        state=ReviewState.ABSTAINED)}
    stale = [r.pk for key, r in existing.items() if key not in wanted and r.state == ReviewState.ASSIGNED]
    Review.objects.filter(pk__in=stale).delete()
    created = Review.objects.bulk_create([Review(call=call, achievement_id=a, expert_id=e, round=1, source=p.source)
                                          for p in result.pairs for a, e in [(p.achievement_id, p.reviewer_id)]
                                          if (a, e) not in existing])
    before = call.state
    if call.state == CallState.OPEN:
        call.state = CallState.REVIEWING
        call.save(update_fields=["state"])
    audit.record(actor, "innovation.call.assigned", call, before={"state": before}, after={
        "state": call.state, "pairs": len(result.pairs), "shortfalls": len(result.shortfalls),
        "dropped": len(result.dropped)})
    notify.reviews_assigned(call, {r.expert_id for r in created}, data["experts"])  # not those kept
    return result


@verb
def pin_reviewer(*, actor: User, achievement: Achievement, expert: Expert, reason: str) -> Review:
    """The organiser assigns an expert by hand (人工指定), with the reason — never an author, a co-author, an
    expert of the same enterprise or one who declared a conflict; an unstarted automatic place gives way when the
    achievement's places are full."""
    call = _locked_call(achievement.call)
    _require_organiser(actor, call)
    _require_state(call, CallState.REVIEWING)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for assigning this expert by hand."), field="reason")
    data = reads.rule_input(call)
    rule_a = next((a for a in data["achievements"] if a.id == achievement.pk), None)
    rule_r = next((r for r in data["reviewers"] if r.id == expert.pk), None)
    if rule_a is None:
        raise DomainError(_("This achievement is not under review in the call."), field="achievement")
    if rule_r is None:
        raise DomainError(_("%(name)s is not an active expert of the call's pool.") % {"name": expert.name},
                          field="expert")
    found = assignment_rules.conflicts(rule_r, rule_a, level=call.level, declared=data["declared"],
                                       coauthors=assignment_rules.co_authors(data["achievements"]))
    hard = [e for e in found if e.code in HARD_CONFLICTS]
    if hard:
        raise DomainError(_("%(name)s cannot review this achievement: %(why)s") % {
            "name": expert.name, "why": " ".join(e.message for e in hard)}, field="expert", code="conflict")
    rows = list(Review.objects.filter(achievement=achievement, round=1).exclude(state=ReviewState.ABSTAINED))
    if any(r.expert_id == expert.pk for r in rows):
        raise DomainError(_("%(name)s reviews this achievement already.") % {"name": expert.name}, field="expert",
                          code="duplicate")
    load = Review.objects.filter(call=call, expert=expert, round=1).exclude(state=ReviewState.ABSTAINED).count()
    if load >= expert.max_load:
        raise DomainError(_("%(name)s has %(n)s reviews in this call, the most they take.") % {
            "name": expert.name, "n": expert.max_load}, field="expert", code="load")
    if len(rows) >= call.per_achievement:
        movable = [r for r in rows if r.source != assignment_rules.PINNED and r.state == ReviewState.ASSIGNED]
        if not movable:
            raise DomainError(_("The achievement's %(n)s places are taken by reviews already done or pinned.") % {
                "n": call.per_achievement}, field="expert", code="full")
        movable[-1].delete()
    review = Review.objects.create(call=call, achievement=achievement, expert=expert, round=1,
                                   source=assignment_rules.PINNED, pin_reason=reason[:200])
    audit.record(actor, "innovation.review.pinned", review, after={
        "expert": expert.name, "achievement": achievement.pk,
        "overridden": [e.code for e in found]}, note=reason)
    notify.reviews_assigned(call, {expert.pk}, {expert.pk: expert})
    return review


def _refresh(achievement: Achievement, call: Call) -> None:
    """The achievement's mean, spread and dispute flag from its current round's submitted reviews."""
    totals = list(Review.objects.filter(achievement=achievement, round=achievement.round,
                                        state=ReviewState.SUBMITTED).values_list("total", flat=True))
    summary = scoring.summarise([t for t in totals if t is not None], call.spread_limit)
    achievement.score, achievement.spread = summary.mean, summary.spread
    achievement.disputed = summary.disputed
    achievement.save(update_fields=["score", "spread", "disputed"])


@verb
def submit_review(*, actor: User, review: Review, scores: Mapping[str, object], comment: str) -> Review:
    """The expert scores each criterion within its range and writes their opinion, before the review deadline;
    once submitted, a review is final."""
    review = Review.objects.select_for_update(of=("self",)).select_related("call", "expert", "achievement").get(
        pk=review.pk)
    if review.expert.user_id != actor.pk:
        raise PermissionDeniedError(_("This review is assigned to another expert."))
    call = review.call
    if call.state != CallState.REVIEWING:
        raise DomainError(_("The call is not under review (it is %(state)s).") % {
            "state": call.get_state_display()}, field="call", code="closed")
    if timezone.localdate() > call.review_until:
        raise DomainError(_("Reviews closed on %(date)s.") % {"date": call.review_until}, field="call",
                          code="deadline")
    if review.state != ReviewState.ASSIGNED:
        raise DomainError(_("This review was %(state)s already.") % {"state": review.get_state_display()},
                          field="state", code="wrong_state")
    criteria = call.criteria_list
    problems = scoring.score_problems(criteria, scores)
    if problems:
        labels = {c.key: (_(c.label), c.max) for c in criteria}
        errors = {}
        for key, problem in problems.items():
            label, most = labels.get(key, (key, Decimal(0)))
            errors[f"score_{key}"] = {
                "missing": _("%(c)s: give a score.") % {"c": label},
                "number": _("%(c)s: the score must be a number.") % {"c": label},
                "range": _("%(c)s: the score must lie between 0 and %(max)s.") % {"c": label, "max": most},
                "step": _("%(c)s: scores go in steps of 0.5.") % {"c": label},
                "unknown": _("%(c)s is not a criterion of this call.") % {"c": key},
            }[problem]
        first = next(iter(errors))
        raise DomainError(errors[first], field=first, errors=errors, code="score")
    comment = comment.strip()
    if len(comment) < COMMENT_MIN:
        raise DomainError(_("Write your opinion of the achievement (at least %(n)s characters).") % {
            "n": COMMENT_MIN}, field="comment")
    review.scores = {c.key: str(scoring.parse_score(scores[c.key])) for c in criteria}
    review.total = scoring.total(criteria, scores)
    review.comment, review.state, review.submitted_at = comment, ReviewState.SUBMITTED, timezone.now()
    review.save(update_fields=["scores", "total", "comment", "state", "submitted_at"])
    achievement = Achievement.objects.select_for_update(of=("self",)).get(pk=review.achievement_id)
    if achievement.round == review.round:
        _refresh(achievement, call)
    audit.record(actor, "innovation.review.submitted", review, after={"total": review.total,
                                                                      "round": review.round})
    return review


@verb
def note_consensus(*, actor: User, achievement: Achievement, text: str) -> Achievement:
    """The organiser records the panel's consensus discussion of a disputed achievement (合议意见)."""
    call = _locked_call(achievement.call)
    _require_organiser(actor, call)
    _require_state(call, CallState.REVIEWING, CallState.RANKED)
    text = text.strip()
    if not text:
        raise DomainError(_("Write the consensus note."), field="consensus")
    achievement.consensus = text
    achievement.save(update_fields=["consensus"])
    audit.record(actor, "innovation.achievement.consensus", achievement, note=text)
    return achievement


@verb
def start_second_round(*, actor: User, call: Call, achievements: Sequence[Achievement]) -> int:
    """A second round (复评) for disputed achievements whose first round is complete: the experts who scored it
    score it again after the consensus discussion; its totals then replace the first round's. Returns how many
    reviews were opened."""
    call = _locked_call(call)
    _require_organiser(actor, call)
    _require_state(call, CallState.REVIEWING)
    if not achievements:
        raise DomainError(_("Choose the disputed achievements for the second round."), field="achievements")
    opened = []
    for a in Achievement.objects.select_for_update(of=("self",)).filter(
            pk__in=[a.pk for a in achievements], call=call).order_by("pk"):
        if not a.disputed or a.round != 1:
            raise DomainError(_("%(number)s is not a disputed achievement of the first round.") % {
                "number": a.number}, field="achievements")
        if Review.objects.filter(achievement=a, round=1, state=ReviewState.ASSIGNED).exists():
            raise DomainError(_("%(number)s: its first-round reviews are not all in.") % {"number": a.number},
                              field="achievements")
        experts = list(Review.objects.filter(achievement=a, round=1, state=ReviewState.SUBMITTED)
                       .values_list("expert_id", flat=True))
        opened += [Review(call=call, achievement=a, expert_id=e, round=2, source=assignment_rules.KEPT)
                   for e in experts]
        a.round, a.score, a.spread, a.disputed = 2, None, None, False
        a.save(update_fields=["round", "score", "spread", "disputed"])
    Review.objects.bulk_create(opened)
    audit.record(actor, "innovation.call.second_round", call, after={
        "achievements": [a.pk for a in achievements], "reviews": len(opened)})
    notify.reviews_assigned(call, {r.expert_id for r in opened}, {})
    return len(opened)


@verb
def rank_call(*, actor: User, call: Call) -> Call:
    """When every review is in, rank the call's achievements by their mean (the last round's) and propose award
    levels by the call's rule; the organiser may then change awards with a reason before the notice."""
    call = _locked_call(call)
    _require_organiser(actor, call)
    _require_state(call, CallState.REVIEWING)
    pending = _pending(call)
    if pending:
        raise DomainError(_("%(n)s reviews are not in yet.") % {"n": pending}, field="call", code="pending")
    achievements = list(Achievement.objects.select_for_update(of=("self",)).filter(
        call=call, state=AchievementState.SUBMITTED))
    unscored = [a.number for a in achievements if a.score is None]
    if unscored:
        raise DomainError(_("These achievements have no submitted review: %(numbers)s. Assign reviewers first.") % {
            "numbers": "、".join(unscored[:10])}, field="call", code="unscored")
    ranking = scoring.rank({a.pk: a.score for a in achievements})
    if call.award_mode == AwardMode.BANDS:
        awards = scoring.awards_by_bands(ranking, call.levels)
    else:
        awards = scoring.awards_by_share(ranking, call.levels)
    places = {r.id: r.rank for r in ranking}
    for a in achievements:
        a.rank, a.award, a.award_reason = places.get(a.pk), awards.get(a.pk, Award.NONE), ""
    Achievement.objects.bulk_update(achievements, ["rank", "award", "award_reason"])
    call.state = CallState.RANKED
    call.save(update_fields=["state"])
    audit.record(actor, "innovation.call.ranked", call, before={"state": CallState.REVIEWING},
                 after={"state": CallState.RANKED, "ranked": len(ranking),
                        "awarded": sum(1 for v in awards.values() if v)})
    return call


@verb
def set_awards(*, actor: User, call: Call, awards: Mapping[int, int], reason: str) -> int:
    """A bulk decision on award levels (achievement id → 0…3) by the organiser before the notice, with one reason
    for all (the evaluation committee's decision). Returns how many changed."""
    call = _locked_call(call)
    _require_organiser(actor, call)
    _require_state(call, CallState.RANKED)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for changing the awards."), field="reason")
    if any(v not in Award.values for v in awards.values()):
        raise DomainError(_("Choose an award level."), field="award")
    rows = list(Achievement.objects.select_for_update(of=("self",)).filter(
        call=call, pk__in=list(awards), state=AchievementState.SUBMITTED))
    if len(rows) != len(awards):
        raise DomainError(_("An achievement chosen is not in the call."), field="achievements")
    changed = [a for a in rows if a.award != awards[a.pk]]
    for a in changed:
        before = a.award
        a.award, a.award_reason = awards[a.pk], reason
        audit.record(actor, "innovation.achievement.award", a, before={"award": before}, after={"award": a.award},
                     note=reason)
    Achievement.objects.bulk_update(changed, ["award", "award_reason"])
    return len(changed)


@verb
def publish_results(*, actor: User, call: Call, working_days: int = 5) -> Call:
    """Put the ranked results (titles, units, authors, prizes) on public notice (公示) for a number of working days;
    objections are filed on the notice's public page and decided by the organiser."""
    call = _locked_call(call)
    _require_organiser(actor, call)
    _require_state(call, CallState.RANKED)
    notices.publish(actor=actor, kind=publicity.CALL_NOTICE, owner=call, org_path=call.org.path,
                    publisher_name=call.org.name, title=publicity.notice_title(call), working_days=working_days)
    call.state = CallState.NOTICE
    call.save(update_fields=["state"])
    audit.record(actor, "innovation.call.published", call, before={"state": CallState.RANKED},
                 after={"state": CallState.NOTICE, "working_days": working_days})
    return call


@verb
def finalise_call(*, actor: User, call: Call) -> Call:
    """After the notice has ended with every objection decided, the results are final: the prizes count in the
    figures, each prize-winner gets a certificate (core certificates, with its verification QR code) and the
    authors hear of it."""
    call = _locked_call(call)
    _require_organiser(actor, call)
    _require_state(call, CallState.NOTICE)
    notice = notices.notice_of(publicity.CALL_NOTICE, call)
    if notice is not None:
        notices.close_if_due(notice)
        notice.refresh_from_db()
        if notice.closed_at is None:
            raise DomainError(_("The public notice runs until %(date)s.") % {"date": notice.ends_on},
                              field="notice", code="notice_running")
        if notices.open_objections(notice):
            raise DomainError(_("Decide every objection to the notice first."), field="notice",
                              code="open_objections")
    winners = list(Achievement.objects.filter(call=call, state=AchievementState.SUBMITTED, award__gt=0)
                   .select_related("enterprise").prefetch_related("authors__person").order_by("rank", "id"))
    call.final_at = timezone.now()
    day = metrics.in_call_year(timezone.localdate(call.final_at), call.year)
    facts.add_many([(a.enterprise, day, metrics.award_key(a.award), 1) for a in winners])
    certificates.issue(actor=actor, kind=publicity.AWARD_CERTIFICATE, issuer_path=call.org.path,
                       issuer_name=call.org.name, year=call.year, statements=publicity.statements(call, winners))
    call.state = CallState.FINAL
    call.save(update_fields=["state", "final_at"])
    audit.record(actor, "innovation.call.final", call, before={"state": CallState.NOTICE},
                 after={"state": CallState.FINAL, "awarded": len(winners)})
    notify.results_final(call, winners)
    return call

