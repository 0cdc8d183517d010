"""The scoping kernel: who may see or change which rows, decided in the query and failing closed.

A user's reach for an action is a `Scope`: the roots of the subtrees where they may do it (materialised paths of
the organisation tree), or explicitly everything, or nothing. Every model that holds union data declares once
how it reaches the tree (`scope_via`) and gets `objects.for_user(user, action)` from `ScopedQuerySet`:

    class Stage(models.Model):
        scope_via = "competition"          # a scoped model: visible where its competition is
        objects = ScopedQuerySet.as_manager()

    class Judge(models.Model):
        scope_via = "pool"                 # an organisation: its subtree (and industry affiliates)

    class AuditEvent(models.Model):
        scope_via = "org_path"             # a stored path

    class ImportJob(models.Model):
        scope_via = "org_path"             # a stored path, and the stored industry path of the same union
        scope_via_industry = "industry_path"

    class Org(MP_Node):
        scope_via = "self"                 # the tree itself

Core knows no domain: the organisation tree and the roles live in `gongjiang.orgs`, which registers the
provider of users' scopes (`register_provider`) and the model at the root of the tree when it starts. Without
a provider, or for an anonymous user, every scope is empty. A model with no way to the tree says so with
`scope_exempt = "why"` (reference data such as the occupation list); `core.tests.test_scoping` walks every
model of every app and fails when one declares neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from .types import Account, Actor

QS = TypeVar("QS", bound=models.QuerySet[Any])
M = TypeVar("M", bound=models.Model)
T = TypeVar("T")

# ---------------------------------------------------------------------------------------------
# The value


@dataclass(frozen=True)
class Scope:
    """Where a user may do an action: the subtrees rooted at `paths` (nested paths dropped), and whether that
    is `everything` (every row: a superuser, or a role on the root of a single-province tree).

    A subtree is the regional one (`path` starts with the root) and, through `industry_path`, the units
    affiliated to an industry union inside it. "Everything" is its own state, never an empty list or an empty
    `Q`, so no caller has to tell "no filter" from "no rows". `roots` keeps the roles' own orgs for the rules
    that care where a role sits (nobody restructures the org of their own role), None for a superuser."""

    paths: tuple[str, ...] = ()
    everything: bool = False

    @classmethod
    def of(cls, paths: Iterable[str]) -> Scope:
        """The scope of these subtree roots, with the ones inside another dropped (fewer terms per query)."""
        kept: list[str] = []
        for p in sorted(set(paths)):
            if not any(p.startswith(k) for k in kept):
                kept.append(p)
        return cls(tuple(kept))

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.paths

    @property
    def roots(self) -> tuple[str, ...] | None:
        """The paths of the orgs the scope is made of; None when unlimited (a superuser)."""
        return None if self.everything and not self.paths else self.paths

    def whole(self) -> Scope:
        """The same roots, marked as covering every row (a role on the root of a single-province tree)."""
        return Scope(self.paths, everything=True)

    def covers(self, path: str, industry_path: str = "") -> bool:
        """Whether an org (its path and industry path) lies inside this scope."""
        if self.everything:
            return True
        return any(covers(p, path) or (industry_path and covers(p, industry_path)) for p in self.paths)

    def covers_regionally(self, path: str) -> bool:
        """Whether `path` lies inside one of the scope's subtrees along the regional tree alone."""
        return self.everything or any(covers(p, path) for p in self.paths)

    def q(self, prefix: str = "", *, industry: bool = True) -> Q:
        """The condition on an org relation (`prefix` "employer__", "round__organiser__", …). Only for
        composing with other conditions: it is `Q()` for everything, so prefer `apply`."""
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        terms = [Q(**{f"{prefix}path__startswith": p}) for p in self.paths]
        if industry:
            terms += [Q(**{f"{prefix}industry_path__startswith": p}) for p in self.paths]
        return reduce(or_, terms)

    def path_q(self, field_name: str, *more: str) -> Q:
        """The condition on a stored path (`org_path` of an audit event or an import job), or on any of several
        (a union's path and its industry path, stored side by side)."""
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        return reduce(or_, [Q(**{f"{f}__startswith": p}) for f in (field_name, *more) for p in self.paths])

    def apply(self, qs: QS, *prefixes: str, also: Q | None = None, industry: bool = True) -> QS:
        """`qs` narrowed to the rows whose org, through any of the relations `prefixes` ("employer__"; none: the
        org itself), lies in this scope — or that match `also` (e.g. a worker's own record). Unchanged for
        everything."""
        if self.everything:
            return qs.all()
        condition = reduce(or_, [self.q(p, industry=industry) for p in prefixes or ("",)])
        return qs.filter(condition | also if also is not None else condition)

    def apply_path(self, qs: QS, field_name: str, *more: str) -> QS:
        return qs.all() if self.everything else qs.filter(self.path_q(field_name, *more))



EVERYTHING = Scope(everything=True)
NOTHING = Scope()


def covers(scope_path: str, path: str) -> bool:
    """Whether `path` is `scope_path` itself or lies below it (materialised paths)."""
    return bool(scope_path) and path.startswith(scope_path)


def ancestors(path: str, step: int, *, include_self: bool = True) -> list[str]:
    """The paths from the root down to `path` (itself last unless `include_self` is false)."""
    end = len(path) + 1 if include_self else len(path)
    return [path[:i] for i in range(step, end, step)]


# ---------------------------------------------------------------------------------------------
# The provider (registered by orgs) and the per-request memo


@dataclass
class _Registry:
    provider: Callable[[Account, str], Scope] | None = None
    root_model: type[models.Model] | None = None
    step: int = 4
    exempt_apps: set[str] = field(default_factory=set)


_registry = _Registry()


def register_provider(provider: Callable[[Account, str], Scope], *, root_model: type[models.Model], step: int) -> None:
    """Called once by the app that owns the organisation tree (orgs): how a user's scope for an action is
    found, which model is the tree, and the length of one level of its paths."""
    _registry.provider, _registry.root_model, _registry.step = provider, root_model, step


def path_step() -> int:
    return _registry.step


def scope_for(user: Actor | None, action: str = "view") -> Scope:
    """The user's scope for `action`; NOTHING for an anonymous user or without a provider."""
    if user is None or not user.is_authenticated or _registry.provider is None:
        return NOTHING
    return _registry.provider(user, action)


def paths_moved(old_prefix: str, new_prefix: str) -> dict[str, int]:
    """A subtree of the tree moved (orgs' `move_org`): rows that keep a union's path as text — audit events, import
    jobs, public notices, certificates, any model listing the field in `paths_follow_moves` — follow it, so the
    unit's history stays within sight of the unions it now belongs to. Returns how many rows moved, per model."""
    from django.apps import apps
    from django.db.models import Value
    from django.db.models.functions import Concat, Substr

    moved: dict[str, int] = {}
    for model in apps.get_models():
        for name in getattr(model, "paths_follow_moves", ()):
            rows = model._default_manager.filter(**{f"{name}__startswith": old_prefix}).update(
                **{name: Concat(Value(new_prefix), Substr(name, len(old_prefix) + 1))})
            if rows:
                moved[f"{model._meta.label}.{name}"] = rows
    return moved


_MEMO = "_gongjiang_scope_memo"


def memo(user: Actor, key: str, compute: Callable[[], T]) -> T:
    """A value computed once per request for `user` (scopes, a worker's unit path, whether a user judges):
    kept on the user object, which lives as long as the request."""
    store: dict[str, Any] = user.__dict__.setdefault(_MEMO, {})
    if key not in store:
        store[key] = compute()
    value: T = store[key]
    return value


def forget(user: Actor, key: str | None = None) -> None:
    """Drop what `memo` kept for `user` (after their roles changed in this request), or only `key`."""
    if key is None:
        user.__dict__.pop(_MEMO, None)
    else:
        user.__dict__.get(_MEMO, {}).pop(key, None)


# ---------------------------------------------------------------------------------------------
# The scoped queryset


class ScopedQuerySet(models.QuerySet[M]):
    """`for_user(user, action)` from the model's `scope_via`:

    - a stored path field (`"org_path"`): rows whose path lies in the scope — or whose stored industry path does,
      when the model also names that field (`scope_via_industry = "industry_path"`, as an org's `industry_path`);
    - a relation ending at the organisation tree (`"round__organiser"`): rows whose org lies in the scope,
      regionally or through its industry union;
    - a relation to another scoped model (`"competition"`): rows whose parent the user may reach for the same
      action (its own `for_user`, however it is defined).

    Models whose reach is more than one relation override `for_user` and build it from the same pieces."""

    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        kind, target = resolve_scope_via(self.model)
        if kind == "path":
            industry = getattr(self.model, "scope_via_industry", "")
            return scope_for(user, action).apply_path(self, target, *([industry] if industry else []))
        if kind == "org":
            return scope_for(user, action).apply(self, target)
        if user is None or not user.is_authenticated:
            return self.none()
        related = _related_model(self.model, target)
        return self.filter(**{f"{target}__in": related._default_manager.for_user(user, action).values("pk")})


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


_resolved: dict[type[models.Model], tuple[str, str]] = {}


def resolve_scope_via(model: type[models.Model]) -> tuple[str, str]:
    """("path", field), ("org", "relation__") or ("parent", relation) for a model's `scope_via`."""
    if model in _resolved:
        return _resolved[model]
    via = getattr(model, "scope_via", None)
    if not via:
        raise ImproperlyConfigured(f"{model.__name__} declares no scope_via: it cannot be read for a user.")
    if via == "self":  # the organisation tree itself
        _resolved[model] = ("org", "")
        return _resolved[model]
    parts = via.split("__")
    current: Any = model
    for i, part in enumerate(parts):
        f = current._meta.get_field(part)
        if not f.is_relation:
            if i != len(parts) - 1:
                raise ImproperlyConfigured(f"{model.__name__}.scope_via {via!r}: {part} is not a relation.")
            found = ("path", via)
            break
        current = f.related_model
    else:
        if _registry.root_model is not None and current is _registry.root_model:
            found = ("org", f"{via}__")
        elif hasattr(current._default_manager, "for_user"):
            found = ("parent", via)
        else:
            raise ImproperlyConfigured(f"{model.__name__}.scope_via {via!r} leads to {current.__name__}, which is "
                                       "neither the organisation tree nor a scoped model.")
    _resolved[model] = found
    return found


def _related_model(model: type[models.Model], via: str) -> Any:
    current: Any = model
    for part in via.split("__"):
        current = current._meta.get_field(part).related_model
    return current
