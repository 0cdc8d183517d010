"""Skills and labour competitions: structure, registration, draws, judging, results, prizes, promotion.

The unit of running a contest is the `Round`: one event (赛项, a trade), one stage (基层赛/市级选拔赛/省级决赛)
and one organising org (its 赛区: the Jinan round of the city qualifier). A round has its own entries,
judges, draws, anonymous codes, mark sheets and ranking; advancement takes the best of each round of a
stage into the next stage.

Scoping: the organiser of a competition (and of a round) manages it; cadres below the organiser see it
and register their people; a worker sees the competitions open to their unit and their own entries;
judges see only their own mark sheets, which carry the anonymous code (加密号) and never a name.
Marks are stored as integer hundredths (ranking on integers is faster than on numeric).

The models are split by topic (DESIGN §3: a module past ~600 lines splits): `common` (scoping helpers and
the hundredths display), `structure` (competitions, stages, events, rounds), `registration` (teams, entries,
draws), `judging` (judges, assignments, conflicts, schemes, aspects, sheets, marks), `results` (appeals,
promotions, certificates) and `labour` (labour competitions). This package is their public face:
`from gongjiang.competitions.models import Entry` works for every model, wherever it is defined."""

from __future__ import annotations

from .common import hundredths, reach_q
from .judging import Aspect, Conflict, Judge, Mark, RoundJudge, Scheme, Sheet, SheetQuerySet
from .labour import CompetingUnit, Evaluation, Evaluator, Indicator, Period, PeriodResult
from .registration import Draw, Entry, EntryQuerySet, Team
from .results import Appeal, Certificate, Promotion
from .structure import Competition, CompetitionQuerySet, Event, Round, RoundQuerySet, Stage

__all__ = [
    "Appeal",
    "Aspect",
    "Certificate",
    "CompetingUnit",
    "Competition",
    "CompetitionQuerySet",
    "Conflict",
    "Draw",
    "Entry",
    "EntryQuerySet",
    "Evaluation",
    "Evaluator",
    "Event",
    "Indicator",
    "Judge",
    "Mark",
    "Period",
    "PeriodResult",
    "Promotion",
    "Round",
    "RoundJudge",
    "RoundQuerySet",
    "Scheme",
    "Sheet",
    "SheetQuerySet",
    "Stage",
    "Team",
    "hundredths",
    "reach_q",
]
