"""Workers submitting proposals at the same moment, over HTTP on loopback, through the real paths, served by granian
(2 workers × 4 threads) like production, each against a minimal Django view doing one INSERT (`POST /bench/insert/`,
bench/server.py) under the same server, concurrency, headers and run:
- the phone form's own path, `POST /innovation/send/` as `static/innovation/submit.js` sends it (the form's signed
  ticket and fields as a JSON object, no cookies: the ticket is the credential): every field checked, the new id taken
  while checking the account is active, the proposal, its proposer's share, the audit event and the proposer's
  receipt written in one statement — against the reference reached the same way (and, for scale, the reference
  reached with the worker's session and CSRF cookies, as a page is);
- the JSON API `POST /api/v1/innovation/proposals` with a personal token (the worker's record and enterprise looked
  up first), against the reference without cookies.
The figures of the unions above and the title index are left to the minute's fold, which the run times afterwards;
every proposal is counted. Target (issue 10): at least half the reference's rate.

    python -m bench.proposals sqlite|postgresql   (BENCH_WORKERS=8, BENCH_SUBMITS=100 per worker)
"""

from __future__ import annotations

import json
import os
import random

from bench.common import db_arg, emit, setup
from bench.learning_common import CSRF, cookies
from bench.marks import free_port, hammer, serve
from bench.similar import title


def build(n_workers: int) -> tuple[list[str], list[tuple[str, str]]]:
    """A province, a city, an enterprise with a workshop, `n_workers` workers with an account, a token, a session and
    the submit form's ticket each, and 2,000 earlier proposals (so the title index is not empty). Returns the tokens
    and the (session key, ticket) pairs."""
    import datetime

    from django.utils import timezone

    from gongjiang.innovation.choices import State
    from gongjiang.innovation.models import Proposal, index_titles
    from gongjiang.orgs import services as org_services
    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.models import Org, Person, User

    province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": OrgKind.PROVINCE})
    city = Org.objects.add_child(province, create_kwargs={"name": "济南市总工会", "code": "3701", "kind": OrgKind.CITY})
    enterprise = Org.objects.add_child(city, create_kwargs={"name": "基准钢铁公司工会", "code": "B1",
                                                            "kind": OrgKind.GRASSROOTS})
    shop = Org.objects.add_child(enterprise, create_kwargs={"name": "炼钢车间", "code": "B1-1",
                                                            "kind": OrgKind.DEPARTMENT})
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from gongjiang.innovation import tickets

    tokens = []
    phones = []
    people = []
    for i in range(n_workers):
        person = Person.objects.create(
            name=f"职工{i}", id_encrypted="x", id_hash=f"h{i}", id_masked="**************0000", gender="M",
            birth_date=datetime.date(1990, 1, 1), employer=shop)
        people.append(person)
        user = User.objects.create_user(username=f"worker{i}", password="x", person=person)
        tokens.append(org_services.issue_api_token(actor=user, name="bench")[1])
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        phones.append((store.session_key, tickets.issue(user.pk, person.pk, shop.pk, shop.path, enterprise.pk,
                                                        enterprise.name)))
    rng = random.Random(7)
    now = timezone.now()
    earlier = [Proposal(title=title(rng), problem="现场长期存在问题。", solution="由班组自行设计制作实施。",
                        category="cost", state=State.SUBMITTED, proposer=people[i % n_workers], unit=shop,
                        enterprise=enterprise, year=now.year, submitted_at=now) for i in range(2000)]
    Proposal.objects.bulk_create(earlier)
    index_titles((p.pk, enterprise.pk, p.title) for p in earlier)
    return tokens, phones


def main() -> None:
    # notifications are delivered by the task worker, as in production (the test settings deliver them inline)
    os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    db = setup(db_arg(), "proposals")
    n_workers = int(os.environ.get("BENCH_WORKERS", "8"))
    submits = int(os.environ.get("BENCH_SUBMITS", "100"))
    from django.db import connection, transaction

    with transaction.atomic():
        tokens, phones = build(n_workers)
    with connection.cursor() as cursor:
        pk = "SERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY AUTOINCREMENT"
        cursor.execute(f"CREATE TABLE bench_insert (id {pk}, payload VARCHAR(2000) NOT NULL)")
    connection.close()  # the server's workers use the database from now on
    rng = random.Random(11)
    ours_jobs, ref_jobs, phone_jobs, phone_ref_jobs, session_ref_jobs = [], [], [], [], []
    for token, (session, ticket) in zip(tokens, phones, strict=True):
        requests, ref, sends, phone_ref = [], [], [], []
        for _ in range(submits):
            fields = {"title": title(rng), "problem": "皮带跑偏频繁，每班需停机调整两到三次，影响产量。",
                      "solution": "在托辊架上加装自动调偏装置，由班组利用检修时间自制安装。",
                      "category": "efficiency", "kind": "proposal", "expected_benefit": "每年减少停机约60小时"}
            body = json.dumps(fields, ensure_ascii=False).encode()
            requests.append(("POST", "/api/v1/innovation/proposals", body))
            ref.append(("POST", "/bench/insert/", body))
            form = json.dumps({"ticket": ticket, **fields}, ensure_ascii=False).encode()
            sends.append(("POST", "/innovation/send/", form))
            phone_ref.append(("POST", "/bench/insert/", form))
        ours_jobs.append(({"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, requests))
        ref_jobs.append(({"Content-Type": "application/json"}, ref))
        phone = {"Cookie": cookies(session), "X-CSRFToken": CSRF, "Content-Type": "application/json"}
        form_headers = {"Content-Type": "application/json"}  # the script sends no cookies
        phone_jobs.append((form_headers, sends))
        phone_ref_jobs.append((form_headers, phone_ref))
        session_ref_jobs.append((phone, phone_ref))
    port = free_port()
    server = serve(port)
    try:
        hammer(port, [(h, r[:10]) for h, r in ref_jobs])  # warm-up of every worker and connection
        reference = hammer(port, ref_jobs)
        ours = hammer(port, ours_jobs, ok=(201,))
        phone_reference = hammer(port, phone_ref_jobs)
        phone = hammer(port, phone_jobs, ok=(201,))
        session_reference = hammer(port, session_ref_jobs)
    finally:
        server.terminate()
        server.wait(timeout=30)
    import time

    from django.db.models import Sum
    from django.utils import timezone

    from gongjiang.innovation import counters, metrics
    from gongjiang.innovation.models import Proposal, ProposalGram
    from gongjiang.orgs.models import Fact

    stored = Proposal.objects.count() - 2000
    expected = 2 * n_workers * submits
    # what the submissions left to the minute's timer: their figures and their titles' index rows
    started = time.perf_counter()
    folded = 0
    while n := counters.fold():
        folded += n
    fold_seconds = time.perf_counter() - started
    province = int(Fact.objects.filter(org__depth=1, metric=metrics.SUBMITTED, period="Y",
                                       start=timezone.localdate().replace(month=1, day=1))
                   .aggregate(n=Sum("value"))["n"] or 0)
    indexed = ProposalGram.objects.values("proposal").distinct().count() - 2000
    ratio = ours["rps"] / reference["rps"] if reference["rps"] else 0.0
    phone_ratio = phone["rps"] / phone_reference["rps"] if phone_reference["rps"] else 0.0
    data = {"database": db, "workers": n_workers, "submits_per_worker": submits, "ours": ours,
            "reference": reference, "throughput_ratio": round(ratio, 2), "phone": phone,
            "phone_reference": phone_reference, "phone_ratio": round(phone_ratio, 2),
            "session_reference": session_reference, "stored": stored,
            "expected": expected, "folded": folded,
            "fold_seconds": round(fold_seconds, 2), "counted_at_province": province, "indexed": indexed,
            "load_average": os.getloadavg()[0]}
    emit("proposals", data, f"proposals[{db}, {n_workers} workers at once, granian 2 workers]: the phone form "
         f"{phone['rps']:.0f}/s (p50 {phone['p50_ms']} ms, p95 {phone['p95_ms']} ms) vs one-INSERT view "
         f"{phone_reference['rps']:.0f}/s (p50 {phone_reference['p50_ms']} ms) → {phone_ratio:.2f} (the one-INSERT "
         f"view reached with a session, as a page is: {session_reference['rps']:.0f}/s); "
         f"the API {ours['rps']:.0f}/s (p50 {ours['p50_ms']} ms, p95 {ours['p95_ms']} ms) vs one-INSERT view "
         f"{reference['rps']:.0f}/s (p50 {reference['p50_ms']} ms) → {ratio:.2f}; {stored} of {expected} stored; "
         f"failures {phone['failures']}+{ours['failures']}+{reference['failures']} "
         f"{phone['first_failures'] or ours['first_failures']}; "
         f"then the fold: {folded} in {fold_seconds:.2f} s ({province} counted at the province, {indexed} indexed)")


if __name__ == "__main__":
    main()
