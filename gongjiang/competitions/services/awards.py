"""What a final result earns. Finalising a round after its public notice (every appeal decided) issues a
numbered certificate to every prize winner, proposes the grade promotions (in a stage of the competition's
own level) and, once every round of the stage is final, enters the best into the next stage; the organiser
then decides each promotion (the grade goes into the person's grade history) and may revoke a certificate.

Split from `results` (theory scores, re-check, public notice, appeals); the ranking it reads is
`queries.placed_entries`, computed again by `scoring` when the round is finalised."""

from __future__ import annotations

from typing import cast

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, certificates
from gongjiang.core.errors import DomainError
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.models import User

from .. import figures, publicity
from ..choices import AppealState, CompetitionClass, EntrySource, EntryStatus, PromotionState, RoundState
from ..models import Appeal, Certificate, Entry, Event, Promotion, Round, Stage
from ..queries.results import placed_entries
from ..rules import ranking
from .common import _require_round_organiser, _require_state
from .scoring import _rank_round


def _next_stage(rnd: Round) -> Stage | None:
    return Stage.objects.filter(competition_id=rnd.stage.competition_id, order__gt=rnd.stage.order).order_by(
        "order").first()


@verb
def finalise_round(*, actor: User, rnd: Round) -> dict[str, int]:
    """After the public notice (and every appeal decided), the results become final: certificates for the
    prize winners, promotions proposed (in a stage of the competition's own level), and — when every round of
    the stage is final — the best advance into the next stage."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related("event__competition__organiser", "organiser",
                                                           "stage", "notice").get(pk=rnd.pk)
    _require_round_organiser(rnd, actor)
    _require_state(rnd, RoundState.PUBLICITY)
    if not publicity.notice_ended(rnd):
        raise DomainError(_("The public notice runs until %(date)s.") % {"date": rnd.publicity_until}, code="state")
    if Appeal.objects.filter(entry__round=rnd, state=AppealState.FILED).exists():
        raise DomainError(_("Some appeals are not decided yet."), code="state")
    if publicity.open_objections(rnd):
        raise DomainError(_("Some objections to the public notice are not decided yet."), code="state")
    _rank_round(rnd)
    rnd.state, rnd.finalised_on = RoundState.FINAL, figures.today()
    rnd.save(update_fields=["state", "finalised_on"])
    figures.round_finalised(rnd)
    result = {"certificates": _issue_certificates(rnd, actor), "promotions": 0, "advanced": 0}
    competition = rnd.event.competition
    if rnd.stage.level == competition.level:
        result["promotions"] = _propose_promotions(rnd)
    stage = _next_stage(rnd)
    if stage is not None and not Round.objects.filter(stage=rnd.stage, event=rnd.event).exclude(
            state=RoundState.FINAL).exists():
        result["advanced"] = _advance(actor, rnd.stage, rnd.event, stage)
    audit.record(actor, "competitions.round.finalised", rnd, after=result)
    return result


def _advance(actor: User, stage: Stage, event: Event, into: Stage) -> int:
    """The best of every round of `stage` (the stage's advancement rule; per-city quotas for a final) are
    entered into the round of `into` that covers their unit. A step of `finalise_round`."""
    rule = stage.advancement or {}
    if not rule:
        return 0
    rounds = list(Round.objects.filter(stage=stage, event=event).select_related("organiser"))
    quotas = {str(k): v for k, v in (rule.get("city_quotas") or {}).items()}
    adv_rule = ranking.AdvancementRule(
        top_n=rule.get("n") if rule["mode"] == "top_n" else None,
        top_percent=rule.get("percent") if rule["mode"] == "percent" else None,
        quotas={r.organiser.name: quotas[str(r.organiser_id)] for r in rounds if str(r.organiser_id) in quotas},
        ties=ranking.INCLUDE_TIED if rule.get("ties", "include") == "include" else ranking.STRICT)
    advancing = ranking.advancement({r.organiser.name: placed_entries(r) for r in rounds}, adv_rule)
    ids = [cast(int, a.id) for a in advancing]  # the entries' ids, as placed_entries gave them
    Entry.objects.filter(pk__in=ids).update(advanced=True)
    targets = list(Round.objects.filter(stage=into, event=event).select_related("organiser"))
    created = 0
    for e in Entry.objects.filter(pk__in=ids).select_related("person__employer", "unit"):
        path = e.person.employer.path
        covering = [r for r in targets if path.startswith(r.organiser.path)]
        if not covering:
            continue
        target = max(covering, key=lambda r: len(r.organiser.path))
        _obj, made = Entry.objects.get_or_create(round=target, person=e.person, defaults={
            "unit": e.unit, "city_path": e.city_path, "status": EntryStatus.REGISTERED,
            "source": EntrySource.ADVANCED, "advanced_from": e, "accepted_on": figures.today(),
            "created_by": actor if getattr(actor, "pk", None) else None})
        created += made
    audit.record(actor, "competitions.stage.advanced", stage, after={"event": event.name, "advancing": len(ids),
                                                                      "entered": created})
    return created


def _propose_promotions(rnd: Round) -> int:
    competition = rnd.event.competition
    klass = ranking.CLASS_ONE if competition.klass == CompetitionClass.CLASS1 else ranking.CLASS_TWO
    made = 0
    for e in Entry.objects.filter(round=rnd, place__isnull=False).exclude(prize="").select_related("person"):
        grade = ranking.promotion(e.place, competition.level, klass, e.person.skill_grade, won_prize=True)
        if grade is not None:
            _p, created = Promotion.objects.get_or_create(entry=e, defaults={
                "current_grade": e.person.skill_grade, "proposed_grade": grade})
            made += created
    return made


@verb
def decide_promotion(*, actor: User, promotion: Promotion, approve: bool) -> Promotion:
    """The organiser approves (the grade goes into the person's grade history) or rejects a proposal."""
    from gongjiang.orgs import services as org_services

    promotion = Promotion.objects.select_for_update(of=("self",)).select_related(
        "entry__round__event__competition__organiser", "entry__round__organiser", "entry__person").get(pk=promotion.pk)
    rnd = promotion.entry.round
    _require_round_organiser(rnd, actor)
    if promotion.state != PromotionState.PROPOSED:
        raise DomainError(_("This promotion has already been decided."), code="state")
    promotion.state = PromotionState.APPROVED if approve else PromotionState.REJECTED
    promotion.decided_by, promotion.decided_at = actor, timezone.now()
    promotion.save(update_fields=["state", "decided_by", "decided_at"])
    if approve:
        facts.add(promotion.entry.unit, timezone.localdate(promotion.decided_at), {figures.PROMOTIONS: 1})
    if approve:
        org_services.record_skill_grade(actor=actor, person=promotion.entry.person, grade=promotion.proposed_grade,
                                        certified_on=timezone.localdate(), trade=rnd.event.trade,
                                        source=str(rnd.event.competition.name)[:60])
    audit.record(actor, "competitions.promotion.decided", promotion, after={
        "state": promotion.state, "grade": promotion.proposed_grade})
    return promotion


def _issue_certificates(rnd: Round, actor: User) -> int:
    """A certificate for every prize winner of a final round who has none yet, best place first: core
    certificates issued by the union that ran the round, numbered in its series of the competition's year. A step
    of `finalise_round` (which checks the permission), not a verb of its own."""
    existing = set(Certificate.objects.filter(entry__round=rnd).values_list("entry_id", flat=True))
    winners = list(Entry.objects.filter(round=rnd).exclude(prize="").exclude(pk__in=existing)
                   .select_related("person", "unit").order_by("place", "pk"))
    if not winners:
        return 0
    docs = certificates.issue(actor=actor, kind=publicity.PRIZE_CERTIFICATE, issuer_path=rnd.organiser.path,
                              issuer_name=rnd.organiser.name, year=rnd.event.competition.year,
                              statements=publicity.certificate_statements(rnd, winners))
    Certificate.objects.bulk_create([Certificate(entry=e, document=d, prize=e.prize) for e, d in zip(winners, docs,
                                                                                                    strict=True)])
    return len(docs)


@verb
def revoke_certificate(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """撤销证书: the organiser revokes a certificate (e.g. a result annulled for cheating); its verification page
    then says so, with the date and the reason (core's `certificates.revoke`, audited there)."""
    certificate = Certificate.objects.select_for_update(of=("self",)).select_related(
        "entry__round__event__competition__organiser", "entry__round__organiser", "document").get(pk=certificate.pk)
    _require_round_organiser(certificate.entry.round, actor)
    certificate.document = certificates.revoke(actor=actor, certificate=certificate.document, reason=reason)
    return certificate
