"""The forms of the review: a level's decision on a nomination, the shortlist's public notice, the outcome of an
objection. Forms parse; the verbs decide (their refusals come back onto the fields they name)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjiang.core.models.notices import ObjectionOutcome


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("forward", _("Forward to the level above")), ("return", _("Return for correction")),
        ("reject", _("Do not recommend"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("Required to return or not to recommend: the nominating union reads it."))


class PublishForm(forms.Form):
    working_days = forms.IntegerField(label=_("Working days of the notice"), min_value=1, max_value=30, initial=5)


class ObjectionDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ObjectionOutcome.choices)
    nomination = forms.TypedChoiceField(label=_("The nomination it concerns (when upheld)"), coerce=int,
                                        required=False, empty_value=None)
    reply = forms.CharField(label=_("Reply to the objector"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, shortlisted: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = [("", "—")] + [(n.pk, f"{n.name}（{n.unit.display_name}）")
                                                           for n in shortlisted]
