"""The innovation forms: the worker's phone form, the union's filters and decisions, the reward policy. Amounts are
typed in 万元 (as the unions count them) and handed to the verbs in yuan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjiang.core.forms import MultipleFileField

from .choices import Category, Duty, Kind, Opinion, State
from .models import RewardPolicy
from .services import CoProposer

WAN = Decimal(10000)


def wan_field(label: Any, required: bool = True, **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, min_value=Decimal(0), max_digits=12,
                              decimal_places=4, **kw)


def yuan(wan: Decimal | None) -> Decimal:
    return (wan or Decimal(0)) * WAN


class SubmitForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, widget=forms.TextInput(
        attrs={"autocomplete": "off", "placeholder": _("e.g. 转炉氧枪喷头改进")}))
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices])
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.PROPOSAL)
    problem = forms.CharField(label=_("The problem"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What is wrong now, where and how often."))
    solution = forms.CharField(label=_("Your proposal"), widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("What should be done, and how."))
    expected_benefit = forms.CharField(label=_("Expected benefit"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}),
                                       help_text=_("Money saved or earned per year, or what gets safer or better."))
    co_proposers = forms.CharField(
        label=_("Co-proposers"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One colleague per line: name and share in percent, e.g. 王伟 30. When two colleagues share a "
                    "name, add the last four digits of the mobile: 王伟 5678 30."))
    files = MultipleFileField(label=_("Drawings, photos, documents"),
                              help_text=_("PDF, images, Word, Excel; at most 10 MB each."))

    def clean_co_proposers(self) -> list[CoProposer]:
        found = []
        for line in self.cleaned_data["co_proposers"].splitlines():
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            name, rest = parts[0], parts[1:]
            tail = rest[0] if len(rest) == 2 and rest[0].isdigit() and len(rest[0]) == 4 else ""
            share = rest[-1].rstrip("%％") if rest else ""
            if not share.isdigit():
                raise forms.ValidationError(_("Give each co-proposer a share in percent: %(line)s") % {"line": line})
            found.append(CoProposer(name=name, share=int(share), mobile_tail=tail))
        return found


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Title or proposer"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All")), *State.choices])
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *Category.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    waiting = forms.ChoiceField(label=_("Waiting for"), required=False, choices=[
        ("", _("All")), ("acceptance", _("acceptance")), ("valuation", _("valuators")),
        ("decision", _("a decision")), ("sign_off", _("finance sign-off"))])


class AcceptForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=None, required=False,  # type: ignore[arg-type]
                                        empty_label=_("The enterprise union itself"))

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ValuationForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Opinion.choices, widget=forms.RadioSelect)
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AdoptForm(forms.Form):
    forecast = wan_field(_("Forecast hard benefit (10,000 yuan per year)"))
    forecast_soft = forms.CharField(label=_("Forecast soft benefit"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Note"), required=False)


class BenefitForm(forms.Form):
    gross = wan_field(_("Gross hard benefit (10,000 yuan)"))
    cost = wan_field(_("Cost of implementation (10,000 yuan)"), initial=0)
    soft = forms.CharField(label=_("Soft benefit"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = MultipleFileField(label=_("Evidence"), help_text=_("A financial statement, a test report, photos."))


class ForecastForm(forms.Form):
    forecast = wan_field(_("Forecast hard benefit (10,000 yuan per year)"))
    forecast_soft = forms.CharField(label=_("Forecast soft benefit"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False)


class RewardForm(forms.Form):
    voucher = forms.CharField(label=_("Voucher number"), required=False, max_length=40)


class AttachForm(forms.Form):
    files = MultipleFileField(label=_("Files"))


class AssignForm(forms.Form):
    valuators = forms.ModelMultipleChoiceField(label=_("Valuators"), queryset=None,  # type: ignore[arg-type]
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, valuators: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valuators"].queryset = valuators  # type: ignore[attr-defined]


class PolicyForm(forms.ModelForm):
    class Meta:
        model = RewardPolicy
        fields = list(RewardPolicy.FIELDS)


class AppointForm(forms.Form):
    username = forms.CharField(label=_("Account (user name)"), max_length=150)
    duty = forms.ChoiceField(label=_("Duty"), choices=Duty.choices)


class HandOverForm(forms.Form):
    leaving = forms.CharField(label=_("Leaving valuator (user name)"), max_length=150)
    successor = forms.CharField(label=_("Successor (user name)"), max_length=150)
