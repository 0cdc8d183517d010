"""Reading and exporting personal data: every view of a file's members and every export is audited; clear ID
numbers only for the roles that may see them (HouseholdFile.can_see_ids, docs/care.md)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.services import require, verb
from gongjiang.orgs.models import Org, RoleGrant, User

from ..models import HouseholdFile

CHANNELS = ("page", "api")


def _refuse_clear() -> None:
    raise PermissionDeniedError(_("Your role may not see full ID numbers of needy workers' households: only the "
                                  "caseworker and the staff of the file's enterprise union may."), code="clear_ids")


@verb
def open_file(*, actor: User, file: HouseholdFile, channel: str = "page", clear_ids: bool = False) -> bool:
    """Record that `actor` reads `file`'s personal data (its page, its API detail); with `clear_ids`, the full ID
    numbers — refused to a role that may not see them. Returns whether the numbers are shown in clear."""
    if not HouseholdFile.objects.for_user(actor, "view").filter(pk=file.pk).exists():
        raise PermissionDeniedError(_("You may not see this household file."))
    if clear_ids and not file.can_see_ids(actor):
        _refuse_clear()
    audit.record(actor, "care.file.viewed", file, after={"channel": channel if channel in CHANNELS else "page",
                                                         "clear_ids": clear_ids})
    return clear_ids


@verb
def export_files(*, actor: User, org: Org, file_ids: Sequence[int], clear_ids: bool = False) -> int:
    """Record an Excel export of these files (of `org`'s subtree, inside the actor's view scope): the export itself
    is audited with the number of files; clear ID numbers only when the actor may see those of every file."""
    require(org, actor, "view")
    ids = list(file_ids)
    seen = HouseholdFile.objects.for_user(actor, "view").filter(pk__in=ids, union__path__startswith=org.path)
    if seen.count() != len(set(ids)):
        raise PermissionDeniedError(_("You may not see this household file."))
    if clear_ids:
        allowed = set(RoleGrant.objects.filter(user_id=actor.pk, role__in=("admin", "staff"), org__is_active=True)
                      .values_list("org_id", flat=True))
        rows = HouseholdFile.objects.filter(pk__in=ids).values_list("union_id", "caseworker_id")
        if not actor.is_superuser and any(u not in allowed and c != actor.pk for u, c in rows):
            _refuse_clear()
    audit.record(actor, "care.file.exported", org, after={"rows": len(ids), "clear_ids": clear_ids},
                 note=_("Household files exported"))
    return len(ids)
