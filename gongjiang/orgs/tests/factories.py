"""Test data builders: a small Shandong tree with named personas (the same names as the demo)."""

from __future__ import annotations

import contextlib
import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gongjiang.core.ids import make_credit_code, make_id_card
from gongjiang.orgs import counters
from gongjiang.orgs.choices import OrgKind, Role
from gongjiang.orgs.models import Org, Person, RoleGrant, User

_seq = itertools.count(1)


def id_number(region: str = "370102", birth: datetime.date | None = None, seq: int | None = None,
              female: bool = False) -> str:
    """A valid ID number; unique per call unless `seq` is given. Without `birth`, an adult of 25 to 41 in 2026: the
    birth day walks from 1985 and wraps after about sixteen years, however many people a test process has made
    before (the counter is shared by every test a worker runs)."""
    n = seq if seq is not None else next(_seq) % 500 * 2
    n = n + (0 if female else 1)
    born = birth or datetime.date(1985, 3, 7) + datetime.timedelta(days=next(_seq) % 6000)
    return make_id_card(region, born, n % 1000)


def credit_code(n: int | None = None) -> str:
    n = n if n is not None else next(_seq)
    return make_credit_code("9", "1", "370100", f"{n:08d}"[-8:].replace("0", "M", 1))


def org(parent: Org | None, name: str, kind: str, code: str | None = None, **kw: Any) -> Org:
    data = {"name": name, "kind": kind, "code": code or f"T{next(_seq):06d}", **kw}
    if parent is None:
        root = Org.objects.add_root(create_kwargs=data)
        counters.org_added(root)  # it counts one unit of its kind
        return root
    child = Org.objects.add_child(parent, create_kwargs=data)
    counters.org_added(child)
    parent.tree_orgs, parent.tree_active = parent.tree_orgs + 1, parent.tree_active + 1  # as the database has it
    kind_field = counters.KIND_TO_TREE[kind]
    setattr(parent, kind_field, getattr(parent, kind_field) + 1)
    return child


def user(username: str, *grants: tuple[Org, str], person: Person | None = None, **kw: Any) -> User:
    u = User.objects.create_user(username=username, password="Gongjiang-2026", full_name=username,
                                 person=person, **kw)
    for o, role in grants:
        RoleGrant.objects.create(user=u, org=o, role=role)
    return u


def person(employer: Org, name: str = "张三", **kw: Any) -> Person:
    from gongjiang.core.crypto import encrypt, lookup_hash
    from gongjiang.core.ids import mask_id_card, parse_id_card

    info = parse_id_card(kw.pop("id_number", None) or id_number())
    p = Person.objects.create(name=name, id_encrypted=encrypt(info.number), id_hash=lookup_hash(info.number),
                              id_masked=mask_id_card(info.number), gender=info.gender, birth_date=info.birth_date,
                              employer=employer, **kw)
    counters.refresh([employer.pk])
    return p


@dataclass
class Province:
    """山东省总工会 with two cities, a county, a town, an industry union and an enterprise with a
    workshop and a team; one account per persona."""

    province: Org
    jinan: Org
    qingdao: Org
    lixia: Org
    town: Org
    metallurgy: Org
    steel: Org
    workshop: Org
    team: Org
    qd_enterprise: Org
    province_admin: User
    jinan_cadre: User
    qingdao_cadre: User
    county_cadre: User
    enterprise_cadre: User
    industry_cadre: User
    jinan_viewer: User
    worker: User
    worker_person: Person
    qd_person: Person


def build_province() -> Province:
    K = OrgKind
    province = org(None, "山东省总工会", K.PROVINCE, "37", region_code="370000", short_name="省总工会")
    jinan = org(province, "济南市总工会", K.CITY, "3701", region_code="370100")
    qingdao = org(province, "青岛市总工会", K.CITY, "3702", region_code="370200")
    metallurgy = org(province, "山东省冶金工会", K.INDUSTRY, "37-YJ")
    lixia = org(jinan, "历下区总工会", K.COUNTY, "370102", region_code="370102")
    town = org(lixia, "解放路街道总工会", K.TOWN, "370102001", region_code="370102")
    steel = org(town, "济南钢铁集团有限公司工会", K.GRASSROOTS, "E0001", credit_code=credit_code(1),
                industry="C", ownership="state", industry_union=metallurgy, industry_path=metallurgy.path,
                employee_count=3200)
    workshop = org(steel, "炼钢车间", K.DEPARTMENT, "E0001-01", industry_path=metallurgy.path)
    team = org(workshop, "炼钢一班", K.TEAM, "E0001-01-01", industry_path=metallurgy.path)
    qd_enterprise = org(qingdao, "青岛港集团有限公司工会", K.GRASSROOTS, "E0002", credit_code=credit_code(2),
                        industry="G", ownership="state")
    worker_person = person(team, "李强", mobile="13912345678", is_front_line=True)
    qd_person = person(qd_enterprise, "王芳", id_number=id_number("370202", female=True))
    return Province(
        province=province, jinan=jinan, qingdao=qingdao, lixia=lixia, town=town, metallurgy=metallurgy,
        steel=steel, workshop=workshop, team=team, qd_enterprise=qd_enterprise,
        province_admin=user("province_admin", (province, Role.ADMIN)),
        jinan_cadre=user("jinan_cadre", (jinan, Role.ADMIN), phone="13800000001"),
        qingdao_cadre=user("qingdao_cadre", (qingdao, Role.ADMIN)),
        county_cadre=user("county_cadre", (lixia, Role.STAFF)),
        enterprise_cadre=user("enterprise_cadre", (steel, Role.STAFF)),
        industry_cadre=user("industry_cadre", (metallurgy, Role.ADMIN)),
        jinan_viewer=user("jinan_viewer", (jinan, Role.VIEWER)),
        worker=user("worker", person=worker_person),
        worker_person=worker_person, qd_person=qd_person,
    )


def xlsx_upload(headers: list[str], rows: list[list[Any]], name: str) -> Any:
    """An uploaded .xlsx with a header row and `rows`, as a browser would send it (the imports' tests)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


@contextlib.contextmanager
def own_metrics(*metrics: Any, sources: tuple[Any, ...] = ()) -> Iterator[None]:
    """The fact store's registry holding only `metrics` (and `sources`) while inside: for tests of the statistics
    that want a few metrics of their own whatever the apps register; the apps' registry is restored after."""
    from gongjiang.orgs import facts

    saved = dict(facts._metrics), dict(facts._sources)
    facts._metrics.clear()
    facts._sources.clear()
    facts.register_metric(*metrics)
    for source in sources:
        facts.register_source(source)
    try:
        yield
    finally:
        facts._metrics.clear()
        facts._metrics.update(saved[0])
        facts._sources.clear()
        facts._sources.update(saved[1])
