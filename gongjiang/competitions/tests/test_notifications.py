"""What the competition services tell workers, as a specification: each event notifies the right accounts and
nobody else, with the right link; no text ever carries a 加密号 or an ID number."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from gongjiang.competitions import services
from gongjiang.competitions.choices import EntryStatus
from gongjiang.competitions.models import Entry
from gongjiang.competitions.tests.factories import WITNESSES, panel, season, to_marking, worker
from gongjiang.competitions.tests.test_services import lock_all, mark_all
from gongjiang.core.crypto import decrypt
from gongjiang.core.models import Notification
from gongjiang.orgs.models import Person
from gongjiang.orgs.tests import factories as of


def inbox(*users: Any) -> list[tuple[str, str, str]]:
    """(recipient, verb, url) of every notification stored, recipients by username."""
    rows = Notification.objects.filter(recipient__in=users) if users else Notification.objects.all()
    return sorted(rows.values_list("recipient__username", "verb", "url"))


def with_account(unit: Any, name: str, username: str) -> Person:
    p = worker(unit, name)
    of.user(username, person=p)
    return p


def my_entry(entry: Entry) -> str:
    return f"/competitions/my/#entry-{entry.pk}"


# ---------------------------------------------------------------------------------------------
# Registration decided


def test_an_approved_registration_tells_the_worker_and_nobody_else(sd):
    s = season(sd, requires_approval=True)
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    assert inbox() == []  # awaiting approval: nothing decided yet
    services.approve_entry(actor=sd.jinan_cadre, entry=entry)
    assert inbox() == [("worker", "competitions.entry.approved", my_entry(entry))]
    n = Notification.objects.get()
    assert "车工" in n.title and "市级选拔赛" in n.body and n.object_id == str(entry.pk)
    assert "山东省第十届职工职业技能大赛" in n.body  # which competition: a worker may be in several
    # the worker's page no longer says the registration awaits approval
    entry.refresh_from_db()
    assert "approval" not in [note["code"] for note in entry.notes]


def test_a_refused_registration_tells_the_worker_why(sd):
    s = season(sd, requires_approval=True)
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    services.refuse_entry(actor=sd.jinan_cadre, entry=entry, reason="名额已满，请参加下一届")
    assert inbox() == [("worker", "competitions.entry.refused", my_entry(entry))]
    assert "名额已满，请参加下一届" in Notification.objects.get().body


def test_a_worker_without_an_account_is_not_notified(sd):
    s = season(sd, requires_approval=True)
    nobody = worker(sd.workshop, "无账号")
    entry = services.register(actor=sd.enterprise_cadre, person=nobody, rnd=s.jinan_round)
    services.approve_entry(actor=sd.jinan_cadre, entry=entry)
    assert inbox() == []


def test_a_refused_approval_notifies_nobody(sd):
    s = season(sd, requires_approval=True)
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    with pytest.raises(Exception, match="organiser"):
        services.approve_entry(actor=sd.qingdao_cadre, entry=entry)
    assert inbox() == []


def test_a_place_freed_goes_to_the_first_waiting_worker_who_is_told(sd):
    s = season(sd, capacity=1, unit_quota=None)
    first = services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, "甲"), rnd=s.jinan_round)
    waiting = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    assert waiting.status == EntryStatus.WAITLISTED
    services.withdraw_entry(actor=sd.enterprise_cadre, entry=first, reason="生病")
    assert inbox() == [("worker", "competitions.entry.promoted", my_entry(waiting))]


# ---------------------------------------------------------------------------------------------
# Contestant numbers drawn: the ticket


def test_each_registered_worker_gets_their_own_number_and_ticket_and_the_waiting_are_told_no_place(sd):
    s = season(sd, capacity=3, unit_quota=None)
    rnd = s.jinan_round
    li = services.register(actor=sd.worker, person=sd.worker_person, rnd=rnd)
    zhou = services.register(actor=sd.enterprise_cadre, person=with_account(sd.workshop, "周", "zhou"), rnd=rnd)
    services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, "无账号"), rnd=rnd)
    late = services.register(actor=sd.enterprise_cadre, person=with_account(sd.workshop, "吴", "wu"), rnd=rnd)
    assert late.status == EntryStatus.WAITLISTED
    services.draw_contestant_numbers(actor=sd.jinan_cadre, rnd=rnd, witnesses=WITNESSES)
    assert inbox() == sorted([
        ("worker", "competitions.entry.ticket_available", f"/competitions/entries/{li.pk}/ticket.pdf"),
        ("zhou", "competitions.entry.ticket_available", f"/competitions/entries/{zhou.pk}/ticket.pdf"),
        ("wu", "competitions.entry.not_admitted", my_entry(late)),
    ])
    for entry in (li, zhou):
        entry.refresh_from_db()
        mine = Notification.objects.get(object_id=str(entry.pk), verb="competitions.entry.ticket_available")
        others = Entry.objects.filter(round=rnd).exclude(pk=entry.pk).exclude(contestant_no="")
        assert entry.contestant_no in mine.body
        assert not [e.contestant_no for e in others if e.contestant_no in mine.body]  # only one's own number


# ---------------------------------------------------------------------------------------------
# Results on public notice, appeals


@pytest.fixture
def decrypted(sd):
    """The Jinan round marked, locked and decrypted: 李强 (account), 周 (account), 济钢 (no account); 孙 absent."""
    s = season(sd, theory_weight=0, practical_weight=100, unit_quota=None)
    rnd = s.jinan_round
    services.register(actor=sd.worker, person=sd.worker_person, rnd=rnd)
    services.register(actor=sd.enterprise_cadre, person=with_account(sd.workshop, "周", "zhou"), rnd=rnd)
    services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, "济钢"), rnd=rnd)
    absent = services.register(actor=sd.enterprise_cadre, person=with_account(sd.workshop, "孙", "sun"),
                               rnd=rnd)
    found = panel(sd, rnd)
    services.draw_contestant_numbers(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    for e in Entry.objects.filter(round=rnd, status=EntryStatus.REGISTERED).exclude(pk=absent.pk):
        services.check_in(actor=sd.province_admin, entry=e)
    services.draw_stations(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    services.draw_codes(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    services.open_marking(actor=sd.province_admin, rnd=rnd)
    mark_all(rnd)
    lock_all(rnd, found["chief"])
    services.decrypt(actor=found["chief"].user, rnd=rnd, supervisor_username=found["supervisor"].user.username,
                     supervisor_password="Gongjiang-2026")
    Notification.objects.all().delete()  # the tickets: tested above
    return s


def test_results_on_notice_tell_the_contestants_who_took_part(sd, decrypted):
    rnd = decrypted.jinan_round
    services.publish_results(actor=sd.jinan_cadre, rnd=rnd, publicity_until=timezone.localdate())
    url = f"/public/results/{rnd.pk}/"
    assert inbox() == [("worker", "competitions.round.published", url), ("zhou", "competitions.round.published", url)]
    assert timezone.localdate().isoformat() in Notification.objects.first().body


def test_an_appeal_decided_tells_the_contestant_and_the_unit_that_filed_it(sd, decrypted):
    rnd = decrypted.jinan_round
    services.publish_results(actor=sd.jinan_cadre, rnd=rnd, publicity_until=timezone.localdate())
    Notification.objects.all().delete()
    li = Entry.objects.get(round=rnd, person=sd.worker_person)
    appeal = services.file_appeal(actor=sd.enterprise_cadre, entry=li, reason="计时有误")
    assert inbox() == []  # filing tells nobody; the organiser's list shows it
    services.decide_appeal(actor=sd.jinan_cadre, appeal=appeal, upheld=False, decision="经复核，计时无误")
    url = f"/competitions/entries/{li.pk}/appeal/"
    assert inbox() == [("enterprise_cadre", "competitions.appeal.decided", url),
                       ("worker", "competitions.appeal.decided", url)]
    to_unit = Notification.objects.get(recipient=sd.enterprise_cadre)
    assert "李强" in to_unit.body  # the unit learns whose appeal it was
    assert "李强" not in Notification.objects.get(recipient=sd.worker).body


def test_an_appeal_filed_by_the_contestant_is_told_once(sd, decrypted):
    rnd = decrypted.jinan_round
    services.publish_results(actor=sd.jinan_cadre, rnd=rnd, publicity_until=timezone.localdate())
    Notification.objects.all().delete()
    li = Entry.objects.get(round=rnd, person=sd.worker_person)
    appeal = services.file_appeal(actor=sd.worker, entry=li, reason="计时有误")
    services.decide_appeal(actor=sd.jinan_cadre, appeal=appeal, upheld=False, decision="经复核，计时无误")
    assert inbox() == [("worker", "competitions.appeal.decided", f"/competitions/entries/{li.pk}/appeal/")]


# ---------------------------------------------------------------------------------------------
# Privacy


def test_no_notification_ever_carries_an_anonymous_code_or_an_id_number(sd):
    """A whole round, every event that notifies: then every text is read against every 加密号 of the round and every
    contestant's ID number."""
    s = season(sd, theory_weight=0, practical_weight=100, requires_approval=True, unit_quota=None)
    rnd = s.jinan_round
    people = [sd.worker_person] + [with_account(sd.workshop, f"选手{i}", f"contestant{i}") for i in range(3)]
    entries = [services.register(actor=sd.enterprise_cadre, person=p, rnd=rnd) for p in people]
    for e in entries:
        services.approve_entry(actor=sd.jinan_cadre, entry=e)
    found = to_marking(sd, rnd)
    mark_all(rnd)
    lock_all(rnd, found["chief"])
    services.decrypt(actor=found["chief"].user, rnd=rnd, supervisor_username=found["supervisor"].user.username,
                     supervisor_password="Gongjiang-2026")
    services.publish_results(actor=sd.jinan_cadre, rnd=rnd, publicity_until=timezone.localdate())
    for e in Entry.objects.filter(round=rnd):
        appeal = services.file_appeal(actor=sd.enterprise_cadre, entry=e, reason="请复核")
        services.decide_appeal(actor=sd.jinan_cadre, appeal=appeal, upheld=False, decision="维持原成绩")
    verbs = set(Notification.objects.values_list("verb", flat=True))
    assert verbs == {"competitions.entry.approved", "competitions.entry.ticket_available",
                     "competitions.round.published", "competitions.appeal.decided"}
    codes = set(Entry.objects.filter(round=rnd).values_list("code", flat=True))
    assert len(codes) == 4 and all(codes)
    ids = {decrypt(p.id_encrypted) for p in Person.objects.filter(pk__in=[p.pk for p in people])}
    for n in Notification.objects.all():
        text = f"{n.title} {n.body} {n.url}"
        assert not [c for c in codes if c in text], text
        assert not [i for i in ids if i in text], text
