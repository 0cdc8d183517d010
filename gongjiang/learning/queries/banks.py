"""Reading banks and questions for the pages and the API.

- `manageable_banks(user)`: the banks of the user's subtree (those they may see, and change with the change right);
- `usable_banks(user)`: those and the shared banks of the unions above (what a challenge or a contest may draw from);
- `bank_for(user, pk)`: a bank the user may open (usable), or None (a 404);
- `questions(bank, filters)`: a bank's current questions filtered by type, difficulty, knowledge point and text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from gongjiang.core import scoping
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org

from ..choices import Difficulty, Kind
from ..models import Bank, Question, Tag


def manageable_banks(user: Actor, action: str = "view") -> QuerySet[Bank]:
    return Bank.objects.for_user(user, action).select_related("org", "trade")


def usable_banks(user: Actor) -> QuerySet[Bank]:
    """The banks of the user's subtree, and the shared banks of the unions above it (regional tree)."""
    scope = scoping.scope_for(user, "view")
    if scope.everything:
        return Bank.objects.all().select_related("org", "trade")
    if scope.is_empty:
        return Bank.objects.none()
    step = scoping.path_step()
    above = sorted({a for p in scope.paths for a in scoping.ancestors(p, step, include_self=False)})
    own = Bank.objects.for_user(user, "view").values("pk")
    return (Bank.objects.filter(Q(pk__in=own) | Q(shared=True, org__path__in=above))
            .select_related("org", "trade"))


def bank_for(user: Actor, pk: Any) -> Bank | None:
    try:
        return usable_banks(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    difficulty: int | None = None
    tag: str = ""
    text: str = ""

    @classmethod
    def of(cls, data: Any) -> Filters:
        kind = data.get("kind") or ""
        difficulty = data.get("difficulty") or ""
        return cls(kind=kind if kind in Kind.values else "",
                   difficulty=int(difficulty) if str(difficulty).isdigit() and int(difficulty) in Difficulty.values
                   else None,
                   tag=(data.get("tag") or "").strip()[:40], text=(data.get("q") or "").strip()[:100])


def questions(bank: Bank, filters: Filters | None = None) -> QuerySet[Question]:
    """The bank's current questions matching `filters`, newest first, with their knowledge points."""
    qs = Question.objects.filter(bank=bank, current=True)
    f = filters or Filters()
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.difficulty:
        qs = qs.filter(difficulty=f.difficulty)
    if f.tag:
        qs = qs.filter(tags__name=f.tag)
    if f.text:
        qs = qs.filter(stem__contains=f.text)
    return qs.prefetch_related("tags").order_by("-id")


def bank_tags(bank: Bank) -> list[str]:
    """The knowledge points used by the bank's current questions (the filter's choices)."""
    return list(Tag.objects.filter(pk__in=Question.tags.through.objects.filter(
        question__bank=bank, question__current=True).values("tag_id")).values_list("name", flat=True))


def question_for(user: Actor, pk: Any, action: str = "view") -> Question | None:
    """A question of a bank the user may open (`view`: usable; `change`: of their subtree)."""
    banks = usable_banks(user) if action == "view" else manageable_banks(user, action)
    try:
        return Question.objects.filter(pk=int(pk), bank__in=banks.values("pk")).select_related("bank__org").first()
    except (TypeError, ValueError):
        return None


def for_export(bank: Bank) -> list[Question]:
    """The bank's current questions in order, each with `tag_names`."""
    found = list(Question.objects.filter(bank=bank, current=True).prefetch_related("tags").order_by("id"))
    for q in found:
        q.tag_names = [t.name for t in q.tags.all()]  # type: ignore[attr-defined]
    return found


def manageable_orgs(user: Actor) -> QuerySet[Org]:
    """The unions the user may create banks for (those they change), highest first."""
    return Org.objects.for_user(user, "change").filter(is_active=True).order_by("depth", "path")
