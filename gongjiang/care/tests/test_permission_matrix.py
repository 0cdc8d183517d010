"""The archive's permission matrix (DESIGN §4.7): every verb of `care.services` is tried, in the state where the
right actor succeeds, by an anonymous visitor, a cadre of another city (Qingdao), a viewer of Jinan (for the
writing verbs), the industry union the enterprise is affiliated to (it never sees needy workers) and a worker. Each
is refused with PermissionDeniedError and nothing changes; then the right actor succeeds. A verb added without its
row fails the last test. Then every page and API read of a file's personal data: out of scope a 404, each opening
audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from gongjiang.care import services
from gongjiang.care.models import CareRequest, CareSetting, HouseholdFile, Member
from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.models import AuditEvent

from .factories import Care

Row = Callable[[Care], tuple[str, dict[str, Any]]]
OUTSIDERS = ["anonymous", "qingdao_cadre", "industry_cadre", "worker"]
WRITERS_ONLY = ["jinan_viewer"]


def _filed(cw: Care) -> CareRequest:
    return cw.file()


def _checked(cw: Care) -> CareRequest:
    return services.check_request(actor=cw.sd.enterprise_cadre, request=cw.file())


ROWS: dict[str, tuple[Row, list[str]]] = {
    "set_threshold": (lambda cw: ("jinan_cadre", {"org": cw.sd.jinan, "monthly_minimum": "1200"}),
                      [*OUTSIDERS, *WRITERS_ONLY, "county_cadre"]),
    "file_household": (lambda cw: ("enterprise_cadre", {
        "person": cw.sd.worker_person, "union": cw.sd.steel, "housing": "rented", "causes": ["illness"],
        "members": cw.household()}), [*OUTSIDERS, *WRITERS_ONLY]),
    "request_change": (lambda cw: ("enterprise_cadre", {
        "file": cw.active(), "housing": "owned", "causes": ["illness"], "members": cw.household()}),
        [*OUTSIDERS, *WRITERS_ONLY]),
    "request_exit": (lambda cw: ("enterprise_cadre", {"file": cw.active(), "reason": "已就业"}),
                     [*OUTSIDERS, *WRITERS_ONLY]),
    "review_file": (lambda cw: ("county_cadre", {"file": cw.active()}), [*OUTSIDERS, *WRITERS_ONLY]),
    "check_request": (lambda cw: ("enterprise_cadre", {"request": _filed(cw)}), [*OUTSIDERS, *WRITERS_ONLY]),
    "approve_request": (lambda cw: ("county_cadre", {"request": _checked(cw)}),
                        [*OUTSIDERS, *WRITERS_ONLY, "enterprise_cadre"]),
    "return_request": (lambda cw: ("enterprise_cadre", {"request": _filed(cw), "reason": "材料不全"}),
                       [*OUTSIDERS, *WRITERS_ONLY]),
    "open_file": (lambda cw: ("jinan_viewer", {"file": cw.active()}), OUTSIDERS),
    "export_files": (lambda cw: ("jinan_viewer", {"org": cw.sd.steel, "file_ids": [cw.active().pk]}), OUTSIDERS),
}


def _actor(sd: Any, name: str) -> Any:
    return AnonymousUser() if name == "anonymous" else getattr(sd, name)


def _counts() -> tuple[Any, ...]:
    return (HouseholdFile.objects.count(), Member.objects.count(),
            tuple(CareRequest.objects.order_by("pk").values_list("state", flat=True)),
            tuple(HouseholdFile.objects.order_by("pk").values_list("status", "grade", "next_review")),
            tuple(CareSetting.objects.order_by("pk").values_list("monthly_minimum", flat=True)),
            AuditEvent.objects.filter(verb__startswith="care.").count())


@pytest.mark.parametrize("name", sorted(ROWS))
def test_every_verb_refuses_the_wrong_actors_and_lets_the_right_one(sd, cw, name):
    row, wrong = ROWS[name]
    right, kwargs = row(cw)
    verb = getattr(services, name)
    before = _counts()
    for who in wrong:
        with pytest.raises(PermissionDeniedError):
            verb(actor=_actor(sd, who), **kwargs)
        assert _counts() == before, who
    verb(actor=getattr(sd, right), **kwargs)


def test_every_verb_has_its_row():
    assert set(services.__all__) == set(ROWS)


def test_clear_ids_are_for_the_caseworker_and_the_enterprise_union_only(sd, cw):
    f = cw.active()
    assert services.open_file(actor=sd.enterprise_cadre, file=f, clear_ids=True) is True
    for who in ("county_cadre", "jinan_cadre", "jinan_viewer", "province_admin"):
        with pytest.raises(PermissionDeniedError, match="full ID numbers"):
            services.open_file(actor=getattr(sd, who), file=f, clear_ids=True)
        with pytest.raises(PermissionDeniedError, match="full ID numbers"):
            services.export_files(actor=getattr(sd, who), org=sd.steel, file_ids=[f.pk], clear_ids=True)
        assert services.open_file(actor=getattr(sd, who), file=f) is False
    assert services.export_files(actor=sd.enterprise_cadre, org=sd.steel, file_ids=[f.pk], clear_ids=True) == 1
