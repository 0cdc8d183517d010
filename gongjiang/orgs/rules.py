"""Pure rules of the org tree and of roles (no ORM): tested exhaustively without a database."""

from __future__ import annotations

from collections.abc import Iterable

from .choices import OrgKind, Role

K = OrgKind
# Which kinds of org may sit directly under which. Large provincial enterprises hang directly under
# the province or a city; industry unions exist at province, city and county level.
ALLOWED_PARENTS: dict[str, set[str]] = {
    K.PROVINCE: set(),
    K.CITY: {K.PROVINCE},
    K.INDUSTRY: {K.PROVINCE, K.CITY, K.COUNTY},
    K.COUNTY: {K.CITY},
    K.TOWN: {K.COUNTY},
    K.GRASSROOTS: {K.PROVINCE, K.CITY, K.INDUSTRY, K.COUNTY, K.TOWN},
    K.DEPARTMENT: {K.GRASSROOTS, K.DEPARTMENT},
    K.TEAM: {K.GRASSROOTS, K.DEPARTMENT},
}
# Orgs that employ people (a worker's employer is one of these).
EMPLOYER_KINDS = {K.GRASSROOTS, K.DEPARTMENT, K.TEAM}
# Orgs that hold members' union membership.
MEMBERSHIP_KINDS = {K.GRASSROOTS}
# Orgs for which a 统一社会信用代码 is expected.
CREDIT_CODE_KINDS = {K.GRASSROOTS}

ROLE_ACTIONS: dict[str, set[str]] = {
    Role.ADMIN: {"view", "change", "manage"},
    Role.STAFF: {"view", "change"},
    Role.VIEWER: {"view"},
}
ROLE_RANK: dict[str, int] = {Role.VIEWER: 1, Role.STAFF: 2, Role.ADMIN: 3}


def can_be_child(parent_kind: str | None, child_kind: str) -> bool:
    if parent_kind is None:
        return child_kind == K.PROVINCE
    return parent_kind in ALLOWED_PARENTS.get(child_kind, set())


def roles_for(action: str) -> set[str]:
    """The roles that allow `action` (view, change, manage)."""
    return {role for role, actions in ROLE_ACTIONS.items() if action in actions}


def is_within(path: str, scope_path: str) -> bool:
    """Whether `path` is `scope_path` itself or one of its descendants (materialised paths)."""
    return path.startswith(scope_path)


def can_restructure(path: str, industry_path: str, change_scopes: Iterable[str] | None) -> bool:
    """Whether a user whose change scopes are `change_scopes` (None: a superuser) may deactivate, reactivate or
    move the org at `path`, or change its kind or industry union: only when it lies STRICTLY below the org of a
    role — in its regional subtree or among an industry union's affiliates — never on the role's own org, which
    belongs to the union above (a unit deactivating itself would also lock its own cadres out)."""
    if change_scopes is None:
        return True
    return any(path != s and (is_within(path, s) or (bool(industry_path) and is_within(industry_path, s)))
               for s in change_scopes)


def is_move_into_own_subtree(node_path: str, new_parent_path: str) -> bool:
    return new_parent_path.startswith(node_path)


def can_grant(granter_grants: Iterable[tuple[str, str]], role: str, org_path: str) -> bool:
    """An admin may grant `role` on `org_path` only inside a subtree where they are admin, and never
    a role above the one they hold there (admins hold the top role, so: admin of a covering scope)."""
    if role not in ROLE_RANK:
        return False
    for held_role, held_path in granter_grants:
        if held_role == Role.ADMIN and is_within(org_path, held_path) and ROLE_RANK[role] <= ROLE_RANK[held_role]:
            return True
    return False


def manages_account(scope_paths: Iterable[str] | None, role_paths: Iterable[str],
                    employer: tuple[str, str] | None = None, *, superuser: bool = False) -> bool:
    """Whether an admin whose manage scopes are `scope_paths` (None: a superuser, everywhere) manages an account
    (disables, enables, resets or edits it): only when EVERY role the account holds lies inside one of the scopes
    (along the regional tree, as granting does) — else a city admin could lock out a cadre of another city who
    was also given a role in theirs. An account holding no role (a worker's) goes by the employer of its record,
    `(path, industry_path)`, along either tree, as the record itself is seen. An account with neither, and a
    superuser's account, only a superuser manages."""
    if scope_paths is None:
        return True
    scopes = list(scope_paths)
    if superuser or not scopes:
        return False
    roles = list(role_paths)
    if roles:
        return all(any(is_within(r, s) for s in scopes) for r in roles)
    if employer is not None:
        path, industry_path = employer
        return any(is_within(path, s) or (bool(industry_path) and is_within(industry_path, s)) for s in scopes)
    return False


def skill_grade_is_promotion(old: int, new: int) -> bool:
    """Grade 5 is lowest, 1 highest; 0 means none."""
    if new == 0:
        return False
    return old == 0 or new < old
