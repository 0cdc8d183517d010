"""Verbs of a project's money and files: the innovation subsidy (创新补助资金) requested and granted, what is spent of
it (never more than was granted), and the files of each stage (checked like a proposal's: rules.attachments)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import verb
from gongjiang.orgs.models import User

from ..models import Project, ProjectFile, Spending
from ..rules import attachments as attachment_rules
from ..rules import projects as rules
from .common import _check_upload, _saved
from .projects import _locked, _require_open

PURPOSE_MAX = 200


def _yuan(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


@verb
def set_project_funding(*, actor: User, project: Project, requested: Decimal, granted: Decimal | None,
                        reason: str = "") -> Project:
    """The subsidy requested and granted (yuan; granted None: not decided yet). More than requested is granted only
    with a reason; never less than what has been spent."""
    project = _locked(project)
    _require_open(actor, project)
    problems = rules.funding_problems(requested, granted, reason, project.spent)
    if problems:
        messages = {
            "range": _("An amount of at least 0 yuan, to the fen."),
            "reason": _("The grant is more than was requested: give the reason."),
            "below_spent": _("%(spent)s yuan have been spent already: the grant cannot be less.") % {
                "spent": _yuan(project.spent)},
        }
        errors = {field: messages[code] for field, code in problems.items()}
        raise DomainError(next(iter(errors.values())), errors=errors, code="funding")
    before = audit.snapshot(project, ["requested", "granted", "grant_reason"])
    project.requested, project.granted, project.grant_reason = requested, granted, reason.strip()
    project.save(update_fields=["requested", "granted", "grant_reason", "updated_at"])
    old, new = audit.diff(before, audit.snapshot(project, ["requested", "granted", "grant_reason"]))
    audit.record(actor, "innovation.project.funding_set", project, before=old, after=new, note=reason.strip())
    return project


@verb
def add_spending(*, actor: User, project: Project, spent_on: datetime.date, amount: Decimal, purpose: str
                 ) -> Spending:
    """A spending entry of the subsidy: the total spent may not pass what was granted."""
    project = _locked(project)
    _require_open(actor, project)
    purpose = purpose.strip()
    errors: dict[str, str] = {}
    problem = rules.spending_problem(amount, project.spent, project.granted)
    if problem == "range":
        errors["amount"] = _("An amount of more than 0 yuan, to the fen.")
    elif problem == "no_grant":
        errors["amount"] = _("No subsidy has been granted to this project yet.")
    elif problem == "over":
        errors["amount"] = _("This would take the spending to %(total)s yuan, more than the %(granted)s yuan "
                             "granted (%(left)s yuan left).") % {
            "total": _yuan(project.spent + amount), "granted": _yuan(project.granted),
            "left": _yuan(project.remaining)}
    if not purpose or len(purpose) > PURPOSE_MAX:
        errors["purpose"] = _("Say what the money was spent on (at most %(n)s characters).") % {"n": PURPOSE_MAX}
    if spent_on > timezone.localdate():
        errors["spent_on"] = _("A spending is entered once it happened, not in the future.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors, code="over_granted" if problem == "over"
                          else "invalid")
    found = Spending.objects.create(project=project, spent_on=spent_on, amount=amount, purpose=purpose,
                                    recorded_by=actor)
    project.spent += amount
    project.save(update_fields=["spent", "updated_at"])
    audit.record(actor, "innovation.project.spending_added", project,
                 after={"amount": amount, "purpose": purpose, "spent_on": spent_on})
    return found


@verb
def add_project_files(*, actor: User, project: Project, files: Sequence[UploadedFile], stage: str = ""
                      ) -> list[ProjectFile]:
    """Files of a stage the project has reached (by default its current stage), each checked for type and size
    before any is stored."""
    project = _locked(project)
    _require_open(actor, project)
    stage = stage or project.stage
    if stage not in rules.reached(project.stage):
        raise DomainError(_("Files are filed under a stage the project has reached."), field="stage")
    if not files:
        raise DomainError(_("Choose at least one file."), field="files")
    for upload in files:
        _check_upload(upload)
    if project.files.filter(stage=stage).count() + len(files) > attachment_rules.MAX_FILES:
        raise DomainError(_("A stage holds at most %(n)s files.") % {"n": attachment_rules.MAX_FILES},
                          field="files", code="too_many_files")
    stored = []
    for upload in files:
        f = _saved(ProjectFile(project=project, stage=stage), upload, actor)
        stored.append(f)
        audit.record(actor, "innovation.project.file_added", project,
                     after={"file_name": f.name, "stage": stage})
    return stored
