"""The question bank endpoints: list and create banks, list, add and edit questions, import a file (multipart:
the Excel template through the import framework — the job is read at `GET /imports/{id}` — or a GIFT, Aiken or
Moodle XML file imported at once), export to Excel or Moodle XML. Same verbs and scopes as the pages: a bank you
cannot use is a 404; one you may not change a 403; a refusal a 400 naming its field (or the file's lines)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Pagination, one
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import ImportJob
from gongjiang.core.pages import xlsx_response
from gongjiang.orgs.models import Occupation
from gongjiang.orgs.schemas import ImportJobOut

from .. import banks_imports, services
from ..choices import Kind
from ..models import Bank, Question
from ..queries import banks as queries
from ..rules.banks import Draft

router = Router(tags=["learning"])


class BankOut(Schema):
    id: int
    org_id: int
    org_name: str
    name: str
    description: str
    shared: bool
    trade_code: str | None
    question_count: int
    can_change: bool


class BankIn(Schema):
    org_id: Id
    name: str = Field(..., max_length=80)
    description: str = Field("", max_length=300)
    shared: bool = True
    trade_code: str = Field("", max_length=12, description="Code of the trade (职业分类大典), optional.")


class BankChangeIn(Schema):
    name: str = Field(..., max_length=80)
    description: str = Field("", max_length=300)
    shared: bool = True
    trade_code: str = Field("", max_length=12)


class QuestionOut(Schema):
    id: int
    bank_id: int
    kind: str
    stem: str
    options: list[str]
    answer: str
    blanks: list[list[str]]
    weights: list[int]
    feedback: list[str]
    explanation: str
    difficulty: int
    score: Decimal
    tags: list[str]
    category: str
    family: int | None
    version: int
    current: bool


class QuestionIn(Schema):
    kind: Kind
    stem: str = Field(..., max_length=2000)
    options: list[str] = Field([], description="The options' texts in order (A, B… at most six).")
    answer: str = Field("", description="Choice: the letters (\"AC\", \"A,C\"); true/false: T or F (正确/错误).")
    blanks: list[list[str]] = Field([], description="Fill-in: the accepted variants of each blank.")
    weights: list[int] = Field([], description="Moodle's partial credit per option, percent (optional).")
    feedback: list[str] = Field([], description="Feedback per option (optional).")
    explanation: str = Field("", max_length=2000)
    difficulty: int = Field(3, ge=1, le=5)
    score: Decimal = Field(Decimal(1), gt=0, le=100, decimal_places=1)
    tags: list[str] = []
    category: str = Field("", max_length=200)


class ImportSummaryOut(Schema):
    added: int
    skipped: int


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _bank_out(b: Bank, user: Any) -> dict[str, Any]:
    return {"id": b.pk, "org_id": b.org_id, "org_name": b.org.name, "name": b.name, "description": b.description,
            "shared": b.shared, "trade_code": b.trade.code if b.trade_id and b.trade else None,
            "question_count": b.question_count, "can_change": b.can_change(user)}


def _question_out(q: Question) -> dict[str, Any]:
    return {"id": q.pk, "bank_id": q.bank_id, "kind": q.kind, "stem": q.stem, "options": q.options,
            "answer": q.answer, "blanks": q.blanks, "weights": q.weights, "feedback": q.feedback,
            "explanation": q.explanation, "difficulty": q.difficulty, "score": q.score,
            "tags": [t.name for t in q.tags.all()], "category": q.category, "family": q.family,
            "version": q.version, "current": q.current}


def _bank(request: HttpRequest, pk: int, change: bool = False) -> Bank:
    bank = queries.bank_for(_actor(request), pk)
    if bank is None:
        raise Http404
    if change and not bank.can_change(_actor(request)):
        raise PermissionDeniedError(_("Only the cadres of %(org)s change this bank.") % {"org": bank.org.name},
                                    field="bank_id")
    return bank


def _trade(code: str) -> Occupation | None:
    if not code:
        return None
    found = Occupation.objects.filter(code=code).first()
    if found is None:
        raise DomainError(_("No trade has the code %(code)s.") % {"code": code}, field="trade_code")
    return found


def _draft(payload: QuestionIn) -> Draft:
    from ..rules.scoring import AnswerError, letters, truth

    answer = payload.answer
    try:
        if payload.kind in (Kind.SINGLE, Kind.MULTIPLE) and answer:
            answer = letters(answer, max(1, min(len(payload.options), 6)))
        elif payload.kind == Kind.TRUE_FALSE and answer:
            answer = truth(answer)
    except AnswerError as e:
        raise DomainError(str(e), field="answer") from None
    return Draft(kind=payload.kind.value, stem=payload.stem, options=payload.options, answer=answer,
                 blanks=payload.blanks, weights=payload.weights, feedback=payload.feedback,
                 explanation=payload.explanation, difficulty=payload.difficulty, score=payload.score,
                 tags=payload.tags, category=payload.category)


@router.get("/learning/banks", response={200: list[BankOut], **ERRORS}, summary="The banks you may use")
@paginate(Pagination)
def list_banks(request: HttpRequest) -> Any:
    """Your unions' banks and the shared banks of the unions above yours."""
    user = _actor(request)
    return [_bank_out(b, user) for b in queries.usable_banks(user).order_by("org__path", "name", "id")]


@router.post("/learning/banks", response={201: BankOut, **ERRORS}, summary="Create a bank")
def create_bank(request: HttpRequest, payload: BankIn) -> Any:
    user = _actor(request)
    org = one(queries.manageable_orgs(user), payload.org_id, "org_id")
    bank = services.create_bank(actor=user, org=org, name=payload.name, description=payload.description,
                                shared=payload.shared, trade=_trade(payload.trade_code))
    return Status(201, _bank_out(bank, user))


@router.get("/learning/banks/{bank_id}", response={200: BankOut, **ERRORS}, summary="A bank")
def get_bank(request: HttpRequest, bank_id: int) -> Any:
    return _bank_out(_bank(request, bank_id), _actor(request))


@router.put("/learning/banks/{bank_id}", response={200: BankOut, **ERRORS}, summary="Change a bank")
def change_bank(request: HttpRequest, bank_id: int, payload: BankChangeIn) -> Any:
    bank = _bank(request, bank_id, change=True)
    bank = services.update_bank(actor=_actor(request), bank=bank, name=payload.name,
                                description=payload.description, shared=payload.shared,
                                trade=_trade(payload.trade_code))
    return _bank_out(bank, _actor(request))


@router.get("/learning/banks/{bank_id}/questions", response={200: list[QuestionOut], **ERRORS},
            summary="A bank's current questions")
@paginate(Pagination)
def list_questions(request: HttpRequest, bank_id: int, kind: str = "", difficulty: int | None = None,
                   tag: str = "", q: str = "") -> Any:
    """Filtered by type (single, multiple, truefalse, fill), difficulty (1–5), knowledge point and text."""
    bank = _bank(request, bank_id)
    filters = queries.Filters.of({"kind": kind, "difficulty": difficulty or "", "tag": tag, "q": q})
    return [_question_out(x) for x in queries.questions(bank, filters)]


@router.post("/learning/banks/{bank_id}/questions", response={201: QuestionOut, **ERRORS},
             summary="Add a question")
def add_question(request: HttpRequest, bank_id: int, payload: QuestionIn) -> Any:
    """Every problem of the question at once (400, `errors` by field); the same question twice is refused."""
    bank = _bank(request, bank_id, change=True)
    q = services.add_question(actor=_actor(request), bank=bank, draft=_draft(payload))
    return Status(201, _question_out(q))


@router.put("/learning/questions/{question_id}", response={200: QuestionOut, **ERRORS},
            summary="Edit a question (a new version once it has been drawn)")
def edit_question(request: HttpRequest, question_id: int, payload: QuestionIn) -> Any:
    user = _actor(request)
    q = queries.question_for(user, question_id)
    if q is None:
        raise Http404
    if not q.bank.can_change(user):
        raise PermissionDeniedError(_("Only the cadres of %(org)s change this bank.") % {"org": q.bank.org.name},
                                    field="question_id")
    saved = services.edit_question(actor=user, question=q, draft=_draft(payload))
    return _question_out(saved)


@router.post("/learning/banks/{bank_id}/imports", response={201: ImportJobOut, 200: ImportSummaryOut, **ERRORS},
             summary="Import questions (multipart)")
def import_questions(request: HttpRequest, bank_id: int, file: File[UploadedFile],
                     format: Form[str] = "excel") -> Any:
    """`format`: excel (the template; 201 with the import job, read at `GET /imports/{id}`), gift, aiken or moodlexml
    (200 with the counts added and skipped as already in the bank). A file with errors is refused whole: 400 with
    every error by row (Excel: in the job) or line (`errors`: {"line N": message})."""
    user = _actor(request)
    bank = _bank(request, bank_id, change=True)
    if format == "excel":
        job = banks_imports.start_excel_import(actor=user, bank=bank, upload=file)
        return Status(201, one(ImportJob.objects.all(), job.pk))
    if format not in banks_imports.TEXT_FORMATS:
        raise DomainError(_("Choose the file's format."), field="format")
    try:
        return banks_imports.import_text(actor=user, bank=bank, fmt=format, data=file.read(),
                                         filename=file.name or "")
    except banks_imports.ImportRefused as e:
        lines: dict[str, list[str]] = {}
        for x in e.lines:
            lines.setdefault(f"line {x.line}", []).append(x.message)
        raise DomainError(e.message, errors={k: "；".join(v) for k, v in lines.items()}, code="invalid_file") \
            from None


@router.get("/learning/banks/{bank_id}/export.xlsx", response={200: None, **ERRORS},
            summary="The bank in the Excel template", url_name="learning_bank_export_xlsx")
def export_xlsx(request: HttpRequest, bank_id: int) -> Any:
    bank = _bank(request, bank_id)
    return xlsx_response(banks_imports.export_xlsx(bank), f"{bank.name}.xlsx")


@router.get("/learning/banks/{bank_id}/export.xml", response={200: None, **ERRORS},
            summary="The bank in Moodle XML", url_name="learning_bank_export_xml")
def export_xml(request: HttpRequest, bank_id: int) -> Any:
    bank = _bank(request, bank_id)
    return HttpResponse(banks_imports.export_moodle_xml(bank), content_type="application/xml; charset=utf-8")
