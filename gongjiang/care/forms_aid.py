"""The forms of aid programmes, cycles and job help. They only read input; the verbs check it (a share above 100%,
a negative cap, an over-budget amount) and name the field refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AmountKind, Cause, Grade, JobKind, PaymentMethod, ProgrammeKind


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("programme name"), max_length=100)
    kind = forms.ChoiceField(label=_("programme kind"), choices=ProgrammeKind.choices)
    grades = forms.MultipleChoiceField(label=_("hardship grades admitted"), choices=Grade.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    causes = forms.MultipleChoiceField(label=_("causes admitted (any of them)"), choices=Cause.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)
    university_child = forms.BooleanField(label=_("a child at university or college this year"), required=False)
    women_min = forms.IntegerField(label=_("women workers aged from"), required=False)
    women_max = forms.IntegerField(label=_("women workers aged up to"), required=False)
    amount_kind = forms.ChoiceField(label=_("amount rule"), choices=AmountKind.choices)
    amount = forms.CharField(label=_("fixed amount (yuan)"), required=False, max_length=20)
    deep = forms.CharField(label=_("amount for deep hardship (yuan)"), required=False, max_length=20)
    relative = forms.CharField(label=_("amount for relative hardship (yuan)"), required=False, max_length=20)
    sudden = forms.CharField(label=_("amount for a sudden event (yuan)"), required=False, max_length=20)
    monotone = forms.BooleanField(label=_("amounts do not rise from deep to relative to sudden"), required=False)
    share = forms.CharField(label=_("share of the cost (e.g. 60%)"), required=False, max_length=20)
    cap = forms.CharField(label=_("cap (yuan)"), required=False, max_length=20)
    starts_on = forms.DateField(label=_("starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("ends on"), widget=forms.DateInput(attrs={"type": "date"}))

    def rules(self) -> tuple[dict[str, Any], dict[str, Any]]:
        d = self.cleaned_data
        eligibility: dict[str, Any] = {"grades": d["grades"], "causes": d["causes"],
                                       "university_child": d["university_child"]}
        if d.get("women_min") is not None or d.get("women_max") is not None:
            eligibility["women_age"] = [d.get("women_min"), d.get("women_max")]
        kind = d["amount_kind"]
        if kind == "fixed":
            amount: dict[str, Any] = {"kind": kind, "amount": d["amount"]}
        elif kind == "by_grade":
            amount = {"kind": kind, "amounts": {g: d[g] for g in ("deep", "relative", "sudden") if d[g]},
                      "monotone": d["monotone"]}
        else:
            amount = {"kind": kind, "share": d["share"], "cap": d["cap"]}
        return eligibility, amount


class CycleForm(forms.Form):
    name = forms.CharField(label=_("cycle name"), max_length=100)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    budget = forms.CharField(label=_("budget (yuan)"), max_length=20)


class BudgetForm(forms.Form):
    org = forms.IntegerField(label=_("union"), widget=forms.Select)
    amount = forms.CharField(label=_("budget (yuan)"), max_length=20)


class AddForm(forms.Form):
    file = forms.IntegerField(label=_("file no."), min_value=1)
    reason = forms.CharField(label=_("reason"), max_length=400)
    cost = forms.CharField(label=_("cost (yuan)"), max_length=20, required=False)


class PaymentForm(forms.Form):
    file = forms.IntegerField(label=_("file no."), min_value=1)
    method = forms.ChoiceField(label=_("payment method"), choices=[
        (PaymentMethod.CASH.value, PaymentMethod.CASH.label),
        (PaymentMethod.IN_KIND.value, PaymentMethod.IN_KIND.label)])
    signed_by = forms.CharField(label=_("signed by"), max_length=40)
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    signature_note = forms.CharField(label=_("signature record"), max_length=200, required=False)


class ReconcileForm(forms.Form):
    file = forms.FileField(label=_("the bank's returned Excel"))


class JobOfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("offer kind"), choices=JobKind.choices)
    employer = forms.CharField(label=_("employer or school"), max_length=100)
    title = forms.CharField(label=_("job or course"), max_length=100)
    places = forms.IntegerField(label=_("places"), min_value=1, max_value=10000)
