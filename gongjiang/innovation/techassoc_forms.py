"""The forms of the technical association pages: the network's and the lists' filters, founding an association and
its profile, dissolving it, a member joining (or transferring in), an honour, leaving, a new council term, a seat, an
activity, holding one and closing a contract. Contract values are entered in 万元 (stored in yuan)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ActivityKind, ActivityState, AssociationState, Honour, Post
from .project_forms import DATE, PersonNameMixin


class NetworkFilterForm(forms.Form):
    q = forms.CharField(label=_("Association or union"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All")), *AssociationState.choices])


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Association name"), max_length=80,
                           help_text=_("e.g. 济南市职工技术协会"))
    founded_on = forms.DateField(label=_("Founded on"), widget=DATE)
    registration_no = forms.CharField(label=_("Registration number"), max_length=40, required=False,
                                      help_text=_("With the civil affairs bureau, if registered."))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    contact = forms.CharField(label=_("Contact person"), max_length=40, required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)


class FoundForm(ProfileForm):
    org = forms.ModelChoiceField(label=_("Union"), queryset=None,  # type: ignore[arg-type]
                                 help_text=_("The province's, a city's, a county's, an industry union or an "
                                             "enterprise's union: one association each."))

    field_order = ["org", "name", "founded_on", "registration_no", "address", "contact", "phone"]

    def __init__(self, *args: Any, orgs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]


class DissolveForm(forms.Form):
    dissolved_on = forms.DateField(label=_("Dissolved on"), widget=DATE)
    reason = forms.CharField(label=_("Reason for dissolving"), widget=forms.Textarea(attrs={"rows": 2}))


class JoinForm(PersonNameMixin):
    trade = forms.CharField(label=_("Trade"), max_length=40, help_text=_("e.g. 钳工, 电焊工, 数控车工"))
    speciality = forms.CharField(label=_("Speciality"), max_length=80, required=False)
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)
    honour = forms.ChoiceField(label=_("Honour"), required=False, choices=[("", "—"), *Honour.choices])
    honour_year = forms.IntegerField(label=_("Year awarded"), required=False, min_value=1950, max_value=2100)
    conferred_by = forms.CharField(label=_("Conferred by"), max_length=80, required=False)
    transfer = forms.BooleanField(label=_("Transfer from another association"), required=False,
                                  help_text=_("Tick when the worker is a member of another association: the transfer "
                                              "is recorded in both."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("honour") and not data.get("honour_year"):
            self.add_error("honour_year", _("Give the year the honour was awarded."))
        return data


class HonourForm(forms.Form):
    honour = forms.ChoiceField(label=_("Honour"), choices=Honour.choices)
    year = forms.IntegerField(label=_("Year awarded"), min_value=1950, max_value=2100)
    conferred_by = forms.CharField(label=_("Conferred by"), max_length=80, required=False)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DATE)
    reason = forms.CharField(label=_("Reason for leaving"), max_length=200, help_text=_("e.g. 退休, 调离本企业"))


class CouncilForm(forms.Form):
    number = forms.IntegerField(label=_("Term number"), min_value=1, max_value=99)
    starts_on = forms.DateField(label=_("Term starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Term ends"), widget=DATE)
    chair = forms.CharField(label=_("Chair of the council (a member's name)"), max_length=40)


class SeatForm(forms.Form):
    name = forms.CharField(label=_("Member's name"), max_length=40)
    post = forms.ChoiceField(label=_("Council post"), choices=Post.choices, initial=Post.DIRECTOR)
    former_post = forms.ChoiceField(label=_("The present chair's new post"), required=False,
                                    choices=[("", "—"), *[c for c in Post.choices if c[0] != Post.CHAIR]],
                                    help_text=_("Only when naming a new chair."))


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Activity kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Activity title"), max_length=120)
    held_on = forms.DateField(label=_("Activity date"), widget=DATE,
                              help_text=_("A day to come: the activity is planned; today or earlier: it was held."))
    unit = forms.ModelChoiceField(label=_("Host unit"), queryset=None)  # type: ignore[arg-type]
    place = forms.CharField(label=_("Activity place"), max_length=120, required=False)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    client = forms.CharField(label=_("Client enterprise"), max_length=120, required=False,
                             help_text=_("Technical service, consulting, development and transfer only."))
    value_wan = forms.DecimalField(label=_("Contract value (10,000 yuan)"), required=False, max_digits=13,
                                   decimal_places=6, help_text=_("Four technical services only; 0 if free of charge."))
    members = forms.CharField(label=_("Members involved"), required=False,
                              help_text=_("Members' names, separated by commas or spaces."))

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]



class HoldForm(forms.Form):
    held_on = forms.DateField(label=_("Activity date"), widget=DATE)
    participants = forms.IntegerField(label=_("Participants"), min_value=0)


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("What the client gained, the acceptance."))


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    honour = forms.ChoiceField(label=_("Honour"), required=False, choices=[("", _("All")), *Honour.choices])
    trade = forms.CharField(label=_("Trade"), required=False)
    status = forms.ChoiceField(label=_("Members"), required=False, initial="active",
                               choices=[("active", _("Current members")), ("left", _("Former members")),
                                        ("all", _("All"))])


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or client"), required=False)
    kind = forms.ChoiceField(label=_("Activity kind"), required=False, choices=[("", _("All")), *ActivityKind.choices])
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All")), *ActivityState.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    four = forms.BooleanField(label=_("Four technical services only"), required=False)


def yuan(value_wan: Decimal | None) -> Decimal | None:
    """A form's 万元 as yuan to the fen."""
    from .rules.techassoc import yuan_of_wan

    return None if value_wan is None else yuan_of_wan(value_wan)


def split_names(text: str) -> list[str]:
    """Names typed in one box, separated by commas (Chinese or not), 、, semicolons or spaces."""
    for sep in "，、,;；":
        text = text.replace(sep, " ")
    return [n for n in text.split() if n]
