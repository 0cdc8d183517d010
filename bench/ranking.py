"""Full ranking recomputation of one 100,000-entry event (round): `services.scoring._rank_round` (a step of the
results verbs) — places by total and tie-breaks in competition ranking ("1224"), prizes from the event's bands,
places of absent entries cleared — against the reference: the single bare SQL window UPDATE that sets the places
only, on the same table in the same run. Target (issue 3 §6): within 2× of the reference on PostgreSQL.

    python -m bench.ranking sqlite|postgresql   (BENCH_ENTRIES, BENCH_N)
"""

from __future__ import annotations

import os
import random
from typing import Any

from bench.common import db_arg, emit, median_ms, setup, timed


def build(n: int) -> Any:
    """An org, n people (plain rows) and a round with n checked-in entries whose totals are drawn."""
    import datetime

    from django.utils import timezone

    from gongjiang.competitions import services
    from gongjiang.competitions.choices import EntryStatus, Level
    from gongjiang.competitions.models import Entry
    from gongjiang.core.bulk import insert_rows, reserve_ids
    from gongjiang.orgs.choices import OrgKind, Role
    from gongjiang.orgs.models import Org, Person, RoleGrant, User

    province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": OrgKind.PROVINCE})
    unit = Org.objects.add_child(province, create_kwargs={"name": "基准企业工会", "code": "B1",
                                                          "kind": OrgKind.GRASSROOTS})
    admin = User.objects.create_user(username="bench", password="x")
    RoleGrant.objects.create(user=admin, org=province, role=Role.ADMIN)
    now = timezone.now()
    ids = reserve_ids(Person, n)
    insert_rows(Person, ["id", "name", "id_encrypted", "id_hash", "id_masked", "gender", "birth_date", "mobile",
                         "ethnicity", "education", "political_status", "employer", "post", "skill_grade",
                         "is_front_line", "is_migrant", "created_at", "updated_at"],
                ((pk, f"选手{pk}", "x", f"h{pk}", "3701**********0000", "M", datetime.date(1990, 1, 1), "", "", "",
                  "", unit.pk, "", 0, True, False, now, now) for pk in ids))
    competition = services.create_competition(actor=admin, organiser=province, name="基准赛事", year=2026,
                                              level=Level.PROVINCE)
    stage = services.add_stage(actor=admin, competition=competition, name="省级决赛", level=Level.PROVINCE,
                               direct_registration=True)
    event = services.add_event(actor=admin, competition=competition, name="车工", theory_weight=30,
                               practical_weight=70, tie_breaks=["practical", "time_used"])
    [rnd] = services.open_rounds(actor=admin, stage=stage)
    rng = random.Random(11)
    rows = []
    for pk in ids:
        absent = rng.random() < 0.02
        practical = rng.randint(4000, 10000)
        theory = rng.randint(5000, 10000)
        total = None if absent else (theory * 30 + practical * 70) // 100
        rows.append((rnd.pk, pk, unit.pk, "", EntryStatus.ABSENT if absent else EntryStatus.CHECKED_IN, "unit",
                     "[]", "", "", "", None if absent else theory, None if absent else practical, total,
                     rng.randint(3000, 7200), "{}", "", False, now, now))
    insert_rows(Entry, ["round", "person", "unit", "city_path", "status", "source", "notes", "contestant_no",
                        "station_no", "code", "theory", "practical", "total", "time_used", "aspect_marks", "prize",
                        "advanced", "created_at", "updated_at"], rows)
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE competitions_entry")
    return rnd, event


def main() -> None:
    db = setup(db_arg(), "ranking")
    n = int(os.environ.get("BENCH_ENTRIES", "100000"))
    runs = int(os.environ.get("BENCH_N", "7"))
    from django.db import connection, transaction
    from django.db.models import Count

    from gongjiang.competitions.models import Entry
    from gongjiang.competitions.services.scoring import _rank_round

    def built() -> Any:
        with transaction.atomic():
            return build(n)

    t_build, (rnd, event) = timed(built)
    table = Entry._meta.db_table
    reference_sql = (
        f"WITH r AS (SELECT id, RANK() OVER (ORDER BY total DESC, practical DESC NULLS LAST, time_used ASC NULLS LAST)"
        f" AS rk FROM {table} WHERE round_id = %s AND status = 'checked_in' AND total IS NOT NULL)"
        f" UPDATE {table} AS e SET place = r.rk FROM r WHERE e.id = r.id")

    def clear() -> None:
        Entry.objects.filter(round=rnd).update(place=None, prize="")

    def timed_runs(fn: Any) -> tuple[float, list[float]]:
        """Median of `runs` runs, each from a cleared ranking (so every row's place is written)."""
        import statistics
        import time

        times = []
        for _ in range(runs):
            clear()
            t = time.perf_counter()
            with transaction.atomic():
                fn()
            times.append((time.perf_counter() - t) * 1000)
        return statistics.median(times), times

    def reference() -> None:
        with connection.cursor() as cursor:
            cursor.execute(reference_sql, [rnd.pk])

    def ours() -> None:
        _rank_round(rnd)

    timed_runs(ours)  # warm-up
    ref_ms, ref_times = timed_runs(reference)
    our_ms, our_times = timed_runs(ours)
    # After one changed mark: the ranking is recomputed in full but only changed rows are written.
    ours()
    one = Entry.objects.filter(round=rnd, place__isnull=False).order_by("place").first()
    changes = iter(range(runs * 2))

    def after_one_change() -> None:
        Entry.objects.filter(pk=one.pk).update(total=10000 - next(changes))
        with transaction.atomic():
            _rank_round(rnd)

    rerank_ms, _rerank = median_ms(after_one_change, runs)
    ranked = Entry.objects.filter(round=rnd, place__isnull=False).count()
    first = Entry.objects.filter(round=rnd, place=1).count()
    prizes = dict(Entry.objects.filter(round=rnd).exclude(prize="").values_list("prize").annotate(n=Count("pk")))
    ratio = our_ms / ref_ms if ref_ms else float("inf")
    data = {"database": db, "entries": n, "ranked": ranked, "first_places": first, "prizes": prizes,
            "build_s": round(t_build, 1), "reference_ms": round(ref_ms, 1), "ours_ms": round(our_ms, 1),
            "ratio": round(ratio, 2), "reference_runs": [round(t, 1) for t in ref_times],
            "our_runs": [round(t, 1) for t in our_times], "rerank_after_one_change_ms": round(rerank_ms, 1),
            "load_average": os.getloadavg()[0],
            "event": event.name}
    emit("ranking", data, f"ranking[{db}, {n:,} entries]: rank_round (places + prizes) {our_ms:.0f} ms vs bare SQL "
         f"window UPDATE {ref_ms:.0f} ms → ratio {ratio:.2f} (target ≤ 2 on PostgreSQL); re-rank after one changed "
         f"mark {rerank_ms:.0f} ms; prizes {prizes}")


if __name__ == "__main__":
    main()
