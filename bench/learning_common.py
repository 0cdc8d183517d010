"""What the learning HTTP benchmarks share: a province contest open now on a bank of the province, `n` workers with
an account each and a logged-in session made beforehand (as if each had logged in on their phone before 9:00; the
log-in itself is the accounts benchmark's business), and the form fields a page sends (the CSRF cookie and header,
a valid answer for each kind of question)."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal
from typing import Any

BANK_QUESTIONS = 400
CSRF = secrets.token_hex(16)  # the csrftoken cookie's secret (32 characters), sent back as X-CSRFToken


def build(n: int, questions: int, *, time_limit: int = 3600) -> dict[str, Any]:
    """The province (16 enterprises under one city), its bank of 400 questions of every kind, a published contest
    open from a minute ago for an hour drawing `questions` of them, and `n` workers with sessions. Returns the
    contest and, per worker, (person id, session key)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from gongjiang.core.bulk import insert_rows
    from gongjiang.learning.choices import Kind
    from gongjiang.learning.models import Bank, Contest, Question
    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.models import Org, Person, User

    with transaction.atomic():
        province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": OrgKind.PROVINCE})
        city = Org.objects.add_child(province, create_kwargs={"name": "济南市总工会", "code": "3701",
                                                              "kind": OrgKind.CITY})
        units = [Org.objects.add_child(city, create_kwargs={"name": f"基准企业{i + 1}工会", "code": f"B{i}",
                                                            "kind": OrgKind.GRASSROOTS}) for i in range(16)]
        bank = Bank.objects.create(org=province, name="节能减排知识题库", question_count=BANK_QUESTIONS)
        rows = []
        for i in range(BANK_QUESTIONS):
            kind = (Kind.SINGLE, Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE, Kind.FILL)[i % 5]
            rows.append(Question(
                bank=bank, kind=kind, stem=f"节能减排第{i + 1}题：下列做法中正确的是？",
                options=[f"做法{c}" for c in "ABCD"] if kind in (Kind.SINGLE, Kind.MULTIPLE) else [],
                answer={Kind.SINGLE: "B", Kind.MULTIPLE: "AC", Kind.TRUE_FALSE: "T"}.get(kind, ""),
                blanks=[["二氧化碳", "CO2"]] if kind == Kind.FILL else [], score=Decimal(5), difficulty=1 + i % 5,
                fingerprint=f"f{i}", family=None))
        Question.objects.bulk_create(rows)
        from django.db.models import F

        Question.objects.update(family=F("id"))
        now = timezone.now()
        contest = Contest.objects.create(
            org=province, title="百万职工节能减排百题知识竞赛", opens_at=now - datetime.timedelta(minutes=1),
            closes_at=now + datetime.timedelta(hours=2), published=True, draw=[{"count": questions}],
            time_limit=time_limit, max_attempts=1)
        contest.banks.set([bank])
        birth = datetime.date(1988, 3, 1)
        insert_rows(Person, ["name", "id_encrypted", "id_hash", "id_masked", "gender", "birth_date", "mobile",
                             "ethnicity", "education", "political_status", "employer", "post", "skill_grade",
                             "is_front_line", "is_migrant", "created_at", "updated_at"],
                    [(f"职工{i}", "x", f"h{i}", "3701**********0000", "M", birth, "", "", "", "",
                      units[i % len(units)].pk, "", 0, True, False, now, now) for i in range(n)])
        people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        password = "!"  # an unusable password: these accounts only ever use the sessions made below
        User.objects.bulk_create([User(username=f"taker{i}", password=password, person_id=pk, full_name=f"职工{i}")
                                  for i, pk in enumerate(people)], batch_size=2000)
        users = list(User.objects.filter(person__isnull=False).order_by("person_id"))
        takers = []
        for user in users:
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            takers.append((user.person_id, store.session_key))
    return {"contest": contest, "takers": takers}


def cookies(session_key: str) -> str:
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}"


def given_for(code: str, wrong: bool = False) -> str:
    """An answer the position's question takes (its code: "s4", "m4", "t2", "f1"), right for the bench's bank
    when the displayed order is the original one, which does not matter here."""
    from gongjiang.learning.rules.scoring import SEP

    kind, n = code[0], int(code[1:])
    if kind == "s":
        return "A" if wrong else "B"
    if kind == "m":
        return "AC" if not wrong else "AB"
    if kind == "t":
        return "F" if wrong else "T"
    return SEP.join(["CO2"] * n)
