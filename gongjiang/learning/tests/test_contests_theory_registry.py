"""The theory rounds' registry (core.registry) as the competitions app fills it: which rounds a cadre may run,
the contestants named by code (never by name), and scores written into Entry.theory through the round's own verb —
audited, refused whole when one is wrong, refused to anyone but the round's organiser."""

from __future__ import annotations

import pytest

from gongjiang.competitions import services as cs
from gongjiang.competitions.models import Entry
from gongjiang.competitions.tests.factories import season, worker
from gongjiang.core import registry
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(sd):
    s = season(sd)
    entries = [cs.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)]
    for i in range(2):
        entries.append(cs.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, f"济钢{i}"),
                                   rnd=s.jinan_round))
    return s, entries


def test_the_competitions_app_offers_its_rounds_with_a_theory_part_to_their_organisers(sd, round_):
    s, _entries = round_
    ids = {r.id for r in registry.theory_rounds(sd.jinan_cadre)}
    assert s.jinan_round.pk in ids and s.qingdao_round.pk not in ids
    assert s.jinan_round.pk in {r.id for r in registry.theory_rounds(sd.province_admin)}
    assert registry.theory_rounds(sd.worker) == []
    assert registry.can_run_theory(sd.jinan_cadre, s.jinan_round.pk)
    assert not registry.can_run_theory(sd.qingdao_cadre, s.jinan_round.pk)
    assert registry.theory_round(10**9) is None


def test_contestants_are_named_by_their_code_never_by_name(sd, round_):
    s, entries = round_
    rnd = registry.theory_round(s.jinan_round.pk)
    assert {c.person_id for c in rnd.candidates} == {e.person_id for e in entries}
    Entry.objects.filter(pk=entries[0].pk).update(code="A07", contestant_no="003")
    rnd = registry.theory_round(s.jinan_round.pk)
    assert rnd.code_of(sd.worker_person.pk) == "A07"  # the code alone, not the number beside it
    assert rnd.code_of(sd.qd_person.pk) is None
    names = {e.person.name for e in entries}
    assert not any(c.code in names for c in rnd.candidates)


def test_scores_flow_into_the_entries_theory_through_the_rounds_verb(sd, round_):
    s, entries = round_
    sent = registry.record_theory(s.jinan_round.pk, {entries[0].person_id: 8650, entries[1].person_id: 10000},
                                  sd.jinan_cadre, "在线理论考试")
    assert sent == 2
    got = dict(Entry.objects.filter(round=s.jinan_round).values_list("person_id", "theory"))
    assert got[entries[0].person_id] == 8650 and got[entries[1].person_id] == 10000
    assert got[entries[2].person_id] is None
    assert AuditEvent.objects.filter(verb="competitions.round.theory_entered").exists()


def test_a_score_for_somebody_outside_the_round_is_refused_whole(sd, round_):
    s, entries = round_
    with pytest.raises(DomainError):
        registry.record_theory(s.jinan_round.pk, {entries[0].person_id: 8000, sd.qd_person.pk: 7000},
                               sd.jinan_cadre)
    with pytest.raises(DomainError):
        registry.record_theory(s.jinan_round.pk, {entries[0].person_id: 10001}, sd.jinan_cadre)
    assert not Entry.objects.filter(round=s.jinan_round, theory__isnull=False).exists()


def test_only_the_rounds_organiser_may_send_scores(sd, round_):
    s, entries = round_
    with pytest.raises(PermissionDeniedError):
        registry.record_theory(s.jinan_round.pk, {entries[0].person_id: 8000}, sd.qingdao_cadre)
    assert Entry.objects.get(pk=entries[0].pk).theory is None


def test_a_provider_registers_once_by_key_and_the_lists_are_restored(sd):
    saved = registry.snapshot()
    try:
        provider = registry.TheoryRoundProvider("example", rounds=lambda u: [], get=lambda i: None,
                                                can_run=lambda u, i: False, record=lambda i, s, b, n: 0)
        registry.register_theory_rounds(provider)
        registry.register_theory_rounds(provider)
        assert sum(1 for p in registry._theory if p.key == "example") == 1
        with pytest.raises(LookupError):
            registry.record_theory(10**9, {}, sd.province_admin)
    finally:
        registry.restore(saved)
    assert all(p.key != "example" for p in registry._theory)
