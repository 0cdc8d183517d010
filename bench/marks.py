"""Judges saving marks at the same moment, over HTTP on loopback, through the real path — the JSON API
`PUT /api/v1/judging/sheets/{id}/marks/{aspect}` (token auth, the judge's own sheet locked for the save,
the mark validated by the marking rules, upserted) — served by granian (2 workers) like production, against
a minimal Django view doing one INSERT (`POST /bench/insert/`) under the same server, concurrency and run.
Afterwards every judge's last value of every mark is checked: no save may be lost.

    python -m bench.marks sqlite|postgresql   (BENCH_JUDGES=8, BENCH_SAVES=300 per judge, BENCH_ENTRIES=120)
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

from bench.common import db_arg, emit, setup

ASPECTS = 10


def build(n_entries: int, n_judges: int) -> tuple[Any, list[tuple[str, list[tuple[int, int]]]]]:
    """A round in marking with `n_entries` checked-in entries and `n_judges` judges, each marking every entry
    (judges_per_entry = all), and an API token per judge. Returns the round and, per judge, (token, [(sheet,
    aspect)...])."""
    import datetime
    from decimal import Decimal

    from gongjiang.competitions import services
    from gongjiang.competitions.choices import EntryStatus, JudgeRole, Level
    from gongjiang.competitions.models import Aspect, Entry, Sheet
    from gongjiang.core.ids import make_id_card
    from gongjiang.orgs import services as org_services
    from gongjiang.orgs.choices import OrgKind, Role
    from gongjiang.orgs.models import Org, Person, RoleGrant, User

    province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": OrgKind.PROVINCE})
    unit = Org.objects.add_child(province, create_kwargs={"name": "基准企业工会", "code": "B1",
                                                          "kind": OrgKind.GRASSROOTS})
    judges_unit = Org.objects.add_child(province, create_kwargs={"name": "山东省冶金工会", "code": "YJ",
                                                                 "kind": OrgKind.INDUSTRY})
    admin = User.objects.create_user(username="bench", password="x")
    RoleGrant.objects.create(user=admin, org=province, role=Role.ADMIN)
    competition = services.create_competition(actor=admin, organiser=province, name="基准赛事", year=2026,
                                              level=Level.PROVINCE)
    stage = services.add_stage(actor=admin, competition=competition, name="省级决赛", level=Level.PROVINCE,
                               direct_registration=True)
    event = services.add_event(actor=admin, competition=competition, name="车工", theory_weight=0,
                               practical_weight=100, members_only=False)
    services.set_scheme(actor=admin, event=event, judges_per_entry=n_judges, expected_total=Decimal(100), aspects=[
        {"section_code": "A", "section_name": "评价", "criterion_code": "A1", "criterion_name": "工艺",
         "code": f"A1.{i + 1}", "description": f"评价项{i + 1}", "kind": "judgement", "max_mark": "10", "step": "0.5"}
        for i in range(ASPECTS)])
    [rnd] = services.open_rounds(actor=admin, stage=stage)
    for i in range(n_entries):
        person = Person.objects.create(
            name=f"选手{i}", id_encrypted="x", id_hash=f"h{i}", id_masked="3701**********0000", gender="M",
            birth_date=datetime.date(1990, 1, 1), employer=unit)
        Entry.objects.create(round=rnd, person=person, unit=unit, status=EntryStatus.REGISTERED)
    tokens = []
    for j in range(n_judges):
        user = User.objects.create_user(username=f"judge{j}", password="x")
        judge = services.add_judge(actor=admin, pool=province, user=user, unit=judges_unit, name=f"裁判{j}")
        services.assign_judge(actor=admin, rnd=rnd, judge=judge)
        tokens.append(org_services.issue_api_token(actor=user, name="bench")[1])
    for role in (JudgeRole.CHIEF, JudgeRole.SUPERVISOR):
        user = User.objects.create_user(username=f"{role}", password="x")
        services.assign_judge(actor=admin, rnd=rnd, role=role, judge=services.add_judge(
            actor=admin, pool=province, user=user, unit=judges_unit, name=role))
    witnesses = [{"name": "监督甲", "number": "1"}, {"name": "监督乙", "number": "2"}]
    services.draw_contestant_numbers(actor=admin, rnd=rnd, witnesses=witnesses)
    Entry.objects.filter(round=rnd).update(status=EntryStatus.CHECKED_IN)
    services.draw_stations(actor=admin, rnd=rnd, witnesses=witnesses)
    services.draw_codes(actor=admin, rnd=rnd, witnesses=witnesses)
    services.open_marking(actor=admin, rnd=rnd)
    aspects = list(Aspect.objects.filter(scheme__event=event).values_list("pk", flat=True))
    work = []
    for j, token in enumerate(tokens):
        sheets = Sheet.objects.filter(round=rnd, judge__judge__user__username=f"judge{j}").values_list("pk", flat=True)
        work.append((token, [(s, a) for s in sheets for a in aspects]))
    _ = make_id_card  # (people carry placeholder IDs: the benchmark never reads them)
    return rnd, work


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongjiang.settings"}
    proc = subprocess.Popen([sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", "2", "--blocking-threads", "4",
                             "--log-level", "warning", "bench.server:application"], env=env)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("granian did not start")


def hammer(port: int, jobs: list[tuple[dict[str, str], list[tuple[str, str, bytes]]]],
           ok: tuple[int, ...] = (200,)) -> dict[str, Any]:
    """One thread per job (a judge): its requests in order over one keep-alive connection. Returns the
    throughput, latency percentiles and failures (an answer whose status is not in `ok`)."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def run(headers: dict[str, str], requests: list[tuple[str, str, bytes]]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for method, url, body in requests:
            t = time.perf_counter()
            conn.request(method, url, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            mine.append(time.perf_counter() - t)
            if response.status not in ok:
                with lock:
                    failures.append(f"{response.status} {data[:200]!r}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t
    latencies.sort()
    return {"requests": len(latencies), "seconds": round(wall, 2), "rps": round(len(latencies) / wall, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1), "failures": len(failures),
            "first_failures": failures[:3]}


def main() -> None:
    db = setup(db_arg(), "marks")
    n_judges = int(os.environ.get("BENCH_JUDGES", "8"))
    saves = int(os.environ.get("BENCH_SAVES", "300"))
    n_entries = int(os.environ.get("BENCH_ENTRIES", "120"))
    from django.db import connection, transaction

    with transaction.atomic():
        rnd, work = build(n_entries, n_judges)
    with connection.cursor() as cursor:
        pk = "SERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY AUTOINCREMENT"
        cursor.execute(f"CREATE TABLE bench_insert (id {pk}, payload VARCHAR(200) NOT NULL)")
    connection.close()  # the server's workers use the database from now on
    rng = random.Random(5)
    expected: dict[tuple[int, int], int] = {}
    ours_jobs, ref_jobs = [], []
    for token, pairs in work:
        requests, ref = [], []
        for i in range(saves):
            sheet, aspect = pairs[i % len(pairs)]
            value = rng.randint(0, 20) * 50  # hundredths on the 0.5 step, 0–10
            expected[(sheet, aspect)] = value
            body = json.dumps({"mark": f"{value / 100:.2f}"}).encode()
            requests.append(("PUT", f"/api/v1/judging/sheets/{sheet}/marks/{aspect}", body))
            ref.append(("POST", "/bench/insert/", body))
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        ours_jobs.append((headers, requests))
        ref_jobs.append(({"Content-Type": "application/json"}, ref))
    port = free_port()
    server = serve(port)
    try:
        hammer(port, [(h, r[:20]) for h, r in ref_jobs])  # warm-up of every worker and connection
        reference = hammer(port, ref_jobs)
        ours = hammer(port, ours_jobs)
    finally:
        server.terminate()
        server.wait(timeout=30)
    from gongjiang.competitions.models import Mark

    stored = {(s, a): v for s, a, v in Mark.objects.filter(sheet__round=rnd).values_list("sheet", "aspect", "value")}
    lost = sum(1 for key, value in expected.items() if stored.get(key) != value)
    ratio = ours["rps"] / reference["rps"] if reference["rps"] else 0.0
    data = {"database": db, "judges": n_judges, "saves_per_judge": saves, "ours": ours, "reference": reference,
            "throughput_ratio": round(ratio, 2), "lost_or_wrong_marks": lost, "marks_checked": len(expected),
            "load_average": os.getloadavg()[0]}
    emit("marks", data, f"marks[{db}, {n_judges} judges at once, granian 2 workers]: mark saves {ours['rps']:.0f}/s "
         f"(p50 {ours['p50_ms']} ms, p95 {ours['p95_ms']} ms) vs one-INSERT view {reference['rps']:.0f}/s "
         f"(p50 {reference['p50_ms']} ms) → {ratio:.2f} of the reference; {lost} of {len(expected)} marks lost; "
         f"failures {ours['failures']}+{reference['failures']}")


if __name__ == "__main__":
    main()
