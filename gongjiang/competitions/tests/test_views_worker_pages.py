"""The registration pages' finish, as a specification: 李强's entry offers the admission ticket only while it
admits him (from the check-in until marking ends) and the public notice of the results once they are out; the
unit's page is titled as the menu names it; the pages take their styles from the app's stylesheet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjiang.competitions import services
from gongjiang.competitions.choices import RoundState
from gongjiang.competitions.models import Round
from gongjiang.competitions.tests.factories import WITNESSES, season

MY = reverse("competitions:my_competitions")
UNIT = reverse("competitions:unit_registrations")


@pytest.fixture
def s(sd):
    return season(sd)


@pytest.mark.parametrize(("state", "ticket", "results"), [
    (RoundState.CHECKIN, True, False),
    (RoundState.MARKING, True, False),
    (RoundState.LOCKED, False, False),
    (RoundState.DECRYPTED, False, False),
    (RoundState.PUBLICITY, False, True),
    (RoundState.FINAL, False, True),
])
def test_the_ticket_is_offered_while_it_admits_and_the_results_once_they_are_out(client, sd, s, state, ticket,
                                                                                 results):
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    services.draw_contestant_numbers(actor=sd.province_admin, rnd=s.jinan_round, witnesses=WITNESSES)
    entry.refresh_from_db()
    services.check_in(actor=sd.province_admin, entry=entry)
    Round.objects.filter(pk=s.jinan_round.pk).update(state=state)
    client.force_login(sd.worker)
    html = client.get(MY).content.decode()
    assert (reverse("competitions:entry_ticket", args=[entry.pk]) in html) is ticket
    assert (reverse("competitions:public_notice", args=[s.jinan_round.pk]) in html) is results
    client.force_login(sd.enterprise_cadre)  # the unit's list follows the same rule
    html = client.get(UNIT, {"competition": s.competition.pk}).content.decode()
    assert (reverse("competitions:entry_ticket", args=[entry.pk]) in html) is ticket
    assert (reverse("competitions:public_notice", args=[s.jinan_round.pk]) in html) is results


def test_the_unit_page_is_titled_as_the_menu_names_it(client, sd, s):
    client.force_login(sd.enterprise_cadre)
    html = client.get(UNIT).content.decode()
    assert "<h1>Registering our workers</h1>" in html and "Unit registrations" not in html


def test_the_registration_pages_link_the_apps_stylesheet(client, sd, s):
    client.force_login(sd.worker)
    html = client.get(MY).content.decode()
    assert "competitions/competitions.css" in html and 'class="registration-page"' in html
    assert "competitions/worker.css" not in html and "<style" not in html


def test_an_empty_list_of_the_units_entries_says_so(client, sd, s):
    client.force_login(sd.enterprise_cadre)
    response = client.get(UNIT, {"competition": s.competition.pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Your units have no entries here yet." in html and "<table" not in html
