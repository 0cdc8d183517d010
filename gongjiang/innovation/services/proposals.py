"""Verbs of a proposal's first and last steps: a worker submits it (with co-proposers and files), files are added,
the union accepts it (routing it to the responsible department) or does not (with a reason), and archives it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User

from .. import counters, notify
from ..choices import AttachmentKind, Category, Kind, State
from ..models import Attachment, Contributor, Proposal, index_titles
from .common import _locked, _move, _require_change, _store

TITLE_MAX = 120
TEXT_MIN = 10  # a problem or a proposal of fewer characters says nothing a valuator can judge


@dataclass(frozen=True)
class CoProposer:
    """A co-proposer as the worker names them: a name, optionally the last four digits of their mobile (when two
    colleagues share the name), and their share of the reward in percent."""

    name: str
    share: int
    mobile_tail: str = ""


def _enterprise_of(unit: Org) -> Org:
    """The grassroots union a unit belongs to (the proposal is routed to it)."""
    found = unit.grassroots_union()
    if found is None:
        raise DomainError(_("Your unit belongs to no grassroots union: a proposal cannot be routed."), field="unit")
    return found


def _resolve(enterprise: Org, lead: Person, co: Sequence[CoProposer]) -> list[tuple[Person, int]]:
    """The co-proposers' records, looked up by name in the enterprise (and by mobile tail when the name is shared),
    with their shares; refused naming the line that cannot be resolved. The lead keeps what the others leave."""
    found: list[tuple[Person, int]] = []
    errors: list[str] = []
    for c in co:
        name = c.name.strip()
        people = Person.objects.filter(name=name, employer__path__startswith=enterprise.path)
        if c.mobile_tail:
            people = people.filter(mobile__endswith=c.mobile_tail)
        matches = list(people[:2])
        if not matches:
            errors.append(_("%(name)s works in no unit of %(enterprise)s.") % {"name": name,
                                                                              "enterprise": enterprise.name})
        elif len(matches) > 1:
            errors.append(_("Several colleagues are called %(name)s: add the last four digits of the mobile.")
                          % {"name": name})
        elif matches[0].pk == lead.pk or any(p.pk == matches[0].pk for p, _s in found):
            errors.append(_("%(name)s is named twice.") % {"name": name})
        elif not 1 <= c.share <= 99:
            errors.append(_("%(name)s: a share is between 1 and 99 percent.") % {"name": name})
        else:
            found.append((matches[0], c.share))
    if errors:
        raise DomainError(" ".join(errors), field="co_proposers")
    if sum(s for _p, s in found) >= 100:
        raise DomainError(_("The co-proposers' shares add up to 100 percent or more: the proposer keeps none."),
                          field="co_proposers")
    return found


@verb
def submit_proposal(*, actor: User, title: str, problem: str, solution: str, category: str,
                    kind: str = Kind.PROPOSAL, expected_benefit: str = "", co_proposers: Sequence[CoProposer] = (),
                    files: Sequence[UploadedFile] = ()) -> Proposal:
    """A worker submits a proposal from their own account: routed to the grassroots union of their unit."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        raise PermissionDeniedError(_("Only a worker's own account can submit a proposal."))
    lead = Person.objects.select_related("employer").get(pk=person_id)
    errors = {}
    title, problem, solution = title.strip(), problem.strip(), solution.strip()
    if not title:
        errors["title"] = _("Give the proposal a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("A title has at most %(n)s characters.") % {"n": TITLE_MAX}
    if len(problem) < TEXT_MIN:
        errors["problem"] = _("Describe the problem in at least %(n)s characters.") % {"n": TEXT_MIN}
    if len(solution) < TEXT_MIN:
        errors["solution"] = _("Describe your proposal in at least %(n)s characters.") % {"n": TEXT_MIN}
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if kind not in Kind.values:
        errors["kind"] = _("Choose a kind.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    enterprise = _enterprise_of(lead.employer)
    co = _resolve(enterprise, lead, co_proposers)
    now = timezone.now()
    proposal = Proposal.objects.create(
        title=title, problem=problem, solution=solution, expected_benefit=expected_benefit.strip(),
        category=category, kind=kind, proposer=lead, unit=lead.employer, enterprise=enterprise,
        year=timezone.localdate(now).year, submitted_by=actor, submitted_at=now)
    index_titles([(proposal.pk, enterprise.pk, title)])
    contributors = Contributor.objects.bulk_create(
        [Contributor(proposal=proposal, person=lead, share=100 - sum(s for _p, s in co), is_lead=True)]
        + [Contributor(proposal=proposal, person=p, share=s) for p, s in co])
    audit.record(actor, "innovation.proposal.submitted", proposal, after={
        "title": title, "category": category, "kind": kind, "co_proposers": [p.name for p, _s in co]})
    stored = _store(actor, proposal, list(files)) if files else []
    notify.step(proposal, "submitted", union=enterprise.name)
    # last: the yearly rows of the unions above are locked from here to the commit, and every submission of the
    # province updates the province's row
    counters.add(proposal.unit, proposal.year, submitted=1)
    # what the proposal's page and the API's answer show of it, known without reading it back
    _known_related(proposal, contributors=contributors, assignments=[], attachments=stored, payments=[])
    return proposal


def _known_related(obj: Proposal, **related: list[Any]) -> None:
    """Give `obj`'s reverse relations the rows just written, as a prefetch would: nothing is read back."""
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in related.items():
        qs = getattr(obj, name).get_queryset()
        qs._result_cache = list(rows)
        qs._prefetch_done = True
        cache[name] = qs


@verb
def add_attachments(*, actor: User, proposal: Proposal, files: Sequence[UploadedFile],
                    kind: str = AttachmentKind.MATERIAL) -> list[Attachment]:
    """Add files to a proposal: its proposers while it is being valued, the union's cadres until it is archived
    (benefit evidence: the cadres only)."""
    proposal = _locked(proposal)
    if kind not in AttachmentKind.values:
        raise DomainError(_("Choose what the files are."), field="kind")
    allowed = proposal.can_change(actor) if kind == AttachmentKind.EVIDENCE else proposal.can_attach(actor)
    if not allowed:
        if proposal.state == State.ARCHIVED and proposal.can_change(actor):
            raise DomainError(_("This proposal is archived: nothing can be added to it."), field="state")
        raise PermissionDeniedError(_("You may not add files to this proposal."))
    if not files:
        raise DomainError(_("Choose at least one file."), field="files")
    return _store(actor, proposal, list(files), kind)


@verb
def accept_proposal(*, actor: User, proposal: Proposal, department: Org | None = None) -> Proposal:
    """受理: the union accepts a submitted proposal and routes it to the enterprise's responsible department."""
    proposal = _locked(proposal)
    _require_change(actor, proposal)
    if department is not None and (department.kind not in (OrgKind.DEPARTMENT, OrgKind.TEAM)
                                   or not department.path.startswith(proposal.enterprise.path)):
        raise DomainError(_("Choose a department of %(enterprise)s.") % {"enterprise": proposal.enterprise.name},
                          field="department")
    _move(actor, proposal, State.ACCEPTED, "innovation.proposal.accepted",
          after={"department": department.pk if department else None})
    if department is not None:
        proposal.department = department
        proposal.save(update_fields=["department", "updated_at"])
    notify.step(proposal, "accepted", department=(department or proposal.enterprise).name)
    return proposal


@verb
def reject_proposal(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """不予受理 (from "submitted") or 不采纳 (after evaluation): always with a reason the proposers are told."""
    proposal = _locked(proposal)
    _require_change(actor, proposal)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason: the proposers are told why."), field="reason")
    declined = proposal.state == State.SUBMITTED
    _move(actor, proposal, State.REJECTED,
          "innovation.proposal.declined" if declined else "innovation.proposal.rejected", after={"reason": reason})
    proposal.reason = reason
    proposal.save(update_fields=["reason", "updated_at"])
    notify.step(proposal, "declined" if declined else "rejected", reason=reason)
    return proposal


@verb
def archive_proposal(*, actor: User, proposal: Proposal) -> Proposal:
    """归档: a rewarded, accounted (nothing to reward) or rejected proposal is closed."""
    proposal = _locked(proposal)
    _require_change(actor, proposal)
    _move(actor, proposal, State.ARCHIVED, "innovation.proposal.archived")
    notify.step(proposal, "archived")
    return proposal
