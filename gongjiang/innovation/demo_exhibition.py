"""The demo's 6·18 exhibition (成果展洽会): the demo province's exhibition of this year (第二十届, 18–19 June, held),
with about sixty achievements offered for transfer and forty technical needs from the province's largest enterprises
(济钢 first), most of them in the catalogue, a few waiting for the check or returned; matches made from the rule's
suggestions at every state — matched, met, signed and implemented with their contract values, closed without
agreement — their meetings in the exhibition's slots, and a meeting request waiting for 济钢's answer. Deterministic
(its own seed); the figures (fact store) are rebuilt from the matches by `counters.rebuild()` afterwards (demo.load)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from gongjiang.core import audit
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User

from . import suggestions
from .choices import Category, EntryState, ExpoState, MatchOrigin, MatchState, MeetingState, TransferMode
from .models import Achievement, Exhibition, Match, Meeting, Need, Offer, Project, Suggestion
from .queries.exhibition import entry_item
from .rules import matching

SEED = 6180
# (the technology, its category): offers make it an achievement, needs a problem to solve with it.
TOPICS = (("转炉煤气余热发电", Category.ENERGY), ("加热炉蓄热式燃烧", Category.ENERGY),
          ("高炉冲渣水余热回收", Category.ENERGY), ("空压机群智能联控节能", Category.ENERGY),
          ("焊接机器人柔性工装", Category.EFFICIENCY), ("数控机床热变形补偿", Category.QUALITY),
          ("轧机主传动振动在线监测", Category.QUALITY), ("冷轧板形闭环控制", Category.QUALITY),
          ("设备预测性维护平台", Category.EFFICIENCY), ("智能巡检机器人", Category.SAFETY),
          ("危化品装卸安全联锁", Category.SAFETY), ("有限空间作业气体监测", Category.SAFETY),
          ("液压系统泄漏在线监测", Category.COST), ("精密轴承国产化替代", Category.COST),
          ("钢包耐材长寿化", Category.COST), ("除尘滤袋寿命提升", Category.COST),
          ("工业废水零排放回用", Category.ENERGY), ("矿用皮带机智能调速", Category.EFFICIENCY),
          ("港口门机远程操控", Category.EFFICIENCY), ("电力电缆局放在线检测", Category.SAFETY))
OFFER_FORMS = ("{t}技术", "{t}成套装置", "{t}系统")
NEED_FORMS = ("{t}改造需求", "引进{t}技术", "{t}难题攻关")
SUMMARY = "{t}：由职工创新团队研发，已在本企业稳定运行两年以上，{effect}，可提供技术指导与培训。"
EFFECTS = ("年节约成本120万元", "故障停机时间减少60%", "能耗下降15%", "产品一次合格率提高到99.2%", "实现本质安全")
PROBLEM = "公司现有{t}方面存在短板：{pain}，希望在展洽会上找到成熟技术，合作解决。"
PAINS = ("能耗偏高、成本压力大", "设备故障频发、影响生产", "质量波动大、客户投诉多", "安全风险高、人工巡检难",
         "备件依赖进口、价格高周期长")
# How many demo matches end at each state (from the best suggestions; 济钢 takes part in several).
PLAN = ((MatchState.IMPLEMENTED, 5), (MatchState.SIGNED, 7), (MatchState.MET, 6), (MatchState.MATCHED, 8),
        (MatchState.CLOSED, 4))
CLOSE_REASONS = ("双方在价格上未能达成一致", "需求方技术路线调整", "成果尚需中试验证，暂缓合作")


def load(enterprises: list[Org], workers: dict[int, list[Person]], organiser_admin: User | None,
         jigang_cadre: User | None, offers_n: int = 60, needs_n: int = 40) -> dict[str, int]:
    """Write the province's exhibition of this year with its catalogue, matches and meetings; returns the counts."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    province = Org.objects.filter(kind=OrgKind.PROVINCE).order_by("path").first()
    if province is None or not enterprises:
        return {"offers": 0, "needs": 0, "matches": 0, "signed": 0}
    year = today.year
    starts = datetime.date(year, 6, 18)
    e = Exhibition.objects.create(
        organiser=province, year=year, name=f"第{year - 2006}届6·18职工技术创新成果展洽会", starts_on=starts,
        ends_on=starts + datetime.timedelta(days=1), venue="山东国际会展中心", registration_deadline=starts -
        datetime.timedelta(days=13), state=ExpoState.HELD if today > starts else ExpoState.OPEN, slot_minutes=30,
        tables=12, created_by=organiser_admin,
        created_at=timezone.make_aware(datetime.datetime.combine(starts - datetime.timedelta(days=60),
                                                                 datetime.time(9)))
        if starts - datetime.timedelta(days=60) <= today else timezone.now())
    pool = enterprises[:30]
    projects = {p.enterprise_id: p for p in Project.objects.filter(enterprise__in=pool, stage__in=(
        "appraised", "transferred")).order_by("pk")}
    entered = timezone.make_aware(datetime.datetime.combine(starts - datetime.timedelta(days=30), datetime.time(10)))
    offers, needs = [], []
    for i in range(offers_n):
        org = pool[0] if i % 6 == 0 else pool[(i * 7) % len(pool)]
        topic, category = TOPICS[i % len(TOPICS)]
        title = OFFER_FORMS[(i // len(TOPICS)) % len(OFFER_FORMS)].format(t=topic)
        state = EntryState.SUBMITTED if i % 20 == 19 else EntryState.RETURNED if i % 20 == 13 else EntryState.ACCEPTED
        offers.append(Offer(
            exhibition=e, org=org, title=title, category=category,
            summary=SUMMARY.format(t=title, effect=EFFECTS[i % len(EFFECTS)]),
            mode=TransferMode.values[i % len(TransferMode.values)],
            price=None if i % 5 == 4 else Decimal(rng.randrange(10, 300) * 10000), authors="",
            project=projects.get(org.pk) if i % 4 == 0 else None,
            contact=workers[org.pk][i % len(workers[org.pk])], state=state,
            return_reason="成果尚未经过鉴定，请补充鉴定材料后另行申报" if state == EntryState.RETURNED else "",
            created_by=jigang_cadre if org == pool[0] else None, created_at=entered,
            checked_at=None if state == EntryState.SUBMITTED else entered + datetime.timedelta(days=5)))
    for i in range(needs_n):
        org = pool[0] if i % 7 == 3 else pool[(i * 11 + 5) % len(pool)]
        topic, category = TOPICS[(i * 3) % len(TOPICS)]
        title = NEED_FORMS[i % len(NEED_FORMS)].format(t=topic)
        state = EntryState.SUBMITTED if i % 15 == 14 else EntryState.ACCEPTED
        needs.append(Need(
            exhibition=e, org=org, title=title, category=category,
            description=PROBLEM.format(t=topic, pain=PAINS[i % len(PAINS)]),
            budget=None if i % 6 == 5 else Decimal(rng.randrange(20, 500) * 10000),
            solve_by=datetime.date(year + 1, 6, 30), contact=workers[org.pk][(i * 3) % len(workers[org.pk])],
            state=state, created_by=jigang_cadre if org == pool[0] else None, created_at=entered,
            checked_at=None if state == EntryState.SUBMITTED else entered + datetime.timedelta(days=5)))
    achievements: dict[int, list[Achievement]] = {}
    for a in Achievement.objects.filter(enterprise__in=pool, award__gt=0).order_by("award", "pk"):
        achievements.setdefault(a.enterprise_id, []).append(a)
    for i, o in enumerate(offers):
        if o.project is not None and o.project.enterprise_id != o.org_id:
            o.project = None
        own = achievements.get(o.org_id, [])
        if own and i % 3 == 1:  # a prize-winner of the year's calls, offered for transfer
            o.achievement = own[i % len(own)]
    Offer.objects.bulk_create(offers)
    Need.objects.bulk_create(needs)
    accepted_offers = [o for o in offers if o.state == EntryState.ACCEPTED]
    accepted_needs = [n for n in needs if n.state == EntryState.ACCEPTED]
    found = matching.suggest([entry_item(o) for o in accepted_offers], [entry_item(n) for n in accepted_needs], k=2)
    by_offer = {o.pk: o for o in accepted_offers}
    by_need = {n.pk: n for n in accepted_needs}
    # 济钢's pairs first (the persona sees matches at every state), then the rest, best first
    jigang = pool[0].pk
    found.sort(key=lambda s: (by_offer[s.offer].org_id != jigang and by_need[s.need].org_id != jigang, -s.score))
    plan = [state for state, n in PLAN for _i in range(n)]
    plan = [plan[(i * 7) % len(plan)] for i in range(len(plan))]  # states mixed over 济钢's pairs and the rest
    matches: list[Match] = []
    meetings: list[Meeting] = []
    slots = e.slots()
    busy: dict[datetime.datetime, set[int]] = {}
    tables: dict[datetime.datetime, int] = {}
    held = starts + datetime.timedelta(days=1)
    for k, (s, state) in enumerate(zip(found, plan, strict=False)):
        o, n = by_offer[s.offer], by_need[s.need]
        m = Match(exhibition=e, offer=o, need=n, score=s.score, state=state,
                  origin=(MatchOrigin.SUGGESTED, MatchOrigin.NEED_SIDE, MatchOrigin.OFFER_SIDE)[k % 3],
                  created_by=organiser_admin, created_at=entered + datetime.timedelta(days=8 + k % 5))
        if state in (MatchState.MET, MatchState.SIGNED, MatchState.IMPLEMENTED):
            m.met_on = min(held, today)
        if state in (MatchState.SIGNED, MatchState.IMPLEMENTED):
            m.signed_on = min(held + datetime.timedelta(days=20 + 9 * (k % 8)), today)
            m.contract_value = Decimal(rng.randrange(20, 320) * 10000)
        if state == MatchState.IMPLEMENTED:
            m.implemented_on = min(m.signed_on + datetime.timedelta(days=90), today)  # type: ignore[operator]
            m.implementation_note = "设备已安装调试完毕，投入运行，效果达到合同约定指标"
        if state == MatchState.CLOSED:
            m.closed_on = min(held + datetime.timedelta(days=30), today)
            m.close_reason = CLOSE_REASONS[k % len(CLOSE_REASONS)]
        matches.append(m)
        # a meeting at the exhibition: accepted for those who met, asked for (or declined) for the others
        for at in slots[(k * 5) % len(slots):] + slots:
            parties = {o.org_id, n.org_id}
            if not busy.get(at, set()) & parties and tables.get(at, 0) < e.tables:
                busy.setdefault(at, set()).update(parties)
                tables[at] = tables.get(at, 0) + 1
                meeting_state = (MeetingState.ACCEPTED if state != MatchState.MATCHED
                                 else MeetingState.REQUESTED if k % 2 == 0 else MeetingState.DECLINED)
                if state == MatchState.CLOSED:
                    meeting_state = MeetingState.ACCEPTED if k % 2 else MeetingState.DECLINED
                meetings.append(Meeting(
                    exhibition=e, match=m, starts_at=at, table=tables[at],
                    requested_by="need" if k % 2 == 0 else "offer", state=meeting_state,
                    decline_reason="当天另有安排" if meeting_state == MeetingState.DECLINED else "",
                    created_by=jigang_cadre if jigang in parties else None,
                    answered_at=None if meeting_state == MeetingState.REQUESTED else m.created_at))
                break
    Match.objects.bulk_create(matches)
    for mt in meetings:
        mt.match_id = mt.match.pk
    Meeting.objects.bulk_create(meetings)
    audit.record_bulk(None, "innovation.offer.submitted", offers, note="演示数据")
    audit.record_bulk(None, "innovation.need.submitted", needs, note="演示数据")
    audit.record_bulk(None, "innovation.match.made", matches, note="演示数据")
    suggestions.refresh(e)
    signed = sum(1 for m in matches if m.state in (MatchState.SIGNED, MatchState.IMPLEMENTED))
    return {"offers": len(offers), "needs": len(needs), "matches": len(matches), "signed": signed}


def wipe() -> None:
    """Delete the demo's exhibitions (before the projects their offers may name)."""
    for model in (Suggestion, Meeting, Match, Offer, Need, Exhibition):
        model.objects.all().delete()
