"""What the honours verbs share (private: services/ holds verbs only): the refusal of several reasons at once, in
the Chinese words of the rules' problems (`honours.messages`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.orgs.models import Org, User

from ..messages import message as _message
from ..rules.eligibility import Problem


def _require_top(actor: User) -> Org:
    """Honour types are the federation's: only the administrators of the top of the tree define and change them.
    The top union they manage (where the change is recorded)."""
    for root in Org.objects.filter(depth=1).order_by("path"):
        if root.in_scope(actor, "manage"):
            return root
    raise PermissionDeniedError(_("Only the administrators of the provincial federation manage honour types."))


def _refuse(problems: Sequence[Problem], *, code: str = "invalid", fields: dict[str, str] | None = None) -> None:
    """Raise one DomainError listing every problem (nothing to do when there is none): the message joins them all,
    each field carries its own (renamed by `fields`)."""
    if not problems:
        return
    errors: dict[str, list[str]] = {}
    for p in problems:
        errors.setdefault((fields or {}).get(p.field, p.field), []).append(_message(p))
    message = "；".join(m for ms in errors.values() for m in ms)
    raise DomainError(message, errors={k: "；".join(v) for k, v in errors.items()}, code=code)
