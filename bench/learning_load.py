"""A province contest at 9:00 (issue 12, "Performance and load"): N simulated takers — asyncio and aiohttp, one
task per worker's phone, each with its own session and CSRF cookies — are released at the same moment, enter the
contest (the contests' entry page when the tree has it, which redirects to the attempt page; otherwise the attempt
is started through the engine beforehand and the taker opens its page), read the ticket and the questions from the
page, answer one question every few seconds (BENCH_PACE seconds on average, ±60 % jitter) through `POST
/learning/answer/` like static/learning/attempt.js, and submit. The production server (granian, BENCH_WORKERS
processes) runs on loopback; the run is bounded in takers and in time (BENCH_MAX_SECONDS: what is unfinished then is
cancelled and reported).

Reported: the takers held at once (started and not yet submitted: the peak and the time-weighted mean), the
latency of the answers (p50/p95/p99) and of the entry and submission bursts, the errors by kind; and, from the
database afterwards: every answer a client got a 2xx for is stored once with the value sent (zero lost), no answer
is stored that no client sent (zero extra), every submitted attempt is scored once (its score the sum of its
answers' points) and counted once by the fold (its standing counts one attempt; the province's daily figure counts
each attempt once). Target (issue 12): p95 under 500 ms at 2,000 takers and more, zero lost or double-counted.

    python -m bench.learning_load sqlite|postgresql
      (BENCH_TAKERS=2000, BENCH_QUESTIONS=10, BENCH_PACE=5, BENCH_WORKERS=4, BENCH_THREADS=8, BENCH_MAX_SECONDS=600)
"""

from __future__ import annotations

import asyncio
import html
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from typing import Any

from bench.common import db_arg, emit, setup
from bench.learning_common import CSRF, build, cookies, given_for
from bench.marks import free_port

TICKET = re.compile(r'data-ticket="([^"]+)"')
CODE = re.compile(r'data-position="(\d+)" data-code="([a-z]\d+)"')
ATTEMPT = re.compile(r"/learning/attempts/(\d+)/")


def serve(port: int, workers: int, threads: int) -> subprocess.Popen:
    """granian as `make serve` runs it (WSGI), with the bench's reference view mounted (bench/server.py)."""
    import socket

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongjiang.settings"}
    proc = subprocess.Popen([sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers), "--blocking-threads", str(threads),
                             "--backlog", "4096", "--log-level", "warning", "bench.server:application"], env=env)
    for _ in range(1200):  # up to two minutes: on a busy machine the workers take a while to import Django
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("granian did not start")


class Tally:
    """What the takers saw: latencies by kind of request, errors, the answers confirmed, who is mid-attempt."""

    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {"enter": [], "page": [], "answer": [], "submit": []}
        self.errors: Counter[str] = Counter()
        self.confirmed: dict[tuple[int, int], str] = {}
        self.active = 0
        self.peak = 0
        self.area = 0.0  # ∫ active dt, for the time-weighted mean
        self.since = time.perf_counter()
        self.submitted: set[int] = set()
        self.finished = 0

    def move(self, delta: int) -> None:
        now = time.perf_counter()
        self.area += self.active * (now - self.since)
        self.since = now
        self.active += delta
        self.peak = max(self.peak, self.active)


async def taker(http: Any, base: str, session: str, entry: str, tally: Tally, go: asyncio.Event,
                questions: int, pace: float, rng: random.Random) -> None:
    headers = {"Cookie": cookies(session), "X-CSRFToken": CSRF}
    await go.wait()
    t = time.perf_counter()
    if entry.startswith("POST "):
        async with http.post(base + entry[5:], data={"csrfmiddlewaretoken": CSRF}, headers=headers,
                             allow_redirects=False) as r:
            await r.read()
            tally.latency["enter"].append(time.perf_counter() - t)
            location = r.headers.get("Location", "")
            if r.status != 302 or not ATTEMPT.search(location):
                tally.errors[f"enter {r.status}"] += 1
                return
            page_url = base + ATTEMPT.search(location).group(0)
    else:
        page_url = base + entry
    tally.move(+1)
    try:
        t = time.perf_counter()
        async with http.get(page_url, headers=headers) as r:
            text = await r.text()
            tally.latency["page"].append(time.perf_counter() - t)
        ticket = TICKET.search(text)
        if r.status != 200 or ticket is None:
            tally.errors[f"page {r.status}"] += 1
            return
        attempt_id = int(ATTEMPT.search(page_url).group(1))  # type: ignore[union-attr]
        codes = dict((int(p), c) for p, c in CODE.findall(text))
        for position in range(min(questions, len(codes))):
            await asyncio.sleep(max(0.2, rng.uniform(pace * 0.4, pace * 1.6)))
            given = given_for(codes[position], wrong=rng.random() < 0.3)
            for tries in range(3):  # like attempt.js: a failed send is sent again
                t = time.perf_counter()
                try:
                    async with http.post(f"{base}/learning/answer/", headers=headers, data={
                            "ticket": html.unescape(ticket.group(1)), "position": str(position),
                            "given": given}) as r:
                        await r.read()
                        tally.latency["answer"].append(time.perf_counter() - t)
                        if 200 <= r.status < 300:
                            tally.confirmed[(attempt_id, position)] = given
                            break
                        tally.errors[f"answer {r.status}"] += 1
                        if r.status < 500:
                            break
                except (TimeoutError, OSError) as e:
                    tally.errors[f"answer {type(e).__name__}"] += 1
                await asyncio.sleep(1 + tries)
        t = time.perf_counter()
        async with http.post(page_url + "submit/", headers=headers, allow_redirects=False,
                             data={"csrfmiddlewaretoken": CSRF, "ticket": html.unescape(ticket.group(1))}) as r:
            await r.read()
            tally.latency["submit"].append(time.perf_counter() - t)
            if r.status == 302:
                tally.submitted.add(attempt_id)
            else:
                tally.errors[f"submit {r.status}"] += 1
    finally:
        tally.move(-1)
        tally.finished += 1


async def run(port: int, takers: list[tuple[str, str]], questions: int, pace: float, limit: float) -> Tally:
    import aiohttp

    tally = Tally()
    go = asyncio.Event()
    rng = random.Random(9)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        tasks = [asyncio.create_task(taker(http, f"http://127.0.0.1:{port}", session, entry, tally, go, questions,
                                           pace, random.Random(rng.random()))) for session, entry in takers]
        await asyncio.sleep(0.5)
        tally.since = time.perf_counter()
        go.set()  # 9:00
        done, pending = await asyncio.wait(tasks, timeout=limit)
        for task in pending:
            task.cancel()
        tally.errors["unfinished at the time limit"] += len(pending)
        for task in done:
            if task.exception() is not None:
                tally.errors[f"client {type(task.exception()).__name__}"] += 1
    return tally


def pcts(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    v = sorted(values)
    at = lambda q: round(v[min(len(v) - 1, int(len(v) * q))] * 1000, 1)  # noqa: E731
    return {"n": len(v), "p50_ms": round(statistics.median(v) * 1000, 1), "p95_ms": at(0.95), "p99_ms": at(0.99),
            "max_ms": round(v[-1] * 1000, 1)}


def main() -> None:
    db = setup(db_arg(), "learning_load")
    n = int(os.environ.get("BENCH_TAKERS", "2000"))
    questions = int(os.environ.get("BENCH_QUESTIONS", "10"))
    pace = float(os.environ.get("BENCH_PACE", "5"))
    workers = int(os.environ.get("BENCH_WORKERS", "4"))
    threads = int(os.environ.get("BENCH_THREADS", "8"))
    limit = float(os.environ.get("BENCH_MAX_SECONDS", "600"))
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # a socket per taker here and in the server
    from django.db import connection
    from django.urls import NoReverseMatch, reverse

    t = time.perf_counter()
    made = build(n, questions)
    contest = made["contest"]
    try:
        entry_url = reverse("learning:contest_enter", args=[contest.pk])
        entries = [(session, f"POST {entry_url}") for _p, session in made["takers"]]
        how = "the contest's entry page"
    except NoReverseMatch:
        from bench.learning_answer import start_all

        started = start_all(contest, made["takers"])
        entries = [(session, f"/learning/attempts/{a.pk}/") for (a, _t, _c), (_p, session)
                   in zip(started, made["takers"], strict=True)]
        how = "attempts started by the engine beforehand"
    print(f"  {n:,} takers ready in {time.perf_counter() - t:.0f} s ({how})", flush=True)
    connection.close()
    port = free_port()
    server = serve(port, workers, threads)
    t = time.perf_counter()
    try:
        tally = asyncio.run(run(port, entries, questions, pace, limit))
    finally:
        server.terminate()
        server.wait(timeout=60)
    wall = time.perf_counter() - t
    mean_held = tally.area / wall if wall else 0.0
    check = verify(contest, tally)
    answers = pcts(tally.latency["answer"])
    data = {"database": db, "takers": n, "questions": questions, "pace_s": pace, "granian_workers": workers,
            "threads": threads, "entry": how, "seconds": round(wall, 1), "held_peak": tally.peak,
            "held_mean": round(mean_held), "finished": tally.finished, "answer": answers,
            "enter": pcts(tally.latency["enter"]), "page": pcts(tally.latency["page"]),
            "submit": pcts(tally.latency["submit"]), "answers_per_s": round(len(tally.latency["answer"]) / wall, 1),
            "errors": dict(tally.errors), **check, "load_average": os.getloadavg()[0]}
    emit("learning_load", data, f"learning_load[{db}, {n:,} takers at once, {questions} questions at ~{pace:g} s, "
         f"granian {workers}×{threads}]: held {tally.peak:,} at once (mean {mean_held:,.0f}); answers p50 "
         f"{answers.get('p50_ms')} ms, p95 {answers.get('p95_ms')} ms, p99 {answers.get('p99_ms')} ms "
         f"({data['answers_per_s']}/s); entry p95 {data['enter'].get('p95_ms', '—')} ms, page p95 "
         f"{data['page'].get('p95_ms')} ms, submit p95 {data['submit'].get('p95_ms')} ms; errors "
         f"{sum(tally.errors.values())} {dict(tally.errors)}; {check['lost']} lost, {check['extra']} extra, "
         f"{check['double_counted']} double-counted of {check['confirmed']} answers and {check['submitted']} "
         f"submissions")


def verify(contest: Any, tally: Tally) -> dict[str, int]:
    """The database against what the clients were told."""
    from django.db.models import Sum

    from gongjiang.learning import counters
    from gongjiang.learning.choices import AttemptState, BoardKind
    from gongjiang.learning.models import Answer, Attempt, Standing
    from gongjiang.orgs.models import Fact

    attempts = {a.pk: a for a in Attempt.objects.filter(contest=contest)}
    stored = {(a, p): g for a, p, g in Answer.objects.filter(attempt__contest=contest).values_list(
        "attempt_id", "position", "given")}
    lost = sum(1 for key, given in tally.confirmed.items() if stored.get(key) != given)
    extra = len(set(stored) - set(tally.confirmed))
    points = dict(Answer.objects.filter(attempt__contest=contest).values_list("attempt_id").annotate(
        s=Sum("points")).order_by())
    badly_scored = sum(1 for pk in tally.submitted if attempts[pk].state == AttemptState.ACTIVE
                       or attempts[pk].score != (points.get(pk) or 0))
    while counters.fold():
        pass
    submitted = sum(1 for a in Attempt.objects.filter(contest=contest) if a.state != AttemptState.ACTIVE)
    board = list(Standing.objects.filter(kind=BoardKind.CONTEST, board=contest.pk).values_list("attempts", flat=True))
    counted = int(Fact.objects.filter(org=contest.org, metric="learning.attempts", period="D").aggregate(
        n=Sum("value"))["n"] or 0)
    double = sum(1 for a in board if a != 1) + abs(counted - submitted) + badly_scored
    return {"confirmed": len(tally.confirmed), "stored": len(stored), "lost": lost, "extra": extra,
            "submitted": len(tally.submitted), "closed_in_db": submitted, "counted_at_province": counted,
            "double_counted": double}


if __name__ == "__main__":
    main()
