"""The judging pages' finish, as a specification: the sign button waits for the last aspect and says how many
are left (live, beside each saved mark); the chief judge's board says what each figure counts and keeps the
judge's name in view in the calibration table; a supervisor who mistypes is told that the user name or the
password is incorrect, any other account gets that same answer without its password being checked, and wrong
passwords stop the chief judge's tries, never the supervisor's log-in; the pages take their styles from the app's
stylesheet, never from an inline block."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from gongjiang.competitions.choices import SheetState
from gongjiang.competitions.models import Round, Sheet
from gongjiang.competitions.tests.test_views_judging import PASSWORD, build, lock_everything, mark_sheet, save
from gongjiang.orgs.models import LoginAttempt

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "competitions"


@pytest.fixture
def m(sd):
    return build(sd)


def sign_button(html: str) -> str:
    """The <button> of the sign form (id sheet-sign), as rendered."""
    start = html.index('id="sheet-sign"')
    return html[html.rindex("<button", 0, start):html.index("</button>", start)]


def test_the_sign_button_waits_for_the_last_aspect_and_counts_down_as_marks_are_saved(client, m):
    client.force_login(m.judges[0])
    page = client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk])).content.decode()
    button = sign_button(page)
    assert "disabled" in button and "5 aspects still to mark" in button and "Sign and submit" not in button
    response = save(client, m.sheet, m.aspects["B1.1"], mark="20")
    button = sign_button(response.content.decode())  # sent out of band beside the saved mark
    assert 'hx-swap-oob="true"' in button and "disabled" in button and "4 aspects still to mark" in button
    refused = save(client, m.sheet, m.aspects["B1.2"], mark="99")
    assert refused.status_code == 422 and "4 aspects still to mark" in sign_button(refused.content.decode())
    for code, data in (("A1.1", {"deviation": "0.01"}), ("A1.2", {"achieved": "1"}),
                       ("A2.1", {"fault_S1": "0", "fault_S2": "0"})):
        assert save(client, m.sheet, m.aspects[code], **data).status_code == 200
    assert "1 aspect still to mark" in sign_button(save(client, m.sheet, m.aspects["B1.1"], mark="21")
                                                   .content.decode())
    button = sign_button(save(client, m.sheet, m.aspects["B1.2"], mark="20").content.decode())
    assert "disabled" not in button and "Sign and submit" in button
    assert "disabled" not in sign_button(
        client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk])).content.decode()
    )


def test_an_incomplete_sheet_is_still_refused_by_the_service_without_the_button(client, m):
    client.force_login(m.judges[0])
    client.post(reverse("competitions:sheet_sign", args=[m.sheet.pk]))
    assert Sheet.objects.get(pk=m.sheet.pk).state == SheetState.OPEN


def test_the_board_says_what_each_figure_counts(client, m):
    mark_sheet(m.judges[0], m.sheet)
    client.force_login(m.chief)
    response = client.get(reverse("competitions:chief_board", args=[m.rnd.pk]))
    html = response.content.decode()
    total = Sheet.objects.filter(round=m.rnd).count()
    assert "State of the round" in html
    assert f"{total - 1} / {total}</div><div class=\"lbl\">Sheets still being marked" in html
    assert f"1 / {total}</div><div class=\"lbl\">Sheets signed, awaiting the lock" in html
    assert f"0 / {total}</div><div class=\"lbl\">Sheets locked" in html
    assert '<table class="list sticky-first">' in html  # the calibration table keeps the judge's name in view


def test_a_mistyped_supervisor_password_says_the_user_name_or_password_is_incorrect(client, m):
    lock_everything(client, m)
    url = reverse("competitions:round_decrypt", args=[m.rnd.pk])
    response = client.post(url, {"supervisor_username": m.supervisor.username, "supervisor_password": "nope"})
    html = response.content.decode()
    assert response.status_code == 400 and "user name or password is incorrect" in html
    response = client.post(url, {"supervisor_username": "nobody-at-all", "supervisor_password": PASSWORD})
    assert response.status_code == 400 and "user name or password is incorrect" in response.content.decode()
    assert Round.objects.get(pk=m.rnd.pk).decrypted_at is None


def test_an_account_that_is_not_the_rounds_supervisor_gets_the_wrong_password_answer_unchecked(client, m):
    """Any other account — a judge of the round, a city cadre — is answered as a wrong password, without its
    password being checked or counted: the form is no password oracle (orgs.throttle)."""
    lock_everything(client, m)
    url = reverse("competitions:round_decrypt", args=[m.rnd.pk])
    wrong = client.post(url, {"supervisor_username": m.supervisor.username, "supervisor_password": "nope"})
    before = LoginAttempt.objects.count()
    for name in (m.judges[0].username, "jinan_cadre", "13800000001"):
        response = client.post(url, {"supervisor_username": name, "supervisor_password": PASSWORD})
        assert response.status_code == 400 and response.context["form"].errors == wrong.context["form"].errors
        assert "is not the supervisor" not in response.content.decode()
    assert LoginAttempt.objects.count() == before  # nothing checked, nothing counted
    assert Round.objects.get(pk=m.rnd.pk).decrypted_at is None


def test_wrong_supervisor_passwords_stop_the_chief_judge_not_the_supervisors_log_in(client, m):
    lock_everything(client, m)
    url = reverse("competitions:round_decrypt", args=[m.rnd.pk])
    for _ in range(5):
        wrong = client.post(url, {"supervisor_username": m.supervisor.username, "supervisor_password": "nope"})
    response = client.post(url, {"supervisor_username": m.supervisor.username, "supervisor_password": PASSWORD})
    assert response.status_code == 400 and "too many attempts" in response.content.decode()
    assert response.context["form"].errors == wrong.context["form"].errors  # the same answer as a wrong password
    assert Round.objects.get(pk=m.rnd.pk).decrypted_at is None
    # The supervisor's own log-in is untouched.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert (
        other.post(reverse("orgs:login"), {"username": m.supervisor.username, "password": PASSWORD}).status_code == 302
    )


def test_the_judging_pages_link_the_apps_stylesheet_and_carry_no_style_block(client, m):
    client.force_login(m.judges[0])
    html = client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk])).content.decode()
    assert "competitions/competitions.css" in html and "<style" not in html
    for folder in ("judging", "worker", "labour"):
        for template in (TEMPLATES / folder).glob("*.html"):
            assert "<style" not in template.read_text("utf-8"), template.name
