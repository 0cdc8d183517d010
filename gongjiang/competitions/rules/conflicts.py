"""Judges' conflicts of interest (回避, issue 3 §3): who may never mark whom.

A judge never marks a contestant of their own unit, nor one of their own city in a provincial final, nor
anyone the judge has declared by hand (a person, a relative, or a whole org subtree). `conflict` answers
for one judge and one contestant, `assignable` for a panel, and `panel_check` refuses a panel where a
contestant would be left with too few judges free to mark them.

Inputs are resolved by the caller, so these rules never walk the org tree: a judge and a contestant carry
their grassroots union's path (基层工会, the "unit") and their city federation's path, each None when there
is none (a judge from the provincial federation has no unit; an enterprise directly under the province or
only under an industry union has no city — and then no city conflict can be established). The service
finds them with `grassroots_path` and `city_path` below, from the kinds of the ancestors of the employer's
path (one query for all ancestors of all employers). Paths are treebeard materialised paths, 4 characters
a level: "0001" the province, "00010003" a city, and so on.

A contestant is an entry: for a team, every member's person and employer counts (a relative anywhere in
the team is a conflict).

Anonymity: judges only ever see 加密号. The messages of these reasons name neither the judge's nor the
contestant's unit or person, and `panel_check` names contestants by their 加密号 only, with counts — never
which judge conflicts with whom or why. Shown to a judge, even that would reveal something, so a service
answering a judge (e.g. refusing a mark) should say only that the entry is not assigned to them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongjiang.core.errors import DomainError
from gongjiang.orgs import scoping
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.scoping import STEP

from .eligibility import Reason

# Stage levels (the level of the orgs running a stage). The city conflict applies only to provincial
# stages, where cities compete against each other.
ENTERPRISE, COUNTY, CITY, PROVINCE = "enterprise", "county", "city", "province"
STAGE_LEVELS = (ENTERPRISE, COUNTY, CITY, PROVINCE)
CITY_CONFLICT_LEVELS = frozenset({PROVINCE})

MSG_SELF = gettext_noop("The judge is a contestant of this entry.")
MSG_RELATIVE = gettext_noop("The judge has declared a relative in this entry.")
MSG_DECLARED_PERSON = gettext_noop("The judge has declared a conflict of interest with this contestant.")
MSG_DECLARED_ORG = gettext_noop("The judge has declared a conflict of interest with the contestant's unit.")
MSG_SAME_UNIT = gettext_noop("The judge and the contestant belong to the same unit.")
MSG_SAME_CITY = gettext_noop("The judge and the contestant come from the same city, "
                             "which a provincial final does not allow.")

# How many short contestants a panel refusal lists before "and N more".
MAX_LISTED = 20


def _check_path(path: str, name: str) -> None:
    if not path or len(path) % STEP:
        raise ValueError(f"{name}: {path!r} is not a materialised path of {STEP}-character steps")


def ancestors(path: str) -> list[str]:
    """The path's ancestors and itself, from the root down: "00010003" → ["0001", "00010003"]."""
    _check_path(path, "path")
    return scoping.ancestors(path)


def _nearest_of_kind(path: str, kinds_by_path: Mapping[str, str], kind: str) -> str | None:
    for candidate in reversed(ancestors(path)):
        if candidate not in kinds_by_path:
            # A missing ancestor would silently hide a conflict: a caller's error, not a missing conflict.
            raise ValueError(f"kinds_by_path lacks {candidate!r}, an ancestor of {path!r}")
        if kinds_by_path[candidate] == kind:
            return candidate
    return None


def grassroots_path(path: str, kinds_by_path: Mapping[str, str]) -> str | None:
    """The grassroots union (基层工会) an org belongs to: itself or its nearest grassroots ancestor.

    `kinds_by_path` maps every ancestor's path (and the org's own) to its OrgKind value.
    """
    return _nearest_of_kind(path, kinds_by_path, OrgKind.GRASSROOTS)


def city_path(path: str, kinds_by_path: Mapping[str, str]) -> str | None:
    """The city federation (市总工会) an org lies under, or None (under the province or an industry union
    directly). Not simply the 8-character prefix: an enterprise directly under the province also has one."""
    return _nearest_of_kind(path, kinds_by_path, OrgKind.CITY)


def _frozen(value: Iterable[Hashable]) -> frozenset[Hashable]:
    return frozenset(value)


@dataclass(frozen=True)
class JudgeInfo:
    """A judge as the conflict rules see them.

    `key` identifies the judge (e.g. the judge assignment's id); `person_key` the judge's Person (so a
    judge who is also a contestant is caught); `declared_persons`, `relatives` and `declared_org_paths`
    are the conflicts declared by hand (persons' keys and org subtree paths); `label` is the judge's name
    for the organiser's messages.
    """

    key: Hashable
    person_key: Hashable | None = None
    grassroots_path: str | None = None
    city_path: str | None = None
    declared_persons: frozenset[Hashable] = field(default=frozenset())
    relatives: frozenset[Hashable] = field(default=frozenset())
    declared_org_paths: frozenset[str] = field(default=frozenset())
    label: str = ""

    def __post_init__(self) -> None:
        for name in ("declared_persons", "relatives", "declared_org_paths"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        for path in self.declared_org_paths:
            _check_path(path, "declared_org_paths")


@dataclass(frozen=True)
class ContestantInfo:
    """An entry (one contestant, or a team) as the conflict rules see it.

    `key` identifies the entry, `code` is its 加密号 (the only name a panel message may use),
    `person_keys` the persons in it, `employer_paths` their employers' paths (for declared org subtrees),
    `grassroots_path` / `city_path` the unit and city the entry represents.
    """

    key: Hashable
    code: str
    person_keys: frozenset[Hashable] = field(default=frozenset())
    grassroots_path: str | None = None
    city_path: str | None = None
    employer_paths: frozenset[str] = field(default=frozenset())

    def __post_init__(self) -> None:
        object.__setattr__(self, "person_keys", _frozen(self.person_keys))
        object.__setattr__(self, "employer_paths", _frozen(self.employer_paths))


def _check_level(stage_level: str) -> None:
    if stage_level not in STAGE_LEVELS:
        raise DomainError(_("Unknown stage level %(level)s.") % {"level": stage_level}, field="level")


def conflict(judge: JudgeInfo, contestant: ContestantInfo, stage_level: str) -> Reason | None:
    """Why `judge` may not mark `contestant` in a stage of `stage_level`, or None if they may.

    When several conflicts hold, the first in this order is given: the judge is in the entry, a declared
    relative, a declared person, a declared org subtree, the same grassroots unit, the same city (only in
    a provincial stage). Reasons carry code and field ("judge"); their messages reveal no identity.
    """
    _check_level(stage_level)
    if judge.person_key is not None and judge.person_key in contestant.person_keys:
        return Reason.of("self", "judge", MSG_SELF)
    if judge.relatives & contestant.person_keys:
        return Reason.of("relative", "judge", MSG_RELATIVE)
    if judge.declared_persons & contestant.person_keys:
        return Reason.of("declared_person", "judge", MSG_DECLARED_PERSON)
    contestant_paths = set(contestant.employer_paths)
    if contestant.grassroots_path:
        contestant_paths.add(contestant.grassroots_path)
    if any(path.startswith(declared) for path in contestant_paths for declared in judge.declared_org_paths):
        return Reason.of("declared_org", "judge", MSG_DECLARED_ORG)
    if judge.grassroots_path and judge.grassroots_path == contestant.grassroots_path:
        return Reason.of("same_unit", "judge", MSG_SAME_UNIT)
    if stage_level in CITY_CONFLICT_LEVELS and judge.city_path and judge.city_path == contestant.city_path:
        return Reason.of("same_city", "judge", MSG_SAME_CITY)
    return None


def conflicts(judges: Iterable[JudgeInfo], contestants: Sequence[ContestantInfo],
              stage_level: str) -> dict[tuple[Hashable, Hashable], Reason]:
    """Every conflicted (judge key, contestant key) pair with its reason: what the organiser's audit
    records when a panel is assigned."""
    _check_level(stage_level)
    found: dict[tuple[Hashable, Hashable], Reason] = {}
    for judge in judges:
        for contestant in contestants:
            reason = conflict(judge, contestant, stage_level)
            if reason is not None:
                found[(judge.key, contestant.key)] = reason
    return found


def assignable(judges: Iterable[JudgeInfo], contestants: Sequence[ContestantInfo],
               stage_level: str) -> dict[Hashable, set[Hashable]]:
    """For each judge's key, the keys of the contestants the judge may mark (every judge appears, maybe
    with an empty set). The judge's mark sheet lists exactly these entries."""
    _check_level(stage_level)
    return {judge.key: {c.key for c in contestants if conflict(judge, c, stage_level) is None}
            for judge in judges}


def panel_check(judges: Sequence[JudgeInfo], contestants: Sequence[ContestantInfo], stage_level: str, *,
                required: int) -> dict[Hashable, set[Hashable]]:
    """Refuse a panel on which some contestant would have fewer than `required` judges free of conflict;
    otherwise return `assignable(...)`.

    The refusal names the short contestants by 加密号 (sorted, at most `MAX_LISTED`, then "and N more")
    with how many judges each has, never who conflicts or why. A duplicate judge or contestant key, or a
    duplicate 加密号, is refused too: it would count one judge twice or hide an entry.
    """
    _check_level(stage_level)
    if isinstance(required, bool) or required < 1:
        raise DomainError(_("A contestant needs at least one judge; got %(required)s.") % {"required": required},
                          field="required")
    seen_judges: set[Hashable] = set()
    for judge in judges:
        if judge.key in seen_judges:
            raise DomainError(_("Judge %(judge)s appears twice on the panel.") % {"judge": judge.label or judge.key},
                              field="judges")
        seen_judges.add(judge.key)
    seen_keys: set[Hashable] = set()
    seen_codes: set[str] = set()
    for contestant in contestants:
        if contestant.key in seen_keys or contestant.code in seen_codes:
            raise DomainError(_("Contestant %(code)s appears twice.") % {"code": contestant.code},
                              field="contestants")
        seen_keys.add(contestant.key)
        seen_codes.add(contestant.code)
    if len(judges) < required:
        raise DomainError(_("The panel has %(count)s judges; each contestant needs %(required)s.")
                          % {"count": len(judges), "required": required}, field="judges")
    allowed = assignable(judges, contestants, stage_level)
    free = {c.key: 0 for c in contestants}
    for keys in allowed.values():
        for key in keys:
            free[key] += 1
    short = sorted((c.code, free[c.key]) for c in contestants if free[c.key] < required)
    if short:
        listed = "、".join(_("%(code)s (%(count)s)") % {"code": code, "count": count}
                          for code, count in short[:MAX_LISTED])
        if len(short) > MAX_LISTED:
            listed = _("%(listed)s and %(more)s more") % {"listed": listed, "more": len(short) - MAX_LISTED}
        raise DomainError(
            _("Each contestant needs %(required)s judges without a conflict of interest; too few for "
              "%(listed)s (judges available in brackets).") % {"required": required, "listed": listed},
            field="judges", code="conflict")
    return allowed
