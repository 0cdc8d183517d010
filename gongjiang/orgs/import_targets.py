"""Imports into a union of the tree: the target hooks every app's import spec mixes in when its file is imported
into an organisation (the roster; competitions' registrations and marking schemes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gongjiang.core import imports
from gongjiang.core.types import Actor

from . import queries
from .models import Org

if TYPE_CHECKING:
    from gongjiang.core.models import ImportJob


class OrgTarget:
    """The target hooks of an import into a union of the tree (mixed into an `ImportSpec`): the job keeps the org's
    id, paths and name; the pages find an org the user can see by its id, and search the units the user may change
    (`target_kinds`: which kinds of unit can receive this import; all when empty)."""

    target_kinds: frozenset[str] = frozenset()

    def describe_target(self, target: Org) -> imports.Target:
        return imports.Target(pk=target.pk, path=target.path, name=target.name, industry_path=target.industry_path)

    def find_target(self, user: Actor, pk: int) -> Org | None:
        return Org.objects.for_user(user, "view").filter(pk=pk).first()

    def get_target(self, job: ImportJob) -> Org | None:
        return Org.objects.filter(pk=job.org_id).first()

    def search_targets(self, user: Actor, text: str) -> list[Org]:
        found = Org.objects.for_user(user, "change").filter(is_active=True)
        if self.target_kinds:
            found = found.filter(kind__in=self.target_kinds)
        return list(found.filter(queries.orgs_q(text)).order_by("depth", "path")[:20])

    def target_trail(self, target: Org) -> list[Org]:
        return target.ancestors_and_self()
