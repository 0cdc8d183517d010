"""The rights pages' forms: each feeds one verb, which checks everything again (the form only parses)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjiang.orgs.models import Org, Person

from .choices import (
    WOMEN_ITEMS,
    Channel,
    CongressForm,
    ContractKind,
    MatterKind,
    MotionState,
    OfferState,
    OpennessTopic,
    Resolution,
    Seat,
    SessionKind,
)

DATE = forms.DateInput(attrs={"type": "date"})


class RecordCongressForm(forms.Form):
    form = forms.ChoiceField(label=_("form"), choices=CongressForm.choices)
    established_on = forms.DateField(label=_("established on"), widget=DATE)
    term_years = forms.IntegerField(label=pgettext_lazy("congress", "term (years)"), min_value=1, max_value=10,
                                    initial=3)
    enterprises = forms.ModelMultipleChoiceField(label=_("enterprises covered"), queryset=Org.objects.none(),
                                                 required=False,
                                                 help_text=_("Only for a regional or industry congress."))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args: Any, enterprises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if enterprises is None:
            del self.fields["enterprises"]
        else:
            self.fields["enterprises"].queryset = enterprises


class DelegatesForm(forms.Form):
    people = forms.ModelMultipleChoiceField(label=_("delegates"), queryset=Person.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)
    elected_on = forms.DateField(label=_("elected on"), widget=DATE)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        # two workers of one name told apart by their workshop or team (the roster is read with its employers)
        self.fields["people"].label_from_instance = lambda p: f"{p.name}（{p.employer.display_name}）"


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=DATE)
    present = forms.IntegerField(label=_("delegates present"), min_value=0)
    kind = forms.ChoiceField(label=pgettext_lazy("congress session", "kind"), choices=SessionKind.choices)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class MotionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    proposer = forms.CharField(label=_("proposed by"), max_length=60)


class HandleMotionForm(forms.Form):
    state = forms.ChoiceField(label=_("handling"), choices=[c for c in MotionState.choices if c[0] != "submitted"])
    handled_on = forms.DateField(label=_("handled on"), widget=DATE)
    handler = forms.CharField(label=_("handled by"), max_length=60, required=False)
    reply = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MatterForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("matter reviewed", "kind"), choices=MatterKind.choices)
    title = forms.CharField(label=_("title"), max_length=120)
    resolution = forms.ChoiceField(label=_("resolution"), choices=Resolution.choices)
    votes_for = forms.IntegerField(label=_("votes for"), min_value=0, initial=0)
    votes_against = forms.IntegerField(label=_("votes against"), min_value=0, initial=0)
    abstentions = forms.IntegerField(label=_("abstentions"), min_value=0, initial=0)


class OpennessForm(forms.Form):
    topic = forms.ChoiceField(label=pgettext_lazy("enterprise affairs", "topic"), choices=OpennessTopic.choices)
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    title = forms.CharField(label=_("title"), max_length=120)
    published_on = forms.DateField(label=_("published on"), widget=DATE)


class BoardSeatForm(forms.Form):
    seat = forms.ChoiceField(label=_("seat"), choices=Seat.choices)
    person = forms.ModelChoiceField(label=_("person"), queryset=Person.objects.none())
    elected_on = forms.DateField(label=_("elected on"), widget=DATE)
    until = forms.DateField(label=_("until"), widget=DATE, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ContractForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("collective contract", "kind"), choices=ContractKind.choices)
    title = forms.CharField(label=_("title"), max_length=120)
    employer_party = forms.CharField(label=_("employer party"), max_length=120)
    starts_on = forms.DateField(label=_("starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("ends on"), widget=DATE)
    workers = forms.IntegerField(label=_("workers covered"), min_value=1)
    min_wage = forms.DecimalField(label=_("minimum wage in the contract (yuan/month)"), max_digits=9,
                                  decimal_places=2, required=False)
    wage_increase = forms.DecimalField(label=_("wage increase (%)"), max_digits=5, decimal_places=2, required=False)
    weekly_hours = forms.DecimalField(label=_("working hours per week"), max_digits=4, decimal_places=1,
                                      required=False)
    women_items = forms.MultipleChoiceField(label=_("women's special protection items"), required=False,
                                            choices=list(WOMEN_ITEMS.items()), widget=forms.CheckboxSelectMultiple)


class DateForm(forms.Form):
    """Signing (signed_on), filing (filed_on + filed_with) or terminating (terminated_on + reason) a contract."""

    on = forms.DateField(label=_("date"), widget=DATE)
    filed_with = forms.CharField(label=_("labour authority"), max_length=60, required=False)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    year = forms.IntegerField(label=_("year"))
    kind = forms.ChoiceField(label=_("contract kind"), choices=ContractKind.choices, initial=ContractKind.WAGES)


class OffersForm(forms.Form):
    enterprises = forms.ModelMultipleChoiceField(label=_("enterprises"), queryset=Org.objects.none(),
                                                 widget=forms.CheckboxSelectMultiple)
    sent_on = forms.DateField(label=_("sent on"), widget=DATE)

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = enterprises


class AdvanceOfferForm(forms.Form):
    step = forms.ChoiceField(label=pgettext_lazy("bargaining offer", "step"),
                             choices=[c for c in OfferState.choices if c[0] != "sent"])
    on = forms.DateField(label=_("date"), widget=DATE)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
