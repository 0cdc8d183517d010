"""What the competitions API's schemas share: the small references to a competition, event and stage, and the
resolvers that turn a model into an answer, written once here instead of in every schema.

A resolver factory returns the staticmethod ninja expects for `resolve_<field>`, for example
`resolve_state_label = label("state")` or `resolve_total = decimal("total", shown="show_results")`.
`shown` names a flag the endpoint sets on the object (`show_code`, `show_results`, `show_names`): without it the
field gives `hidden` (null by default). This is how anonymity is kept by the answers: nothing gated is read
unless the endpoint decided it may be shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Annotated, Any

from ninja import Schema
from pydantic import create_model
from pydantic.fields import FieldInfo

from gongjiang.core.api import request_user as _user
from gongjiang.orgs.choices import SkillGrade

from ..models import hundredths

__all__ = ["CompetitionRef", "EventRef", "StageRef", "_user", "can_change", "decimal", "grade_label", "label",
           "optional_copy", "via"]


def _label(obj: Any, field: str) -> str:
    """The choice's label in the request's language ("" when the field is empty)."""
    return str(getattr(obj, f"get_{field}_display")()) if getattr(obj, field) else ""


def _resolver(read: Callable[[Any], Any], shown: str, hidden: Any) -> Any:
    if not shown:
        return staticmethod(read)

    def gated(obj: Any) -> Any:
        return read(obj) if getattr(obj, shown, False) else hidden

    return staticmethod(gated)


def via(path: str, *, shown: str = "", hidden: Any = None, then: Callable[[Any], Any] | None = None) -> Any:
    """A resolver reading the dotted `path` of the object (e.g. "entry.person"), passed through `then`."""
    get = attrgetter(path)

    def read(obj: Any) -> Any:
        return get(obj) if then is None else then(get(obj))

    return _resolver(read, shown, hidden)


def decimal(path: str, *, shown: str = "") -> Any:
    """A resolver for a mark or score stored in integer hundredths: a Decimal with two places, or null."""
    return via(path, shown=shown, then=hundredths)


def label(field: str, *, of: str = "", shown: str = "") -> Any:
    """A resolver for `<field>_label`: the label of a choice field of the object (or of its dotted `of`)."""
    owner = attrgetter(of) if of else None

    def read(obj: Any) -> str:
        return _label(owner(obj) if owner else obj, field)

    return _resolver(read, shown, None)


def grade_label(field: str) -> Any:
    """A resolver for the label of a skill grade (1 to 5) kept as a plain integer."""
    get = attrgetter(field)

    def read(obj: Any) -> str:
        grade = get(obj)
        return str(SkillGrade(grade).label) if grade in SkillGrade.values else ""

    return staticmethod(read)


def _can_change(obj: Any, context: Any) -> bool:
    return bool(obj.can_change(_user(context)))


can_change = staticmethod(_can_change)  # the resolver of `can_change`: may the user being answered change it


def _optional(field: FieldInfo) -> Any:
    """The field's type, nullable, with its limits but without its default or description."""
    nullable = field.annotation | None
    return Annotated[nullable, *field.metadata] if field.metadata else nullable


def optional_copy(source: type[Schema], name: str, *, exclude: Iterable[str] = ()) -> type[Schema]:
    """The body of a PATCH: the fields of `source`, each optional and null when left out (only the fields sent
    change). Their limits (lengths, ranges, digits) stay those of `source`, written once."""
    left_out = set(exclude)
    fields = {key: (_optional(f), None) for key, f in source.model_fields.items() if key not in left_out}
    return create_model(name, __base__=Schema, __module__=source.__module__, **fields)


class CompetitionRef(Schema):
    id: int
    name: str
    year: int


class EventRef(Schema):
    id: int
    name: str
    group: str
    is_team: bool


class StageRef(Schema):
    id: int
    order: int
    name: str
