"""Online theory rounds (理论考试在线进行): a round whose event has a theory part may have its theory exam taken in the
learning app. This module is the competitions side of `core.registry.register_theory_rounds` (registered from
CompetitionsConfig.ready): it lists the rounds a cadre organises, names each round's contestants by their anonymous
code (加密号) once drawn, else by their contestant number (参赛号) — never both, never the name: the same anonymity
rules as the round's own pages — and writes the scores the learning app sends through `services.set_theory_scores`,
the verb the round's theory page uses (audited, refused whole when one is wrong, totals and ranking follow)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError
from gongjiang.core.registry import TheoryCandidate, TheoryRound, TheoryRoundProvider, register_theory_rounds

from .choices import TAKING_PART, RoundState
from .models import Entry, Round


def _round(rnd: Round, candidates: tuple[TheoryCandidate, ...] = ()) -> TheoryRound:
    return TheoryRound(id=rnd.pk, title=str(rnd), org_id=rnd.organiser_id, org_path=rnd.organiser.path,
                       starts_on=rnd.starts_on, open=rnd.state != RoundState.FINAL, candidates=candidates,
                       url=reverse("competitions:round_results", args=[rnd.pk]))


def _with_theory() -> Any:
    return (Round.objects.filter(event__theory_weight__gt=0)
            .select_related("event__competition", "stage", "organiser"))


def rounds(user: Any) -> list[TheoryRound]:
    """The rounds with a theory part that `user` may run (the round's or the competition's organiser)."""
    found = _with_theory().filter(pk__in=Round.objects.for_user(user, "change").values("pk")).exclude(
        state=RoundState.FINAL).order_by("-pk")[:200]
    return [_round(r) for r in found]


def get(round_id: int) -> TheoryRound | None:
    rnd = _with_theory().filter(pk=round_id).first()
    if rnd is None:
        return None
    entries = (Entry.objects.filter(round=rnd, status__in=TAKING_PART).order_by("code", "contestant_no", "pk")
               .values_list("person_id", "code", "contestant_no"))
    return _round(rnd, tuple(TheoryCandidate(person, code or number or "—") for person, code, number in entries))


def can_run(user: Any, round_id: int) -> bool:
    rnd = Round.objects.filter(pk=round_id).select_related("organiser", "event__competition__organiser").first()
    return rnd is not None and rnd.can_change(user)


def record(round_id: int, scores: dict[int, int], by: Any, note: str = "") -> int:
    """Theory scores by person ({person id: hundredths}) into the round's entries, through the round's verb."""
    from . import services

    rnd = Round.objects.get(pk=round_id)
    entry_of = dict(Entry.objects.filter(round=rnd, person_id__in=list(scores), status__in=TAKING_PART)
                    .values_list("person_id", "pk"))
    missing = [p for p in scores if p not in entry_of]
    if missing:
        raise DomainError(_("%(n)d of the scores belong to nobody taking part in this round.") % {"n": len(missing)},
                          field="scores")
    if not scores:
        return 0
    return int(services.set_theory_scores(
        actor=by, rnd=rnd, scores={entry_of[p]: Decimal(h) / 100 for p, h in scores.items()}, note=note))


def register() -> None:
    register_theory_rounds(TheoryRoundProvider("competitions", rounds=rounds, get=get, can_run=can_run,
                                               record=record))
