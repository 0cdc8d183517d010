"""The training permission matrix (DESIGN §4.7): every verb of `services.training` is tried, in the state where the
right actor succeeds, by an anonymous visitor, a cadre of another city (Qingdao), a viewer of Jinan and a worker of
济钢 (for marking a material learnt: a Qingdao worker, whose unit the material is not shared with). Each is refused
with PermissionDeniedError and nothing changes. The right actor succeeds from the same state. A new verb without its
row fails the first test. Then every page: anonymous → the log-in page, out of scope → 404 (a record) or 403 (a
form or a cadre's list), the right persona → 200."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.learning.services import training as services
from gongjiang.learning.training_choices import MaterialKind
from gongjiang.orgs.tests.factories import user

from .test_training_services import rows
from .training_factories import TODAY, Training, build, pdf


@pytest.fixture(autouse=True)
def _english_messages():
    """This part's tests read the Chinese messages the users get (overrides the package's English switch)."""
    yield

Row = Callable[[Training], tuple[str, dict[str, Any]]]
CADRE = "enterprise_cadre"

@pytest.fixture
def tr(sd):
    return build(sd)



def _session(t: Training) -> Any:
    return t.session()


def _with_attendee(t: Training) -> tuple[str, dict[str, Any]]:
    s = t.session()
    services.add_attendees(actor=t.sd.enterprise_cadre, session=s, people=[t.zhang])
    return CADRE, {"session": s, "person": t.zhang}


def _material(t: Training) -> Any:
    return services.add_material(actor=t.sd.province_admin, org=t.sd.jinan, title="焊接安全", kind=MaterialKind.LINK,
                                 url="https://example.cn/weld")


MATRIX: dict[str, Row] = {
    "record_session": lambda t: (CADRE, {"org": t.sd.steel, "topic": "安全培训", "starts_on": TODAY,
                                         "ends_on": TODAY, "hours": Decimal(4)}),
    "edit_session": lambda t: (CADRE, {"session": _session(t), "topic": "安全培训（更正）", "starts_on": TODAY,
                                       "ends_on": TODAY, "hours": Decimal(4)}),
    "add_session_files": lambda t: (CADRE, {"session": _session(t), "uploads": [pdf()]}),
    "add_attendees": lambda t: (CADRE, {"session": _session(t), "people": [t.zhang]}),
    "remove_attendee": _with_attendee,
    "start_pair": lambda t: (CADRE, {"org": t.sd.steel, "mentor": t.mentor, "apprentice": t.zhao, "goals": "出师",
                                     "starts_on": TODAY}),
    "finish_pair": lambda t: (CADRE, {"pair": t.pair(), "on": TODAY, "result": "晋升四级"}),
    "end_pair": lambda t: (CADRE, {"pair": t.pair(), "on": TODAY, "reason": "调岗"}),
    "add_material": lambda t: ("jinan_cadre", {"org": t.sd.jinan, "title": "案例", "kind": MaterialKind.LINK,
                                               "url": "https://example.cn/a"}),
    "complete_material": lambda t: ("worker", {"material": _material(t)}),
}
OUTSIDERS = ("anonymous", "qingdao_cadre", "jinan_viewer", "worker")
LEARNER_OUTSIDERS = ("anonymous", "qingdao_cadre", "jinan_viewer", "qd_worker")


def actor(t: Training, persona: str) -> Any:
    if persona == "anonymous":
        return AnonymousUser()
    if persona == "qd_worker":
        return user("qd_worker", person=t.sd.qd_person)
    return getattr(t.sd, persona)


def verbs() -> dict[str, Any]:
    return {name: fn for name, fn in inspect.getmembers(services, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == services.__name__ and hasattr(fn, "__wrapped__")}


def test_every_verb_has_a_row():
    assert set(verbs()) == set(MATRIX)


CASES = [(name, p) for name in sorted(MATRIX)
         for p in (LEARNER_OUTSIDERS if name == "complete_material" else OUTSIDERS)]


@pytest.mark.parametrize("name,persona", CASES)
def test_an_outsider_is_refused_and_nothing_changes(tr, name, persona):
    _right, kwargs = MATRIX[name](tr)
    who = actor(tr, persona)
    before = rows()
    with pytest.raises(PermissionDeniedError) as refused:
        verbs()[name](actor=who, **kwargs)
    assert refused.value.status == 403
    assert rows() == before


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_right_actor_succeeds(tr, name):
    right, kwargs = MATRIX[name](tr)
    before = rows()
    assert verbs()[name](actor=actor(tr, right), **kwargs) is not None
    assert rows() != before


# ---------------------------------------------------------------------------------------------
# Pages


def _pages(t: Training) -> dict[str, tuple[str, str, int]]:
    """url name → (address, the right persona, what an out-of-scope cadre (Qingdao) gets)."""
    s = t.session()
    f = services.add_session_files(actor=t.sd.enterprise_cadre, session=s, uploads=[pdf()])[0]
    p = t.pair()
    m = _material(t)
    doc = services.add_material(actor=t.sd.enterprise_cadre, org=t.sd.steel, title="手册", kind=MaterialKind.DOCUMENT,
                                upload=pdf())
    steel = f"?org={t.sd.steel.pk}"
    return {
        "session_list": (reverse("learning:session_list"), CADRE, 200),
        "session_create": (reverse("learning:session_create") + steel, CADRE, 404),
        "session_detail": (reverse("learning:session_detail", args=[s.pk]), CADRE, 404),
        "session_edit": (reverse("learning:session_edit", args=[s.pk]), CADRE, 404),
        "session_file": (reverse("learning:session_file", args=[s.pk, f.pk]), CADRE, 404),
        "attendee_import": (reverse("learning:attendee_import", args=[s.pk]), CADRE, 404),
        "attendee_import_template": (reverse("learning:attendee_import_template", args=[s.pk]), CADRE, 404),
        "pair_list": (reverse("learning:pair_list"), CADRE, 200),
        "pair_create": (reverse("learning:pair_create") + steel, CADRE, 404),
        "pair_detail": (reverse("learning:pair_detail", args=[p.pk]), CADRE, 404),
        "material_list": (reverse("learning:material_list"), "worker", 200),
        "material_create": (reverse("learning:material_create") + f"?org={t.sd.jinan.pk}", "jinan_cadre", 404),
        "material_file": (reverse("learning:material_file", args=[doc.pk]), "worker", 404),
        "material_done": (reverse("learning:material_done", args=[m.pk]), "worker", 404),
    }


def test_every_page_is_in_the_matrix(tr):
    from gongjiang.learning.training_urls import urlpatterns

    assert {u.name for u in urlpatterns} - {"attendee_import_status"} == set(_pages(tr))


@pytest.mark.parametrize("name", sorted(["session_list", "session_create", "session_detail", "session_edit",
                                         "session_file", "attendee_import", "attendee_import_template", "pair_list",
                                         "pair_create", "pair_detail", "material_list", "material_create",
                                         "material_file", "material_done"]))
def test_each_page_for_each_persona(tr, name):
    url, right, outside = _pages(tr)[name]
    post = name == "material_done"

    def get(persona: str | None) -> Any:
        c = Client()
        if persona:
            c.force_login(actor(tr, persona))
        return c.post(url) if post else c.get(url)

    anonymous = get(None)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert get(right).status_code == (302 if post else 200)
    assert get("qingdao_cadre").status_code == outside
    if right != "worker":
        assert get("worker").status_code in (403, 404), "a worker opens no cadre page"
    if right == CADRE and outside == 404:
        assert get("jinan_cadre").status_code in (200, 403), "the city above may look"
