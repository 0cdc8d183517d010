"""The roster of holders, pure: which status changes are allowed (`change_problems`), what a revocation must carry
(`revoke_problems`), what a holder counts for in the counters (`counts`) and the age bands the roster filters by
(`age_band`, `birth_years`).

A person's title moves between 在职 (active), 调动 (moved: to another unit, still a holder), 退休 (retired) and 去世
(deceased); a collective or an organisation is active until revoked. 撤销 (revoked) is final and possible from any
other status (a title is revoked after its holder died, too). A change is dated: not in the future, not before the
year the honour was conferred, not before the previous change."""

from __future__ import annotations

import datetime
from typing import Final

from .eligibility import Problem

ACTIVE, MOVED, RETIRED, DECEASED, REVOKED = "active", "moved", "retired", "deceased", "revoked"
STATUSES: Final = (ACTIVE, MOVED, RETIRED, DECEASED, REVOKED)
# person titles: from each status, the statuses a change may lead to (revoked apart: from everything but itself)
PERSON_MOVES: Final[dict[str, frozenset[str]]] = {
    ACTIVE: frozenset({MOVED, RETIRED, DECEASED}),
    MOVED: frozenset({ACTIVE, MOVED, RETIRED, DECEASED}),  # moved again, or back in post
    RETIRED: frozenset({DECEASED}),
    DECEASED: frozenset(),
    REVOKED: frozenset(),
}
REASON_MIN: Final = 4  # a revocation's reason: a sentence, not a letter
# the age bands of the roster (years of age in the reference year): (code, lowest age, highest age or None)
AGE_BANDS: Final = (("u35", 0, 35), ("36_45", 36, 45), ("46_55", 46, 55), ("56_", 56, None))


def allowed(subject: str, current: str, new: str) -> bool:
    """Whether a holder (of a `subject` honour: "person", "collective", "org") may go from `current` to `new`."""
    if current == REVOKED or new not in STATUSES:
        return False
    if new == REVOKED:
        return True
    if subject != "person":
        return False  # a collective or an organisation is active until revoked
    return new in PERSON_MOVES[current]


def change_problems(subject: str, current: str, new: str, on: datetime.date | None, *, conferred: int,
                    last: datetime.date | None, today: datetime.date) -> list[Problem]:
    """Every reason a change of status to `new` on `on` is refused ([] when it may be recorded)."""
    found: list[Problem] = []
    if current == REVOKED:
        return [Problem("revoked", "status")]
    if new not in STATUSES or (new == current and new != MOVED) or not allowed(subject, current, new):
        found.append(Problem("transition", "status", {"current": current, "new": new}))
    if on is None:
        found.append(Problem("no_date", "on"))
    elif on > today:
        found.append(Problem("future", "on"))
    elif on.year < conferred:
        found.append(Problem("before_conferral", "on", {"year": conferred}))
    elif last is not None and on < last:
        found.append(Problem("before_last", "on", {"last": last.isoformat()}))
    return found


def revoke_problems(reason: str, document: str, has_body: bool) -> list[Problem]:
    """What a revocation lacks: its reason (a sentence), the decision's document number, the revoking body."""
    found: list[Problem] = []
    if len(reason.strip()) < REASON_MIN:
        found.append(Problem("no_reason", "reason", {"min": REASON_MIN}))
    if not document.strip():
        found.append(Problem("no_document", "document"))
    if not has_body:
        found.append(Problem("no_body", "body"))
    return found


def counts(status: str) -> tuple[int, int, int, int]:
    """What a holder of `status` counts for: (holders, alive, active, revoked). A revoked title counts as revoked
    only (the public roster's total lists it, marked)."""
    if status == REVOKED:
        return (0, 0, 0, 1)
    return (1, int(status != DECEASED), int(status == ACTIVE), 0)


def age_band(birth_year: int | None, year: int) -> str | None:
    """The band of someone born in `birth_year` in `year` (their age that year), None when unknown."""
    if birth_year is None:
        return None
    age = year - birth_year
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return None  # born after `year`: no band


def birth_years(band: str, year: int) -> tuple[int | None, int | None]:
    """The years of birth (earliest, latest; None: open) of the people in `band` in `year`; ValueError for an
    unknown band. `age_band(y, year) == band` exactly when y lies in it."""
    for code, low, high in AGE_BANDS:
        if code == band:
            return (year - high if high is not None else None, year - low)
    raise ValueError(band)
