"""Who may register for an event (issue 3 §2): per-event rules checked at registration, shown as reasons.

A worker (or the unit registering them in bulk) must see *every* reason a registration is refused at once,
not only the first, so `check` never stops early: it returns one `Reason` per broken rule, in a fixed order
(duplicate, age, grade, membership, front line, leaders, one-event-per-competition, unit quota, capacity).
Each reason depends only on the fields its rule reads, so fixing one never changes another.

`decide` turns the reasons into the registration's status:

- ``refused``: at least one reason (the reasons say why);
- ``waitlisted``: nothing refuses it, but the event is full and keeps a waiting list;
- ``pending_approval``: nothing refuses it and the organiser approves registrations by hand;
- ``eligible``: registered.

A full event *with* a waiting list does not refuse (the registration waits); a full unit quota always
refuses — the quota is the unit's share, a waiting list cannot grow it. When a place frees up, the service
promotes the first waiting entry by calling `decide` again (it may then need approval).

Skill grades use the codes of `orgs.choices.SkillGrade`: 5 is the lowest (五级/初级工), 1 the highest
(一级/高级技师), 0 no grade. A *smaller* non-zero number is a *higher* grade, so the rules speak of grades,
never of numbers: ``min_grade=3`` means "三级/高级工 or better" (codes 3, 2, 1; no grade is refused) and
``max_grade=2`` means "at most 二级/技师" (codes 2, 3, 4, 5 and no grade; 一级 is refused).

Pure: plain data in, plain data out, no ORM. Messages are English msgids translated when shown
(`Reason.message`), Chinese in ``locale/zh/competitions_rules.json``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError
from gongjiang.orgs.choices import MembershipStatus, SkillGrade


@dataclass(frozen=True)
class Reason:
    """Why a rule refuses (or holds back) something: a stable `code` for programs, the input `field` it
    concerns (a form field or import column) and a message rendered in the active language when read.

    The template is kept untranslated and rendered on each read, so a reason computed in a task and shown
    later to a user appears in the user's language. `params` are the numbers the message quotes.
    """

    code: str
    field: str
    template: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, code: str, field: str, template: str, **params: Any) -> Reason:
        return cls(code, field, template, tuple(sorted(params.items())))

    @property
    def params_dict(self) -> dict[str, Any]:
        return dict(self.params)

    @property
    def message(self) -> str:
        return gettext(self.template) % self.params_dict

    def __str__(self) -> str:
        return self.message


# Message templates (msgids). gettext_noop marks them for makemessages; Reason.message translates.
MSG_DUPLICATE = gettext_noop("Already registered for this event.")
MSG_BIRTH_DATE_UNKNOWN = gettext_noop("Birth date unknown, so the age limit cannot be checked.")
MSG_TOO_YOUNG = gettext_noop("Age %(age)s, below the minimum age of %(min_age)s (on %(date)s).")
MSG_TOO_OLD = gettext_noop("Age %(age)s, above the maximum age of %(max_age)s (on %(date)s).")
MSG_NO_GRADE = gettext_noop("No skill grade; this event requires at least %(min_grade)s.")
MSG_GRADE_TOO_LOW = gettext_noop("Skill grade %(grade)s is below the required minimum of %(min_grade)s.")
MSG_GRADE_TOO_HIGH = gettext_noop("Skill grade %(grade)s is above the highest grade allowed, %(max_grade)s.")
MSG_NOT_MEMBER = gettext_noop("Not a union member; this event is open to union members only.")
MSG_MEMBERSHIP_NOT_ACTIVE = gettext_noop(
    "Membership status is “%(status)s”; this event requires a union member in good standing.")
MSG_NOT_FRONT_LINE = gettext_noop("Not a front-line worker; this event is open to front-line workers only.")
MSG_LEADER = gettext_noop("Enterprise leaders may not enter this event.")
MSG_EXCLUSIVE = gettext_noop(
    "Already registered for %(events)s in this competition; only one event per competition may be entered.")
MSG_UNIT_QUOTA = gettext_noop("The unit's quota of %(quota)s entries for this event has been reached.")
MSG_FULL = gettext_noop("This event is full (capacity %(capacity)s).")
MSG_WAITLISTED = gettext_noop(
    "This event is full (capacity %(capacity)s); the registration is number %(position)s on the waiting list.")
MSG_APPROVAL = gettext_noop("The registration awaits the organiser's approval.")

Status = Literal["eligible", "pending_approval", "waitlisted", "refused"]
MAX_AGE_LIMIT = 150
GRADES = (1, 2, 3, 4, 5)

# Posts of an enterprise's leadership (企业领导班子) excluded from events "open to front-line workers, not
# leaders". Matched as substrings, so a deputy or an assistant is caught with the post itself; a post
# followed by 办 (总经理办公室主任, 厂长办公室秘书) is an office of that leader, not the leader, and is not
# matched. Team and workshop heads (班组长, 车间主任, 工段长), party branch secretaries (党支部书记) and
# employee directors (职工董事) are not leaders in this sense. The keyword match is deliberately simple:
# the registration service may combine it with a flag set by hand.
LEADER_POSTS: tuple[str, ...] = (
    "董事长", "副董事长", "执行董事", "总裁", "副总裁", "总经理", "副总经理", "总经理助理",
    "厂长", "副厂长", "矿长", "副矿长", "党委书记", "党委副书记", "纪委书记",
    "总工程师", "副总工程师", "总会计师", "总经济师", "总法律顾问", "监事会主席",
)
_LEADER_RE = re.compile(
    "(?:" + "|".join(re.escape(p) for p in sorted(LEADER_POSTS, key=len, reverse=True)) + ")(?!办)")


@functools.lru_cache(maxsize=4096)
def is_enterprise_leader(post: str) -> bool:
    """Whether a post (职务, free text) is one of an enterprise's leadership; see `LEADER_POSTS`. (Remembered: a
    bulk import asks it of every row, and posts repeat.)"""
    return bool(_LEADER_RE.search(re.sub(r"\s+", "", post or "")))


def age_on(birth_date: date, reference: date) -> int:
    """Completed years on `reference`: before the birthday of that year the person is a year younger.

    Someone born on 29 February reaches their birthday on 1 March in a common year (the day after
    28 February), as in the usual Chinese reckoning of 周岁.
    """
    years = reference.year - birth_date.year
    if (reference.month, reference.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def grade_rank(grade: int) -> int:
    """Order of a skill grade from lowest to highest: 0 no grade, 1 五级/初级工 … 5 一级/高级技师."""
    _check_grade(grade, "skill_grade")
    return 0 if grade == 0 else 6 - grade


def grade_label(grade: int) -> Any:
    """The grade's name (lazy, translated when shown)."""
    return SkillGrade(grade).label


def _check_grade(grade: int, field_name: str, *, allow_none: bool = True) -> None:
    allowed = (0, *GRADES) if allow_none else GRADES
    if isinstance(grade, bool) or grade not in allowed:
        raise DomainError(_("Unknown skill grade %(grade)s.") % {"grade": grade}, field=field_name)


@dataclass(frozen=True)
class EventRules:
    """The registration rules of one event (赛项); every rule is off by default.

    - ages are inclusive and counted in completed years on `age_reference_date` (required with an age
      limit, as competition notices fix it: "年龄按 2026 年 9 月 1 日计算");
    - `min_grade` is the lowest grade accepted and `max_grade` the highest, as SkillGrade codes (see the
      module docstring for the direction): ``min_grade=3, max_grade=2`` accepts 三级 and 二级 only;
    - `members_only` asks for a membership in good standing (status ``active``);
    - `exclusive`: one event per competition;
    - `unit_quota`: entries per unit in this event; `total_capacity`: entries in the event; `waitlist`:
      a full event queues registrations instead of refusing them (needs a capacity);
    - `requires_approval`: registrations wait for the organiser's approval.
    """

    min_age: int | None = None
    max_age: int | None = None
    age_reference_date: date | None = None
    min_grade: int | None = None
    max_grade: int | None = None
    members_only: bool = False
    front_line_only: bool = False
    exclude_leaders: bool = False
    exclusive: bool = False
    unit_quota: int | None = None
    total_capacity: int | None = None
    requires_approval: bool = False
    waitlist: bool = False

    def __post_init__(self) -> None:
        for name in ("min_age", "max_age"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not 0 <= value <= MAX_AGE_LIMIT):
                raise DomainError(_("An age limit must lie between 0 and %(limit)s; got %(value)s.")
                                  % {"limit": MAX_AGE_LIMIT, "value": value}, field=name)
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise DomainError(_("The minimum age %(min)s is above the maximum age %(max)s.")
                              % {"min": self.min_age, "max": self.max_age}, field="min_age")
        if (self.min_age is not None or self.max_age is not None) and self.age_reference_date is None:
            raise DomainError(_("An age limit needs the date on which ages are counted."),
                              field="age_reference_date")
        for name in ("min_grade", "max_grade"):
            value = getattr(self, name)
            if value is not None:
                _check_grade(value, name, allow_none=False)
        if (self.min_grade is not None and self.max_grade is not None
                and grade_rank(self.min_grade) > grade_rank(self.max_grade)):
            raise DomainError(_("The lowest grade accepted, %(min)s, is above the highest, %(max)s.")
                              % {"min": grade_label(self.min_grade), "max": grade_label(self.max_grade)},
                              field="min_grade")
        for name in ("unit_quota", "total_capacity"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or value < 1):
                raise DomainError(_("A quota or capacity must be at least 1; got %(value)s.") % {"value": value},
                                  field=name)
        if self.waitlist and self.total_capacity is None:
            raise DomainError(_("A waiting list needs a capacity for the event."), field="waitlist")


@dataclass(frozen=True)
class Candidate:
    """What the rules need to know about the worker registering (the lead derives it from the Person).

    `membership_status` is a MembershipStatus value, None when the worker has no membership;
    `is_leader` usually comes from `is_enterprise_leader(person.post)`; `other_events_in_competition`
    names the other events of the same competition the worker already holds a registration in (for
    the message); `already_registered_for_event` is a registration for this very event.
    """

    birth_date: date | None
    skill_grade: int = 0
    membership_status: str | None = None
    is_front_line: bool = False
    is_leader: bool = False
    other_events_in_competition: tuple[str, ...] = field(default=())
    already_registered_for_event: bool = False

    def __post_init__(self) -> None:
        _check_grade(self.skill_grade, "skill_grade")
        object.__setattr__(self, "other_events_in_competition", tuple(self.other_events_in_competition))


@dataclass(frozen=True)
class Decision:
    """The outcome of a registration: its status and the reasons to show (empty when eligible).

    For ``refused`` the reasons are every broken rule; for ``waitlisted`` and ``pending_approval`` a single
    informative reason (codes ``waitlisted`` and ``approval``).
    """

    status: Status
    reasons: tuple[Reason, ...] = ()

    @property
    def refused(self) -> bool:
        return self.status == "refused"

    def raise_if_refused(self) -> None:
        """For services: a refused registration becomes a DomainError carrying every reason, grouped by
        field (`errors`), so a form or an import row shows them all."""
        if not self.refused:
            return
        by_field: dict[str, list[str]] = {}
        for reason in self.reasons:
            by_field.setdefault(reason.field, []).append(reason.message)
        raise DomainError(" ".join(r.message for r in self.reasons), code="ineligible",
                          errors={f: " ".join(messages) for f, messages in by_field.items()})


def _non_negative(value: int, name: str) -> None:
    if isinstance(value, bool) or value < 0:
        raise DomainError(_("%(name)s must be zero or more; got %(value)s.") % {"name": name, "value": value},
                          field=name)


def _age_reasons(candidate: Candidate, rules: EventRules) -> list[Reason]:
    if rules.min_age is None and rules.max_age is None:
        return []
    assert rules.age_reference_date is not None  # guaranteed by EventRules
    if candidate.birth_date is None:
        return [Reason.of("birth_date_unknown", "birth_date", MSG_BIRTH_DATE_UNKNOWN)]
    on = rules.age_reference_date
    age = age_on(candidate.birth_date, on)
    if rules.min_age is not None and age < rules.min_age:
        return [Reason.of("too_young", "birth_date", MSG_TOO_YOUNG, age=age, min_age=rules.min_age,
                          date=on.isoformat())]
    if rules.max_age is not None and age > rules.max_age:
        return [Reason.of("too_old", "birth_date", MSG_TOO_OLD, age=age, max_age=rules.max_age,
                          date=on.isoformat())]
    return []


def _grade_reasons(candidate: Candidate, rules: EventRules) -> list[Reason]:
    grade = candidate.skill_grade
    if rules.min_grade is not None:
        if grade == 0:
            return [Reason.of("no_grade", "skill_grade", MSG_NO_GRADE, min_grade=grade_label(rules.min_grade))]
        if grade_rank(grade) < grade_rank(rules.min_grade):
            return [Reason.of("grade_too_low", "skill_grade", MSG_GRADE_TOO_LOW, grade=grade_label(grade),
                              min_grade=grade_label(rules.min_grade))]
    if rules.max_grade is not None and grade_rank(grade) > grade_rank(rules.max_grade):
        return [Reason.of("grade_too_high", "skill_grade", MSG_GRADE_TOO_HIGH, grade=grade_label(grade),
                          max_grade=grade_label(rules.max_grade))]
    return []


def _membership_reasons(candidate: Candidate, rules: EventRules) -> list[Reason]:
    status = candidate.membership_status
    if not rules.members_only or status == MembershipStatus.ACTIVE:
        return []
    if not status:
        return [Reason.of("not_member", "membership", MSG_NOT_MEMBER)]
    label = MembershipStatus(status).label if status in MembershipStatus.values else status
    return [Reason.of("membership_not_active", "membership", MSG_MEMBERSHIP_NOT_ACTIVE, status=label)]


def check(candidate: Candidate, rules: EventRules, *, unit_count: int, total_count: int) -> list[Reason]:
    """Every reason the registration is refused (empty: nothing refuses it).

    `unit_count` is the number of entries the candidate's unit already holds in the event and
    `total_count` the number in the whole event, both *without* this registration and counting only
    entries that hold a place (eligible or awaiting approval; not refused, withdrawn or waitlisted).
    A full event with a waiting list is not a refusal (see `decide`).
    """
    _non_negative(unit_count, "unit_count")
    _non_negative(total_count, "total_count")
    reasons: list[Reason] = []
    if candidate.already_registered_for_event:
        reasons.append(Reason.of("duplicate", "event", MSG_DUPLICATE))
    reasons += _age_reasons(candidate, rules)
    reasons += _grade_reasons(candidate, rules)
    reasons += _membership_reasons(candidate, rules)
    if rules.front_line_only and not candidate.is_front_line:
        reasons.append(Reason.of("not_front_line", "is_front_line", MSG_NOT_FRONT_LINE))
    if rules.exclude_leaders and candidate.is_leader:
        reasons.append(Reason.of("leader", "post", MSG_LEADER))
    if rules.exclusive and candidate.other_events_in_competition:
        reasons.append(Reason.of("exclusive", "event", MSG_EXCLUSIVE,
                                 events="、".join(candidate.other_events_in_competition)))
    if rules.unit_quota is not None and unit_count >= rules.unit_quota:
        reasons.append(Reason.of("unit_quota", "unit", MSG_UNIT_QUOTA, quota=rules.unit_quota))
    if is_full(rules, total_count) and not rules.waitlist:
        reasons.append(Reason.of("full", "event", MSG_FULL, capacity=rules.total_capacity))
    return reasons


def is_full(rules: EventRules, total_count: int) -> bool:
    """Whether the event has no place left for one more registration."""
    return rules.total_capacity is not None and total_count >= rules.total_capacity


def decide(candidate: Candidate, rules: EventRules, *, unit_count: int, total_count: int,
           waitlist_count: int = 0) -> Decision:
    """The status of a registration: refused (with every reason), else waitlisted when the event is full
    and keeps a waiting list (`waitlist_count` entries already wait; this one comes next), else pending
    approval when the organiser approves by hand, else eligible.

    A waiting entry is not yet approved: approval, when required, follows its promotion to a place.
    """
    _non_negative(waitlist_count, "waitlist_count")
    reasons = check(candidate, rules, unit_count=unit_count, total_count=total_count)
    if reasons:
        return Decision("refused", tuple(reasons))
    if is_full(rules, total_count):
        return Decision("waitlisted", (Reason.of("waitlisted", "event", MSG_WAITLISTED,
                                                 capacity=rules.total_capacity, position=waitlist_count + 1),))
    if rules.requires_approval:
        return Decision("pending_approval", (Reason.of("approval", "event", MSG_APPROVAL),))
    return Decision("eligible")


def reasons_by_code(reasons: list[Reason] | tuple[Reason, ...]) -> Mapping[str, Reason]:
    """Reasons keyed by code (each rule yields at most one reason), for tests and for import reports."""
    return {r.code: r for r in reasons}
