"""Workers saving contest answers at the same moment, over HTTP on loopback, through the real path — `POST
/learning/answer/` as the attempt page's script sends it (the signed ticket, the position, the answer; the worker's
session and CSRF cookies; the ticket checked without reading anything, the answer written by one statement while
the attempt is active, a retry overwriting) — served by granian (2 workers × 4 threads, as `make serve`), against a
minimal Django view doing one INSERT (`POST /bench/insert/`, bench/server.py) through the same server, middleware
(the same cookies: the session is read and saved on both), concurrency and run. Afterwards every answer is
checked in the database (none lost, none doubled) and every attempt is submitted and scored once.
Target (issue 12): at least half the reference's rate.

    python -m bench.learning_answer sqlite|postgresql   (BENCH_TAKERS=8, BENCH_SAVES=300 per taker)
"""

from __future__ import annotations

import os
from typing import Any

from bench.common import db_arg, emit, setup
from bench.learning_common import CSRF, build, cookies, given_for
from bench.learning_load import serve
from bench.marks import free_port, hammer

QUESTIONS = 20


def start_all(contest: Any, takers: list[tuple[int, str]]) -> list[tuple[Any, str, list[str]]]:
    """Each taker's attempt, started through the engine (the contests' entry page calls the same verb): the
    attempt, its ticket and its positions' codes."""
    from gongjiang.learning import services
    from gongjiang.learning.choices import Purpose
    from gongjiang.learning.queries import attempts as queries
    from gongjiang.learning.tickets import read
    from gongjiang.orgs.models import Person, User

    started = []
    for person_id, _session in takers:
        person = Person.objects.get(pk=person_id)
        user = User.objects.get(person=person)
        attempt = services.attempts.start(actor=user, person=person, purpose=Purpose.CONTEST, contest=contest)
        ticket = queries.ticket(attempt)
        started.append((attempt, ticket, list(read(ticket).codes)))
    return started


def main() -> None:
    db = setup(db_arg(), "learning_answer")
    n = int(os.environ.get("BENCH_TAKERS", "8"))
    saves = int(os.environ.get("BENCH_SAVES", "300"))
    from urllib.parse import urlencode

    from django.db import connection

    made = build(n, QUESTIONS)
    started = start_all(made["contest"], made["takers"])
    with connection.cursor() as cursor:
        pk = "SERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY AUTOINCREMENT"
        cursor.execute(f"CREATE TABLE bench_insert (id {pk}, payload VARCHAR(2000) NOT NULL)")
    connection.close()  # the server's workers use the database from now on
    expected: dict[tuple[int, int], str] = {}
    ours_jobs, ref_jobs = [], []
    for (attempt, ticket, codes), (_person, session) in zip(started, made["takers"], strict=True):
        headers = {"Cookie": cookies(session), "X-CSRFToken": CSRF,
                   "Content-Type": "application/x-www-form-urlencoded"}
        requests, ref = [], []
        for i in range(saves):
            position = i % len(codes)
            given = given_for(codes[position], wrong=(i // len(codes)) % 2 == 1)  # later rounds change the answer
            expected[(attempt.pk, position)] = given
            body = urlencode({"ticket": ticket, "position": position, "given": given}).encode()
            requests.append(("POST", "/learning/answer/", body))
            ref.append(("POST", "/bench/insert/", body))
        ours_jobs.append((headers, requests))
        ref_jobs.append((headers, ref))
    port = free_port()
    server = serve(port, 2, 4)
    try:
        hammer(port, [(h, r[:20]) for h, r in ref_jobs])  # warm-up of every worker and connection
        reference = hammer(port, ref_jobs)
        ours = hammer(port, ours_jobs)
    finally:
        server.terminate()
        server.wait(timeout=30)
    from gongjiang.learning import counters, services
    from gongjiang.learning.models import Answer, Attempt, Standing
    from gongjiang.orgs.models import User

    ids = [a.pk for a, _t, _c in started]
    stored = {(a, p): g for a, p, g in Answer.objects.filter(attempt_id__in=ids).values_list(
        "attempt_id", "position", "given")}
    lost = sum(1 for key, value in expected.items() if stored.get(key) != value)
    extra = len(set(stored) - set(expected))
    for attempt, _t, _c in started:  # each submitted twice: scored once
        user = User.objects.get(person_id=attempt.person_id)
        services.attempts.submit(actor=user, attempt=attempt)
        services.attempts.submit(actor=user, attempt=Attempt.objects.get(pk=attempt.pk))
    while counters.fold():
        pass
    board = Standing.objects.filter(board=made["contest"].pk).values_list("attempts", flat=True)
    double = sum(1 for a in board if a != 1) + abs(len(board) - len(ids))
    ratio = ours["rps"] / reference["rps"] if reference["rps"] else 0.0
    data = {"database": db, "takers": n, "saves_per_taker": saves, "ours": ours, "reference": reference,
            "throughput_ratio": round(ratio, 2), "lost_or_wrong_answers": lost, "extra_answers": extra,
            "answers_checked": len(expected), "double_counted_attempts": double, "load_average": os.getloadavg()[0]}
    emit("learning_answer", data, f"learning_answer[{db}, {n} takers at once, granian 2 workers]: answers "
         f"{ours['rps']:.0f}/s (p50 {ours['p50_ms']} ms, p95 {ours['p95_ms']} ms) vs one-INSERT view "
         f"{reference['rps']:.0f}/s (p50 {reference['p50_ms']} ms) → {ratio:.2f} of the reference (target ≥ 0.5); "
         f"{lost} of {len(expected)} answers lost or wrong, {extra} extra; {double} attempts counted twice; "
         f"failures {ours['failures']}+{reference['failures']} {ours['first_failures']}")


if __name__ == "__main__":
    main()
