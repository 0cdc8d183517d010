"""The users' scopes, from their roles: the provider behind `gongjiang.core.scoping`.

Every question "where may this user do this" is answered here, once per request:

- `scope_for(user, action)` → a `Scope` (core/scoping.py): the orgs on which the user holds a role allowing the
  action (`rules.roles_for`), as subtree roots; **everything** for a superuser and for a role on the root of a
  single-province tree (a filter matching every row only stops the database from walking its indexes);
  nothing for an anonymous user or a worker without roles.
- `grant_orgs(user)` → the orgs the user holds roles on (the scope switcher), shallowest first.
- `ancestors(path)`, `covers(scope_path, path)`: the path algebra of the tree (4 characters per level).

A role on an org covers its regional subtree and the units whose `industry_path` lies in it (an industry
union's affiliated enterprises), which `Scope.covers` and `Scope.apply` both follow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gongjiang.core import scoping
from gongjiang.core.scoping import EVERYTHING, NOTHING, Scope, covers, forget, memo
from gongjiang.core.types import Account, Actor

from . import rules

if TYPE_CHECKING:
    from .models import Org, RoleGrant

STEP = 4  # characters per level of a materialised path (Org.steplen; django-treebeard MP_Node)

__all__ = ["EVERYTHING", "NOTHING", "STEP", "Scope", "ancestor_at", "ancestors", "covers", "forget", "grant_orgs",
           "memo", "parent_path", "scope_for", "within", "worker_unit_path"]


def _model(name: str) -> Any:
    """An orgs model, looked up through the app registry: the models' querysets call this module, so it does not
    import them (no import cycle)."""
    from django.apps import apps

    return apps.get_model("orgs", name)


def ancestors(path: str, *, include_self: bool = True) -> list[str]:
    """The paths from the root down to `path` (itself last unless `include_self` is false)."""
    return scoping.ancestors(path, STEP, include_self=include_self)


def parent_path(path: str) -> str:
    """The path of the parent of the node at `path` ("" for a root)."""
    return path[:-STEP]


def ancestor_at(path: str, depth: int) -> str:
    """The path of the ancestor at `depth` (1: the root, 2: a city under the province) of the node at `path`, or
    `path` itself when it is not deeper."""
    return path[: depth * STEP]


def within(org: Org, root: Org) -> bool:
    """Whether `org` lies in `root`'s reach: its regional subtree, or (through the industry tree) the units affiliated
    to it — the same reach a role on `root` has."""
    return covers(root.path, org.path) or bool(org.industry_path and covers(root.path, org.industry_path))


def scope_for(user: Actor | None, action: str = "view") -> Scope:
    """Where `user` may do `action` (view, change, manage): see the module's docstring."""
    if user is None or not user.is_authenticated:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    return memo(user, f"scope:{action}", lambda: _scope_of(user, action))


def _grants(user: Account) -> list[RoleGrant]:
    """The user's role grants on active orgs, with their orgs: ONE query per request, from which every action's
    scope and the scope switcher's list are derived."""
    RoleGrant = _model("RoleGrant")

    return memo(user, "grants", lambda: list(RoleGrant.objects.filter(user_id=user.pk, org__is_active=True)
                                             .select_related("org").order_by("org__depth", "org__path")))


def _scope_of(user: Account, action: str) -> Scope:
    roles = rules.roles_for(action)
    if not roles:
        return NOTHING
    scope = Scope.of(g.org.path for g in _grants(user) if g.role in roles)
    if any(len(p) == STEP for p in scope.paths) and _single_root(user):
        return scope.whole()
    return scope


def _single_root(user: Account) -> bool:
    Org = _model("Org")

    return memo(user, "single_root", lambda: len(Org.objects.filter(depth=1).values_list("pk", flat=True)[:2]) == 1)


def grant_orgs(user: Actor) -> list[Org]:
    """The orgs on which the user holds a role (deduplicated, shallowest first), or the roots for a superuser."""
    orgs_model = _model("Org")

    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return memo(user, "grant_orgs", lambda: list(orgs_model.objects.filter(depth=1)))

    def load() -> list[Org]:
        orgs = {g.org.pk: g.org for g in _grants(user)}
        return sorted(orgs.values(), key=lambda o: (o.depth, o.path))

    return memo(user, "grant_orgs", load)


def worker_unit_path(user: Actor) -> str:
    """The path of the unit employing a worker account's person ('' for an account without a person)."""
    Person = _model("Person")

    person_id = getattr(user, "person_id", None)
    if not person_id:
        return ""
    return memo(user, "worker_unit_path", lambda: Person.objects.filter(pk=person_id)
                .values_list("employer__path", flat=True).first() or "")


def register() -> None:
    """Make this the provider of `gongjiang.core.scoping` (OrgsConfig.ready)."""
    Org = _model("Org")

    scoping.register_provider(scope_for, root_model=Org, step=STEP)

