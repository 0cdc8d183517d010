"""The archive's forms: a household (filing and change) with its member rows, an exit, a review, the threshold.
The forms only read input; the verbs check it (a member's ID, an income) and name the row and field refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Cause, Health, Housing, Relation, Schooling, Work

MEMBER_ROWS = 8
MEMBER_FIELDS = ("relation", "name", "id_number", "health", "schooling", "work", "monthly_income")


class HouseholdForm(forms.Form):
    """The household: housing, causes, a note, and up to MEMBER_ROWS member rows (blank rows skipped)."""

    housing = forms.ChoiceField(label=_("housing"), choices=Housing.choices)
    causes = forms.MultipleChoiceField(label=_("causes of hardship"), choices=Cause.choices,
                                       widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("note"), max_length=400, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, worker: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if worker:
            self.fields = {"worker_id": forms.CharField(
                label=_("The worker's ID number"), max_length=20,
                help_text=_("The worker must be on your union's roster.")), **self.fields}

    def member_rows(self) -> list[dict[str, Any]]:
        """The filled member rows of the POST, as the verbs take them."""
        rows = []
        for i in range(MEMBER_ROWS):
            row = {f: str(self.data.get(f"m{i}-{f}", "")).strip() for f in MEMBER_FIELDS}
            if row["name"] or row["id_number"]:
                rows.append(row)
        return rows

    @staticmethod
    def choices() -> dict[str, Any]:
        return {"relation": Relation.choices, "health": Health.choices, "schooling": Schooling.choices,
                "work": Work.choices}


class ExitForm(forms.Form):
    reason = forms.CharField(label=_("reason of the exit"), max_length=400, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason of the return"), max_length=400)


class ThresholdForm(forms.Form):
    monthly_minimum = forms.CharField(label=_("monthly per-capita minimum living standard"), max_length=20,
                                      help_text=_("Yuan per person and month; unions below inherit it."))
