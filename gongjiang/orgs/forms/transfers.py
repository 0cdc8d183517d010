"""Forms of membership transfers (会籍转接): request, and the destination's refusal with a reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TransferRequestForm(forms.Form):
    q = forms.CharField(label=_("Find the new unit"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
                        help_text=_("Type part of the name or the code of the receiving union, department or "
                                    "team (any unit in the province)."))
    to_employer = forms.IntegerField(label=_("New unit"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("For example: changed employer, moved to another city."))


class RefuseForm(forms.Form):
    decision_note = forms.CharField(label=_("Reason for refusing"), max_length=200, required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("The requesting union sees this reason."))
