"""The annual report's narrative: a union's cadre writes the overview and a text beside each area of work."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import require, verb
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, User

from ..models import Narrative
from ..queries import periods

MAX_TEXT = 5000


@verb
def save_narrative(*, actor: User, org: Org, year: int, section: str, text: str) -> Narrative:
    """Write (or clear) the narrative of `org`'s report for `year`: the overview (`section` "") or an area of work
    (an app that registered metrics). A cadre who may change the union writes it; every change is audited."""
    require(org, actor, "change")
    if not periods.FIRST_YEAR <= year <= periods.last_year_kept():
        raise DomainError(_("There is no report for the year %(y)s.") % {"y": year}, field="year")
    if section and section not in {m.app for m in facts.metrics()}:
        raise DomainError(_("The report has no section “%(s)s”.") % {"s": section[:40]}, field="section")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise DomainError(_("A text has at most %(n)s characters.") % {"n": MAX_TEXT}, field="text")
    row = Narrative.objects.select_for_update().filter(org=org, year=year, section=section).first()
    before = row.text if row else ""
    if row is None:
        row = Narrative.objects.create(org=org, year=year, section=section, text=text, updated_by=actor)
    else:
        row.text, row.updated_by = text, actor
        row.save(update_fields=["text", "updated_by", "updated_at"])
    audit.record(actor, "stats.narrative.saved", row, before={"text": before}, after={
        "year": year, "section": section, "text": text})
    return row
