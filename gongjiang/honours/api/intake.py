"""The intake endpoints of a campaign: the Excel import of a batch of nominations (the job is then read at
`GET /imports/{id}` like every import) with its template, and the suggestions from the other apps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, one
from gongjiang.core.models import ImportJob
from gongjiang.core.pages import xlsx_response
from gongjiang.orgs.models import Org
from gongjiang.orgs.schemas import ImportJobOut

from .. import imports
from ..queries import suggestions as suggestion_queries
from . import _actor, _campaign, router


class SuggestionReasonOut(Schema):
    reason: str
    source: str
    url: str


class SuggestionOut(Schema):
    name: str
    unit_name: str
    person_id: int | None
    org_id: int | None
    eligible: bool
    problems: list[str]
    reasons: list[SuggestionReasonOut]
    nominate_url: str


@router.post("/honours/campaigns/{campaign_id}/imports", response={201: ImportJobOut, **ERRORS},
             summary="Import a batch of nominations (.xlsx, multipart)")
def import_nominations(request: HttpRequest, campaign_id: int, unit_id: Form[Id], file: File[UploadedFile]) -> Any:
    """`unit_id`: the nominating union; `file`: the template filled in. A file that is not an .xlsx or has other
    headers, a closed campaign or a union without a quota is refused at once (400). Otherwise every row is checked
    before anything is written: the job ends `done` (each row a draft) or `invalid` with its errors by row and
    column; a large file runs in the background: poll `GET /imports/{id}`."""
    user = _actor(request)
    campaign = _campaign(request, campaign_id)
    unit = one(Org.objects.for_user(user, "view"), unit_id, "unit_id")
    job = imports.start_nomination_import(actor=user, unit=unit, campaign=campaign, upload=file)
    return Status(201, one(ImportJob.objects.all(), job.pk))


@router.get("/honours/campaigns/{campaign_id}/imports/template.xlsx", response={200: None, **ERRORS},
            summary="The .xlsx template of the nominations import", url_name="honours_import_template")
def import_template(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign(request, campaign_id)
    return xlsx_response(imports.template(campaign), f"{campaign.title}.xlsx")


@router.get("/honours/campaigns/{campaign_id}/suggestions", response={200: list[SuggestionOut], **ERRORS},
            summary="Suggested nominees from competitions and innovation")
def suggestions(request: HttpRequest, campaign_id: int, unit_id: int) -> Any:
    """Within the union `unit_id` and below (a union of your scope): not yet nominated in the campaign, each with the
    reasons and their sources, and what the honour's conditions find against them (`problems`, empty when
    eligible). Nothing is nominated: `nominate_url` is the nomination form filled in."""
    user = _actor(request)
    campaign = _campaign(request, campaign_id)
    unit = one(Org.objects.for_user(user, "view"), unit_id)
    return [{"name": r.name, "unit_name": r.unit_name, "person_id": r.person_id, "org_id": r.org_id,
             "eligible": r.eligible, "problems": r.problems, "nominate_url": r.nominate_url,
             "reasons": [{"reason": s.reason, "source": s.source, "url": s.url} for s in r.reasons]}
            for r in suggestion_queries.suggestions(user, campaign, unit)]
