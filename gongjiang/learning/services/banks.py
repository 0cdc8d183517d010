"""Verbs of question banks: a union creates and edits its banks, adds, edits and retires questions, and imports them
from a file. Only the cadres of the owner's subtree change a bank (a shared bank is only *used* below it).

- Every question is checked by `rules.banks.problems` (all reasons at once, each on its field).
- The same stem and options twice among a bank's current questions is refused (`fingerprint`); an import skips such
  rows and counts them.
- An edit of a question already drawn into an attempt makes a new version (a new row of the same family, version + 1,
  current) and retires the old one, which the attempts keep; an edit of one never drawn changes it in place.
- `Bank.question_count` is the count of its current questions, recounted by every verb that changes it."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import F, Max
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import require, verb
from gongjiang.orgs.models import Occupation, Org, User

from ..models import Bank, Question, Tag
from ..rules import banks as rules
from ..rules.banks import Draft

NAME_MAX = 80
DESCRIPTION_MAX = 300
BANK_FIELDS = ["name", "description", "shared", "trade"]
QUESTION_FIELDS = ["kind", "stem", "options", "answer", "blanks", "weights", "feedback", "explanation", "difficulty",
                   "score", "category"]


def _refuse(found: Sequence[rules.Problem]) -> None:
    if found:
        errors: dict[str, list[str]] = {}
        for p in found:
            errors.setdefault(p.field, []).append(p.message)
        raise DomainError(rules.messages(found), field=found[0].field,
                          errors={k: "；".join(v) for k, v in errors.items()})


def _bank_fields(name: str, description: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError(_("Give the bank's name (at most %(n)d characters).") % {"n": NAME_MAX}, field="name")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_("The description is at most %(n)d characters.") % {"n": DESCRIPTION_MAX},
                          field="description")
    return name, description


@verb
def create_bank(*, actor: User, org: Org, name: str, description: str = "", shared: bool = True,
                trade: Occupation | None = None) -> Bank:
    """A bank of `org`, shared with the unions below it unless `shared` is false."""
    require(org, actor, "change")
    name, description = _bank_fields(name, description)
    if Bank.objects.filter(org=org, name=name).exists():
        raise DomainError(_("%(org)s already has a bank named %(name)s.") % {"org": org.name, "name": name},
                          field="name")
    bank = Bank.objects.create(org=org, name=name, description=description, shared=bool(shared), trade=trade,
                               created_by=actor)
    audit.record(actor, "learning.bank.created", bank,
                 after={k: v for k, v in audit.snapshot(bank, BANK_FIELDS).items() if v not in (None, "")})
    return bank


@verb
def update_bank(*, actor: User, bank: Bank, name: str, description: str = "", shared: bool = True,
                trade: Occupation | None = None) -> Bank:
    """Rename a bank, change its description, trade, or whether the unions below may use it."""
    bank = Bank.objects.select_for_update().select_related("org").get(pk=bank.pk)
    require(bank.org, actor, "change")
    name, description = _bank_fields(name, description)
    if Bank.objects.filter(org=bank.org, name=name).exclude(pk=bank.pk).exists():
        raise DomainError(_("%(org)s already has a bank named %(name)s.") % {"org": bank.org.name, "name": name},
                          field="name")
    before = audit.snapshot(bank, BANK_FIELDS)
    bank.name, bank.description, bank.shared, bank.trade = name, description, bool(shared), trade
    bank.save(update_fields=[*BANK_FIELDS, "updated_at"])
    old, new = audit.diff(before, audit.snapshot(bank, BANK_FIELDS))
    if new:
        audit.record(actor, "learning.bank.changed", bank, before=old, after=new)
    return bank


def _locked_bank(bank: Bank, actor: User) -> Bank:
    locked = Bank.objects.select_for_update().select_related("org").get(pk=bank.pk)
    require(locked.org, actor, "change")
    return locked


def _recount(bank: Bank) -> None:
    bank.question_count = Question.objects.filter(bank=bank, current=True).count()
    bank.save(update_fields=["question_count", "updated_at"])


def _tags(names: Sequence[str]) -> list[Tag]:
    """The knowledge points of these names, made when new."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    found = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    missing = [Tag(name=n) for n in wanted if n not in found]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        found = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    return [found[n] for n in wanted]


def _values(draft: Draft) -> dict[str, Any]:
    return {"kind": draft.kind, "stem": draft.stem.strip(), "options": [o.strip() for o in draft.options],
            "answer": draft.answer if draft.kind != "fill" else "",
            "blanks": [[v.strip() for v in b if v.strip()] for b in draft.blanks] if draft.kind == "fill" else [],
            "weights": list(draft.weights), "feedback": list(draft.feedback), "explanation": draft.explanation.strip(),
            "difficulty": draft.difficulty, "score": draft.score.quantize(Decimal("0.1")),
            "category": draft.category.strip()[:200],
            "fingerprint": draft.fingerprint}


def _duplicate(bank: Bank, fingerprint: str, family: int | None = None) -> bool:
    same = Question.objects.filter(bank=bank, current=True, fingerprint=fingerprint)
    return (same.exclude(family=family) if family is not None else same).exists()


def _snapshot(q: Question) -> dict[str, Any]:
    data = audit.snapshot(q, QUESTION_FIELDS)
    data["tags"] = sorted(t.name for t in q.tags.all())
    return data


@verb
def add_question(*, actor: User, bank: Bank, draft: Draft) -> Question:
    """A new question in `bank`, checked by the bank rules; the same question twice in a bank is refused."""
    bank = _locked_bank(bank, actor)
    _refuse(rules.problems(draft))
    if _duplicate(bank, draft.fingerprint):
        raise DomainError(_("The same question (text and options) is already in this bank."), field="stem")
    q = Question.objects.create(bank=bank, created_by=actor, **_values(draft))
    q.family = q.pk
    q.save(update_fields=["family"])
    q.tags.set(_tags(draft.tags))
    _recount(bank)
    audit.record(actor, "learning.question.added", q, after=_snapshot(q))
    return q


@verb
def edit_question(*, actor: User, question: Question, draft: Draft) -> Question:
    """Change a question: in place when it was never drawn into an attempt; otherwise as a new version (the
    attempts keep the old one, which is retired). Returns the current version."""
    old = Question.objects.select_for_update().select_related("bank__org").get(pk=question.pk)
    bank = _locked_bank(old.bank, actor)
    if not old.current:
        raise DomainError(_("This is an old version of the question; edit its current version."), field="question")
    _refuse(rules.problems(draft))
    family = old.family or old.pk
    if _duplicate(bank, draft.fingerprint, family):
        raise DomainError(_("The same question (text and options) is already in this bank."), field="stem")
    before = _snapshot(old)
    values = _values(draft)
    if not old.drawn:
        for k, v in values.items():
            setattr(old, k, v)
        old.save(update_fields=list(values))
        old.tags.set(_tags(draft.tags))
        after = _snapshot(old)
        b, a = audit.diff(before, after)
        if a:
            audit.record(actor, "learning.question.changed", old, before=b, after=a)
        return old
    old.current = False
    old.save(update_fields=["current"])
    version = (Question.objects.filter(family=family).aggregate(v=Max("version"))["v"] or old.version) + 1
    new = Question.objects.create(bank=bank, created_by=actor, family=family, version=version, current=True,
                                  **values)
    new.tags.set(_tags(draft.tags))
    b, a = audit.diff(before, _snapshot(new))
    audit.record(actor, "learning.question.versioned", new, before=b,
                 after={**a, "version": version, "previous": old.pk})
    return new


@verb
def retire_question(*, actor: User, question: Question) -> Question:
    """Take a question out of the bank (no new attempt draws it; the attempts that have it keep it)."""
    q = Question.objects.select_for_update().select_related("bank__org").get(pk=question.pk)
    bank = _locked_bank(q.bank, actor)
    if not q.current:
        raise DomainError(_("This question is already retired."), field="question")
    q.current = False
    q.save(update_fields=["current"])
    _recount(bank)
    audit.record(actor, "learning.question.retired", q, before={"current": True}, after={"current": False})
    return q


@verb
def import_questions(*, actor: User, bank: Bank, drafts: Sequence[Draft], source: str = "",
                     filename: str = "") -> dict[str, int]:
    """Add many questions at once, all or nothing: any question with a problem refuses the whole set (every
    problem listed, by its number in the set); a question already among the bank's current ones is skipped and
    counted. Returns {"added": n, "skipped": m}."""
    bank = _locked_bank(bank, actor)
    found: list[str] = []
    for n, d in enumerate(drafts, start=1):
        for p in rules.problems(d):
            found.append(_("Question %(n)d: %(message)s") % {"n": n, "message": p.message})
    if found:
        raise DomainError("；".join(found[:50]), field="questions")
    existing = set(Question.objects.filter(bank=bank, current=True).values_list("fingerprint", flat=True))
    fresh: list[tuple[Question, Draft]] = []
    skipped = 0
    for d in drafts:
        fp = d.fingerprint
        if fp in existing:
            skipped += 1
            continue
        existing.add(fp)
        fresh.append((Question(bank=bank, created_by=actor, **_values(d)), d))
    made = Question.objects.bulk_create([q for q, _d in fresh], batch_size=500)
    if made and made[0].pk is None:  # a database that does not return the ids of a bulk insert
        fps = [q.fingerprint for q in made]
        ids = dict(Question.objects.filter(bank=bank, current=True, fingerprint__in=fps)
                   .values_list("fingerprint", "pk"))
        for q in made:
            q.pk = ids[q.fingerprint]
    Question.objects.filter(pk__in=[q.pk for q in made]).update(family=F("id"))
    tags = _tags([t for _q, d in fresh for t in d.tags])
    by_name = {t.name: t for t in tags}
    through = Question.tags.through
    through.objects.bulk_create([through(question_id=q.pk, tag_id=by_name[name].pk)
                                 for q, d in zip(made, [d for _q, d in fresh], strict=True)
                                 for name in dict.fromkeys(t.strip() for t in d.tags if t.strip())],
                                batch_size=1000)
    _recount(bank)
    summary = {"added": len(made), "skipped": skipped}
    audit.record_bulk(actor, "learning.question.imported", made, note=filename)
    audit.record(actor, "learning.bank.imported", bank, after={**summary, "source": source}, note=filename)
    return summary
