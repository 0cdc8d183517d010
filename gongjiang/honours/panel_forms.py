"""The review panels' forms: a new panel (its level, name, mode and up to six criteria rows), a member to add, a
member's points or vote on one nomination, a declared conflict. Forms parse; the verbs decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Allocation, PanelMode, VoteChoice
from .rules import panels as rules

CRITERIA_ROWS = 6
SHORT = forms.NumberInput(attrs={"style": "max-width: 7em", "min": 0})  # a row of the criteria table fits the form


class PanelForm(forms.Form):
    allocation = forms.ModelChoiceField(label=_("level"), queryset=Allocation.objects.none(), empty_label=None)
    name = forms.CharField(label=_("panel name"), max_length=80)
    mode = forms.ChoiceField(label=_("review mode"), choices=PanelMode.choices, initial=PanelMode.SCORE)

    def __init__(self, *args: Any, levels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = levels
        self.fields["allocation"].label_from_instance = lambda a: a.org.display_name
        for i in range(1, CRITERIA_ROWS + 1):
            self.fields[f"name_{i}"] = forms.CharField(label=_("criterion"), max_length=40, required=False)
            self.fields[f"weight_{i}"] = forms.IntegerField(label=_("weight"), required=False, widget=SHORT)
            self.fields[f"max_{i}"] = forms.IntegerField(label=_("maximum points"), required=False, widget=SHORT)

    @property
    def criteria_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"name_{i}"], self[f"weight_{i}"], self[f"max_{i}"]) for i in range(1, CRITERIA_ROWS + 1)]

    def criteria(self) -> list[dict[str, Any]]:
        """The rows filled in (a row with only a weight or a maximum counts: the verb names what is missing)."""
        d = self.cleaned_data
        return [{"name": d.get(f"name_{i}") or "", "weight": d.get(f"weight_{i}"), "max": d.get(f"max_{i}")}
                for i in range(1, CRITERIA_ROWS + 1)
                if d.get(f"name_{i}") or d.get(f"weight_{i}") is not None or d.get(f"max_{i}") is not None]


class MemberForm(forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    chair = forms.BooleanField(label=_("chair"), required=False)


def points_from(data: Any, criteria: list[rules.Criterion]) -> dict[str, str]:
    """A member's typed points by criterion key (the verb checks them)."""
    return {c.key: str(data.get(c.key, "")).strip() for c in criteria}


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("vote"), choices=VoteChoice.choices, widget=forms.RadioSelect)


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)
