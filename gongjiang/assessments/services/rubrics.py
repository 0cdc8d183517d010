"""Defining rubrics: a new rubric, and its revision (in place while no campaign used it, else a new version)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.rubrics import rubric as rules
from gongjiang.core.services import verb
from gongjiang.orgs.models import Org, User

from ..models import Rubric
from .common import _metric_keys, _require_change


def _checked(definition: Any) -> rules.Rubric:
    if isinstance(definition, str):
        try:
            definition = json.loads(definition)
        except ValueError as e:
            raise DomainError(_("The definition is not valid JSON: %(error)s") % {"error": e},
                              field="definition") from None
    try:
        return rules.parse(definition, metrics=_metric_keys())
    except rules.RubricError as e:
        raise DomainError("；".join(e.problems), field="definition", errors={"definition": "\n".join(e.problems)},
                          code="bad_rubric") from None


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the rubric a title."), field="title")
    if len(title) > 120:
        raise DomainError(_("A title has at most 120 characters."), field="title")
    return title


@verb
def define_rubric(*, actor: User, org: Org, title: str, definition: Any) -> Rubric:
    """A new rubric owned by `org` (the actor changes it): the definition is checked as a whole first."""
    _require_change(actor, org)
    title = _title(title)
    parsed = _checked(definition)
    rubric = Rubric.objects.create(org=org, title=title, definition=rules.dump(parsed), maximum=parsed.maximum,
                                   created_by=actor)
    audit.record(actor, "assessments.rubric.defined", rubric, after={"title": title, "maximum": parsed.maximum})
    return rubric


@verb
def revise_rubric(*, actor: User, rubric: Rubric, definition: Any, title: str = "") -> Rubric:
    """Change a rubric: in place while no campaign used it; once frozen, as its next version (returned)."""
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    _require_change(actor, rubric.org)
    title = _title(title or rubric.title)
    parsed = _checked(definition)
    if rubric.frozen:
        new = Rubric.objects.create(org=rubric.org, title=title, version=rubric.version + 1, previous=rubric,
                                    definition=rules.dump(parsed), maximum=parsed.maximum, created_by=actor)
        audit.record(actor, "assessments.rubric.versioned", new, after={"title": title, "version": new.version})
        return new
    rubric.title, rubric.definition, rubric.maximum = title, rules.dump(parsed), parsed.maximum
    rubric.__dict__.pop("_rules", None)
    rubric.save(update_fields=["title", "definition", "maximum"])
    audit.record(actor, "assessments.rubric.revised", rubric, after={"title": title, "maximum": parsed.maximum})
    return rubric
