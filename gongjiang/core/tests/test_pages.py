"""Calling a service from a page (`pages.act`, `pages.handle`, `pages.attempt`): every page answers a refusal the
same way — a permission refusal is a 403, any other refusal is shown (a message, on the form, in place) with
nothing changed, and a success says what was done."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import RequestFactory

from gongjiang.core import pages
from gongjiang.core.errors import DomainError, PermissionDeniedError


def post() -> HttpRequest:
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def shown(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def refuse(error: DomainError) -> Any:
    def call() -> Any:
        raise error
    return call


class FundForm(forms.Form):
    amount = forms.DecimalField()
    first_value = forms.CharField(required=False)


def valid_form() -> FundForm:
    form = FundForm({"amount": "10", "first_value": ""})
    assert form.is_valid()
    return form


# ---------------------------------------------------------------------------------------------
# act: the button


def test_a_call_that_goes_through_says_so_and_returns_true():
    request = post()
    assert pages.act(request, lambda: "done", "The fund has been set.") is True
    assert shown(request) == [("success", "The fund has been set.")]


def test_a_success_message_may_name_what_the_call_made():
    request = post()
    assert pages.act(request, lambda: [1, 2, 3], lambda periods: f"{len(periods)} periods opened") is True
    assert shown(request) == [("success", "3 periods opened")]


def test_without_a_success_message_nothing_is_said():
    request = post()
    assert pages.act(request, lambda: None) is True
    assert shown(request) == []


def test_a_refusal_is_shown_as_an_error_message_and_returns_false():
    request = post()
    done = pages.act(request, refuse(DomainError("The period is closed.")), "never shown")
    assert done is False
    assert shown(request) == [("error", "The period is closed.")]


def test_a_refusal_may_be_shown_otherwise():
    request = post()
    seen: list[str] = []
    assert pages.act(request, refuse(DomainError("Too late.")), "never shown",
                     refused=lambda e: seen.append(e.message)) is False
    assert seen == ["Too late."]
    assert shown(request) == []


def test_a_permission_refusal_is_a_403_with_the_services_reason():
    request = post()
    with pytest.raises(PermissionDenied, match="Only the organiser may do this"):
        pages.act(request, refuse(PermissionDeniedError("Only the organiser may do this.")), "never shown")
    assert shown(request) == []


def test_an_error_that_is_no_refusal_is_not_swallowed():
    def broken() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        pages.act(post(), broken, "never shown")


# ---------------------------------------------------------------------------------------------
# handle: the form


def test_handle_returns_the_result_of_the_call():
    form = valid_form()
    assert pages.handle(form, lambda: "the competition") == "the competition"
    assert not form.errors


def test_handle_puts_a_refusal_on_the_field_it_names():
    form = valid_form()
    assert pages.handle(form, refuse(DomainError("The fund cannot be negative.", field="amount"))) is None
    assert form.errors == {"amount": ["The fund cannot be negative."]}


def test_handle_puts_a_refusal_naming_no_field_of_the_form_above_it():
    form = valid_form()
    assert pages.handle(form, refuse(DomainError("A draw needs two witnesses.", field="witnesses"))) is None
    assert form.non_field_errors() == ["A draw needs two witnesses."]


def test_handle_renames_a_service_field_to_the_input_standing_for_it():
    form = valid_form()
    pages.handle(form, refuse(DomainError("Give the first prize.", field="prize_rule")),
                 aliases={"prize_rule": "first_value", "tie_breaks": "tie_break_1"})
    assert form.errors == {"first_value": ["Give the first prize."]}


def test_an_alias_to_an_input_the_form_lacks_leaves_the_refusal_above_the_form():
    form = valid_form()
    pages.handle(form, refuse(DomainError("Break the ties.", field="tie_breaks")),
                 aliases={"tie_breaks": "tie_break_1"})
    assert form.non_field_errors() == ["Break the ties."]


def test_handle_turns_a_permission_refusal_into_a_403():
    form = valid_form()
    with pytest.raises(PermissionDenied, match="Not yours"):
        pages.handle(form, refuse(PermissionDeniedError("Not yours.", field="amount")))
    assert not form.errors


# ---------------------------------------------------------------------------------------------
# attempt: the refusal shown in place


def test_attempt_gives_the_result_or_the_refusal():
    assert pages.attempt(lambda: 42) == (42, None)
    result, refusal = pages.attempt(refuse(DomainError("Not a number.", field="value")))
    assert result is None
    assert refusal is not None and refusal.message == "Not a number." and refusal.errors == {"value": "Not a number."}


def test_attempt_turns_a_permission_refusal_into_a_403():
    with pytest.raises(PermissionDenied):
        pages.attempt(refuse(PermissionDeniedError("Not your sheet.")))
