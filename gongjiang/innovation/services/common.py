"""What the innovation verbs share (private: services/ holds verbs only): the scope checks, the locked re-read of
a proposal, the guarded state change and the attachment checks."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.orgs.models import User

from ..choices import AttachmentKind, State
from ..models import AchievementFile, Attachment, ProjectFile, Proposal
from ..rules import attachments as attachment_rules
from ..rules import workflow


def _locked(proposal: Proposal) -> Proposal:
    """The proposal re-read under a row lock (two cadres deciding at once: the second sees the first's state)."""
    return Proposal.objects.select_for_update().select_related("unit", "enterprise").get(pk=proposal.pk)


def _require_change(actor: User, proposal: Proposal) -> None:
    """Refuse an actor who may not change things in the proposal's unit (its union and the unions above it)."""
    if not proposal.unit.in_scope(actor, "change"):
        raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": proposal.unit.name})


def _state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def _move(actor: User, proposal: Proposal, target: str, verb: str, *, after: dict[str, Any] | None = None,
          note: str = "") -> None:
    """Change the state to `target` if the workflow allows it from the current one (a skipped stage is refused,
    naming the stage that is missing), save and audit it."""
    current = proposal.state
    if not workflow.allowed(current, target):
        missing = workflow.missing_steps(current, target)
        if missing:
            message = _("This proposal is %(state)s: it must be %(missing)s first.") % {
                "state": _state_label(current), "missing": "、".join(_state_label(s) for s in missing)}
        else:
            message = _("This proposal is %(state)s: it cannot become %(target)s.") % {
                "state": _state_label(current), "target": _state_label(target)}
        raise DomainError(message, field="state", code="wrong_state")
    proposal.state = target
    fields = ["state", "updated_at"]
    if target in (State.ADOPTED, State.REJECTED):
        proposal.decided_at = timezone.now()
        fields.append("decided_at")
    proposal.save(update_fields=fields)
    audit.record(actor, verb, proposal, before={"state": current}, after={"state": target, **(after or {})},
                 note=note)


def _check_upload(upload: UploadedFile, field: str = "files") -> bytes:
    """The first bytes of an upload whose type and size are accepted; otherwise a DomainError naming `field`."""
    name = upload.name or ""
    upload.seek(0)
    head: bytes = upload.read(16)
    upload.seek(0)
    problem = attachment_rules.problem(name, upload.size or 0, head)
    if problem == "type":
        raise DomainError(_("%(name)s: only these file types are accepted: %(types)s.") % {
            "name": name, "types": ", ".join(attachment_rules.ALLOWED)}, field=field, code="file_type")
    if problem == "size":
        raise DomainError(_("%(name)s is empty or larger than %(mb)s MB.") % {
            "name": name, "mb": attachment_rules.MAX_BYTES // (1024 * 1024)}, field=field, code="file_size")
    return head


F = TypeVar("F", Attachment, ProjectFile, AchievementFile)


def _saved(row: F, upload: UploadedFile, actor: User) -> F:
    """A file row (a proposal's attachment, a project's file) filled from a checked upload: the name the user gave,
    its size and type, the file stored under a random name; saved."""
    ext = attachment_rules.extension(upload.name or "")
    row.name, row.size = (upload.name or "")[-120:], upload.size or 0
    row.content_type, row.uploaded_by = attachment_rules.CONTENT_TYPES[ext], actor
    row.file.save(upload.name or f"file.{ext}", upload, save=False)
    row.save()
    return row


def _store(actor: User, proposal: Proposal, uploads: list[UploadedFile], kind: str = AttachmentKind.MATERIAL,
           field: str = "files") -> list[Attachment]:
    """Check every upload first (nothing is stored when one is refused), then store them all."""
    for upload in uploads:
        _check_upload(upload, field)
    if proposal.attachments.count() + len(uploads) > attachment_rules.MAX_FILES:
        raise DomainError(_("A proposal holds at most %(n)s files.") % {"n": attachment_rules.MAX_FILES},
                          field=field, code="too_many_files")
    stored = []
    for upload in uploads:
        a = _saved(Attachment(proposal=proposal, kind=kind), upload, actor)
        stored.append(a)
        audit.record(actor, "innovation.attachment.added", proposal,
                     after={"file_name": a.name, "attachment_kind": kind})
    return stored

