"""What the rights verbs share: the permission check, refusals of bad input (422, Chinese, naming the field), and
the checks that an org is an enterprise and a person one of its employees."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, NoReturn

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User
from gongjiang.orgs.scoping import within


def _require_change(actor: User, org: Org) -> None:
    if not org.in_scope(actor, "change"):
        raise PermissionDeniedError(_("You may not do this for %(org)s.") % {"org": org.display_name})


def _refuse(field: str, message: str) -> NoReturn:
    raise DomainError(message, field=field, status=422)


def _refuse_all(errors: dict[str, str]) -> None:
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors, status=422)


def _require_enterprise(org: Org, field: str = "enterprise") -> None:
    if org.kind != OrgKind.GRASSROOTS:
        _refuse(field, _("%(org)s is not an enterprise union.") % {"org": org.display_name})


def _enterprises_below(org: Org, enterprises: Sequence[Org], field: str = "enterprises") -> None:
    """Each must be an enterprise union within `org`'s reach (or `org` itself)."""
    for e in enterprises:
        _require_enterprise(e, field)
        if e.pk != org.pk and not within(e, org):
            _refuse(field, _("%(org)s is not within %(union)s.") % {"org": e.display_name,
                                                                  "union": org.display_name})


def _employee_of(person: Person, enterprises: Sequence[Org]) -> bool:
    """Whether the person works in one of the enterprises (or a workshop or team of it)."""
    path = person.employer.path
    return any(path.startswith(e.path) for e in enterprises)


def _not_future(day: datetime.date | None, field: str, label: str) -> None:
    if day is not None and day > timezone.localdate():
        _refuse(field, _("%(label)s cannot be in the future.") % {"label": label})


def _text(value: Any, field: str, label: str, limit: int, *, required: bool = True) -> str:
    cleaned = str(value or "").strip()
    if required and not cleaned:
        _refuse(field, _("Fill in %(label)s.") % {"label": label})
    if len(cleaned) > limit:
        _refuse(field, _("%(label)s is longer than %(n)d characters.") % {"label": label, "n": limit})
    return cleaned
