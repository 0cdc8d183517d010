"""A sheet's flow: the assessed union's self-assessment (answers with notes and evidence) → submission (locked) →
the assessing union's review item by item (accept, adjust with a reason, return with a reason) → returned for
correction or confirmed; after publication, appeals with a recorded outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, files
from gongjiang.core.errors import DomainError
from gongjiang.core.rubrics import rubric as rules
from gongjiang.core.rubrics import scoring
from gongjiang.core.services import verb
from gongjiang.orgs.models import User

from ..choices import CampaignState, Outcome, Review, SheetState
from ..models import Answer, Appeal, Evidence, Sheet
from .campaigns import _regrade
from .common import _locked_sheet, _read, _require_assessed, _require_assessing, _rescore

FILLABLE = (SheetState.DRAFT, SheetState.RETURNED)


def _require_fillable(sheet: Sheet) -> None:
    if sheet.state not in FILLABLE or sheet.campaign.state != CampaignState.OPEN:
        raise DomainError(_("This self-assessment was submitted and is locked; it changes only if the assessing "
                            "union returns it."), code="locked")


def _same(value: Any, stored: Any) -> bool:
    """Whether an answer read from the form is the one stored: a number by its value (7 is the prefilled "7.00")."""
    if isinstance(value, Decimal) and stored is not None:
        try:
            return value == Decimal(str(stored))
        except InvalidOperation:
            return False
    return bool(scoring.encode(value) == stored)


@verb
def save_answers(*, actor: User, sheet: Sheet, answers: Mapping[str, Mapping[str, Any]]) -> Sheet:
    """Save the assessed union's answers ({item key: {"value": …, "note": …}}): every answer is read and checked
    before any is stored; a veto answered yes needs its explanation; once returned, only the returned items change;
    a prefilled figure changed by hand keeps its source and says it was changed."""
    sheet = _locked_sheet(sheet)
    _require_assessed(actor, sheet)
    _require_fillable(sheet)
    rubric = sheet.campaign.rubric.rules
    stored = {a.item: a for a in sheet.answers.all()}
    errors: dict[str, str] = {}
    planned: list[tuple[Answer, Any, str]] = []
    for key, given in answers.items():
        field = f"item_{key}"
        if key not in stored:
            errors[field] = _("The rubric has no item %(key)s.") % {"key": key}
            continue
        item = rubric.item(key)
        answer = stored[key]
        if sheet.state == SheetState.RETURNED and answer.review != Review.RETURNED:
            errors[field] = _("%(key)s was not returned for correction; it cannot change.") % {"key": key}
            continue
        note = str(given.get("note") or "").strip()
        raw = given.get("value")
        if raw is None or raw == "":
            value = None
        else:
            try:
                value = _read(item, raw, field)
            except DomainError as e:
                errors[field] = e.message
                continue
        if item.mode == rules.VETO and value is True and not note:
            errors[field] = _("%(key)s %(title)s: say what happened (the reason for the veto).") % {
                "key": key, "title": item.title}
            continue
        planned.append((answer, value, note))
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for answer, value, note in planned:
        encoded = scoring.encode(value)
        if _same(value, answer.value) and note == answer.note:
            continue
        before[answer.item], after[answer.item] = answer.value, encoded
        fields = ["value", "note"]
        if answer.provenance and not _same(value, answer.provenance.get("figure")):
            answer.provenance = {**answer.provenance, "changed": True}
            fields.append("provenance")
        answer.value, answer.note = encoded, note
        answer.save(update_fields=fields)
    if after:
        _rescore(sheet)
        audit.record(actor, "assessments.sheet.answered", sheet, before={"values": before}, after={"values": after})
    return sheet


@verb
def add_evidence(*, actor: User, sheet: Sheet, item: str, uploads: Sequence[UploadedFile]) -> list[Evidence]:
    """Attach evidence to one answer of a sheet being filled: every file checked (type by its first bytes, size)
    before any is stored."""
    sheet = _locked_sheet(sheet)
    _require_assessed(actor, sheet)
    _require_fillable(sheet)
    answer = sheet.answers.filter(item=item).first()
    if answer is None:
        raise DomainError(_("The rubric has no item %(key)s.") % {"key": item}, field="item")
    if not uploads:
        raise DomainError(_("Choose the files to attach."), field="files")
    for upload in uploads:
        name = upload.name or ""
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        problem = files.problem(name, upload.size or 0, head)
        if problem == "type":
            raise DomainError(_("%(name)s: only these file types are accepted: %(types)s.") % {
                "name": name, "types": ", ".join(files.ALLOWED)}, field="files", code="file_type")
        if problem == "size":
            raise DomainError(_("%(name)s is empty or larger than %(mb)s MB.") % {
                "name": name, "mb": files.MAX_BYTES // (1024 * 1024)}, field="files", code="file_size")
    if answer.evidence.count() + len(uploads) > files.MAX_FILES:
        raise DomainError(_("An item holds at most %(n)s files.") % {"n": files.MAX_FILES}, field="files")
    stored = []
    for upload in uploads:
        ext = files.extension(upload.name or "")
        row = Evidence(answer=answer, name=(upload.name or "")[-120:], size=upload.size or 0,
                       content_type=files.CONTENT_TYPES[ext], uploaded_by=actor)
        row.file.save(upload.name or f"file.{ext}", upload, save=False)
        row.save()
        stored.append(row)
        audit.record(actor, "assessments.sheet.evidence_added", sheet, after={"item": item, "file_name": row.name})
    return stored


@verb
def submit_sheet(*, actor: User, sheet: Sheet) -> Sheet:
    """Submit the self-assessment to the assessing union: every item answered; from now on it is locked."""
    sheet = _locked_sheet(sheet)
    _require_assessed(actor, sheet)
    _require_fillable(sheet)
    missing = [a.item for a in sheet.answers.all() if a.value is None]
    if missing:
        raise DomainError(_("Answer every item before submitting; missing: %(keys)s.") % {"keys": "、".join(missing)},
                          code="incomplete")
    sheet.answers.filter(review=Review.RETURNED).update(review=Review.PENDING)
    sheet.state, sheet.submitted_at = SheetState.SUBMITTED, timezone.now()
    sheet.save(update_fields=["state", "submitted_at"])
    result = _rescore(sheet)
    audit.record(actor, "assessments.sheet.submitted", sheet, after={"state": sheet.state, "total": result.total})
    return sheet


def _require_review(actor: User, sheet: Sheet) -> None:
    _require_assessing(actor, sheet.campaign)
    if sheet.state != SheetState.SUBMITTED:
        raise DomainError(_("Only a submitted sheet is reviewed."), code="not_submitted")


@verb
def review_item(*, actor: User, sheet: Sheet, item: str, decision: str, value: Any = None,
                reason: str = "") -> Answer:
    """The assessing union's decision on one item: accept it, adjust it to `value` (with a reason), or return it for
    correction (with a reason)."""
    sheet = _locked_sheet(sheet)
    _require_review(actor, sheet)
    answer = sheet.answers.filter(item=item).first()
    if answer is None:
        raise DomainError(_("The rubric has no item %(key)s.") % {"key": item}, field="item")
    reason = (reason or "").strip()
    before = {"review": answer.review, "reviewed": answer.reviewed}
    if decision == Review.ACCEPTED:
        answer.reviewed, answer.review_reason = None, reason
    elif decision == Review.ADJUSTED:
        if not reason:
            raise DomainError(_("Give the reason for the adjustment."), field="reason", code="no_reason")
        if value is None or value == "":
            raise DomainError(_("Give the value after adjustment."), field="value")
        parsed = _read(sheet.campaign.rubric.rules.item(item), value, "value")
        answer.reviewed, answer.review_reason = scoring.encode(parsed), reason
    elif decision == Review.RETURNED:
        if not reason:
            raise DomainError(_("Say what is to be corrected."), field="reason", code="no_reason")
        answer.reviewed, answer.review_reason = None, reason
    else:
        raise DomainError(_("Accept, adjust or return the item."), field="decision")
    answer.review = decision
    answer.save(update_fields=["review", "reviewed", "review_reason"])
    _rescore(sheet)
    audit.record(actor, "assessments.item.reviewed", sheet, before=before, after={
        "item": item, "review": decision, "reviewed": answer.reviewed, "reason": reason})
    return answer


@verb
def return_sheet(*, actor: User, sheet: Sheet) -> Sheet:
    """Send the sheet back to the assessed union to correct the items returned."""
    sheet = _locked_sheet(sheet)
    _require_review(actor, sheet)
    if not sheet.answers.filter(review=Review.RETURNED).exists():
        raise DomainError(_("Return at least one item, with what is to be corrected, first."), code="none_returned")
    sheet.state = SheetState.RETURNED
    sheet.save(update_fields=["state"])
    audit.record(actor, "assessments.sheet.returned", sheet, after={"state": sheet.state})
    return sheet


@verb
def confirm_sheet(*, actor: User, sheet: Sheet) -> Sheet:
    """Confirm the reviewed sheet: every item accepted or adjusted; its total is final (but for an appeal)."""
    sheet = _locked_sheet(sheet)
    _require_review(actor, sheet)
    open_items = [a.item for a in sheet.answers.all() if a.review in (Review.PENDING, Review.RETURNED)]
    if open_items:
        raise DomainError(_("Accept or adjust every item first; still open: %(keys)s.") % {
            "keys": "、".join(open_items)}, code="not_reviewed")
    sheet.state, sheet.confirmed_at = SheetState.CONFIRMED, timezone.now()
    sheet.save(update_fields=["state", "confirmed_at"])
    result = _rescore(sheet)
    audit.record(actor, "assessments.sheet.confirmed", sheet, after={"total": result.total, "vetoed": result.vetoed})
    return sheet


@verb
def file_appeal(*, actor: User, sheet: Sheet, reason: str) -> Appeal:
    """The assessed union appeals against its published result, with its reason (one appeal open at a time)."""
    sheet = _locked_sheet(sheet)
    _require_assessed(actor, sheet)
    if sheet.campaign.state != CampaignState.PUBLISHED:
        raise DomainError(_("An appeal is filed against a published result."), code="not_published")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the appeal."), field="reason")
    if sheet.appeals.filter(outcome=Outcome.PENDING).exists():
        raise DomainError(_("An appeal of this sheet is waiting for its outcome."), code="appeal_open")
    appeal = Appeal.objects.create(sheet=sheet, reason=reason, filed_by=actor, total_before=sheet.total)
    audit.record(actor, "assessments.appeal.filed", sheet, after={"reason": reason})
    return appeal


@verb
def decide_appeal(*, actor: User, appeal: Appeal, outcome: str, reply: str,
                  adjustments: Mapping[str, Any] | None = None) -> Appeal:
    """Record the assessing union's outcome of an appeal with its reply: upheld with the items it changes
    ({item key: value}; the reply is their reason) — the sheet is scored, the campaign ranked and graded again — or
    dismissed."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    sheet = _locked_sheet(appeal.sheet)
    _require_assessing(actor, sheet.campaign)
    if appeal.outcome != Outcome.PENDING:
        raise DomainError(_("This appeal has its outcome already."), code="decided")
    reply = (reply or "").strip()
    if not reply:
        raise DomainError(_("Give the reply to the appeal."), field="reply")
    adjustments = dict(adjustments or {})
    if outcome == Outcome.UPHELD:
        if not adjustments:
            raise DomainError(_("Say which items the upheld appeal changes."), field="adjustments")
        rubric = sheet.campaign.rubric.rules
        stored = {a.item: a for a in sheet.answers.all()}
        parsed = {}
        for key, raw in adjustments.items():
            if key not in stored:
                raise DomainError(_("The rubric has no item %(key)s.") % {"key": key}, field="adjustments")
            parsed[key] = scoring.encode(_read(rubric.item(key), raw, "adjustments"))
        for key, value in parsed.items():
            a = stored[key]
            a.review, a.reviewed, a.review_reason = Review.ADJUSTED, value, reply
            a.save(update_fields=["review", "reviewed", "review_reason"])
        result = _rescore(sheet)
        _regrade(sheet.campaign)
        appeal.total_after = result.total
    elif outcome == Outcome.DISMISSED:
        if adjustments:
            raise DomainError(_("A dismissed appeal changes no item."), field="adjustments")
        appeal.total_after = sheet.total
    else:
        raise DomainError(_("Uphold or dismiss the appeal."), field="outcome")
    appeal.outcome, appeal.reply, appeal.decided_by, appeal.decided_at = outcome, reply, actor, timezone.now()
    appeal.save(update_fields=["outcome", "reply", "decided_by", "decided_at", "total_after"])
    audit.record(actor, "assessments.appeal.decided", sheet, after={
        "outcome": outcome, "reply": reply, "total_before": appeal.total_before, "total_after": appeal.total_after})
    return appeal
