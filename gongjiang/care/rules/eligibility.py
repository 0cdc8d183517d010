"""A programme's eligibility over the archive, as data (Programme.eligibility), and its verdict on one household
with EVERY reason — those it meets and those it fails — so a cadre sees why a household is or is not on a list.

The data (every key optional; an empty rule takes every household in the archive):
- "grades": the hardship grades admitted ("deep", "relative", "sudden");
- "causes": causes of hardship, any one of which admits ("unemployment", "illness"…);
- "university_child": true — a child of the household is at university or college this year (金秋助学);
- "women_age": [min, max] — the worker is a woman of that age on the day of the build (两癌筛查).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

GRADES = ("deep", "relative", "sudden")


class RuleError(ValueError):
    """A rule's data that cannot be used; `field` names it, the message is Chinese."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class MemberBrief:
    relation: str
    gender: str
    birth_date: datetime.date
    schooling: str


@dataclass(frozen=True)
class FileFacts:
    """What eligibility reads of a household file."""

    grade: str
    causes: tuple[str, ...]
    members: tuple[MemberBrief, ...] = ()


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reasons: tuple[str, ...]


def uses_members(rule: Mapping[str, Any]) -> bool:
    return bool(rule.get("university_child") or rule.get("women_age"))


def read_rule(data: Any) -> dict[str, Any]:
    """The rule, checked and normalised (unknown keys dropped); RuleError on a bad value."""
    from ..choices import Cause

    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise RuleError(_("The eligibility must be a set of conditions."), "eligibility")
    rule: dict[str, Any] = {}
    grades = data.get("grades") or []
    if not isinstance(grades, list | tuple) or any(g not in GRADES for g in grades):
        raise RuleError(_("Choose the hardship grades from the list."), "grades")
    if grades:
        rule["grades"] = [g for g in GRADES if g in grades]
    causes = data.get("causes") or []
    if not isinstance(causes, list | tuple) or any(c not in Cause.values for c in causes):
        raise RuleError(_("Choose the causes of hardship from the list."), "causes")
    if causes:
        rule["causes"] = [c for c in Cause.values if c in causes]
    if data.get("university_child"):
        rule["university_child"] = True
    ages = data.get("women_age")
    if ages:
        try:
            low, high = (int(a) for a in ages)
        except (TypeError, ValueError):
            raise RuleError(_("The women's age range must be two whole numbers of years."), "women_age") from None
        if not 16 <= low <= high <= 100:
            raise RuleError(_("The women's age range must run from a lower to a higher age between 16 and 100."),
                            "women_age")
        rule["women_age"] = [low, high]
    return rule


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _labels(codes: Sequence[str], kind: str) -> str:
    from ..choices import Cause, Grade

    choices = Grade if kind == "grade" else Cause
    return "、".join(str(choices(c).label) if c in choices.values else c for c in codes)


def judge(rule: Mapping[str, Any], facts: FileFacts, day: datetime.date) -> Verdict:
    """Every condition of `rule` weighed on `facts`: eligible when all are met; the reasons say each one."""
    reasons: list[str] = []
    ok = True
    grades = rule.get("grades")
    if grades:
        met = facts.grade in grades
        ok &= met
        reasons.append((_("Grade %(grade)s is among those admitted (%(admitted)s).") if met else
                        _("Grade %(grade)s is not among those admitted (%(admitted)s).")) % {
            "grade": _labels([facts.grade], "grade") if facts.grade else _("none"),
            "admitted": _labels(grades, "grade")})
    causes = rule.get("causes")
    if causes:
        shared = [c for c in causes if c in facts.causes]
        ok &= bool(shared)
        reasons.append(_("Cause of hardship %(causes)s admits the household.") % {"causes": _labels(shared, "cause")}
                       if shared else _("None of the admitted causes (%(causes)s) is the household's.")
                       % {"causes": _labels(causes, "cause")})
    if rule.get("university_child"):
        students = [m for m in facts.members if m.relation == "child" and m.schooling == "university"]
        ok &= bool(students)
        reasons.append(_("%(n)d child(ren) at university or college this year.") % {"n": len(students)}
                       if students else _("No child of the household is at university or college this year."))
    ages = rule.get("women_age")
    if ages:
        worker = next((m for m in facts.members if m.relation == "self"), None)
        low, high = ages
        if worker is None or worker.gender != "F":
            ok = False
            reasons.append(_("The worker is not a woman; the programme is for women workers."))
        else:
            age = age_on(worker.birth_date, day)
            met = low <= age <= high
            ok &= met
            reasons.append((_("The worker is a woman of %(age)d, within %(low)d–%(high)d.") if met else
                            _("The worker is a woman of %(age)d, outside %(low)d–%(high)d.")) % {
                "age": age, "low": low, "high": high})
    if not reasons:
        reasons.append(_("Every household in the archive is eligible."))
    return Verdict(ok, tuple(reasons))


def member_filter(rule: Mapping[str, Any]) -> dict[str, Any] | None:
    """Which members a rule reads, as (relation, schooling) conditions for the query: the children at university,
    the worker herself; None when it reads none."""
    wanted: dict[str, Any] = {}
    if rule.get("university_child"):
        wanted["child"] = "university"
    if rule.get("women_age"):
        wanted["self"] = None
    return wanted or None


def signature(rule: Mapping[str, Any], facts: FileFacts, day: datetime.date) -> tuple[Any, ...]:
    """What `judge` reads of `facts` under `rule`: two households with the same signature get the same verdict, so
    a build over 100,000 files judges each distinct signature once (`Judge`)."""
    students = sum(1 for m in facts.members if m.relation == "child" and m.schooling == "university") \
        if rule.get("university_child") else 0
    worker: tuple[Any, ...] = ()
    if rule.get("women_age"):
        me = next((m for m in facts.members if m.relation == "self"), None)
        worker = (me.gender, age_on(me.birth_date, day)) if me is not None else (None,)
    return facts.grade, facts.causes, students, worker


class Judge:
    """`judge` with its verdicts kept by signature, for one rule and day."""

    def __init__(self, rule: Mapping[str, Any], day: datetime.date) -> None:
        self.rule, self.day = rule, day
        self.seen: dict[tuple[Any, ...], Verdict] = {}

    def __call__(self, facts: FileFacts) -> Verdict:
        key = signature(self.rule, facts, self.day)
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = judge(self.rule, facts, self.day)
        return found
