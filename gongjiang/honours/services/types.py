"""Verbs of the honour types: define one, change its criteria (the federation's administrators)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import verb
from gongjiang.orgs.models import User

from ..choices import Level, Subject
from ..models import HonourType
from ..rules import eligibility
from .common import _refuse, _require_top

FIELDS = ("name", "level", "subject", "term_years", "front_line_share", "leader_share", "min_age", "max_age",
          "min_years", "clean_record", "requires_any", "excludes", "description", "active")


def _check(data: dict[str, Any], own_code: str) -> None:
    name = str(data.get("name", "")).strip()
    if not name or len(name) > 60:
        raise DomainError(_("Give the honour's name (at most 60 characters)."), field="name")
    if data.get("level") not in Level.values:
        raise DomainError(_("Choose the level of the honour."), field="level")
    if data.get("subject") not in Subject.values:
        raise DomainError(_("Choose on whom the honour is conferred."), field="subject")
    if not 1 <= int(data.get("term_years") or 0) <= 10:
        raise DomainError(_("The term lies between 1 and 10 years."), field="term_years")
    if not 0 <= int(data.get("front_line_share") or 0) <= 100:
        raise DomainError(_("A share lies between 0 and 100 %."), field="front_line_share")
    cap = data.get("leader_share")
    if cap is not None and not 0 <= int(cap) <= 100:
        raise DomainError(_("A share lies between 0 and 100 %."), field="leader_share")
    criteria = eligibility.Criteria(
        subject=data["subject"], min_age=data.get("min_age"), max_age=data.get("max_age"),
        min_years=int(data.get("min_years") or 0), clean_record=bool(data.get("clean_record")),
        requires_any=frozenset(data.get("requires_any") or ()), excludes=frozenset(data.get("excludes") or ()))
    known = {*HonourType.objects.values_list("code", flat=True), own_code}
    _refuse(eligibility.check_criteria(criteria, known))


@verb
def define_honour_type(*, actor: User, code: str, name: str, level: str, subject: str, term_years: int = 1,
                       front_line_share: int = 0, leader_share: int | None = None, min_age: int | None = None,
                       max_age: int | None = None, min_years: int = 0, clean_record: bool = True,
                       requires_any: Sequence[str] = (), excludes: Sequence[str] = (),
                       description: str = "") -> HonourType:
    """A new honour type with its eligibility criteria (the federation's administrators)."""
    top = _require_top(actor)
    code = code.strip()
    if not code or len(code) > 40 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in code):
        raise DomainError(_("Give a code of letters, digits, - and _ (at most 40)."), field="code")
    if HonourType.objects.filter(code=code).exists():
        raise DomainError(_("An honour type with this code exists already."), field="code")
    data = dict(name=name.strip(), level=level, subject=subject, term_years=term_years,
                front_line_share=front_line_share, leader_share=leader_share, min_age=min_age, max_age=max_age,
                min_years=min_years, clean_record=clean_record, requires_any=sorted(set(requires_any)),
                excludes=sorted(set(excludes)), description=description.strip())
    _check(data, code)
    if HonourType.objects.filter(name=data["name"]).exists():
        raise DomainError(_("An honour type with this name exists already."), field="name")
    honour = HonourType.objects.create(code=code, **data)
    audit.record(actor, "honours.type.defined", honour, after={"name": honour.name, "level": level}, org=top)
    return honour


@verb
def change_honour_type(*, actor: User, honour_type: HonourType, **changes: Any) -> HonourType:
    """Change an honour type's name, level, term or criteria (its code stays: holders and campaigns name it)."""
    top = _require_top(actor)
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise DomainError(_("Unknown field: %(f)s.") % {"f": "、".join(unknown)}, field=unknown[0])
    honour = HonourType.objects.select_for_update().get(pk=honour_type.pk)
    data = {f: getattr(honour, f) for f in FIELDS}
    data.update(changes)
    for key in ("requires_any", "excludes"):
        data[key] = sorted(set(data[key] or ()))
    data["name"] = str(data["name"]).strip()
    _check(data, honour.code)
    if HonourType.objects.filter(name=data["name"]).exclude(pk=honour.pk).exists():
        raise DomainError(_("An honour type with this name exists already."), field="name")
    before = audit.snapshot(honour, list(FIELDS))
    for f in FIELDS:
        setattr(honour, f, data[f])
    honour.save(update_fields=list(FIELDS))
    after = audit.snapshot(honour, list(FIELDS))
    old, new = audit.diff(before, after)
    audit.record(actor, "honours.type.changed", honour, before=old, after=new, org=top)
    return honour
