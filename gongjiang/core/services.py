"""What every app's verbs share: the `verb` decorator and the scope check `require`.

An app's `services/` package holds its verbs and nothing else (DESIGN §4.13): every public function of it is a
verb — atomic, with a keyword-only `actor`, re-checking the actor's permission itself, writing, auditing. Read
models live in the app's `queries/`, pure calculations in its `rules`. `@verb` makes a function a verb:

```python
@verb
def approve_entry(*, actor: User, entry: Entry) -> Entry:
    ...
```

It refuses an actor who is not a logged-in account (anonymous, None) with `PermissionDeniedError` before anything
runs, so every verb answers a visitor the same way; wraps the function in `transaction.atomic` (a refusal raised
anywhere in it writes nothing); refuses at import time a function without a keyword-only `actor`; and records it in
`VERBS` by dotted name (`gongjiang.competitions.services.registration.approve_entry`), which
`tests/test_verb_contract.py` walks against every app's services. The verb itself still checks the actor's scope
and role (the permission matrices try every verb with actors out of scope). A verb that must do something outside
its transaction (a password check whose failures must be counted even though the verb is refused) says so with
`@verb(atomic=False)` and runs its writes in an atomic step of its own; the contract test lists every such verb
with the reason."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import PermissionDeniedError

if TYPE_CHECKING:
    from .types import Actor

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Verb:
    """A registered verb: its dotted name, the function as callers get it, whether it runs in one transaction."""

    name: str
    function: Callable[..., Any]
    atomic: bool


VERBS: dict[str, Verb] = {}


@overload
def verb(function: F) -> F: ...


@overload
def verb(*, atomic: bool = True) -> Callable[[F], F]: ...


def verb(function: Any = None, *, atomic: bool = True) -> Any:
    """Make `function` a verb: refused to an actor who is not logged in, atomic (unless `atomic=False`), registered
    in `VERBS`; it must take a keyword-only `actor` (a TypeError at import otherwise)."""

    def decorate(fn: F) -> F:
        actor = inspect.signature(fn).parameters.get("actor")
        if actor is None or actor.kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"{fn.__module__}.{fn.__qualname__}: a verb takes a keyword-only `actor`")
        body = transaction.atomic(fn) if atomic else fn

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            if not getattr(kwargs.get("actor"), "is_authenticated", False):
                raise PermissionDeniedError(_("Log in to do this."), code="not_authenticated")
            return body(*args, **kwargs)

        name = f"{fn.__module__}.{fn.__qualname__}"
        VERBS[name] = Verb(name, call, atomic)
        return call  # type: ignore[return-value]

    return decorate(function) if function is not None else decorate


def verb_of(function: Callable[..., Any]) -> Verb | None:
    """The registration of `function` if it is a verb (the very function `@verb` returned), else None."""
    found = VERBS.get(f"{function.__module__}.{function.__qualname__}")
    return found if found is not None and found.function is function else None


class Scoped(Protocol):
    """What `require` asks of an org (orgs.Org, which core does not name): its name and whether a user may act in
    its reach."""

    @property
    def name(self) -> str: ...

    def in_scope(self, user: Actor, action: str = ...) -> bool: ...


def require(org: Scoped, actor: Actor, action: str = "change") -> None:
    """Refuse (PermissionDeniedError) an actor who may not do `action` in `org`'s subtree (`org.in_scope`): the
    scope check that verbs make themselves, so a view, the API, an import and a task get the same answer."""
    if not org.in_scope(actor, action):
        raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": org.name})
