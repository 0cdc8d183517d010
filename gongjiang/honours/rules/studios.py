"""The yearly assessment of a studio or innovative team (年度考核), pure, on the rubric engine (gongjiang.core.rubrics):
the answers sent for a rubric's items read and checked, the result 优秀, 合格 or 不合格 from the engine's grade (a veto:
不合格). An adjustment by the assessing union must carry a reason. Two 不合格 in two consecutive years make a studio
due for suspension. Which union may recognise (命名) a studio of which level."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from gongjiang.core.rubrics import grades, rubric, scoring

from .eligibility import Problem

EXCELLENT: Final = "excellent"
PASS: Final = "pass"
FAIL: Final = "fail"
# Which kind of union recognises (命名) a studio of each level: national studios are named by the national federation
# and registered here by the province; a provincial studio only by the province; a city studio by a city (or the
# province above it, which is "at or above" the level).
RECOGNISERS: Final[Mapping[str, frozenset[str]]] = {
    "national": frozenset({"province"}),
    "province": frozenset({"province"}),
    "city": frozenset({"city", "province"}),
}


REQUIRED: Final = frozenset({rubric.LEVELS, rubric.YESNO, rubric.POINTS, rubric.COUNT})  # answered by every sheet
RESULTS: Final[Mapping[str, str]] = {grades.EXCELLENT: EXCELLENT, grades.GOOD: PASS, grades.PASS: PASS,
                                     grades.FAIL: FAIL}


def result(score: scoring.Score, r: rubric.Rubric) -> str:
    """优秀, 合格 or 不合格 by the rubric's grades (a 良好 counts as 合格); a veto that happened: 不合格."""
    return RESULTS[grades.grade(score.total, r.grades, vetoed=score.vetoed) or grades.FAIL]


def read_answers(r: rubric.Rubric, raw: Mapping[str, object]) -> tuple[dict[str, scoring.Answer], list[Problem]]:
    """The answers sent for a rubric's items ({key: what a form or the API sent}) read by the engine, and every
    problem: an unknown item, a scored item (打分…) left out, an answer the engine refuses (its message). A
    deduction or bonus left out counts none, a veto left out did not happen."""
    problems: list[Problem] = []
    answers: dict[str, scoring.Answer] = {}
    leaves = {i.key: i for i in r.leaves()}
    for key in sorted(set(raw) - set(leaves)):
        problems.append(Problem("unknown_item", "items", {"item": key}))
    for key, item in leaves.items():
        value = raw.get(key)
        if value is None or value == "":
            if item.mode in REQUIRED:
                problems.append(Problem("missing_points", key, {"item": key}))
            else:
                answers[key] = False if item.mode == rubric.VETO else rubric.ZERO
            continue
        answer, message = scoring.read_answer(item, value)
        if message:
            problems.append(Problem("answer", key, {"item": key, "message": message}))
        else:
            answers[key] = answer
    return answers, problems


def adjustment_problems(given: Mapping[str, object], adjusted: Mapping[str, object],
                        reasons: Mapping[str, str]) -> list[Problem]:
    """An item whose answer the assessing union changes from the self-assessment needs a reason."""
    return [Problem("no_reason", key, {"item": key}) for key, a in sorted(adjusted.items())
            if given.get(key) != a and not (reasons.get(key) or "").strip()]


def suspension_due(results: Mapping[int, str], year: int) -> bool:
    """Two 不合格 in a row: the year's result and the year before's (a year without a confirmed assessment breaks the
    run: a studio not assessed one year is not suspended for the year before it)."""
    return results.get(year) == FAIL and results.get(year - 1) == FAIL


def may_recognise(level: str, union_kind: str) -> bool:
    """Whether a union of `union_kind` (province, city, county…) recognises studios of `level`."""
    return union_kind in RECOGNISERS.get(level, frozenset())
