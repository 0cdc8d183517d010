"""Every model that holds union data is read through the scoping kernel, and the kernel fails closed.

Walks every model of every Gongjiang app: each declares how it reaches the organisation tree (`scope_via`) or why
it needs no scope (`scope_exempt`); each scoped model's `for_user` shows an anonymous visitor nothing, a worker
without roles at most their own rows, a superuser everything, and never raises for an unknown action (it just
shows nothing more)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from gongjiang.competitions import services as competition_services
from gongjiang.competitions.models import Aspect, Sheet
from gongjiang.competitions.tests.factories import FULL_MARKS, season, to_marking
from gongjiang.core.notifications import notify
from gongjiang.core.scoping import resolve_scope_via
from gongjiang.honours.tests import journey as honours_journey
from gongjiang.innovation.tests import journey as innovation_journey
from gongjiang.learning.tests import training_journey
from gongjiang.orgs import services
from gongjiang.orgs.models import User

GONGJIANG_APPS = [c for c in apps.get_app_configs() if c.name.startswith("gongjiang.")]
MODELS = [m for c in GONGJIANG_APPS for m in c.get_models()]


def test_the_walk_sees_every_app():
    assert {c.label for c in GONGJIANG_APPS} >= {"core", "orgs", "competitions", "innovation", "honours"}
    assert len(MODELS) > 30


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_model_declares_its_scope_or_why_it_has_none(model):
    via, exempt = getattr(model, "scope_via", None), getattr(model, "scope_exempt", None)
    assert bool(via) != bool(exempt), f"{model._meta.label}: declare scope_via or scope_exempt (one of them)"
    if via:
        assert callable(getattr(model._default_manager, "for_user", None)), f"{model._meta.label}: no for_user"
        resolve_scope_via(model)  # the declared way leads to the tree or to a scoped model
    else:
        assert len(exempt) > 20, "say why"


SCOPED = [m for m in MODELS if getattr(m, "scope_via", None)]
PERSONAL = {"core.Notification"}  # one's own rows, whatever the roles


@pytest.fixture(scope="module")
def world(module_province: Any, django_db_blocker: Any) -> Any:
    """Every app's rows at every step, built once for the module's two hundred and more tests (which only read)."""
    assert module_province is not None, "the module's transaction is open: every test here uses `world` and `db`"
    with django_db_blocker.unblock():
        return _build_world(module_province)


def _build_world(sd: Any) -> Any:
    s = season(sd)
    competition_services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    to_marking(sd, s.jinan_round)
    sheet = Sheet.objects.filter(round=s.jinan_round).select_related("judge__judge__user").first()
    aspect = Aspect.objects.filter(scheme__event=s.event).get(code="A1.2")
    competition_services.save_mark(actor=sheet.judge.judge.user, sheet_id=sheet.pk, aspect_id=aspect.pk,
                                   data=FULL_MARKS["A1.2"])
    services.record_skill_grade(actor=sd.enterprise_cadre, person=sd.worker_person, grade=4)
    notify([sd.worker], "test.hello", None, title="你好")
    innovation_journey.everything(sd)  # 济钢's proposals at every step
    honours_journey.everything(sd)  # 济钢's nominations, Jinan's and 历下's quota shares
    training_journey.everything(sd)  # 济钢's session, pairs and material
    return sd


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_every_scoped_model_fails_closed_and_opens_fully_to_a_superuser(world, db, model):
    qs = model._default_manager
    assert not qs.for_user(AnonymousUser()).exists()
    assert not qs.for_user(None).exists()
    root = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "root", password="Gongjiang-2026")
    if model._meta.label in PERSONAL:
        assert not qs.for_user(root).exists()  # nobody reads another's inbox, not even a superuser
        return
    assert qs.for_user(root).count() == qs.count()
    assert not qs.for_user(world.jinan_cadre, "no-such-action").exists()


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_another_city_sees_none_of_jinans_rows(world, db, model):
    """The Jinan round's rows (entries, sheets, marks, draws, judges' assignments…) are out of Qingdao's sight;
    rows that are the province's own (the competition, its stages and events) are seen by every city."""
    jinan_only = {"competitions.Entry", "competitions.Sheet", "competitions.Mark", "competitions.Draw",
                  "competitions.RoundJudge", "orgs.Person", "orgs.SkillGradeRecord",
                  "innovation.Proposal", "innovation.Contributor", "innovation.Assignment", "innovation.Benefit",
                  "innovation.Attachment", "innovation.RewardPayment", "innovation.RewardPolicy",
                  "innovation.Appointment", "innovation.Project", "innovation.StageDecision", "innovation.Milestone",
                  "innovation.ProjectMember", "innovation.Spending", "innovation.ProjectFile",
                  "innovation.Offer", "innovation.Need", "innovation.Match", "innovation.Meeting",
                  "honours.Nomination", "honours.NominationFile", "honours.Holder", "honours.HolderEvent",
                  "honours.Studio", "honours.StudioMember", "honours.StudioFunding", "honours.StudioStatusChange",
                  "honours.Assessment", "honours.AssessmentScore", "honours.AssessmentFile",
                  "learning.TrainingSession", "learning.SessionFile", "learning.Attendance", "learning.MentorPair",
                  "learning.Material", "learning.MaterialCompletion"}
    if model._meta.label not in jinan_only:
        return
    qingdao = model._default_manager.for_user(world.qingdao_cadre)
    assert model._default_manager.exists()
    assert not qingdao.exists() or (model._meta.label == "orgs.Person" and set(qingdao) == {world.qd_person})
