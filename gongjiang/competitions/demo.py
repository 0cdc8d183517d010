"""The demo's competitions: a finished provincial skills season (2025: 基层赛 in three big enterprises,
市级选拔赛 in the 16 cities, 省级决赛; ten events with registrations, draws, judges, marks, rankings, prizes,
certificates, promotions) and one in progress (2026: registration open, Jinan's 车工 round being marked by
the judge personas, Qingdao's 焊工 results on public notice). Loaded after the org demo by `load_demo`.

Structure, draws, marking panels, scores, rankings and finalisation go through the services (so the records,
audit events and invariants are the real ones); the bulk of rows — entries, check-ins, judge assignments,
marks — is written in bulk with values computed by the same rules, so the whole season loads in seconds."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import DEMO_PASSWORD, PROVINCE_CODE, Persona
from gongjiang.orgs.models import Occupation, Org, Person, User

from . import services
from .choices import CompetitionState, EntrySource, EntryStatus, JudgeRole, Level, RoundState, SheetState
from .models import Entry, Judge, Mark, Round, RoundJudge, Sheet
from .queries import aspect_of
from .rules import aspect_marks, marking
from .services.scoring import _compute_scores

SEED = 2026
WITNESSES = [{"name": "监督员 孙立平", "number": "318"}, {"name": "选手代表 周海峰", "number": "77"}]
EVENTS = [("车工", "6-18-01-01"), ("铣工", "6-18-01-02"), ("焊工", "6-18-02-04"), ("电工", "6-31-01-03"),
          ("汽车维修工", "4-12-01-01"), ("装配钳工", "6-20-01-01"), ("机修钳工", "6-31-01-02"),
          ("电梯安装维修工", "6-29-03-03"), ("砌筑工", "6-29-01-01"), ("养老护理员", "4-10-01-05")]
BIG_ENTERPRISES = ("370102001001",)  # 济钢 runs a 基层赛; two more are picked by size
PERSONAS = [
    Persona("judge", _("Judge"), "", "", "", _("Marks the sheets of the 2026 车工 round in Jinan, by 加密号 only")),
    Persona("chief_judge", _("Chief judge"), "", "", "",
            _("Locks that round's sheets, sees the judges' calibration, decrypts with the supervisor")),
    Persona("supervisor", _("Supervisor"), "", "", "", _("Confirms the decryption with their own password")),
    Persona("pingyi1", _("Labour competition evaluator"), "", "", "",
            _("Enters the monthly evaluations of the labour competition")),
]
JUDGE_PERSONAS = [("judge", "裁判员 张建国", JudgeRole.JUDGE), ("chief_judge", "裁判长 王德明", JudgeRole.CHIEF),
                  ("supervisor", "监督 刘玉梅", JudgeRole.SUPERVISOR)]


def scheme_rows(trade: str) -> list[dict[str, Any]]:
    """A 100-point practical scheme: measurements (40) and judgement (60), worded for the trade."""
    return [
        {"section_code": "A", "section_name": "作品质量（测量）", "criterion_code": "A1", "criterion_name": "主要尺寸",
         "code": "A1.1", "description": f"{trade}作品主要尺寸公差", "kind": "tolerance", "max_mark": "15", "step": "1",
         "bands": [["0.02", "15"], ["0.05", "8"], ["0.1", "3"]]},
        {"section_code": "A", "section_name": "作品质量（测量）", "criterion_code": "A1", "criterion_name": "主要尺寸",
         "code": "A1.2", "description": "形位公差达标", "kind": "binary", "max_mark": "10", "step": "10"},
        {"section_code": "A", "section_name": "作品质量（测量）", "criterion_code": "A2",
         "criterion_name": "安全文明生产", "code": "A2.1", "description": "安全文明生产", "kind": "deduction",
         "max_mark": "15", "step": "1",
         "deductions": [["S1", "2", "劳保用品穿戴不规范"], ["S2", "5", "违规操作设备"], ["S3", "3", "工位不整洁"]]},
        {"section_code": "B", "section_name": "工艺与规范（评价）", "criterion_code": "B1", "criterion_name": "工艺",
         "code": "B1.1", "description": "工艺方案合理性", "kind": "judgement", "max_mark": "20", "step": "0.5"},
        {"section_code": "B", "section_name": "工艺与规范（评价）", "criterion_code": "B1", "criterion_name": "工艺",
         "code": "B1.2", "description": "操作规范与熟练程度", "kind": "judgement", "max_mark": "20", "step": "0.5"},
        {"section_code": "B", "section_name": "工艺与规范（评价）", "criterion_code": "B2", "criterion_name": "外观",
         "code": "B2.1", "description": "表面质量与整体效果", "kind": "judgement", "max_mark": "20", "step": "0.5"},
    ]


class SeasonBuilder:
    def __init__(self, admin: User, rng: random.Random, log: Callable[[str], None]) -> None:
        self.admin, self.rng, self.log = admin, rng, log
        self.province = Org.objects.get(code=PROVINCE_CODE)
        self.cities = list(Org.objects.filter(kind=OrgKind.CITY).order_by("path"))
        self.password = make_password(DEMO_PASSWORD)
        self.pool: dict[int, list[Judge]] = {}  # city pk (or 0: the province) → judges
        self.used: set[int] = set()  # people already entered (one event per worker per season)
        self.people_by_city: dict[str, list[tuple[int, int, str, int | None]]] = {}
        self.stats = {"entries": 0, "marks": 0, "rounds": 0}
        self.events = EVENTS

    # -- people and judges ------------------------------------------------------------------------

    def load_people(self) -> None:
        """Workers aged 20–50 by city: (id, employer id, employer path, trade id)."""
        born_after, born_before = datetime.date(1976, 1, 1), datetime.date(2005, 1, 1)
        for pk, employer, path, trade in (Person.objects.filter(birth_date__range=(born_after, born_before))
                                          .exclude(name="李强").order_by("pk")
                                          .values_list("pk", "employer_id", "employer__path", "trade_id")):
            self.people_by_city.setdefault(path[:8], []).append((pk, employer, path, trade))

    def judge_pool(self) -> None:
        """About six judges per city and twelve provincial ones (accounts share one password hash)."""
        units = {}
        for city in self.cities:
            units[city.pk] = list(Org.objects.filter(path__startswith=city.path, kind=OrgKind.GRASSROOTS)
                                  .order_by("-person_count")[:6])
        industry = list(Org.objects.filter(kind=OrgKind.INDUSTRY, depth=2).order_by("path"))
        surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
        given = ["建国", "德明", "玉梅", "志强", "海燕", "卫东", "立新", "秀英", "国庆", "红梅", "振华", "春生"]
        n = 0
        for key, orgs in [(c.pk, units[c.pk]) for c in self.cities] + [(0, industry * 2)]:
            judges = []
            for unit in orgs[:12]:
                n += 1
                name = f"{surnames[n % len(surnames)]}{given[n % len(given)]}"
                user = User.objects.create(username=f"judge{n:03d}", full_name=f"裁判 {name}", password=self.password)
                judges.append(Judge.objects.create(user=user, pool=self.province, unit=unit, name=name,
                                                   qualification="国家职业技能竞赛裁判员"))
            self.pool[key] = judges
        for username, full_name, _role in JUDGE_PERSONAS:
            user = User.objects.create(username=username, full_name=full_name, password=self.password)
            unit = industry[0] if industry else self.province
            self.pool.setdefault(-1, []).append(Judge.objects.create(
                user=user, pool=self.province, unit=unit, name=full_name.split()[-1], qualification="国家级裁判员"))

    # -- a season -----------------------------------------------------------------------------------

    def season(self, year: int, name: str, stages: list[tuple[str, str, bool, dict[str, Any]]]) -> Any:
        admin = self.admin
        competition = services.create_competition(
            actor=admin, organiser=self.province, name=name, year=year, level=Level.PROVINCE, klass=1,
            co_organisers="山东省人力资源和社会保障厅", registration_opens=datetime.date(year, 3, 1),
            registration_closes=datetime.date(year, 12, 31),
            description="以“技能强省、匠心筑梦”为主题，分基层赛、市级选拔赛、省级决赛三级进行。")
        made = [services.add_stage(actor=admin, competition=competition, name=n, level=lv, direct_registration=d,
                                   advancement=adv) for n, lv, d, adv in stages]
        trades = {o.code: o for o in Occupation.objects.filter(code__in=[c for _n, c in self.events])}
        for i, (trade, code) in enumerate(self.events):
            event = services.add_event(
                actor=admin, competition=competition, name=trade, trade=trades.get(code), order=i,
                members_only=False, exclude_leaders=True, min_age=18, max_age=55,
                age_reference_date=datetime.date(year, 9, 1), unit_quota=6,
                prize_rule={"bands": [{"prize": "first", "percent": 10}, {"prize": "second", "percent": 20},
                                      {"prize": "third", "percent": 30}]})
            services.set_scheme(actor=admin, event=event, aspects=scheme_rows(trade), expected_total=Decimal(100))
        return competition, made

    def entries(self, rnd: Round, people: list[tuple[int, int, str, int | None]], n: int,
                status: str = EntryStatus.REGISTERED) -> list[Entry]:
        free = [p for p in people if p[0] not in self.used]
        trade = rnd.event.trade_id
        preferred = [p for p in free if p[3] == trade]
        chosen, seen = [], set()
        for p in preferred + self.rng.sample(free, min(len(free), n * 3)):
            if p[0] not in seen and len(chosen) < n:
                seen.add(p[0])
                chosen.append(p)
        unit_of = self.unit_paths()
        rows = []
        for pk, employer, path, _t in chosen:
            self.used.add(pk)
            unit = unit_of.get(path) or employer
            rows.append(Entry(round=rnd, person_id=pk, unit_id=unit, city_path=path[:8], status=status,
                              source=EntrySource.UNIT, created_by=self.admin,
                              accepted_on=timezone.localdate() if status == EntryStatus.REGISTERED else None))
        Entry.objects.bulk_create(rows)
        self.stats["entries"] += len(rows)
        return rows

    def unit_paths(self) -> dict[str, int]:
        """employer path → its grassroots union's pk (cached: departments and teams lie under a union)."""
        if not hasattr(self, "_units"):
            grassroots = dict(Org.objects.filter(kind=OrgKind.GRASSROOTS).values_list("path", "pk"))
            units: dict[str, int] = {}
            for path in Org.objects.filter(kind__in=[OrgKind.GRASSROOTS, OrgKind.DEPARTMENT, OrgKind.TEAM]
                                           ).values_list("path", flat=True):
                for i in range(len(path), 0, -4):
                    if path[:i] in grassroots:
                        units[path] = grassroots[path[:i]]
                        break
            self._units = units
        return self._units

    def panel(self, rnd: Round, pool_key: int, personas: bool = False) -> dict[str, Judge]:
        judges = self.rng.sample(self.pool[pool_key], min(6, len(self.pool[pool_key])))
        roles = [JudgeRole.JUDGE] * 4 + [JudgeRole.CHIEF, JudgeRole.SUPERVISOR]
        if personas:
            persona = self.pool[-1]
            judges = [persona[0], *judges[:3], persona[1], persona[2]]
        RoundJudge.objects.bulk_create([RoundJudge(round=rnd, judge=j, role=r) for j, r in zip(judges, roles,
                                                                                                strict=False)])
        return {"chief": judges[4], "supervisor": judges[5]}

    def run_round(self, rnd: Round, pool_key: int, *, until: str, personas: bool = False, signed_share: float = 1.0
                  ) -> None:
        """Draw, check in, open marking, mark, then go as far as `until` (marking, publicity or final)."""
        admin = self.admin
        if Entry.objects.filter(round=rnd, status=EntryStatus.REGISTERED).count() < 2:
            return  # too few contestants for a contest (the tiny demo)
        roles = self.panel(rnd, pool_key, personas)
        services.draw_contestant_numbers(actor=admin, rnd=rnd, witnesses=WITNESSES)
        taking = Entry.objects.filter(round=rnd, status=EntryStatus.REGISTERED)
        ids = list(taking.values_list("pk", flat=True))
        absent = set(self.rng.sample(ids, len(ids) // 15)) if len(ids) > 10 else set()
        Entry.objects.filter(pk__in=[i for i in ids if i not in absent]).update(
            status=EntryStatus.CHECKED_IN, checked_in_at=timezone.now())
        services.draw_stations(actor=admin, rnd=rnd, witnesses=WITNESSES)
        services.draw_codes(actor=admin, rnd=rnd, witnesses=WITNESSES)
        services.open_marking(actor=admin, rnd=rnd)
        self.mark(rnd, signed_share)
        self.stats["rounds"] += 1
        if until == "marking":
            return
        now = timezone.now()
        Sheet.objects.filter(round=rnd).update(state=SheetState.LOCKED, locked_at=now, locked_by=roles["chief"].user)
        _compute_scores(rnd)
        theory = {e.pk: Decimal(self.rng.randint(60, 98)) for e in Entry.objects.filter(
            round=rnd, status=EntryStatus.CHECKED_IN)}
        Round.objects.filter(pk=rnd.pk).update(state=RoundState.DECRYPTED, decrypted_at=now,
                                               decrypted_by=roles["chief"].user,
                                               decryption_witness=roles["supervisor"].user)
        rnd.refresh_from_db()
        services.set_theory_scores(actor=admin, rnd=rnd, scores=theory, note="演示数据")
        if until == "publicity":
            services.publish_results(actor=admin, rnd=rnd, publicity_until=timezone.localdate() + datetime.timedelta(
                days=5))
            return
        services.publish_results(actor=admin, rnd=rnd, publicity_until=timezone.localdate())
        # A finished round's notice ran last week (its core notice and the round's copy of the last day).
        from gongjiang.core.models import PublicNotice

        rnd.refresh_from_db()
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        PublicNotice.objects.filter(pk=rnd.notice_id).update(starts_on=yesterday - datetime.timedelta(days=6),
                                                             ends_on=yesterday)
        Round.objects.filter(pk=rnd.pk).update(publicity_until=yesterday)
        rnd.refresh_from_db()
        services.finalise_round(actor=admin, rnd=rnd)

    def mark(self, rnd: Round, signed_share: float) -> None:
        """Marks of every sheet from each contestant's drawn ability: measurements taken once and shared by the
        judges (they must agree), judgements from each judge with a little spread."""
        scheme = rnd.event.scheme
        aspects = list(scheme.aspects.all())
        sheets = list(Sheet.objects.filter(round=rnd).order_by("entry_id", "judge_id"))
        ability: dict[int, float] = {}
        measured: dict[tuple[int, int], tuple[int, dict[str, Any]]] = {}
        rows = []
        signed = []
        for sheet in sheets:
            skill = ability.setdefault(sheet.entry_id, min(0.99, max(0.35, self.rng.gauss(0.75, 0.12))))
            if self.rng.random() < signed_share:
                signed.append(sheet.pk)
            elif self.rng.random() < 0.5:
                continue  # an untouched sheet: the judge has not started it
            for a in aspects:
                key = (sheet.entry_id, a.pk)
                if a.kind == "judgement":
                    raw_mark = a.max_mark * min(1.0, max(0.2, skill + self.rng.gauss(0, 0.06)))
                    value = round(raw_mark / a.step) * a.step
                    rows.append(Mark(sheet=sheet, aspect=a, value=value, raw={}))
                    continue
                if key not in measured:
                    measured[key] = self.measure(a, skill)
                value, raw = measured[key]
                rows.append(Mark(sheet=sheet, aspect=a, value=value, raw=raw))
        Mark.objects.bulk_create(rows, batch_size=2000)
        Sheet.objects.filter(pk__in=signed).update(state=SheetState.SIGNED, signed_at=timezone.now())
        self.stats["marks"] += len(rows)

    def measure(self, a: Any, skill: float) -> tuple[int, dict[str, Any]]:
        rule = aspect_of(a)
        if a.kind == "binary":
            achieved = self.rng.random() < skill
            return marking.to_hundredths(aspect_marks.binary_mark(rule, achieved)), {"achieved": achieved}
        if a.kind == "tolerance":
            deviation = str(Decimal(self.rng.choice([1, 2, 2, 3, 4, 6, 9])) / 100)
            if self.rng.random() < skill:
                deviation = "0.01"
            return marking.to_hundredths(aspect_marks.tolerance_mark(rule, deviation)), {"deviation": deviation}
        faults = {} if self.rng.random() < skill else {self.rng.choice(["S1", "S3"]): 1}
        return marking.to_hundredths(aspect_marks.deduction_mark(rule, faults)), {"faults": faults}


@transaction.atomic
def load(log: Callable[[str], None] = lambda s: None, events: int = len(EVENTS)) -> dict[str, int]:
    """Both seasons; `events` limits the events (the tiny test demo has too few people for ten)."""
    admin = User.objects.get(username="province_admin")
    b = SeasonBuilder(admin, random.Random(SEED), log)
    b.events = EVENTS[:events]
    b.load_people()
    b.judge_pool()
    city_pool = {c.path: c.pk for c in b.cities}
    # -- 2025: a finished season in three stages ----------------------------------------------------
    competition, (grassroots, city, final) = b.season(2025, "2025年山东省职工职业技能大赛", [
        ("基层赛", Level.ENTERPRISE, True, {"mode": "top_n", "n": 3}),
        ("市级选拔赛", Level.CITY, True, {"mode": "top_n", "n": 2}),
        ("省级决赛", Level.PROVINCE, False, {}),
    ])
    big = list(Org.objects.filter(code__in=BIG_ENTERPRISES)) + list(
        Org.objects.filter(kind=OrgKind.GRASSROOTS).exclude(code__in=BIG_ENTERPRISES).order_by("-person_count")[:2])
    events = list(competition.events.all())
    services.open_rounds(actor=admin, stage=grassroots, organisers=big, events=events[:4])
    services.open_rounds(actor=admin, stage=city)
    services.open_rounds(actor=admin, stage=final)
    services.change_state(actor=admin, competition=competition, state=CompetitionState.REGISTRATION)
    for rnd in Round.objects.filter(stage=grassroots).select_related("organiser", "event"):
        people = [p for p in b.people_by_city.get(rnd.organiser.path[:8], []) if p[2].startswith(rnd.organiser.path)]
        b.entries(rnd, people, 8)
        b.run_round(rnd, city_pool.get(rnd.organiser.path[:8], 0), until="final")
    log("  2025: 基层赛 done")
    for rnd in Round.objects.filter(stage=city).select_related("organiser", "event").order_by("event__order", "pk"):
        b.entries(rnd, b.people_by_city.get(rnd.organiser.path, []), b.rng.randint(6, 10))
        b.run_round(rnd, city_pool[rnd.organiser.path], until="final")
    log("  2025: 市级选拔赛 done")
    for rnd in Round.objects.filter(stage=final).select_related("organiser", "event"):
        b.run_round(rnd, 0, until="final")
    services.change_state(actor=admin, competition=competition, state=CompetitionState.CLOSED)
    services.change_state(actor=admin, competition=competition, state=CompetitionState.RUNNING)
    services.change_state(actor=admin, competition=competition, state=CompetitionState.PUBLICITY)
    services.change_state(actor=admin, competition=competition, state=CompetitionState.FINISHED)
    # the finished season happened in 2025: its registrations and final results are dated then
    Entry.objects.filter(round__event__competition=competition, accepted_on__isnull=False).update(
        accepted_on=datetime.date(2025, 4, 15))
    for stage, day in ((grassroots, datetime.date(2025, 5, 20)), (city, datetime.date(2025, 7, 15)),
                       (final, datetime.date(2025, 9, 20))):
        Round.objects.filter(stage=stage, finalised_on__isnull=False).update(finalised_on=day)
    log("  2025: 省级决赛 done")
    # -- 2026: a season in progress ------------------------------------------------------------------
    b.used = set()  # one event per worker per season
    current, (city26, final26) = b.season(2026, "2026年山东省第十一届职工职业技能大赛", [
        ("市级选拔赛", Level.CITY, True, {"mode": "top_n", "n": 2}),
        ("省级决赛", Level.PROVINCE, False, {}),
    ])
    services.open_rounds(actor=admin, stage=city26)
    services.open_rounds(actor=admin, stage=final26)
    services.change_state(actor=admin, competition=current, state=CompetitionState.REGISTRATION)
    jinan = next((c for c in b.cities if c.name.startswith("济南")), b.cities[0])
    qingdao = next((c for c in b.cities if c.name.startswith("青岛")), b.cities[-1])
    for rnd in Round.objects.filter(stage=city26).select_related("organiser", "event").order_by("event__order", "pk"):
        people = b.people_by_city.get(rnd.organiser.path, [])
        if rnd.organiser_id == jinan.pk and rnd.event.name == "车工":
            b.entries(rnd, people, 12)
            b.run_round(rnd, city_pool[rnd.organiser.path], until="marking", personas=True, signed_share=0.6)
        elif rnd.organiser_id == qingdao.pk and rnd.event.name == "焊工":
            b.entries(rnd, people, 10)
            b.run_round(rnd, city_pool[rnd.organiser.path], until="publicity")
        elif rnd.event.order < 4:
            b.entries(rnd, people, b.rng.randint(2, 6))
    log("  2026: registration open, Jinan 车工 being marked, Qingdao 焊工 on public notice")
    labour(b)
    log("  labour competition: ten months evaluated, November open")
    facts.rebuild(["competitions"])  # the rows written above without the verbs (entries, dates)
    return {**b.stats, "judges": Judge.objects.count()}


LABOUR_UNITS = ["中铁十四局济青项目部", "山东高速路桥集团二标段项目部", "中建八局济南东站项目部",
                "山东电建三公司输变电项目部", "济南轨道交通6号线土建三标项目部", "青岛地铁8号线盾构项目部",
                "山东港口日照港区扩建项目部",
                "鲁南高铁站房工程项目部"]


def labour(b: SeasonBuilder) -> None:
    """2026年全省重点工程建设“当先锋、作表率”劳动竞赛: eight project departments evaluated monthly by two
    evaluators on the standard indicators; January–October closed, November being evaluated."""
    from . import services
    from .models import Indicator

    admin = b.admin
    competition = services.create_labour_competition(
        actor=admin, organiser=b.province, name="2026年全省重点工程建设“当先锋、作表率”劳动竞赛", year=2026,
        fund_amount=Decimal("1200000.00"), co_organisers="山东省发展和改革委员会",
        description="围绕全省重点工程，开展比进度、比质量、比安全、比创新、比节能减排的劳动竞赛，以赛绩定收入。")
    units = [services.add_unit(actor=admin, competition=competition, name=n) for n in LABOUR_UNITS]
    evaluators = []
    for username, full_name in (("pingyi1", "考评员 陈卫东"), ("pingyi2", "考评员 赵秀英")):
        user = User.objects.create(username=username, full_name=full_name, password=b.password)
        services.appoint_evaluator(actor=admin, competition=competition, user=user)
        evaluators.append(user)
    periods = services.open_periods(actor=admin, competition=competition, kind="month", year=2026)
    indicators = list(Indicator.objects.filter(competition=competition))
    strength = {u.pk: b.rng.uniform(72, 94) for u in units}
    for month, period in enumerate(periods, start=1):
        if month > 11:
            break
        for evaluator in evaluators:
            if month == 11 and evaluator is evaluators[1]:
                continue  # November: the second evaluator has not entered yet
            cells = []
            for unit in units:
                for ind in indicators:
                    veto = ind.is_safety and month == 7 and unit is units[5]  # one serious accident in July
                    value = None if veto else Decimal(min(100, max(50, round(strength[unit.pk] + b.rng.gauss(0, 4)))))
                    cells.append(services.Cell(unit.pk, ind.pk, value, veto))
            services.enter_evaluations(actor=evaluator, period=period, cells=cells)
        if month <= 10:
            services.close_period(actor=admin, period=period)


def _wipe_core_notices_and_certificates() -> None:
    """The rounds' public notices (with their objections) and the prize certificates live in core."""
    from gongjiang.core.models import CertificateSeries, IssuedCertificate, Objection, ObjectionNote, PublicNotice

    from .publicity import PRIZE_CERTIFICATE, ROUND_NOTICE

    ObjectionNote.objects.filter(objection__notice__kind=ROUND_NOTICE).delete()
    Objection.objects.filter(notice__kind=ROUND_NOTICE).delete()
    PublicNotice.objects.filter(kind=ROUND_NOTICE).delete()
    IssuedCertificate.objects.filter(kind=PRIZE_CERTIFICATE).delete()
    CertificateSeries.objects.exclude(issuer_path__in=IssuedCertificate.objects.values("issuer_path")).delete()


def wipe() -> None:
    """Delete every competition row and judge account (before the org demo is wiped: they point at orgs and
    people)."""
    from .models import Appeal, Certificate, Competition, Conflict, Draw, Evaluation, Evaluator, PeriodResult, Promotion

    for model in (Mark, Sheet, Conflict, RoundJudge, Draw, Appeal, Certificate, Promotion, Evaluation, PeriodResult,
                  Evaluator):
        model.objects.all()._raw_delete(model.objects.db)
    Entry.objects.update(advanced_from=None, team=None)
    Competition.objects.all().delete()
    _wipe_core_notices_and_certificates()
    facts.rebuild(["competitions"])
    users = list(Judge.objects.values_list("user_id", flat=True))
    Judge.objects.all().delete()
    User.objects.filter(pk__in=users, is_superuser=False).delete()
    User.objects.filter(username__in=[p.username for p in PERSONAS], is_superuser=False).delete()
