"""Suggestions (推荐建议) for a campaign: what the other apps know about who deserves the honour (a provincial final's
top places, awarded innovation achievements, finished innovation projects…), through core's registry of
suggestion providers — honours imports neither app. For the nominating union's subtree only: those already
nominated in the campaign are left out; those the honour's conditions rule out stay, with every reason (a cadre
sees why the winner of the final cannot be nominated). Nothing is nominated here: the page's button opens the
nomination form prefilled."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from gongjiang.core import registry
from gongjiang.core.registry import Suggestion, SuggestionQuery
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..choices import Subject
from ..messages import message as _message
from ..models import Campaign, Holder, Nomination
from ..rules import eligibility

DEEDS_MAX = 5000


@dataclass
class SuggestedNominee:
    """One candidate, the suggestions of every source about them merged: who, the reasons and sources (with their
    links), the problems the honour's conditions find now (empty: eligible), and the prefilled form's address."""

    key: tuple[str, int]
    name: str
    unit_name: str
    person_id: int | None
    org_id: int | None
    reasons: list[Suggestion] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    nominate_url: str = ""

    @property
    def eligible(self) -> bool:
        return not self.problems


def suggestions(user: Actor, campaign: Campaign, unit: Org) -> list[SuggestedNominee]:
    """The suggestions for `unit`'s subtree in `campaign`, eligible ones first (a constant number of queries: the
    providers' and four here)."""
    honour = campaign.honour_type
    query = SuggestionQuery(org_path=unit.path, honour_code=honour.code, subject=honour.subject,
                            level=honour.level, year=campaign.year)
    merged: dict[tuple[str, int], list[Suggestion]] = {}
    for s in registry.honour_suggestions(user, query):
        if (honour.subject == Subject.PERSON) != (s.person_id is not None):
            continue  # a provider answering for another kind of nominee
        merged.setdefault(s.key, []).append(s)
    if not merged:
        return []
    person_ids = [k[1] for k in merged if k[0] == "person"]
    org_ids = [k[1] for k in merged if k[0] == "org"]
    # Within the subtree, checked here again (a provider's filter is not trusted with the scope), in two queries.
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids, employer__path__startswith=unit.path)
              .select_related("employer")} if person_ids else {}
    orgs = {o.pk: o for o in Org.objects.filter(pk__in=org_ids, path__startswith=unit.path)} if org_ids else {}
    taken = Nomination.objects.filter(campaign=campaign)
    nominated = ({("person", pk) for pk in taken.filter(person_id__in=list(people))
                  .values_list("person_id", flat=True)} if people else set()) | (
        {("org", pk) for pk in taken.filter(nominee_org_id__in=list(orgs)).values_list("nominee_org_id", flat=True)}
        if orgs else set())
    held: dict[tuple[str, int], set[str]] = {}
    holders = Holder.objects.filter(revoked=False)
    if people or orgs:
        for pk, org_pk, code in holders.filter(**({"person_id__in": list(people)} if people
                                                 else {"org_id__in": list(orgs)})).values_list(
                "person_id", "org_id", "honour_type__code"):
            held.setdefault(("person", pk) if people else ("org", org_pk), set()).add(code)
    # What the form does not know yet (years in the trade, a disciplinary record) is checked when it is filled in.
    criteria = dataclasses.replace(honour.criteria, min_years=0, clean_record=False)
    rows = []
    for key, found in merged.items():
        if key in nominated:
            continue
        who_person = people.get(key[1]) if key[0] == "person" else None
        who_org = orgs.get(key[1]) if key[0] == "org" else None
        if who_person is None and who_org is None:
            continue
        age = who_person.age_on(campaign.submit_until) if who_person is not None else None
        nominee = eligibility.Nominee(subject=honour.subject, age=age, held=frozenset(held.get(key, ())))
        row = SuggestedNominee(
            key=key, name=who_person.name if who_person else who_org.name,  # type: ignore[union-attr]
            unit_name=who_person.employer.display_name if who_person else who_org.display_name,  # type: ignore[union-attr]
            person_id=who_person.pk if who_person else None, org_id=who_org.pk if who_org else None,
            reasons=found, problems=[_message(p) for p in eligibility.problems(criteria, nominee)])
        row.nominate_url = nominate_url(campaign, unit, row)
        rows.append(row)
    rows.sort(key=lambda r: (not r.eligible, r.name))
    return rows


def nominate_url(campaign: Campaign, unit: Org, row: SuggestedNominee) -> str:
    """The nomination form of `unit`, prefilled with the nominee and the reasons as a first account of deeds."""
    deeds = "；".join(dict.fromkeys(s.deeds or s.reason for s in row.reasons))[:DEEDS_MAX]
    params: dict[str, str | int] = {"unit": unit.pk, "deeds": deeds}
    if row.person_id is not None:
        params["person"] = row.person_id
    else:
        params["nominee_org"] = row.org_id or ""
    return f"{reverse('honours:nomination_create', args=[campaign.pk])}?{urlencode(params)}"
