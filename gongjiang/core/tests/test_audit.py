"""Audit: every change is recorded with who, what, before and after, placed in the org tree."""

from __future__ import annotations

import datetime
import decimal

from gongjiang.core import audit
from gongjiang.core.models import AuditEvent
from gongjiang.core.verbs import verb_label
from gongjiang.orgs.models import Person


def test_snapshot_gives_json_data_with_foreign_keys_as_ids(sd):
    person = sd.worker_person
    data = audit.snapshot(person, ["name", "birth_date", "employer", "is_front_line"])
    assert data == {"name": "李强", "birth_date": person.birth_date.isoformat(), "employer": sd.team.pk,
                    "is_front_line": True}


def test_diff_keeps_only_what_changed():
    before = {"name": "李强", "mobile": "13912345678", "post": "炉前工"}
    after = {"name": "李强", "mobile": "13900000000", "post": "炉前工"}
    assert audit.diff(before, after) == ({"mobile": "13912345678"}, {"mobile": "13900000000"})
    assert audit.diff(before, before) == ({}, {})


def test_record_writes_one_event_in_the_objects_org(sd):
    event = audit.record(sd.enterprise_cadre, "orgs.person.updated", sd.worker_person,
                         before={"on": datetime.date(2024, 3, 15)}, after={"amount": decimal.Decimal("1.50")},
                         note="更正")
    event.refresh_from_db()
    assert event.actor == sd.enterprise_cadre
    assert event.verb == "orgs.person.updated"
    assert event.object_id == str(sd.worker_person.pk)
    assert event.object_repr == "李强"
    assert event.org_path == sd.team.path  # a person's events belong to their employer
    assert event.before == {"on": "2024-03-15"}
    assert event.after == {"amount": "1.50"}
    assert event.note == "更正"


def test_an_anonymous_or_system_actor_is_recorded_as_nobody(sd):
    from django.contrib.auth.models import AnonymousUser

    assert audit.record(AnonymousUser(), "orgs.org.updated", sd.steel).actor is None
    assert audit.record(None, "orgs.org.updated", sd.steel).actor is None


def test_the_timeline_is_newest_first_and_only_of_that_object(sd):
    first = audit.record(sd.enterprise_cadre, "orgs.person.created", sd.worker_person)
    second = audit.record(sd.enterprise_cadre, "orgs.person.updated", sd.worker_person)
    audit.record(sd.qingdao_cadre, "orgs.person.updated", sd.qd_person)
    assert list(audit.timeline(sd.worker_person)) == [second, first]


def test_record_bulk_writes_one_event_per_object(sd):
    people = list(Person.objects.all())
    audit.record_bulk(sd.province_admin, "orgs.person.imported", people, note="名册")
    events = AuditEvent.objects.filter(verb="orgs.person.imported")
    assert events.count() == len(people) == 2
    assert {e.org_path for e in events} == {sd.team.path, sd.qd_enterprise.path}
    assert audit.timeline(sd.worker_person).first().note == "名册"
    audit.record_bulk(sd.province_admin, "orgs.person.imported", [])  # nothing to do
    assert events.count() == 2


def test_verbs_have_labels_and_unknown_verbs_show_as_themselves():
    from django.utils import translation

    with translation.override("en"):
        assert verb_label("orgs.person.created") == "Person registered"
    assert verb_label("made.up.verb") == "made.up.verb"
