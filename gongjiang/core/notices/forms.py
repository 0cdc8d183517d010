"""Forms of public notices: the public's objection, and the owners' investigation note and decision. Fields are
optional here and checked by the services, which give every message (in Chinese) next to its field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.notices import ObjectionOutcome


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("Your real name"), required=False, max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact = forms.CharField(label=_("Phone or e-mail"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "email"}),
                              help_text=_("Kept confidential: only the publishing union sees it, to reply to you."))
    subject = forms.CharField(label=_("Objection to"), required=False, max_length=400,
                              help_text=_("The name (and unit) on the notice that your objection concerns."))
    reason = forms.CharField(label=_("Facts and reasons"), required=False, max_length=8000,
                             widget=forms.Textarea(attrs={"rows": 5}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Investigation note"), required=False, max_length=8000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Whom you asked and what you found. Only the publishers read the notes."))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome of the objection"), required=False,
                                choices=[("", "—"), *ObjectionOutcome.choices])
    reply = forms.CharField(label=_("Reply to the objector"), required=False, max_length=8000,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("What the objector is told (by phone or e-mail); kept with the record."))
