"""Near-duplicate look-up among 1,000,000 proposals (issue 10 §1): `innovation.queries.similar` — the candidates
sharing most of the new title's distinctive bigrams found in the title index (ProposalGram), the newest first among
equals, at most 400, then scored by `rules.similarity` — against the reference: a brute-force scan that reads every
title of the same pool from the same database and scores each by the same rules, in the same run. Also: how often
the look-up's top five are the brute force's (recall), and how long writing the index for the million took.

Three askers: a worker writing a proposal (their enterprise's proposals: ~3,000), a city cadre (a sixteenth of the
province) and the provincial federation (everything). Target: under 200 ms p95.

    python -m bench.similar sqlite|postgresql   (BENCH_PROPOSALS, BENCH_QUERIES, BENCH_BRUTE)
"""

from __future__ import annotations

import os
import random
import statistics
import time
from typing import Any

from bench.common import db_arg, emit, setup, timed

PLACES = ("一号高炉", "二号高炉", "三号转炉", "热轧", "冷轧", "炼焦", "烧结", "球团", "连铸", "动力", "制氧", "炼钢",
          "原料", "运输", "检修", "化验", "机加工", "装配", "包装", "仓储", "配电", "水处理", "环保", "质检")
DEVICES = ("皮带输送机", "行车", "天车", "空压机", "循环水泵", "冷却塔", "除尘器", "变压器", "电机", "液压站", "轧机",
           "数控车床", "加热炉", "锅炉", "风机", "叉车", "码垛机", "焊机", "吊具", "减速机", "阀门", "管道", "料仓",
           "振动筛", "破碎机", "提升机", "滚筒", "托辊", "钢包", "中间包", "结晶器", "氧枪", "烧嘴", "电缆", "控制柜",
           "传感器", "变频器", "润滑系统", "冷却系统", "计量秤")
PARTS = ("轴承", "密封", "滤袋", "钢丝绳", "导卫", "喷头", "刀架", "油路", "滑线", "定子", "叶轮", "联轴器", "齿轮",
         "链条", "衬板", "托架", "护罩", "接头", "线路", "仪表", "阀芯", "滤网", "风口", "辊道", "夹具")
PATTERNS = ("提高{o}加工精度", "减少{o}表面缺陷", "{o}检测方法改进", "{o}装配质量控制", "降低{o}备件消耗",
            "{o}修旧利废", "{o}国产化替代", "延长{o}使用寿命", "{o}快速更换工具", "缩短{o}检修时间", "{o}自动化改造",
            "{o}一键启停", "{o}防护装置加装", "{o}安全联锁改进", "消除{o}作业隐患", "{o}防坠落措施", "{o}节能改造",
            "回收利用{o}余热", "降低{o}电耗", "{o}变频改造", "{o}点检标准化", "{o}台账信息化管理", "{o}备件定置管理",
            "{o}看板可视化", "{o}操作口诀编写", "{o}培训教具自制", "{o}故障快速诊断")


def title(rng: random.Random) -> str:
    o = rng.choice(PLACES) + rng.choice(DEVICES) + (rng.choice(PARTS) if rng.random() < 0.8 else "")
    return rng.choice(PATTERNS).format(o=o)


def build(n: int) -> dict[str, Any]:
    """A province of 16 cities with 20 enterprises each, 3,200 workers, and n proposals (plain rows) with their
    title index written by `index_titles`, timed."""
    import datetime

    from django.utils import timezone

    from gongjiang.core.bulk import insert_rows, reserve_ids
    from gongjiang.innovation.choices import Category, Kind, State
    from gongjiang.innovation.models import Proposal, index_titles
    from gongjiang.orgs.choices import OrgKind, Role
    from gongjiang.orgs.models import Org, Person, RoleGrant, User

    province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": OrgKind.PROVINCE})
    cities, enterprises = [], []
    for c in range(16):
        city = Org.objects.add_child(province, create_kwargs={"name": f"第{c + 1}市总工会", "code": f"C{c:02d}",
                                                              "kind": OrgKind.CITY})
        cities.append(city)
        for e in range(20):
            enterprises.append(Org.objects.add_child(city, create_kwargs={
                "name": f"第{c + 1}市第{e + 1}企业工会", "code": f"C{c:02d}E{e:02d}", "kind": OrgKind.GRASSROOTS}))
    now = timezone.now()
    people = reserve_ids(Person, 10 * len(enterprises))
    employer = {pk: enterprises[i % len(enterprises)] for i, pk in enumerate(people)}
    insert_rows(Person, ["id", "name", "id_encrypted", "id_hash", "id_masked", "gender", "birth_date", "mobile",
                         "ethnicity", "education", "political_status", "employer", "post", "skill_grade",
                         "is_front_line", "is_migrant", "created_at", "updated_at"],
                ((pk, f"职工{pk}", "x", f"h{pk}", "**************0000", "M", datetime.date(1990, 1, 1), "", "", "", "",
                  employer[pk].pk, "", 0, True, False, now, now) for pk in people))
    admin = User.objects.create_user(username="province", password="x")
    RoleGrant.objects.create(user=admin, org=province, role=Role.ADMIN)
    cadre = User.objects.create_user(username="city", password="x")
    RoleGrant.objects.create(user=cadre, org=cities[0], role=Role.ADMIN)
    worker = User.objects.create_user(username="worker", password="x", person_id=people[0])
    rng = random.Random(618)
    ids = reserve_ids(Proposal, n)
    titles = [title(rng) for _ in range(n)]
    owners = [people[rng.randrange(len(people))] for _ in range(n)]
    cats, kinds = list(Category.values), list(Kind.values)
    start = timezone.make_aware(datetime.datetime(2024, 1, 1, 9))

    def rows() -> Any:
        for i, pk in enumerate(ids):
            who = owners[i]
            unit = employer[who].pk
            at = start + datetime.timedelta(minutes=i)
            yield (pk, titles[i], "现场长期存在问题，影响生产效率。", "由班组自行设计制作实施。", "",
                   cats[i % len(cats)], kinds[i % len(kinds)], State.SUBMITTED, who, unit, unit, at.year, at, "", now)

    t_rows, _ = timed(lambda: insert_rows(Proposal, [
        "id", "title", "problem", "solution", "expected_benefit", "category", "kind", "state", "proposer", "unit",
        "enterprise", "year", "submitted_at", "reason", "updated_at"], rows()))
    t_index, grams = timed(lambda: index_titles(
        (pk, employer[who].pk, t) for pk, who, t in zip(ids, owners, titles, strict=True)))
    return {"admin": admin, "cadre": cadre, "worker": worker, "rng": rng, "t_rows": t_rows, "t_index": t_index,
            "grams": grams}


def brute_force(user: Any, queries: list[str]) -> tuple[float, list[list[int]]]:
    """Every title of the user's pool read from the database and scored against each query by the rules (several
    queries share one read); the time taken, and the top five of each query."""
    from gongjiang.innovation import queries as q
    from gongjiang.innovation.rules import similarity

    pool = q.similar_pool(user)
    assert pool is not None
    mine = [similarity.profile(t) for t in queries]
    found: list[list[tuple[float, int]]] = [[] for _ in queries]
    t = time.perf_counter()
    for pk, title_ in pool.order_by().values_list("pk", "title").iterator(chunk_size=20000):
        theirs = similarity.profile(title_)
        for i, m in enumerate(mine):
            s = similarity.jaccard(m[0], theirs[0])
            if s >= similarity.THRESHOLD:
                found[i].append((s, pk))
    elapsed = time.perf_counter() - t
    tops = [[pk for _s, pk in sorted(f, key=lambda x: (-x[0], -x[1]))[:5]] for f in found]
    return elapsed, tops


def main() -> None:
    db = db_arg()
    label = setup(db, "similar")
    n = int(os.environ.get("BENCH_PROPOSALS", "1000000"))
    n_queries = int(os.environ.get("BENCH_QUERIES", "100"))
    n_brute = int(os.environ.get("BENCH_BRUTE", "20"))
    from django.db import transaction

    with transaction.atomic():
        world = build(n)
    from django.db import connection

    if connection.vendor == "postgresql":  # as autovacuum leaves it: statistics, and the visibility map
        with connection.cursor() as cursor:   # that lets counts read the index alone
            cursor.execute("VACUUM ANALYZE")
    from django.db import reset_queries

    from gongjiang.innovation import queries as q

    rng = random.Random(2026)
    asks = [title(rng) for _ in range(n_queries)]
    results: dict[str, Any] = {"db": label, "proposals": n, "index_rows": world["grams"],
                               "load_rows_s": round(world["t_rows"], 1), "index_s": round(world["t_index"], 1)}
    lines = [f"similar[{label}]: {n:,} proposals, title index {world['grams']:,} rows written in "
             f"{world['t_index']:.1f} s (the proposals themselves: {world['t_rows']:.1f} s)"]
    for who in ("worker", "cadre", "admin"):
        user = world[who]
        q.similar(user, asks[0], "")  # warm-up
        times, tops = [], []
        for a in asks:
            reset_queries()
            t = time.perf_counter()
            found = q.similar(user, a, "")
            times.append((time.perf_counter() - t) * 1000)
            tops.append([s.pk for s in found])
        times.sort()
        p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        t_one, _ = brute_force(user, asks[:1])
        _t_all, truth = brute_force(user, asks[:n_brute])
        agree = [len(set(tops[i]) & set(truth[i])) / len(truth[i]) for i in range(n_brute) if truth[i]]
        recall = statistics.mean(agree) if agree else 1.0
        results[who] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "brute_ms": round(t_one * 1000),
                        "recall_top5": round(recall, 3), "compared": len(agree)}
        lines.append(f"  {who:6}: p50 {p50:.0f} ms, p95 {p95:.0f} ms; brute-force scan {t_one * 1000:,.0f} ms "
                     f"(×{t_one * 1000 / p95:.0f}); top five agree with the scan {recall:.0%} over {len(agree)} "
                     f"look-ups")
    emit("similar", {**results, "load": os.getloadavg()[0]}, "\n".join(lines))


if __name__ == "__main__":
    main()
