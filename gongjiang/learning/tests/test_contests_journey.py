"""The contests part's audit trail reads in Chinese: every one of its verbs, recorded by the journey, rendered by
the one timeline renderer with a Chinese label and no English key or Python repr."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from lxml import html

from gongjiang.competitions.tests.factories import season
from gongjiang.core import history
from gongjiang.core.models import AuditEvent
from gongjiang.learning.contest_verbs import VERBS

from .contests_journey import everything

pytestmark = pytest.mark.django_db


def test_every_contest_verb_is_recorded_and_shown_in_chinese(sd):
    everything(sd, season(sd).jinan_round)
    events = AuditEvent.objects.filter(verb__in=list(VERBS)).select_related("actor").order_by("id")
    assert {e.verb for e in events} == set(VERBS)
    with translation.override("zh-hans"):
        for event in history.describe(events):
            for feed in (False, True):
                text = html.fromstring(render_to_string("components/timeline.html", {
                    "events": [event], "feed": feed})).text_content()
                for bad in ("['", "{'", "None", "True", "False", "learning.", "opens_at", "time_limit"):
                    assert bad not in text, (event.verb, text)
